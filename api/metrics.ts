// Prometheus metrics at /metrics: requests by route (the declared path template, so ids do not
// explode the label space), method and status, with their latency; open event streams; and the
// process's default metrics. One registry per app, so several apps in one process do not collide.
import type { Express, NextFunction, Request, Response } from 'express';
import { Counter, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';

export function mountMetrics(app: Express, registry: Registry) {
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'tenantry_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'tenantry_http_request_duration_seconds',
    help: 'HTTP request latency by route, method and status (event streams excluded)',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const known = (res.locals.route as string | undefined) ?? (['/healthz', '/readyz', '/metrics'].includes(req.path) ? req.path : undefined);
      const route = known ?? (req.path.startsWith('/api/') ? 'unmatched' : 'static');
      const labels = { route, method: req.method, status: String(res.statusCode) };
      requests.inc(labels);
      // An event stream's duration is how long someone watched, not latency.
      if (!String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) {
        latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }
    });
    next();
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
}
