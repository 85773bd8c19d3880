// API process: `tsx api/main.ts`. Stateless: run as many as you like behind a load balancer.
import { loadConfig } from '../lib/config';
import { openPlatform } from '../lib/platform';
import { connectClient } from '../lib/temporal';
import { createApp } from './app';
import { limitsFromEnv } from './rate-limit';
import { services } from './services';

async function main() {
  const config = loadConfig();
  const platform = openPlatform(config, 'api');
  const temporal = await connectClient(config.temporal);
  const deps = { config, ...platform, temporal, limits: limitsFromEnv(process.env) };
  const app = createApp(deps);
  const server = app.listen(config.api.port, config.api.host, () => {
    platform.log.info({ url: config.api.publicUrl }, 'api listening');
  });
  const stop = () => {
    server.close(() => {
      void Promise.all([services(deps).hub.close(), temporal.connection.close(), platform.db.$disconnect()]).finally(() => process.exit(0));
    });
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
