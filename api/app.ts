// The Express application: JSON API under /api, health and metrics at the root, the built console at /.
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
import { mountMetrics } from './metrics';
import { mountOpenApi } from './openapi';
import { jsonReplacer, mountRoutes, type AnyRoute } from './route';
import { adminRoutes } from './routes/admin';
import { apiKeyRoutes } from './routes/api-keys';
import { auditRoutes } from './routes/audit-log';
import { authRoutes } from './routes/auth';
import { billingRoutes } from './routes/billing';
import { credentialRoutes } from './routes/credentials';
import { instanceRoutes } from './routes/instances';
import { meRoutes } from './routes/me';
import { memberRoutes } from './routes/members';
import { partnerRoutes } from './routes/partners';
import { siteRoutes } from './routes/sites';
import { tenantRoutes } from './routes/tenants';
import { services } from './services';

export function apiRoutes(deps: ApiDeps): AnyRoute[] {
  return [
    ...authRoutes(deps),
    ...meRoutes(deps),
    ...tenantRoutes(deps),
    ...memberRoutes(deps),
    ...siteRoutes(deps),
    ...apiKeyRoutes(deps),
    ...credentialRoutes(deps),
    ...instanceRoutes(deps),
    ...billingRoutes(deps),
    ...auditRoutes(deps),
    ...partnerRoutes(deps),
    ...adminRoutes(deps),
  ];
}

export function createApp(deps: ApiDeps, opts: { webDist?: string } = {}) {
  const app = express();
  const svc = services(deps);
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
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
      // Method and path only: query strings, headers and bodies may hold secrets.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, path: String(req.url ?? '').split('?')[0] }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      customProps: (req, res) => ({
        route: res.locals?.route,
        principal: req.principal ? (req.principal.kind === 'api_key' ? `api_key:${req.principal.keyId}` : `user:${req.principal.userId}`) : undefined,
      }),
    }),
  );
  mountMetrics(app, svc.registry);

  const health = Router();
  mountHealth(health, deps);
  app.use(health);

  const api = Router();
  api.use(express.json({ limit: '256kb' }));
  api.use(authenticate(deps, (p) => svc.limiter.enforce(`api_key:${p.keyId}`, svc.limiter.limits.apiKey, 'requests with this API key')));
  const routes = apiRoutes(deps);
  mountOpenApi(api, routes, { serverUrl: deps.config.api.publicUrl });
  mountRoutes(api, routes, deps);
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
