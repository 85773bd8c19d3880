// Every workflow the worker runs. The worker bundles this module (webpack), so nothing here may
// import Node built-ins or I/O libraries: side effects belong in activities/.
export { tenantWorkflow } from './tenant';
export { instanceWorkflow } from './instance';
export { instanceCommandWorkflow } from './command';
export { trialExpiryWorkflow } from './trial-expiry';
export { validateCredentialWorkflow } from './credential';
export { instanceMetricsWorkflow, tenantDatabaseMetricsWorkflow } from './metrics';
export { healthSweepWorkflow, platformHealthWorkflow } from './health';
