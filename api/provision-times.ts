// How long a provision usually takes, per provider, so a customer watching one (and one about to
// order) reads "usually about 2 min" instead of guessing. Measured from the moment an instance got
// its provisioning slot (admitted_at; time spent queued is explained separately by its pending
// reason) to its first 'running' event, as the median of the provider's most recent provisions.
// Platform-wide figures, no tenant's data: every API process caches them for a minute.
import type { ProviderName } from '../lib/catalog';
import type { Db } from '../lib/db';

/** Recent provisions each median is taken over, and how many it needs before it says anything. */
export const PROVISION_TIME_SAMPLES = 50;
export const PROVISION_TIME_MIN_SAMPLES = 3;
const CACHE_MS = 60_000;

export type TypicalProvisionSeconds = Partial<Record<ProviderName, number>>;

export async function measureTypicalProvisionSeconds(db: Db): Promise<TypicalProvisionSeconds> {
  // The most recent admitted instances per provider first (in-progress, failed and cancelled ones
  // cannot have run), then each one's first 'running' event through the (instance_id, id) index.
  const rows = await db.$queryRaw<{ provider: ProviderName; median: number; samples: number }[]>`
    WITH recent AS (
      SELECT id, provider, admitted_at
      FROM (
        SELECT id, provider, admitted_at, row_number() OVER (PARTITION BY provider ORDER BY admitted_at DESC) AS n
        FROM instances
        WHERE admitted_at > now() - interval '30 days'
          AND phase NOT IN ('pending', 'provisioning', 'configuring', 'installing', 'failed', 'cancelled')
      ) ranked
      WHERE n <= ${PROVISION_TIME_SAMPLES}
    )
    SELECT recent.provider::text AS provider,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (r.at - recent.admitted_at)))::float8 AS median,
           count(*)::int AS samples
    FROM recent
    CROSS JOIN LATERAL (
      SELECT e.at FROM instance_events e WHERE e.instance_id = recent.id AND e.phase = 'running' ORDER BY e.id LIMIT 1
    ) r
    GROUP BY recent.provider`;
  const out: TypicalProvisionSeconds = {};
  for (const r of rows) if (r.samples >= PROVISION_TIME_MIN_SAMPLES) out[r.provider] = Math.max(1, Math.round(r.median));
  return out;
}

/** measureTypicalProvisionSeconds, remembered for a minute (one query per API process, not per page). */
export function typicalProvisionSecondsCache(db: Db, ttlMs = CACHE_MS) {
  let cached: { at: number; value: Promise<TypicalProvisionSeconds> } | undefined;
  return (): Promise<TypicalProvisionSeconds> => {
    if (!cached || Date.now() - cached.at > ttlMs) {
      const value = measureTypicalProvisionSeconds(db);
      cached = { at: Date.now(), value };
      // A failed measurement is not remembered: the next caller tries again.
      value.catch(() => (cached = undefined));
    }
    return cached.value;
  };
}
