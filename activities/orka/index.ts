// The Orka provider and its client, for the activity registry and the Orka health/images/nodes views.
export { createOrkaProvider, orkaVmName, DEFAULT_ORKA_TIMEOUTS, OrkaVmStillExistsError } from './provider';
export type { OrkaProviderDeps, OrkaSettings, OrkaTimeouts } from './provider';
export { OrkaClient, DEFAULT_DEPLOY_TIMEOUT_MINUTES } from './client';
export type { OrkaClientOptions, CallOptions, OrkaPowerAction } from './client';
export * from './errors';
export type { OrkaVm, OrkaNode, OrkaImage, OrkaVmConfig, OrkaClusterInfo, OrkaDeployRequest } from './wire';
export { findCapacity, MAX_VMS_PER_APPLE_SILICON_HOST } from './capacity';
