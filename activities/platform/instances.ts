// Instance records, their event log, admission (quotas and concurrency caps) and usage metering.
// The instance workflow is the only writer of an instance's phase; every write here is idempotent:
// events carry a dedupe key (instance id + the workflow's event sequence number) and usage segments
// are keyed by (instance, kind, start time), with times taken from the workflow clock.
import type { InstancePhase, Prisma } from '../../lib/db';
import type { InstanceTarget, InstanceEndpoint } from '../providers/contract';
import type { PlatformDeps } from '../deps';
import { ErrorType, permanent } from '../failures';

/** Phases that hold (or wait for) a provisioning slot. */
const PROVISIONING_PHASES: InstancePhase[] = ['pending', 'provisioning', 'configuring', 'installing'];
/** Phases of an instance that no longer exists (does not count against quotas). */
export const GONE_PHASES: InstancePhase[] = ['destroyed', 'failed', 'cancelled'];

export interface ProgressWrite {
  instanceId: string;
  tenantId: string;
  /** The workflow run and its event counter: together they make a retried write a no-op. */
  runId: string;
  seq: number;
  /** Workflow time (ISO), so metering follows the workflow clock, replays included. */
  at: string;
  message: string;
  level?: 'debug' | 'info' | 'warn' | 'error';
  phase?: InstancePhase;
  progress?: number;
  step?: string | null;
  pendingReason?: string | null;
  statusMessage?: string | null;
  endpoint?: InstanceEndpoint | null;
  healthy?: boolean | null;
  data?: Record<string, unknown>;
}

export type Admission =
  | { admitted: true }
  | { admitted: false; kind: 'quota' | 'queue' | 'capacity' | 'suspended'; reason: string };

export interface ProviderCaps {
  /** Provisions at once per provider across all tenants, so one tenant cannot starve a shared host. */
  maxConcurrentProvisions: Partial<Record<InstanceTarget['provider'], number>>;
}

