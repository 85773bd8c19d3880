// Billing: charge a tenant for one window of usage, exactly once. (Postgres sums bigints into numeric;
// every sum here is cast back to bigint so JavaScript gets a BigInt, never a Decimal.) The debit's ledger key is
// `usage:<tenant>:<window start>`, so a retried activity, a crashed worker or a replayed workflow
// inserts nothing the second time. Amounts are computed with BigInt from integer per-minute prices
// and millisecond overlaps, floored once per instance and window: the same inputs always give the
// same micro-credits.
import { budgetPercent, crossedThresholds, monthlyUsageMicro, monthOf } from '../../lib/budget';
import { formatCredits } from '../../lib/credits';
import { burnPerMinute, microMillis, segmentsWithRates } from '../../lib/metering';
import type { PlatformDeps } from '../deps';
import { ErrorType, permanent } from '../failures';

export const BUDGET_THRESHOLDS = [75, 90, 100] as const;

export interface WindowBill {
  debitedMicro: string;
  balanceMicro: string;
  /** Sum of every credit ever added (grants, top-ups): the budget the thresholds refer to. */
  creditedMicro: string;
  burnRateMicroPerHour: string;
  /** Budget thresholds (percent used) crossed for the first time by this window. */
  newThresholds: number[];
  /** Thresholds of the organization's own monthly budget crossed for the first time by this window. */
  newMonthlyBudgetThresholds: number[];
  perInstance: Record<string, string>;
}

