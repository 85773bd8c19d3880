// The Express application: JSON API under /api, health at the root, the built console at /.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { pinoHttp } from 'pino-http';
import { projectRoot } from '../lib/config';
import { authenticate } from './auth/sessions';
import type { ApiDeps } from './deps';
import { notFound, problemHandler } from './errors';
import { mountHealth } from './health';
import { mountOpenApi } from './openapi';
import { jsonReplacer, mountRoutes, type AnyRoute } from './route';
import { authRoutes } from './routes/auth';
import { meRoutes } from './routes/me';
import { tenantRoutes } from './routes/tenants';

export function apiRoutes(deps: ApiDeps): AnyRoute[] {
  return [...authRoutes(deps), ...meRoutes(deps), ...tenantRoutes(deps)];
}

export function createApp(deps: ApiDeps, opts: { webDist?: string } = {}) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('json replacer', jsonReplacer);

  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  });
  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (_req, res) => res.locals.requestId as string,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url }) },
    }),
  );

  const health = Router();
  mountHealth(health, deps);
  app.use(health);

  const api = Router();
  api.use(express.json({ limit: '256kb' }));
  api.use(authenticate(deps));
  const routes = apiRoutes(deps);
  mountOpenApi(api, routes, { serverUrl: deps.config.api.publicUrl });
  mountRoutes(api, routes);
  api.use((_req, _res, next) => next(notFound('route')));
  app.use('/api', api);

  const webDist = opts.webDist ?? join(projectRoot, 'web', 'dist');
  if (existsSync(webDist)) {
    app.use(express.static(webDist, { index: false, maxAge: '1h' }));
    // Client-side routes: every other GET serves the console shell.
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(join(webDist, 'index.html')));
  }
  app.use(problemHandler);
  return app;
}