export function createInstanceActivities({ db }: PlatformDeps, caps: ProviderCaps = { maxConcurrentProvisions: {} }) {
  return {
    /** Creates the instance row (phase pending) if it does not exist yet. */
    async createInstanceRecord(t: InstanceTarget, meta: { workflowId: string; siteId?: string | null; createdById?: string | null }): Promise<void> {
      const existing = await db.instance.findUnique({ where: { id: t.instanceId } });
      if (existing) return;
      const clash = await db.instance.findFirst({
        where: { tenantId: t.tenantId, name: t.name, phase: { notIn: GONE_PHASES } },
        select: { id: true },
      });
      if (clash) throw permanent(ErrorType.Conflict, `an instance named "${t.name}" already exists in this organization`);
      await db.instance.create({
        data: {
          id: t.instanceId,
          tenantId: t.tenantId,
          siteId: meta.siteId ?? null,
          name: t.name,
          provider: t.provider,
          template: t.spec.template,
          size: t.spec.size,
          region: t.spec.region,
          spec: t.spec as unknown as Prisma.InputJsonValue,
          credentialId: t.credentialId ?? null,
          phase: 'pending',
          workflowId: meta.workflowId,
          createdById: meta.createdById ?? null,
        },
      });
    },

    /**
     * Takes a provisioning slot if quotas and concurrency caps allow. Runs under a lock on the tenant
     * row, so two instances of one tenant never both take its last slot.
     */
    async admitInstance(t: InstanceTarget): Promise<Admission> {
      return db.$transaction(async (tx) => {
        const [tenant] = await tx.$queryRaw<{ status: string; plan_code: string; max_instances: number | null; max_vcpu: number | null; max_memory_mb: number | null }[]>`
          SELECT status, plan_code, max_instances, max_vcpu, max_memory_mb FROM tenants WHERE id = ${t.tenantId}::uuid FOR UPDATE`;
        if (!tenant) throw permanent(ErrorType.NotFound, `tenant ${t.tenantId} not found`);
        const self = await tx.instance.findUnique({ where: { id: t.instanceId }, select: { admittedAt: true } });
        if (self?.admittedAt) return { admitted: true } as const;
        if (tenant.status !== 'active') {
          return { admitted: false, kind: 'suspended', reason: `the organization is ${tenant.status}; provisioning resumes when it is active again` } as const;
        }
        const [{ balance }] = await tx.$queryRaw<{ balance: bigint | null }[]>`SELECT coalesce(sum(amount_micro), 0)::bigint AS balance FROM credit_ledger WHERE tenant_id = ${t.tenantId}::uuid`;
        if ((balance ?? 0n) <= 0n) throw permanent(ErrorType.InsufficientCredits, 'no credits left: top up to create instances');

        const plan = await tx.plan.findUniqueOrThrow({ where: { code: tenant.plan_code } });
        const others = await tx.instance.findMany({
          where: { tenantId: t.tenantId, phase: { notIn: GONE_PHASES }, NOT: { id: t.instanceId } },
          select: { spec: true, phase: true, admittedAt: true, provider: true },
        });
        const maxInstances = tenant.max_instances ?? plan.maxInstances;
        const maxVcpu = tenant.max_vcpu ?? plan.maxVcpu;
        const maxMemoryMb = tenant.max_memory_mb ?? plan.maxMemoryMb;
        const usedVcpu = others.reduce((n, o) => n + Number((o.spec as { vcpu?: number }).vcpu ?? 0), 0);
        const usedMemory = others.reduce((n, o) => n + Number((o.spec as { memoryMb?: number }).memoryMb ?? 0), 0);
        if (others.length + 1 > maxInstances) {
          return { admitted: false, kind: 'quota', reason: `quota: ${others.length} of ${maxInstances} instances in use; destroy one or upgrade the plan` } as const;
        }
        if (usedVcpu + t.spec.vcpu > maxVcpu) {
          return { admitted: false, kind: 'quota', reason: `quota: needs ${t.spec.vcpu} vCPU, ${maxVcpu - usedVcpu} of ${maxVcpu} free` } as const;
        }
        if (usedMemory + t.spec.memoryMb > maxMemoryMb) {
          return { admitted: false, kind: 'quota', reason: `quota: needs ${t.spec.memoryMb} MB memory, ${maxMemoryMb - usedMemory} of ${maxMemoryMb} MB free` } as const;
        }
        const provisioningNow = others.filter((o) => o.admittedAt && PROVISIONING_PHASES.includes(o.phase)).length;
        if (provisioningNow >= plan.maxConcurrentProvisions) {
          return {
            admitted: false,
            kind: 'queue',
            reason: `queued: ${provisioningNow} provision(s) of your organization are running (your plan allows ${plan.maxConcurrentProvisions} at once)`,
          } as const;
        }
        const providerCap = caps.maxConcurrentProvisions[t.provider];
        if (providerCap !== undefined) {
          // Serialize admissions per provider across tenants (transaction-scoped advisory lock).
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`admit:${t.provider}`}))`;
          const busy = await tx.instance.count({ where: { provider: t.provider, admittedAt: { not: null }, phase: { in: PROVISIONING_PHASES }, NOT: { id: t.instanceId } } });
          if (busy >= providerCap) {
            return { admitted: false, kind: 'capacity', reason: `waiting for capacity: ${busy} ${t.provider} provisions are running platform-wide` } as const;
          }
        }
        await tx.instance.update({ where: { id: t.instanceId }, data: { admittedAt: new Date() } });
        return { admitted: true } as const;
      });
    },

    /** Writes a phase/progress change and its event, and keeps usage metering in step with the phase. */
    async recordInstanceProgress(w: ProgressWrite): Promise<void> {
      const at = new Date(w.at);
      await db.$transaction(async (tx) => {
        const inserted = await tx.instanceEvent.createMany({
          data: [
            {
              instanceId: w.instanceId,
              tenantId: w.tenantId,
              at,
              level: w.level ?? 'info',
              phase: w.phase ?? null,
              progress: w.progress ?? null,
              step: w.step ?? null,
              message: w.message,
              data: w.data as Prisma.InputJsonValue | undefined,
              dedupeKey: `${w.instanceId}:${w.runId}:${w.seq}`,
            },
          ],
          skipDuplicates: true,
        });
        if (inserted.count === 0) return; // a retry of a write that already happened
        const data: Prisma.InstanceUpdateInput = {};
        if (w.phase !== undefined) data.phase = w.phase;
        if (w.progress !== undefined) data.progress = w.progress;
        if (w.step !== undefined) data.currentStep = w.step;
        if (w.pendingReason !== undefined) data.pendingReason = w.pendingReason;
        if (w.statusMessage !== undefined) data.statusMessage = w.statusMessage;
        if (w.endpoint !== undefined) data.endpoint = w.endpoint === null ? undefined : (w.endpoint as Prisma.InputJsonValue);
        if (w.healthy !== undefined) data.healthy = w.healthy;
        if (w.phase === 'running') data.runningSince = at;
        if (w.phase === 'destroyed') data.destroyedAt = at;
        if (Object.keys(data).length) await tx.instance.update({ where: { id: w.instanceId }, data });
        if (w.phase) await meter(tx, w.instanceId, w.phase, at);
      });
    },

    /** An event that is not a phase change (command output, notices); deduplicated by its key. */
    async appendInstanceEvent(e: { instanceId: string; tenantId: string; dedupeKey: string; at: string; message: string; level?: 'debug' | 'info' | 'warn' | 'error'; data?: Record<string, unknown> }): Promise<void> {
      await db.instanceEvent.createMany({
        data: [{ instanceId: e.instanceId, tenantId: e.tenantId, at: new Date(e.at), level: e.level ?? 'info', message: e.message, data: e.data as Prisma.InputJsonValue | undefined, dedupeKey: e.dedupeKey }],
        skipDuplicates: true,
      });
    },

    async setStoppedByBilling(instanceIds: string[], stopped: boolean): Promise<void> {
      await db.instance.updateMany({ where: { id: { in: instanceIds } }, data: { stoppedByBilling: stopped } });
    },

    async listTenantInstances(tenantId: string, filter: { phases?: InstancePhase[]; stoppedByBilling?: boolean } = {}): Promise<{ instanceId: string; workflowId: string; phase: InstancePhase }[]> {
      const rows = await db.instance.findMany({
        where: {
          tenantId,
          phase: filter.phases ? { in: filter.phases } : { notIn: GONE_PHASES },
          ...(filter.stoppedByBilling === undefined ? {} : { stoppedByBilling: filter.stoppedByBilling }),
        },
        select: { id: true, workflowId: true, phase: true },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map((r) => ({ instanceId: r.id, workflowId: r.workflowId, phase: r.phase }));
    },

    async readInstancePhase(instanceId: string): Promise<InstancePhase | null> {
      const row = await db.instance.findUnique({ where: { id: instanceId }, select: { phase: true } });
      return row?.phase ?? null;
    },
  };
}

/**
 * Usage metering follows the phase: running is billed at the running rate, stopped at the
 * allocated rate, anything that no longer holds resources not at all. Transitional phases
 * (starting, stopping) keep the current segment open.
 */
async function meter(tx: Prisma.TransactionClient, instanceId: string, phase: InstancePhase, at: Date) {
  const next = phase === 'running' ? 'running' : phase === 'stopped' ? 'allocated' : null;
  const closes = next !== null || ['destroying', 'destroyed', 'failed', 'cancelled'].includes(phase);
  if (!closes) return;
  await tx.usageSegment.updateMany({ where: { instanceId, endedAt: null, startedAt: { lte: at } }, data: { endedAt: at } });
  if (next) {
    const inst = await tx.instance.findUniqueOrThrow({ where: { id: instanceId }, select: { tenantId: true, provider: true, size: true } });
    await tx.usageSegment.createMany({
      data: [{ tenantId: inst.tenantId, instanceId, provider: inst.provider, size: inst.size, kind: next, startedAt: at }],
      skipDuplicates: true,
    });
  }
}
