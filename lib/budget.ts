// The monthly budget an organization sets itself: how this calendar month's (UTC) charged usage
// compares with it. Shared by the billing activity (which raises the notices) and the API (which
// shows the same figures), so both always agree. A budget alerts; it stops nothing.

export const MONTHLY_BUDGET_THRESHOLDS = [50, 80, 100] as const;

interface RawQuery {
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): Promise<T>;
}

/** The first instant of `at`'s calendar month, and of the next one (UTC). */
export function monthOf(at: Date): { start: Date; end: Date; key: string } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { start, end, key: start.toISOString().slice(0, 7) };
}

/** Usage charged for billing windows that started in the month (micro-credits). */
export async function monthlyUsageMicro(client: RawQuery, tenantId: string, month: { start: Date; end: Date }): Promise<bigint> {
  const [row] = await client.$queryRaw<{ used: bigint | null }[]>`
    SELECT coalesce(-sum(amount_micro), 0)::bigint AS used FROM credit_ledger
    WHERE tenant_id = ${tenantId}::uuid AND reason = 'usage' AND window_start >= ${month.start} AND window_start < ${month.end}`;
  return row?.used ?? 0n;
}

/** Percent of a budget used, to two decimals (may exceed 100; 0 without a budget). */
export const budgetPercent = (usedMicro: bigint, budgetMicro: bigint) => (budgetMicro > 0n ? Number((usedMicro * 10_000n) / budgetMicro) / 100 : 0);

export const crossedThresholds = (percent: number) => MONTHLY_BUDGET_THRESHOLDS.filter((t) => percent >= t);
