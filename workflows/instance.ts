/**
 * Instance lifecycle: one workflow per instance, id `instance-<instanceId>`, from order to destroy.
 *
 * Flow:   record (pending)
 *         → admission: quotas, per-tenant and per-provider concurrency caps; waits while refused, saying why
 *         → prepare (provisioning; the provider may also say "wait": no host free, image being cached)
 *         → create (provisioning) → boot (configuring) → install (installing) → running
 *         ⇄ stopped via the updates start / stop / restart (validators reject an invalid transition
 *           before it enters history)
 *         → destroy (signal, any time): destroying → releaseCompute → releasePrepared → verifyGone → destroyed.
 *
 * Compensation: a provision that fails after retries, or is cancelled (API, Temporal UI, CLI), or is
 *         destroyed mid-way, releases in a non-cancellable scope and in reverse order everything whose
 *         step *started* (a step that timed out may still have created something): releaseCompute,
 *         releasePrepared, then verifyGone. It then ends failed (workflow Failed, with the reason),
 *         cancelled (workflow Cancelled) or destroyed.
 *
 * Idempotency: external names derive from the instance id, and providers record "create pending" in
 *         provider_refs before each create and adopt what exists on retry; every database write carries
 *         this run's id and event sequence number; the workflow id is the instance id, so a double submit
 *         never starts two lifecycles. A new run in mode `destroy` (after failed/cancelled) re-runs the
 *         releases, which are no-ops for what is already gone, and confirms nothing is left.
 *
 * Search attributes: TenantId, InstanceId, Provider, LifecyclePhase (kept current).
 */
import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
  allHandlersFinished,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { InstancePhase } from '../lib/db';
import type { ComputeProvider, InstanceEndpoint, InstanceTarget, StepOutcome } from '../activities/providers/contract';
import type { ProgressWrite } from '../activities/platform/instances';
import { nonRetryableErrorTypes } from './errors';
import { InstanceIdKey, LifecyclePhaseKey, ProviderKey, TenantIdKey } from './search-attributes';

export interface Actor {
  type: 'user' | 'api_key' | 'operator' | 'system';
  id?: string;
  /** How the instance's log names them to its customers (a person's name); the id is for the audit. */
  name?: string;
}

/** " (requested by Ann Owner)", " (requested by operator Olga)", " (requested by API key …)". */
export function requestedBy(a?: Actor): string {
  if (!a) return '';
  const who = a.type === 'user' ? (a.name ?? `user ${a.id ?? ''}`.trim()) : a.type === 'operator' ? `operator ${a.name ?? a.id ?? ''}`.trim() : a.type === 'api_key' ? `API key ${a.id ?? ''}`.trim() : 'the platform';
  return ` (requested by ${who})`;
}

export interface InstanceWorkflowInput {
  target: InstanceTarget;
  /** provision (default); destroy: release whatever may remain of a failed/cancelled instance. */
  mode?: 'provision' | 'destroy';
  requestedBy?: Actor;
  siteId?: string | null;
  /** Carried over continue-as-new. */
  resume?: { state: InstanceState; seq: number };
}

export interface InstanceEvent {
  at: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  phase?: InstancePhase;
  progress?: number;
}

export interface InstanceState {
  instanceId: string;
  tenantId: string;
  provider: InstanceTarget['provider'];
  phase: InstancePhase;
  progress: number;
  step: string | null;
  pendingReason: string | null;
  statusMessage: string | null;
  endpoint: InstanceEndpoint | null;
  failure: string | null;
  /** Set while start/stop/restart/destroy runs. */
  operation: string | null;
  events: InstanceEvent[];
}

export const instanceStateQuery = defineQuery<InstanceState>('instanceState');
export const startInstanceUpdate = defineUpdate<InstanceState, [Actor]>('start');
export const stopInstanceUpdate = defineUpdate<InstanceState, [Actor]>('stop');
export const restartInstanceUpdate = defineUpdate<InstanceState, [Actor]>('restart');
export const destroyInstanceSignal = defineSignal<[Actor]>('destroy');
/** From the tenant workflow: the organization was suspended (stop, keep data) / resumed (start again). */
export const suspendInstanceSignal = defineSignal('suspend');
export const resumeInstanceSignal = defineSignal('resume');

