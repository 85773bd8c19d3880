// Runs the Azure (ARM + Entra ID) simulator on its own:
//   node --import tsx simulators/azure/main.ts [--port 8092] [--ca-file path] [--install-delay-ms 5000]
// Writes its CA certificate to --ca-file (default: the temp directory) and prints the AZURE_*
// variables, including AZURE_CA_CERT_FILE, that point the platform at it. The printed client secret
// is the simulator's own, not a real one.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { azureSimulatorEnv, startAzureSimulator } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'ca-file': { type: 'string' },
    'deployment-ms': { type: 'string' },
    'operation-ms': { type: 'string' },
    'install-delay-ms': { type: 'string' },
    'core-quota': { type: 'string' },
  },
});
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

const sim = await startAzureSimulator({
  port: num(values.port),
  deploymentDurationMs: num(values['deployment-ms']),
  operationDurationMs: num(values['operation-ms']),
  installDelayMs: num(values['install-delay-ms']),
  coreQuota: num(values['core-quota']),
});
const caFile = values['ca-file'] ?? join(tmpdir(), `tenantry-azure-simulator-${new URL(sim.armEndpoint).port}.pem`);
const env = azureSimulatorEnv(sim, caFile);
process.stdout.write(`${Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
const shutdown = () => void sim.stop().then(() => process.exit(0));
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
