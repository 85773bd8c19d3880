/**
 * Tenant lifecycle: one workflow per organization, id `tenant-<subdomain>`, for the organization's
 * whole life (continue-as-new keeps each run's history bounded).
 *
 * Flow (signup): create tenant (pending) → create owner + membership → shared app database (schema +
 *   group role) → grant trial credits → active.
 * Flow (life):   every billing window (default 15 min, charged one minute after it closes so late
 *   phase writes have landed): debit the window's usage; raise budget notices at 75/90/100 %; at zero
 *   balance stop running instances (data kept) and suspend; a credit grant (update `grantCredits`)
 *   resumes and starts them again. `trialEnded` (from the trial-expiry schedule) expires unused trial
 *   credits and, without a paid plan, suspends. A suspension for credits or trial starts a grace
 *   period; when it passes, the organization's instances are destroyed. Operators: `suspend`,
 *   `resume`, `changePlan`, `close` (destroys every instance, drops the shared database, completes).
 *
 * Compensation (signup only): `discardTenant` frees the subdomain and removes the owner account this
 *   signup created (or closes the tenant if it already holds ledger entries), non-cancellable, then
 *   the workflow fails with the reason.
 *
 * Idempotency: ids come from the API in the input; ledger keys `trial-grant:<tenant>`,
 *   `usage:<tenant>:<window start>`, `trial-expiry:<tenant>` and the caller's key for grants make
 *   every credit movement happen once; the workflow id derives from the subdomain, so a double submit
 *   never starts two signups.
 *
 * Search attributes: TenantId, LifecyclePhase (= tenant status).
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NewOwner } from '../activities/platform/tenants';
import { nonRetryableErrorTypes } from './errors';
import { destroyInstanceSignal, resumeInstanceSignal, suspendInstanceSignal, type Actor } from './instance';
import { LifecyclePhaseKey, TenantIdKey } from './search-attributes';

export type TenantStatus = 'pending' | 'active' | 'suspended' | 'closed';
export type SuspendReason = 'credits' | 'trial' | 'operator';

export interface BillingSettings {
  windowMinutes: number;
  /** Wait after a window closes before charging it, so phase changes near its end are recorded. */
  settleSeconds: number;
  graceDays: number;
}

export const DEFAULT_BILLING: BillingSettings = { windowMinutes: 15, settleSeconds: 60, graceDays: 14 };

export interface TenantWorkflowInput {
  tenantId: string;
  slug: string;
  name: string;
  planCode: string;
  partnerId?: string | null;
  owner: NewOwner;
  billing?: Partial<BillingSettings>;
  /** Carried over continue-as-new; absent on the first run (signup). */
  resume?: TenantState;
}

export interface TenantState {
  tenantId: string;
  slug: string;
  status: TenantStatus;
  /** What signup is doing right now, for the "preparing your workspace" page. */
  step: string;
  progress: number;
  failure?: string;
  planCode: string;
  suspendedFor: SuspendReason | null;
  graceUntil: string | null;
  /** Everything before this instant has been charged. */
  billedUntil: string | null;
  balanceMicro: string | null;
  burnRateMicroPerHour: string | null;
  trialEnded: boolean;
}

export interface CreditGrant {
  amountMicro: string;
  idempotencyKey: string;
  description: string;
  reason?: 'top_up' | 'adjustment';
  actor?: Actor;
}

export const tenantStateQuery = defineQuery<TenantState>('tenantState');
export const grantCreditsUpdate = defineUpdate<TenantState, [CreditGrant]>('grantCredits');
export const suspendTenantUpdate = defineUpdate<TenantState, [{ reason: string; actor?: Actor }]>('suspend');
export const resumeTenantUpdate = defineUpdate<TenantState, [{ actor?: Actor }]>('resume');
export const changePlanUpdate = defineUpdate<TenantState, [{ planCode: string; actor?: Actor }]>('changePlan');
export const closeTenantUpdate = defineUpdate<TenantState, [{ actor?: Actor }]>('close');
export const trialEndedSignal = defineSignal('trialEnded');

export const tenantWorkflowId = (slug: string) => `tenant-${slug}`;

const platform = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes },
});
// The shared app database lives on the tenant Postgres; creating it may wait for that server.
const appDatabases = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes },
});

