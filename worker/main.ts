// Worker process: `tsx worker/main.ts`. Needs DATABASE_URL and a reachable Temporal (TEMPORAL_ADDRESS
// or the local dev server). Stateless: run as many as you like.
import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { loadConfig } from '../lib/config';
import { openPlatform } from '../lib/platform';
import { connectClient, nativeConnectionOptions } from '../lib/temporal';
import { buildActivityDeps } from './providers';
import { ensureSchedules } from './schedules';
import { createWorker } from './worker';

async function main() {
  const config = loadConfig();
  // Until the worker runs, the SDK's own signal handling has nothing to shut down: exit directly.
  let worker: Awaited<ReturnType<typeof createWorker>> | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (!worker) process.exit(0);
    });
  }
  Runtime.install({
    logger: new DefaultLogger(config.logLevel === 'debug' || config.logLevel === 'trace' ? 'DEBUG' : 'WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) } } });
  const platform = openPlatform(config, 'worker');
  const connection = await NativeConnection.connect(nativeConnectionOptions(config.temporal));
  const client = await connectClient(config.temporal);
  await ensureSchedules(client, config);
  worker = await createWorker({ config, connection, deps: buildActivityDeps(config, platform) });
  platform.log.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker started');
  await worker.run();
  await connection.close();
  await platform.db.$disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
