// Per-app services built lazily from the deps (route declarations are built without touching any
// of them, e.g. for the OpenAPI document): the shared rate limiter, the instance event hub and the
// Prometheus registry.
import { Gauge, Registry } from 'prom-client';
import type { ApiDeps } from './deps';
import { InstanceEventHub } from './events';
import { DEFAULT_LIMITS, RateLimiter } from './rate-limit';

interface Services {
  limiter: RateLimiter;
  hub: InstanceEventHub;
  registry: Registry;
  openStreams: Gauge;
}

const cache = new WeakMap<ApiDeps, Services>();

export function services(deps: ApiDeps): Services {
  let s = cache.get(deps);
  if (!s) {
    const registry = new Registry();
    s = {
      limiter: new RateLimiter(deps.db, { ...DEFAULT_LIMITS, ...deps.limits }),
      hub: new InstanceEventHub(deps.config.database.url, deps.log),
      registry,
      openStreams: new Gauge({ name: 'tenantry_event_streams_open', help: 'Server-Sent Events streams open now', registers: [registry] }),
    };
    cache.set(deps, s);
  }
  return s;
}