export async function tenantWorkflow(input: TenantWorkflowInput): Promise<TenantState> {
  const billing: BillingSettings = { ...DEFAULT_BILLING, ...input.billing };
  const state: TenantState = input.resume ?? {
    tenantId: input.tenantId,
    slug: input.slug,
    status: 'pending',
    step: 'starting',
    progress: 0,
    planCode: input.planCode,
    suspendedFor: null,
    graceUntil: null,
    billedUntil: null,
    balanceMicro: null,
    burnRateMicroPerHour: null,
    trialEnded: false,
  };
  setHandler(tenantStateQuery, () => state);
  upsertSearchAttributes([
    { key: TenantIdKey, value: input.tenantId },
    { key: LifecyclePhaseKey, value: state.status },
  ]);
  const setStatus = (status: TenantStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: LifecyclePhaseKey, value: status }]);
  };
  const step = (name: string, progress: number) => {
    state.step = name;
    state.progress = progress;
  };

  // ---- signup ------------------------------------------------------------------------------------
  if (!input.resume) {
    try {
      step('creating organization', 10);
      await platform.createTenant({
        tenantId: input.tenantId,
        slug: input.slug,
        name: input.name,
        planCode: input.planCode,
        partnerId: input.partnerId,
        workflowId: workflowInfo().workflowId,
      });
      step('creating owner account', 30);
      await platform.createOwner(input.tenantId, input.owner);
      step('creating the organization database', 50);
      await appDatabases.ensureTenantDatabase(input.tenantId);
      step('granting trial credits', 75);
      const grant = await platform.grantTrialCredits(input.tenantId);
      state.balanceMicro = grant.amountMicro;
      step('activating', 90);
      await platform.setTenantStatus(input.tenantId, 'active');
    } catch (err) {
      const reason = ((err as Error).cause as Error | undefined)?.message || (err as Error).message;
      state.failure = reason;
      step('signup failed', state.progress);
      await CancellationScope.nonCancellable(async () => {
        await appDatabases.dropTenantDatabase(input.tenantId);
        await platform.discardTenant(input.tenantId, input.owner.userId, `signup failed: ${reason}`);
        await platform.recordAudit({ action: 'tenant.signup', targetType: 'tenant', targetId: input.tenantId, result: 'failure', details: { slug: input.slug, reason } });
      });
      setStatus('closed');
      throw ApplicationFailure.create({ type: 'SignupFailed', message: `signup of "${input.slug}" failed: ${reason}`, nonRetryable: true });
    }
    setStatus('active');
    step('active', 100);
    state.billedUntil = new Date(alignDown(Date.now(), billing.windowMinutes)).toISOString();
    await platform.recordAudit({ tenantId: input.tenantId, action: 'tenant.activated', targetType: 'tenant', targetId: input.tenantId, details: { slug: input.slug, plan: input.planCode } });
  }

  // ---- life ------------------------------------------------------------------------------------
  let trialEndedPending = false;
  let closing: Actor | undefined | null = null;
  let busy = false;

  /** Serializes everything that changes status, so updates, signals and ticks never interleave. */
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  }

  async function signalInstances(which: 'running' | 'stoppedBySuspension' | 'all', signal: 'suspend' | 'resume' | 'destroy') {
    const instances =
      which === 'running'
        ? await platform.listTenantInstances(state.tenantId, { phases: ['running', 'starting'] })
        : which === 'stoppedBySuspension'
          ? await platform.listTenantInstances(state.tenantId, { stoppedByBilling: true })
          : await platform.listTenantInstances(state.tenantId);
    for (const i of instances) {
      try {
        const handle = getExternalWorkflowHandle(i.workflowId);
        if (signal === 'destroy') await handle.signal(destroyInstanceSignal, { type: 'system', id: `tenant ${signal === 'destroy' && closing !== null ? 'closed' : 'grace period ended'}` });
        else await handle.signal(signal === 'suspend' ? suspendInstanceSignal : resumeInstanceSignal);
      } catch {
        // The instance workflow already ended (failed or destroyed): nothing to stop there.
      }
    }
    if (signal !== 'destroy') await platform.setStoppedByBilling(instances.map((i) => i.instanceId), signal === 'suspend');
    return instances.length;
  }

  async function suspend(reason: SuspendReason, message: string) {
    if (state.status === 'suspended' && state.suspendedFor === reason) {
      await signalInstances('running', 'suspend'); // instances that finished provisioning since
      return;
    }
    const graceUntil = reason === 'operator' ? null : new Date(Date.now() + billing.graceDays * 86_400_000).toISOString();
    state.suspendedFor = reason;
    state.graceUntil = graceUntil;
    setStatus('suspended');
    await platform.setTenantStatus(state.tenantId, 'suspended', message, graceUntil);
    const stopped = await signalInstances('running', 'suspend');
    await platform.raiseNotice({
      tenantId: state.tenantId,
      kind: 'suspended',
      level: 'error',
      message: graceUntil ? `${message} ${stopped} instance(s) stopped; their data is kept until ${graceUntil.slice(0, 10)}.` : `${message} ${stopped} instance(s) stopped.`,
      dedupeKey: `suspended:${state.tenantId}:${reason}:${workflowInfo().runId}:${Date.now()}`,
    });
  }

  async function resume(message: string) {
    if (state.status !== 'suspended') return;
    state.suspendedFor = null;
    state.graceUntil = null;
    setStatus('active');
    await platform.setTenantStatus(state.tenantId, 'active', null, null);
    await signalInstances('stoppedBySuspension', 'resume');
    await platform.raiseNotice({ tenantId: state.tenantId, kind: 'resumed', level: 'info', message, dedupeKey: `resumed:${state.tenantId}:${workflowInfo().runId}:${Date.now()}` });
  }

  async function refreshBalance(): Promise<bigint> {
    const { balanceMicro } = await platform.tenantBalance(state.tenantId);
    state.balanceMicro = balanceMicro;
    return BigInt(balanceMicro);
  }

  setHandler(
    grantCreditsUpdate,
    (grant) =>
      exclusive(async () => {
        await platform.recordLedgerEntry({ tenantId: state.tenantId, amountMicro: grant.amountMicro, reason: grant.reason ?? 'top_up', idempotencyKey: grant.idempotencyKey, description: grant.description });
        const balance = await refreshBalance();
        if (state.status === 'suspended' && state.suspendedFor === 'credits' && balance > 0n) await resume('Credits were added: the organization is active again and its instances are starting.');
        return state;
      }),
    {
      validator: (grant) => {
        if (state.status === 'closed' || closing !== null) throw new Error('the organization is closed');
        if (!/^-?\d{1,15}$/.test(grant.amountMicro) || BigInt(grant.amountMicro) === 0n) throw new Error('amountMicro must be a non-zero integer of at most 15 digits');
        if (!grant.idempotencyKey) throw new Error('idempotencyKey is required');
      },
    },
  );
  setHandler(
    suspendTenantUpdate,
    ({ reason }) =>
      exclusive(async () => {
        await suspend('operator', `Suspended by an operator: ${reason}.`);
        return state;
      }),
    { validator: (_req: { reason: string }) => { if (state.status !== 'active') throw new Error(`cannot suspend: the organization is ${state.status}`); } },
  );
  setHandler(
    resumeTenantUpdate,
    () =>
      exclusive(async () => {
        const balance = await refreshBalance();
        if (balance <= 0n) throw ApplicationFailure.nonRetryable('cannot resume: no credits left; add credits first', 'InsufficientCredits');
        if (state.suspendedFor === 'trial' && !(await platform.planIsPaid(state.planCode))) {
          throw ApplicationFailure.nonRetryable('cannot resume: the trial has ended; choose a paid plan first', 'ValidationError');
        }
        await resume('Resumed by an operator.');
        return state;
      }),
    { validator: (_req: { actor?: Actor }) => { if (state.status !== 'suspended') throw new Error(`cannot resume: the organization is ${state.status}`); } },
  );
  setHandler(
    changePlanUpdate,
    ({ planCode }) =>
      exclusive(async () => {
        await platform.setTenantPlan(state.tenantId, planCode);
        state.planCode = planCode;
        if (state.status === 'suspended' && state.suspendedFor === 'trial' && (await platform.planIsPaid(planCode)) && (await refreshBalance()) > 0n) {
          await resume(`Plan changed to ${planCode}: the organization is active again.`);
        }
        return state;
      }),
    { validator: ({ planCode }) => { if (state.status === 'closed' || closing !== null) throw new Error('the organization is closed'); if (!planCode) throw new Error('planCode is required'); } },
  );
  setHandler(
    closeTenantUpdate,
    ({ actor }) => {
      closing = actor;
      return Promise.resolve(state);
    },
    { validator: (_req: { actor?: Actor }) => { if (state.status === 'closed' || closing !== null) throw new Error('the organization is already closing'); } },
  );
  setHandler(trialEndedSignal, () => {
    trialEndedPending = true;
  });

  const windowMs = billing.windowMinutes * 60_000;
  const nextTickAt = () => new Date(state.billedUntil!).getTime() + windowMs + billing.settleSeconds * 1000;
  const graceOver = () => state.status === 'suspended' && state.graceUntil !== null && Date.now() >= new Date(state.graceUntil).getTime();
  const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 2000;

  state.billedUntil ??= new Date(alignDown(Date.now(), billing.windowMinutes)).toISOString();
  for (;;) {
    const wait = Math.max(1, Math.min(nextTickAt(), state.graceUntil ? new Date(state.graceUntil).getTime() : Infinity) - Date.now());
    await condition(() => closing !== null || trialEndedPending || shouldContinueAsNew(), wait);
    if (closing !== null) break;

    if (trialEndedPending) {
      trialEndedPending = false;
      await exclusive(async () => {
        if (state.trialEnded) return;
        const { expiredMicro } = await platform.expireTrialCredits(state.tenantId);
        state.trialEnded = true;
        await platform.raiseNotice({ tenantId: state.tenantId, kind: 'trial-ended', level: 'warn', message: `Your trial has ended; ${Number(BigInt(expiredMicro) / 10_000n) / 100} unused trial credits expired.`, dedupeKey: `trial-ended:${state.tenantId}` });
        await refreshBalance();
        if (!(await platform.planIsPaid(state.planCode))) await suspend('trial', 'The trial has ended. Choose a paid plan to continue.');
      });
    }

    // Charge every window that has closed (several after a worker outage), oldest first.
    while (Date.now() >= nextTickAt()) {
      const start: Date = new Date(state.billedUntil!);
      const end: Date = new Date(start.getTime() + windowMs);
      const bill = await platform.billTenantWindow(state.tenantId, start.toISOString(), end.toISOString());
      state.billedUntil = end.toISOString();
      state.balanceMicro = bill.balanceMicro;
      state.burnRateMicroPerHour = bill.burnRateMicroPerHour;
      // Out of credits while something is metered: stop it. (A zero balance with nothing running,
      // e.g. right after unused trial credits expired, suspends nothing.)
      const metered = BigInt(bill.debitedMicro) > 0n || BigInt(bill.burnRateMicroPerHour) > 0n;
      if (BigInt(bill.balanceMicro) <= 0n && metered && (state.status === 'active' || state.suspendedFor === 'credits')) {
        await exclusive(() => suspend('credits', 'All credits are used: running instances were stopped and the organization is suspended.'));
      }
    }

    if (graceOver()) {
      await exclusive(async () => {
        const destroyed = await signalInstances('all', 'destroy');
        await platform.raiseNotice({ tenantId: state.tenantId, kind: 'grace-ended', level: 'error', message: `The grace period ended: ${destroyed} instance(s) were destroyed.`, dedupeKey: `grace-ended:${state.tenantId}:${state.graceUntil}` });
        state.graceUntil = null;
        await platform.setTenantStatus(state.tenantId, 'suspended', 'grace period ended; instances destroyed', null);
      });
    }

    if (shouldContinueAsNew()) {
      await condition(() => allHandlersFinished() && !busy);
      await continueAsNew<typeof tenantWorkflow>({ ...input, resume: state });
    }
  }

  // ---- close -----------------------------------------------------------------------------------
  await CancellationScope.nonCancellable(async () => {
    await exclusive(async () => {
      setStatus('closed');
      await platform.setTenantStatus(state.tenantId, 'closed', 'closed', null);
      await signalInstances('all', 'destroy');
      // Wait for every instance to be gone before the organization's database goes.
      for (;;) {
        const left = await platform.listTenantInstances(state.tenantId);
        if (left.length === 0) break;
        await condition(() => false, '10 seconds');
      }
      await appDatabases.dropTenantDatabase(state.tenantId);
      await platform.recordAudit({ actorType: closing?.type ?? 'system', actorId: closing?.id, tenantId: state.tenantId, action: 'tenant.closed', targetType: 'tenant', targetId: state.tenantId });
    });
  });
  return state;
}

/** The start of the billing window containing `ms`. */
export function alignDown(ms: number, windowMinutes: number): number {
  const w = windowMinutes * 60_000;
  return Math.floor(ms / w) * w;
}
