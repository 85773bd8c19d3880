// The audit log's filters live in the URL (?action=instance.*&from=2026-01-01…), so a filtered view can
// be shared; this maps them to and from the API's query. Dates are whole local days: `from` is the
// start of its day, `to` includes its whole day (the API's `to` is exclusive).
import type { paths } from '../../api/schema.gen';

type AuditQuery = NonNullable<paths['/tenants/{tenantId}/audit']['get']['parameters']['query']>;

export const ACTOR_TYPES = ['user', 'api_key', 'operator', 'system'] as const;
export const RESULTS = ['success', 'failure', 'denied'] as const;
export const PAGE_SIZE = 50;

export interface AuditFilters {
  action: string;
  actorType: string;
  actorId: string;
  result: string;
  targetId: string;
  from: string;
  to: string;
}

export const FILTER_KEYS: readonly (keyof AuditFilters)[] = ['action', 'actorType', 'actorId', 'result', 'targetId', 'from', 'to'];
export const NO_FILTERS: AuditFilters = { action: '', actorType: '', actorId: '', result: '', targetId: '', from: '', to: '' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters in a URL; values the API would refuse (an unknown result, a malformed day) are dropped. */
export function filtersFromParams(params: URLSearchParams): AuditFilters {
  const get = (k: keyof AuditFilters) => params.get(k)?.trim() ?? '';
  const oneOf = (v: string, allowed: readonly string[]) => (allowed.includes(v) ? v : '');
  const day = (v: string) => (DAY.test(v) && !Number.isNaN(new Date(`${v}T00:00:00`).getTime()) ? v : '');
  return {
    action: get('action'),
    actorType: oneOf(get('actorType'), ACTOR_TYPES),
    actorId: get('actorId'),
    result: oneOf(get('result'), RESULTS),
    targetId: get('targetId'),
    from: day(get('from')),
    to: day(get('to')),
  };
}

/** URL search params for filters (empty ones left out) and an optional page cursor. */
export function paramsFromFilters(filters: AuditFilters, cursor?: string): URLSearchParams {
  const params = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = filters[k].trim();
    if (v) params.set(k, v);
  }
  if (cursor) params.set('cursor', cursor);
  return params;
}

export const hasFilters = (filters: AuditFilters) => FILTER_KEYS.some((k) => filters[k] !== '');

const startOfDay = (day: string, plusDays = 0) => {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

/** The API query for filters and a cursor. */
export function apiQuery(filters: AuditFilters, cursor: string | undefined): AuditQuery {
  return {
    limit: PAGE_SIZE,
    ...(filters.action && { action: filters.action }),
    ...(filters.actorType && { actorType: filters.actorType as AuditQuery['actorType'] }),
    ...(filters.actorId && { actorId: filters.actorId }),
    ...(filters.result && { result: filters.result as AuditQuery['result'] }),
    ...(filters.targetId && { targetId: filters.targetId }),
    ...(filters.from && { from: startOfDay(filters.from) }),
    ...(filters.to && { to: startOfDay(filters.to, 1) }),
    ...(cursor && { cursor }),
  };
}
