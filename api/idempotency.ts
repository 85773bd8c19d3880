// `Idempotency-Key` on POSTs that create: the first request with a key runs and its answer is
// stored (idempotency_records, shared by every API process); a repeat with the same key and the same
// body gets that answer again (header `Idempotent-Replayed: true`) instead of acting twice. The
// same key with a different body is refused (422); a repeat while the first is still running gets
// 409 with Retry-After. A failed request stores nothing, so the client may retry it. Keys are scoped
// to the caller and the route, and kept for 24 hours.
import type { Request } from 'express';
import type { Prisma } from '../lib/db';
import { sha256Hex } from '../lib/secrets';
import type { ApiDeps } from './deps';
import { HttpError, conflict } from './errors';
import type { AnyRoute, RouteResult } from './route';

const KEEP_MS = 24 * 3600_000;
/** A first request that has not finished after this long is taken to have died with its process. */
const ABANDONED_MS = 2 * 60_000;

/** JSON with object keys sorted, so the same body always hashes the same. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function idempotencyScope(req: Request, spec: Pick<AnyRoute, 'method'>): string {
  const p = req.principal;
  const who = !p ? `ip:${req.ip}` : p.kind === 'api_key' ? `key:${p.keyId}` : `user:${p.userId}`;
  return `${who}|${spec.method.toUpperCase()} ${req.baseUrl}${req.path}`;
}

interface Stored {
  body?: unknown;
  headers?: Record<string, string>;
}

export async function withIdempotency(
  deps: ApiDeps,
  req: Request,
  spec: AnyRoute,
  key: string,
  run: () => Promise<RouteResult | undefined>,
): Promise<RouteResult | undefined> {
  const db = deps.db;
  const scope = idempotencyScope(req, spec);
  const requestHash = sha256Hex(stableJson(req.body ?? null));
  const where = { scope_key: { scope, key } };

  for (let attempt = 0; ; attempt++) {
    const { count } = await db.idempotencyRecord.createMany({ data: [{ scope, key, requestHash }], skipDuplicates: true });
    if (count === 1) break;
    const existing = await db.idempotencyRecord.findUnique({ where });
    if (!existing) continue; // deleted in between (the first request failed): claim it now
    const age = Date.now() - existing.createdAt.getTime();
    if (age > KEEP_MS || (existing.statusCode === null && age > ABANDONED_MS)) {
      await db.idempotencyRecord.deleteMany({ where: { scope, key, createdAt: existing.createdAt } });
      if (attempt < 3) continue;
    }
    if (existing.requestHash !== requestHash) {
      throw new HttpError(422, 'Unprocessable', 'this Idempotency-Key was used with a different request; use a new key', {
        errors: [{ field: 'Idempotency-Key', message: 'was used with a different request' }],
      });
    }
    if (existing.statusCode === null) {
      const err = conflict('a request with this Idempotency-Key is still being handled; retry shortly');
      err.extra.retryAfterSeconds = 1;
      throw err;
    }
    const stored = (existing.response ?? {}) as Stored;
    return { status: existing.statusCode, body: stored.body, headers: { ...stored.headers, 'Idempotent-Replayed': 'true' } };
  }

  try {
    const result = await run();
    if (!result || result.status >= 500) {
      await db.idempotencyRecord.deleteMany({ where: { scope, key } });
      return result;
    }
    const response: Stored = {
      body: result.body === undefined ? undefined : JSON.parse(JSON.stringify(result.body, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))),
      headers: result.headers,
    };
    await db.idempotencyRecord.update({ where, data: { statusCode: result.status, response: response as Prisma.InputJsonValue, completedAt: new Date() } });
    if (Math.random() < 0.01) void db.idempotencyRecord.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - KEEP_MS) } } }).catch(() => undefined);
    return result;
  } catch (err) {
    await db.idempotencyRecord.deleteMany({ where: { scope, key } }).catch(() => undefined);
    throw err;
  }
}
