// Metering, shared by the billing activity (which charges) and the API (which shows usage and burn):
// usage segments joined with the tenant's plan prices, and the one rule that turns them into money —
// overlap in milliseconds × per-minute price, divided by 60 000 (floored by the caller, once per
// instance and window for charges). Queries accept the Prisma client or a transaction of it.

export interface MeteredSegment {
  instance_id: string;
  kind: 'running' | 'allocated';
  started_at: Date;
  ended_at: Date | null;
  per_minute_micro: bigint;
  allocated_per_minute_micro: bigint;
}

interface RawQuery {
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): Promise<T>;
}

export const rateOf = (s: Pick<MeteredSegment, 'kind' | 'per_minute_micro' | 'allocated_per_minute_micro'>) =>
  s.kind === 'running' ? s.per_minute_micro : s.allocated_per_minute_micro;

/** Micro-credit·milliseconds of `s` within [from, to); an open segment counts up to `openUntil`. Divide by 60 000 for micro-credits. */
export function microMillis(s: MeteredSegment, from: number, to: number, openUntil: number = to): bigint {
  const a = Math.max(s.started_at.getTime(), from);
  const b = Math.min(s.ended_at?.getTime() ?? openUntil, to);
  return b > a ? BigInt(b - a) * rateOf(s) : 0n;
}

/** Segments of a tenant overlapping [from, to), with the rates of its current plan. */
export function segmentsWithRates(client: RawQuery, tenantId: string, from: Date, to: Date, instanceId?: string) {
  return client.$queryRaw<MeteredSegment[]>`
    SELECT s.instance_id, s.kind, s.started_at, s.ended_at, p.per_minute_micro, p.allocated_per_minute_micro
    FROM usage_segments s
    JOIN tenants t ON t.id = s.tenant_id
    JOIN prices p ON p.plan_code = t.plan_code AND p.provider = s.provider AND p.size = s.size
    WHERE s.tenant_id = ${tenantId}::uuid AND s.started_at < ${to} AND (s.ended_at IS NULL OR s.ended_at > ${from})
      AND (${instanceId ?? null}::uuid IS NULL OR s.instance_id = ${instanceId ?? null}::uuid)`;
}

/** What the tenant's open segments cost per minute right now. (Postgres sums bigints into numeric: cast back.) */
export async function burnPerMinute(client: RawQuery, tenantId: string): Promise<bigint> {
  const [row] = await client.$queryRaw<{ per_minute: bigint }[]>`
    SELECT coalesce(sum(CASE WHEN s.kind = 'running' THEN p.per_minute_micro ELSE p.allocated_per_minute_micro END), 0)::bigint AS per_minute
    FROM usage_segments s
    JOIN tenants t ON t.id = s.tenant_id
    JOIN prices p ON p.plan_code = t.plan_code AND p.provider = s.provider AND p.size = s.size
    WHERE s.tenant_id = ${tenantId}::uuid AND s.ended_at IS NULL`;
  return row?.per_minute ?? 0n;
}
