// What an organization uses against its quotas (plan values or the organization's overrides), and
// its credit balance. Read under the tenant's row-level security. The instance workflow's admission
// step is the authority; the API checks first so a customer gets a clear 4xx at once instead of an
// instance that waits.
import type { InstancePhase } from '../lib/db';
import type { TenantTx } from './tenant-scope';

/** Phases of an instance that no longer holds anything (does not count against quotas). */
export const GONE_PHASES: InstancePhase[] = ['destroyed', 'failed', 'cancelled'];
export const PROVISIONING_PHASES: InstancePhase[] = ['pending', 'provisioning', 'configuring', 'installing'];
export const TERMINAL_PHASES: InstancePhase[] = GONE_PHASES;

export interface QuotaState {
  limits: { instances: number; vcpu: number; memoryMb: number; concurrentProvisions: number };
  used: { instances: number; vcpu: number; memoryMb: number };
}

export async function quotaState(tx: TenantTx, tenantId: string): Promise<QuotaState | undefined> {
  const t = await tx.tenant.findUnique({ where: { id: tenantId }, include: { plan: true } });
  if (!t) return undefined;
  const live = await tx.instance.findMany({ where: { tenantId, phase: { notIn: GONE_PHASES } }, select: { spec: true } });
  const spec = (s: unknown) => (s ?? {}) as { vcpu?: number; memoryMb?: number };
  return {
    limits: {
      instances: t.maxInstances ?? t.plan.maxInstances,
      vcpu: t.maxVcpu ?? t.plan.maxVcpu,
      memoryMb: t.maxMemoryMb ?? t.plan.maxMemoryMb,
      concurrentProvisions: t.plan.maxConcurrentProvisions,
    },
    used: {
      instances: live.length,
      vcpu: Math.round(live.reduce((n, i) => n + (spec(i.spec).vcpu ?? 0), 0) * 100) / 100,
      memoryMb: live.reduce((n, i) => n + (spec(i.spec).memoryMb ?? 0), 0),
    },
  };
}

export async function balanceMicro(tx: TenantTx, tenantId: string): Promise<bigint> {
  const [row] = await tx.$queryRaw<{ balance: bigint | null }[]>`SELECT coalesce(sum(amount_micro), 0)::bigint AS balance FROM credit_ledger WHERE tenant_id = ${tenantId}::uuid`;
  return row?.balance ?? 0n;
}
