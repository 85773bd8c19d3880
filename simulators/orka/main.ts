// Runs the Orka simulator on its own: `node --import tsx simulators/orka/main.ts [--port 8091]`.
// Prints ORKA_ENDPOINT / ORKA_TOKEN / ORKA_NAMESPACE to point the platform at it.
import { parseArgs } from 'node:util';
import { startOrkaSimulator } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    token: { type: 'string' },
    namespace: { type: 'string' },
    'deploy-delay-ms': { type: 'string' },
    'image-cache-delay-ms': { type: 'string' },
    uncached: { type: 'string', multiple: true },
  },
});
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

const sim = await startOrkaSimulator({
  port: num(values.port),
  token: values.token ?? process.env.ORKA_TOKEN,
  namespace: values.namespace,
  deployDelayMs: num(values['deploy-delay-ms']),
  imageCacheDelayMs: num(values['image-cache-delay-ms']),
  uncachedImages: values.uncached,
});
process.stdout.write(`ORKA_ENDPOINT=${sim.endpoint}\nORKA_TOKEN=${sim.token}\nORKA_NAMESPACE=${sim.namespace}\n`);
const shutdown = () => void sim.stop().then(() => process.exit(0));
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