export const instanceWorkflowId = (instanceId: string) => `instance-${instanceId}`;

const PROVISIONING: InstancePhase[] = ['pending', 'provisioning', 'configuring', 'installing'];
const RECENT_EVENTS = 25;
const ADMISSION_GIVE_UP_MS = 24 * 3600_000;

const retry = { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes };
const platform = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { ...retry, maximumAttempts: 20 } });

// Provider calls, by how long they may take. Each long call heartbeats (timeout below) and is
// cancelled cooperatively: WAIT_CANCELLATION_COMPLETED makes compensation start only after the
// provider call has really stopped, so it cannot race a create still in flight.
const providerOptions = (o: Partial<ActivityOptions>): ActivityOptions => ({
  heartbeatTimeout: '30 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  ...o,
});
type ProviderFn = (...args: unknown[]) => Promise<unknown>;
const stepCalls = proxyActivities<Record<string, ProviderFn>>(providerOptions({ startToCloseTimeout: '10 minutes', retry: { ...retry, maximumAttempts: 10 } }));
const waitCalls = proxyActivities<Record<string, ProviderFn>>(providerOptions({ startToCloseTimeout: '30 minutes', retry: { ...retry, maximumAttempts: 5 } }));
// Releases never give up on their own (no orphaned resources): a release that keeps failing shows
// as a retrying activity in the Temporal UI for an operator, not as a silently leaked resource.
const releaseCalls = proxyActivities<Record<string, ProviderFn>>(providerOptions({ startToCloseTimeout: '15 minutes', retry: { ...retry, maximumInterval: '2 minutes' } }));

function providerFor(name: InstanceTarget['provider']): ComputeProvider {
  const call = (calls: Record<string, ProviderFn>, op: keyof ComputeProvider) => (...args: unknown[]) => calls[`${name}.${op}`](...args);
  return {
    prepare: call(stepCalls, 'prepare'),
    // Orka's deploy call is synchronous and may take ~10 min server-side: a create is a long wait.
    create: call(waitCalls, 'create'),
    boot: call(waitCalls, 'boot'),
    install: call(waitCalls, 'install'),
    releaseCompute: call(releaseCalls, 'releaseCompute'),
    releasePrepared: call(releaseCalls, 'releasePrepared'),
    verifyGone: call(releaseCalls, 'verifyGone'),
    start: call(stepCalls, 'start'),
    stop: call(stepCalls, 'stop'),
    restart: call(stepCalls, 'restart'),
    status: call(stepCalls, 'status'),
    metrics: call(stepCalls, 'metrics'),
    exec: call(stepCalls, 'exec'),
  } as ComputeProvider;
}

/** Why an operation is not allowed now, or undefined if it is. Used by validators and handlers. */
function refusal(op: 'start' | 'stop' | 'restart', state: InstanceState, destroyRequested: boolean): string | undefined {
  if (destroyRequested || state.phase === 'destroying' || state.phase === 'destroyed') return `cannot ${op}: the instance is being destroyed`;
  if (state.operation) return `cannot ${op}: "${state.operation}" is in progress`;
  const needs: InstancePhase = op === 'start' ? 'stopped' : 'running';
  if (state.phase !== needs) return `cannot ${op}: the instance is ${state.phase} (${op} needs ${needs})`;
  return undefined;
}

function reasonOf(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  // Activity failures wrap the provider's error; the innermost message is the useful one.
  while (e && e.cause) e = e.cause as typeof e;
  return e?.message ?? String(err);
}

