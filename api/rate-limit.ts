// Rate limits shared by every API process: counters live in Postgres (`rate_limit_counters`), one
// row per bucket and fixed window, bumped with a single upsert. The decision uses the sliding-window
// estimate (the previous window's count, weighted by how much of it still overlaps the last
// `windowSeconds`, plus the current count), which avoids the double burst at window edges.
// Refusals are 429 problems with Retry-After.
import type { Db } from '../lib/db';
import { HttpError } from './errors';

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

export interface RateLimits {
  /** Sign-in attempts per account (e-mail); successful ones are not counted. */
  loginPerAccount: RateRule;
  /** Sign-in attempts per client address. */
  loginPerIp: RateRule;
  /** Signups (and partner-created organizations) per client address. */
  signupPerIp: RateRule;
  /** Requests per API key. */
  apiKey: RateRule;
  /** Unauthenticated lookups per client address (subdomain checks, invitations). */
  publicPerIp: RateRule;
}

export const DEFAULT_LIMITS: RateLimits = {
  loginPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  loginPerIp: { limit: 100, windowSeconds: 15 * 60 },
  signupPerIp: { limit: 30, windowSeconds: 60 * 60 },
  apiKey: { limit: 1200, windowSeconds: 60 },
  publicPerIp: { limit: 300, windowSeconds: 60 },
};

/** `RATE_LIMIT_LOGIN_PER_ACCOUNT=10/900` style overrides (limit / window seconds). */
export function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<RateLimits> {
  const out: Partial<RateLimits> = {};
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof RateLimits)[]) {
    const v = env[`RATE_LIMIT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`];
    const m = v ? /^(\d+)\/(\d+)$/.exec(v.trim()) : null;
    if (m && Number(m[1]) > 0 && Number(m[2]) > 0) out[name] = { limit: Number(m[1]), windowSeconds: Number(m[2]) };
  }
  return out;
}

export interface RateDecision {
  allowed: boolean;
  /** The sliding-window estimate after this hit. */
  estimate: number;
  retryAfterSeconds: number;
}

/** Pure decision from the two window counts; exported for unit tests. */
export function decide(rule: RateRule, prev: number, cur: number, elapsedMs: number): RateDecision {
  const windowMs = rule.windowSeconds * 1000;
  const weight = Math.max(0, 1 - elapsedMs / windowMs);
  const estimate = prev * weight + cur;
  if (estimate <= rule.limit) return { allowed: true, estimate, retryAfterSeconds: 0 };
  let waitMs: number;
  if (cur >= rule.limit) {
    // Only the next window helps; there, this window's count decays from full weight until the
    // next hit fits: cur·(1 − t/W) + 1 ≤ limit.
    const t = windowMs * (1 - (rule.limit - 1) / cur);
    waitMs = windowMs - elapsedMs + Math.max(0, t);
  } else {
    // The previous window's share must decay until the next hit fits: prev·w + cur + 1 ≤ limit.
    const targetWeight = Math.max(0, rule.limit - cur - 1) / prev;
    waitMs = windowMs * (1 - targetWeight) - elapsedMs;
  }
  return { allowed: false, estimate, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

export class RateLimiter {
  constructor(
    private readonly db: Db,
    readonly limits: RateLimits,
  ) {}

  /** Counts `cost` hits on `bucket` and says whether the caller is still within `rule`. */
  async hit(bucket: string, rule: RateRule, cost = 1): Promise<RateDecision> {
    const windowMs = rule.windowSeconds * 1000;
    const now = Date.now();
    const start = Math.floor(now / windowMs) * windowMs;
    const [row] = await this.db.$queryRaw<{ cur: number; prev: number | null }[]>`
      WITH cur AS (
        INSERT INTO rate_limit_counters (bucket, window_start, hits) VALUES (${bucket}, ${new Date(start)}, ${cost})
        ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + EXCLUDED.hits
        RETURNING hits)
      SELECT (SELECT hits FROM cur) AS cur,
             (SELECT hits FROM rate_limit_counters WHERE bucket = ${bucket} AND window_start = ${new Date(start - windowMs)}) AS prev`;
    if (Math.random() < 0.005) void this.prune();
    return decide(rule, row.prev ?? 0, row.cur, now - start);
  }

  /** Like `hit`, but throws a 429 problem when over the limit. */
  async enforce(bucket: string, rule: RateRule, what: string): Promise<void> {
    const d = await this.hit(bucket, rule);
    if (!d.allowed) throw tooManyRequests(what, d.retryAfterSeconds);
  }

  /** Takes back hits (e.g. a successful sign-in does not count against the account). */
  async refund(bucket: string, rule: RateRule, cost = 1): Promise<void> {
    const windowMs = rule.windowSeconds * 1000;
    const start = new Date(Math.floor(Date.now() / windowMs) * windowMs);
    await this.db.$executeRaw`UPDATE rate_limit_counters SET hits = greatest(hits - ${cost}, 0) WHERE bucket = ${bucket} AND window_start = ${start}`;
  }

  private async prune() {
    await this.db.$executeRaw`DELETE FROM rate_limit_counters WHERE window_start < now() - interval '2 days'`.catch(() => undefined);
  }
}

export function tooManyRequests(what: string, retryAfterSeconds: number) {
  return new HttpError(429, 'Too many requests', `too many ${what}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}
