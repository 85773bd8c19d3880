// The credit ledger. Each entry carries an idempotency key that is unique in the database, so an
// activity that retries, a worker that crashes after the insert, or a replayed workflow never grants
// or charges twice: the second insert is a no-op.
import type { LedgerReason } from '../../lib/db';
import type { PlatformDeps } from '../deps';
import { ErrorType, permanent } from '../failures';

export interface LedgerWrite {
  tenantId: string;
  /** Signed micro-credits, as a decimal string (history payloads are JSON; BigInt is not). */
  amountMicro: string;
  reason: LedgerReason;
  idempotencyKey: string;
  description: string;
  instanceId?: string;
  windowStart?: string;
  windowEnd?: string;
  details?: Record<string, unknown>;
}

export function createLedgerActivities({ db }: PlatformDeps) {
  async function recordLedgerEntry(entry: LedgerWrite): Promise<{ inserted: boolean }> {
    const { count } = await db.creditLedgerEntry.createMany({
      data: [
        {
          tenantId: entry.tenantId,
          amountMicro: BigInt(entry.amountMicro),
          reason: entry.reason,
          idempotencyKey: entry.idempotencyKey,
          description: entry.description,
          instanceId: entry.instanceId ?? null,
          windowStart: entry.windowStart ? new Date(entry.windowStart) : null,
          windowEnd: entry.windowEnd ? new Date(entry.windowEnd) : null,
          details: entry.details as object | undefined,
        },
      ],
      skipDuplicates: true,
    });
    return { inserted: count === 1 };
  }

  return {
    recordLedgerEntry,

    async grantTrialCredits(tenantId: string): Promise<{ inserted: boolean; amountMicro: string }> {
      const tenant = await db.tenant.findUnique({ where: { id: tenantId }, include: { plan: true } });
      if (!tenant) throw permanent(ErrorType.NotFound, `tenant ${tenantId} not found`);
      const amountMicro = tenant.plan.trialCreditsMicro.toString();
      const res = await recordLedgerEntry({
        tenantId,
        amountMicro,
        reason: 'trial_grant',
        idempotencyKey: `trial-grant:${tenantId}`,
        description: `Trial credits of the ${tenant.plan.name} plan`,
      });
      return { ...res, amountMicro };
    },
  };
}