export async function instanceWorkflow(input: InstanceWorkflowInput): Promise<InstanceState> {
  const t = input.target;
  const provider = providerFor(t.provider);
  const state: InstanceState = input.resume?.state ?? {
    instanceId: t.instanceId,
    tenantId: t.tenantId,
    provider: t.provider,
    phase: 'pending',
    progress: 0,
    step: null,
    pendingReason: null,
    statusMessage: null,
    endpoint: null,
    failure: null,
    operation: null,
    events: [],
  };
  let seq = input.resume?.seq ?? 0;
  let destroyRequested = false;
  let destroyActor: Actor | undefined;
  let suspendRequested = false;
  let resumeRequested = false;
  let provisioningScope: CancellationScope | undefined;

  upsertSearchAttributes([
    { key: TenantIdKey, value: t.tenantId },
    { key: InstanceIdKey, value: t.instanceId },
    { key: ProviderKey, value: t.provider },
    { key: LifecyclePhaseKey, value: state.phase },
  ]);

  /** Applies a change to the state, the search attribute, the database and the event log. */
  async function record(change: Omit<ProgressWrite, 'instanceId' | 'tenantId' | 'runId' | 'seq' | 'at'>) {
    seq += 1;
    const at = new Date().toISOString();
    if (change.phase !== undefined && change.phase !== state.phase) upsertSearchAttributes([{ key: LifecyclePhaseKey, value: change.phase }]);
    if (change.phase !== undefined) state.phase = change.phase;
    if (change.progress !== undefined) state.progress = change.progress;
    if (change.step !== undefined) state.step = change.step;
    if (change.pendingReason !== undefined) state.pendingReason = change.pendingReason;
    if (change.statusMessage !== undefined) state.statusMessage = change.statusMessage;
    if (change.endpoint !== undefined) state.endpoint = change.endpoint;
    state.events = [...state.events, { at, level: change.level ?? 'info', message: change.message, phase: change.phase, progress: change.progress }].slice(-RECENT_EVENTS);
    await platform.recordInstanceProgress({ ...change, instanceId: t.instanceId, tenantId: t.tenantId, runId: workflowInfo().runId, seq, at });
  }

  const outcomeMessage = (o: StepOutcome | undefined, fallback: string) => o?.message ?? fallback;

  // ---- messages -------------------------------------------------------------------------------
  setHandler(instanceStateQuery, () => state);
  setHandler(destroyInstanceSignal, (a) => {
    destroyRequested = true;
    destroyActor = a;
    provisioningScope?.cancel();
  });
  setHandler(suspendInstanceSignal, () => {
    suspendRequested = true;
  });
  setHandler(resumeInstanceSignal, () => {
    resumeRequested = true;
  });

  async function exclusive(op: string, fn: () => Promise<void>): Promise<InstanceState> {
    state.operation = op;
    try {
      await fn();
    } catch (err) {
      if (isCancellation(err)) throw err;
      await reconcileAfterFailure(op, err);
      throw ApplicationFailure.create({ type: 'OperationFailed', message: `${op} failed: ${reasonOf(err)}`, nonRetryable: true });
    } finally {
      state.operation = null;
    }
    return state;
  }

  /** After a failed start/stop/restart, ask the provider where things stand, so the phase tells the truth. */
  async function reconcileAfterFailure(op: string, err: unknown) {
    let phase: InstancePhase = 'failed';
    try {
      const s = await provider.status(t);
      phase = s.state === 'running' ? 'running' : s.state === 'stopped' ? 'stopped' : 'failed';
    } catch {
      /* provider unreachable: report failed, the operator can retry */
    }
    await record({ phase, level: 'error', message: `${op} failed: ${reasonOf(err)}`, statusMessage: `${op} failed: ${reasonOf(err)}`, step: null });
  }

  async function doStart(why: string) {
    await record({ phase: 'starting', step: 'starting', message: why });
    await provider.start(t);
    const ready = await provider.install(t);
    await record({ phase: 'running', step: null, progress: 100, endpoint: ready.endpoint ?? state.endpoint, healthy: true, statusMessage: null, message: outcomeMessage(ready, 'running') });
  }

  async function doStop(why: string) {
    await record({ phase: 'stopping', step: 'stopping', message: why });
    const out = await provider.stop(t);
    await record({ phase: 'stopped', step: null, healthy: null, message: outcomeMessage(out, 'stopped; data and disk are kept') });
  }

  async function doRestart(why: string) {
    await record({ phase: 'starting', step: 'restarting', message: why });
    await provider.restart(t);
    const ready = await provider.install(t);
    await record({ phase: 'running', step: null, endpoint: ready.endpoint ?? state.endpoint, healthy: true, message: outcomeMessage(ready, 'restarted') });
  }

  const by = requestedBy;
  const validate = (op: 'start' | 'stop' | 'restart') => (_by: Actor) => {
    const why = refusal(op, state, destroyRequested);
    if (why) throw new Error(why);
  };
  setHandler(startInstanceUpdate, (a) => exclusive('start', () => doStart(`start${by(a)}`)), { validator: validate('start') });
  setHandler(stopInstanceUpdate, (a) => exclusive('stop', () => doStop(`stop${by(a)}`)), { validator: validate('stop') });
  setHandler(restartInstanceUpdate, (a) => exclusive('restart', () => doRestart(`restart${by(a)}`)), { validator: validate('restart') });

  // ---- destroy --------------------------------------------------------------------------------
  async function destroy(why: string) {
    await CancellationScope.nonCancellable(async () => {
      await condition(() => state.operation === null);
      state.operation = 'destroy';
      await record({ phase: 'destroying', progress: 0, step: 'releasing compute', message: why });
      await provider.releaseCompute(t);
      await record({ progress: 40, step: 'releasing prerequisites', message: 'compute released' });
      await provider.releasePrepared(t);
      await record({ progress: 80, step: 'confirming', message: 'prerequisites released' });
      await provider.verifyGone(t);
      state.operation = null;
      await record({ phase: 'destroyed', progress: 100, step: null, endpoint: null, healthy: null, message: 'destroyed: nothing is left at the provider' });
    });
  }

  if (input.mode === 'destroy') {
    await destroy(`destroy${by(input.requestedBy)}`);
    return state;
  }

  // ---- provision ------------------------------------------------------------------------------
  if (!input.resume) {
    const started = { prepare: false, create: false };

    async function admit() {
      const since = Date.now();
      let delayMs = 2000;
      for (;;) {
        const a = await platform.admitInstance(t);
        if (a.admitted) return;
        if (Date.now() - since > ADMISSION_GIVE_UP_MS) {
          throw ApplicationFailure.nonRetryable(`not admitted within 24 hours: ${a.reason}`, 'QuotaExceeded');
        }
        if (state.pendingReason !== a.reason) await record({ phase: 'pending', pendingReason: a.reason, level: 'warn', message: a.reason });
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, 30_000);
      }
    }

    async function prepareUntilReady() {
      for (;;) {
        started.prepare = true;
        const out = await provider.prepare(t);
        if (!out.wait) return out;
        const eta = out.wait.etaSeconds ? ` (about ${Math.ceil(out.wait.etaSeconds / 60)} min)` : '';
        await record({ phase: 'pending', progress: 5, pendingReason: `${out.wait.reason}${eta}`, level: 'warn', message: out.wait.reason });
        await sleep(out.wait.retryAfterSeconds * 1000);
        await record({ phase: 'provisioning', pendingReason: null, message: 'trying again' });
      }
    }

    async function provision() {
      await admit();
      await record({ phase: 'provisioning', progress: 10, step: 'prepare', pendingReason: null, message: 'provisioning slot granted' });
      const prepared = await prepareUntilReady();
      await record({ progress: 25, step: 'create', message: outcomeMessage(prepared, 'prerequisites ready') });
      started.create = true;
      const created = await provider.create(t);
      await record({ phase: 'configuring', progress: 45, step: 'boot', message: outcomeMessage(created, 'created') });
      const booted = await provider.boot(t);
      await record({ phase: 'installing', progress: 70, step: 'install', endpoint: booted.endpoint ?? null, message: outcomeMessage(booted, 'booted') });
      const installed = await provider.install(t);
      await record({ phase: 'running', progress: 100, step: null, endpoint: installed.endpoint ?? booted.endpoint ?? null, healthy: true, message: outcomeMessage(installed, 'running') });
    }

    /** Releases, in reverse order, whatever a started step may have created; never cancellable. */
    async function compensate() {
      await CancellationScope.nonCancellable(async () => {
        if (started.create) await provider.releaseCompute(t);
        if (started.prepare) await provider.releasePrepared(t);
        if (started.prepare || started.create) await provider.verifyGone(t);
      });
    }

    await platform.createInstanceRecord(t, { workflowId: workflowInfo().workflowId, siteId: input.siteId, createdById: input.requestedBy?.type === 'user' ? input.requestedBy.id : null });
    await record({ phase: 'pending', progress: 0, message: `ordered${by(input.requestedBy)}: ${t.provider} ${t.spec.template} ${t.spec.size} in ${t.spec.region}` });

    provisioningScope = new CancellationScope();
    try {
      await provisioningScope.run(provision);
    } catch (err) {
      const cancelled = isCancellation(err);
      await CancellationScope.nonCancellable(async () => {
        await record({ step: 'compensating', level: cancelled ? 'warn' : 'error', message: cancelled ? (destroyRequested ? `destroy${by(destroyActor)}: releasing what was created` : 'cancelled: releasing what was created') : `provisioning failed: ${reasonOf(err)}; releasing what was created` });
        await compensate();
        if (destroyRequested) {
          await record({ phase: 'destroyed', progress: 100, step: null, endpoint: null, message: 'destroyed before it was running: nothing is left at the provider' });
        } else if (cancelled) {
          await record({ phase: 'cancelled', step: null, endpoint: null, message: 'cancelled: nothing is left at the provider' });
        } else {
          state.failure = reasonOf(err);
          await record({ phase: 'failed', step: null, endpoint: null, level: 'error', statusMessage: state.failure, message: `failed: ${state.failure}; nothing is left at the provider` });
        }
      });
      if (destroyRequested) return state;
      if (cancelled) throw err;
      throw ApplicationFailure.create({ type: 'ProvisioningFailed', message: `provisioning failed: ${state.failure}`, nonRetryable: true });
    } finally {
      provisioningScope = undefined;
    }
  }

  // ---- running ⇄ stopped, until destroyed --------------------------------------------------------
  const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 5000;
  try {
    for (;;) {
      await condition(() => destroyRequested || ((suspendRequested || resumeRequested) && state.operation === null) || shouldContinueAsNew());
      if (destroyRequested) break;
      // Failures of these are recorded by reconcileAfterFailure; the loop carries on.
      if (suspendRequested) {
        suspendRequested = false;
        if (state.phase === 'running') await exclusive('stop', () => doStop('stopped: the organization is suspended (data is kept)')).catch(() => undefined);
        continue;
      }
      if (resumeRequested) {
        resumeRequested = false;
        if (state.phase === 'stopped') await exclusive('start', () => doStart('started again: the organization is active')).catch(() => undefined);
        continue;
      }
      if (shouldContinueAsNew()) {
        await condition(() => allHandlersFinished() && state.operation === null);
        if (!destroyRequested) await continueAsNew<typeof instanceWorkflow>({ target: t, siteId: input.siteId, resume: { state, seq } });
      }
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled while running (e.g. an operator pressed Cancel): release everything, end Cancelled.
    await destroy('cancelled while running: releasing everything');
    await CancellationScope.nonCancellable(() => record({ phase: 'cancelled', message: 'cancelled: nothing is left at the provider' }));
    throw err;
  }
  await destroy(`destroy${by(destroyActor)}`);
  return state;
}

/** Phases in which the workflow is still provisioning (a destroy then first cancels provisioning). */
export const isProvisioning = (phase: InstancePhase) => PROVISIONING.includes(phase);