export function createBillingActivities({ db }: PlatformDeps) {
  async function balances(tenantId: string) {
    const [row] = await db.$queryRaw<{ balance: bigint | null; credited: bigint | null; usage: bigint | null }[]>`
      SELECT coalesce(sum(amount_micro), 0)::bigint AS balance,
             coalesce(sum(amount_micro) FILTER (WHERE amount_micro > 0), 0)::bigint AS credited,
             coalesce(-sum(amount_micro) FILTER (WHERE reason = 'usage'), 0)::bigint AS usage
      FROM credit_ledger WHERE tenant_id = ${tenantId}::uuid`;
    return { balance: row?.balance ?? 0n, credited: row?.credited ?? 0n, usage: row?.usage ?? 0n };
  }

  type Notice = { tenantId: string; kind: string; level: 'info' | 'warn' | 'error'; message: string; dedupeKey: string; data?: Record<string, unknown> };
  /** Raises a notice unless one with its dedupe key exists; true when this call raised it. */
  async function noticeOnce(n: Notice): Promise<boolean> {
    const { count } = await db.tenantNotice.createMany({
      data: [{ tenantId: n.tenantId, kind: n.kind, level: n.level, message: n.message, dedupeKey: n.dedupeKey, data: n.data as object | undefined }],
      skipDuplicates: true,
    });
    return count === 1;
  }

  /**
   * The organization's own monthly budget: a notice per threshold crossed, once per month, threshold
   * and budget amount (changing the budget re-arms them). Measured on charged usage of the month of
   * the window, as the API shows it.
   */
  async function monthlyBudgetNotices(tenantId: string, windowStart: Date): Promise<number[]> {
    const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { monthlyBudgetMicro: true } });
    const budget = tenant?.monthlyBudgetMicro;
    if (!budget || budget <= 0n) return [];
    const month = monthOf(windowStart);
    const used = await monthlyUsageMicro(db, tenantId, month);
    const raised: number[] = [];
    for (const threshold of crossedThresholds(budgetPercent(used, budget))) {
      const raisedNow = await noticeOnce({
        tenantId,
        kind: 'monthly_budget',
        level: threshold >= 100 ? 'error' : 'warn',
        message:
          threshold >= 100
            ? `This month’s usage reached your monthly budget of ${formatCredits(budget)}. Instances keep running: stop some, or raise the budget.`
            : `${threshold} % of your monthly budget of ${formatCredits(budget)} is used.`,
        data: { threshold, month: month.key, usedMicro: used.toString(), budgetMicro: budget.toString() },
        dedupeKey: `monthly-budget:${tenantId}:${month.key}:${threshold}:${budget}`,
      });
      if (raisedNow) raised.push(threshold);
    }
    return raised;
  }

  return {
    async billTenantWindow(tenantId: string, windowStartIso: string, windowEndIso: string): Promise<WindowBill> {
      const start = new Date(windowStartIso);
      const end = new Date(windowEndIso);
      if (!(start < end)) throw permanent(ErrorType.Validation, `empty billing window ${windowStartIso}..${windowEndIso}`);
      const segments = await segmentsWithRates(db, tenantId, start, end);
      const byInstance = new Map<string, bigint>();
      for (const seg of segments) {
        byInstance.set(seg.instance_id, (byInstance.get(seg.instance_id) ?? 0n) + microMillis(seg, start.getTime(), end.getTime()));
      }
      const perInstance: Record<string, string> = {};
      let total = 0n;
      for (const [id, microMs] of byInstance) {
        const micro = microMs / 60_000n; // per-minute price × ms / 60 000, floored
        if (micro > 0n) {
          perInstance[id] = micro.toString();
          total += micro;
        }
      }
      if (total > 0n) {
        await db.creditLedgerEntry.createMany({
          data: [
            {
              tenantId,
              amountMicro: -total,
              reason: 'usage',
              idempotencyKey: `usage:${tenantId}:${start.toISOString()}`,
              windowStart: start,
              windowEnd: end,
              description: `Usage ${start.toISOString()} – ${end.toISOString()}`,
              details: { perInstance },
            },
          ],
          skipDuplicates: true,
        });
      }
      const { balance, credited, usage } = await balances(tenantId);

      // Thresholds measure usage against everything credited (expired trial credits are not usage);
      // they re-arm whenever credits are added (the key includes the credited total).
      const newThresholds: number[] = [];
      if (credited > 0n) {
        const usedPct = Number((usage * 100n) / credited);
        for (const threshold of BUDGET_THRESHOLDS) {
          if (usedPct < threshold) continue;
          const raisedNow = await noticeOnce({
            tenantId,
            kind: 'budget',
            level: threshold >= 100 ? 'error' : 'warn',
            message: threshold >= 100 ? 'All credits are used: running instances are being stopped (data is kept). Top up to continue.' : `${threshold} % of your credits are used.`,
            data: { threshold, balanceMicro: balance.toString(), creditedMicro: credited.toString() },
            dedupeKey: `budget:${tenantId}:${threshold}:${credited}`,
          });
          if (raisedNow) newThresholds.push(threshold);
        }
      }

      const newMonthlyBudgetThresholds = await monthlyBudgetNotices(tenantId, start);
      const burn = await burnPerMinute(db, tenantId);
      return {
        debitedMicro: total.toString(),
        balanceMicro: balance.toString(),
        creditedMicro: credited.toString(),
        burnRateMicroPerHour: (burn * 60n).toString(),
        newThresholds,
        newMonthlyBudgetThresholds,
        perInstance,
      };
    },

    async tenantBalance(tenantId: string): Promise<{ balanceMicro: string }> {
      return { balanceMicro: (await balances(tenantId)).balance.toString() };
    },

    /**
     * Trial credits are spent first; what is left of them when the trial ends expires (one ledger
     * entry, possibly of zero, which also marks the trial as processed).
     */
    async expireTrialCredits(tenantId: string): Promise<{ expiredMicro: string }> {
      const grant = await db.creditLedgerEntry.findUnique({ where: { idempotencyKey: `trial-grant:${tenantId}` } });
      const { balance, usage } = await balances(tenantId);
      const trialLeft = (grant?.amountMicro ?? 0n) - usage;
      let expire = trialLeft < balance ? trialLeft : balance;
      if (expire < 0n) expire = 0n;
      await db.creditLedgerEntry.createMany({
        data: [
          {
            tenantId,
            amountMicro: -expire,
            reason: 'trial_expiry',
            idempotencyKey: `trial-expiry:${tenantId}`,
            description: 'Unused trial credits expired at the end of the trial',
          },
        ],
        skipDuplicates: true,
      });
      const entry = await db.creditLedgerEntry.findUniqueOrThrow({ where: { idempotencyKey: `trial-expiry:${tenantId}` } });
      return { expiredMicro: (-entry.amountMicro).toString() };
    },

    async raiseNotice(n: Notice): Promise<{ raised: boolean }> {
      return { raised: await noticeOnce(n) };
    },

    /** Tenants whose trial has ended and was not processed yet, for the trial-expiry schedule. */
    async listTrialsEnded(nowIso: string, limit = 500): Promise<{ tenantId: string; workflowId: string }[]> {
      const rows = await db.$queryRaw<{ id: string; workflow_id: string | null; slug: string }[]>`
        SELECT t.id, t.workflow_id, t.slug FROM tenants t
        WHERE t.trial_ends_at <= ${new Date(nowIso)} AND t.status IN ('active', 'suspended')
          AND NOT EXISTS (SELECT 1 FROM credit_ledger l WHERE l.idempotency_key = 'trial-expiry:' || t.id::text)
        ORDER BY t.trial_ends_at LIMIT ${limit}`;
      return rows.map((r) => ({ tenantId: r.id, workflowId: r.workflow_id ?? `tenant-${r.slug}` }));
    },
  };
}
