// Instances: order, read, start/stop/restart (workflow updates), cancel a provision, destroy, run a
// diagnostic command, metrics, the event log (JSON pages and live Server-Sent Events). Every action
// goes through the instance's lifecycle workflow; the API reads the platform database.
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { InstanceCommand, InstanceTarget } from '../../activities/providers/contract';
import { resolveSpec, type ProviderName, type ResolvedSpec } from '../../lib/catalog';
import type { InstancePhase } from '../../lib/db';
import { temporalUiLink } from '../../lib/temporal';
import { commandWorkflowId, instanceCommandWorkflow } from '../../workflows/command';
import {
  instanceStateQuery,
  instanceWorkflow,
  instanceWorkflowId,
  restartInstanceUpdate,
  startInstanceUpdate,
  stopInstanceUpdate,
  destroyInstanceSignal,
  type InstanceState,
} from '../../workflows/instance';
import { instanceMetricsWorkflow, tenantDatabaseMetricsWorkflow } from '../../workflows/metrics';
import { InstanceIdKey, LifecyclePhaseKey, ProviderKey, TenantIdKey } from '../../workflows/search-attributes';
import { actorOf, type InstanceMemo, type InstanceRef, type TenantAccess } from '../auth/access';
import { audit } from '../audit';
import type { ApiDeps } from '../deps';
import { badRequest, conflict, forbidden, HttpError, notFound, type FieldError } from '../errors';
import { idempotentInstanceId, InvalidOrder, startInstanceOrder } from '../instance-orders';
import { limitSchema, pageOf, parseTimeIdCursor, timeIdCursor, timeIdCursorSchema } from '../paging';
import { GONE_PHASES, PROVISIONING_PHASES, TERMINAL_PHASES } from '../quota';
import { route } from '../route';
import { instanceIdParams, phaseSchema, providerSchema, tenantIdParams, uuid } from '../schemas';
import { services } from '../services';
import { inTenant, type TenantTx } from '../tenant-scope';
import { awaitShort, causeMessage, runUpdate } from '../workflow-calls';
import { CREDENTIAL_FIELDS } from './tenants';

/** A DNS label: it becomes part of the app's address (<name>.<organization>.<domain>). */
export const instanceName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(40, 'must be at most 40 characters')
  .regex(/^[a-z]([a-z0-9-]*[a-z0-9])?$/, 'use lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen (it becomes part of a web address)');

const endpointSchema = z
  .object({ url: z.string().optional(), ip: z.string().optional(), fqdn: z.string().optional(), ssh: z.string().optional(), vnc: z.string().optional(), ports: z.record(z.string(), z.number()).optional() })
  .nullable();

export const instanceSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  siteId: z.string().nullable(),
  name: z.string(),
  provider: providerSchema,
  template: z.string(),
  size: z.string(),
  region: z.string(),
  resources: z.object({ vcpu: z.number(), memoryMb: z.number() }),
  phase: phaseSchema,
  progress: z.number(),
  currentStep: z.string().nullable(),
  statusMessage: z.string().nullable(),
  pendingReason: z.string().nullable().describe('why a pending instance waits (quota, capacity, queue)'),
  endpoint: endpointSchema,
  healthy: z.boolean().nullable(),
  workflowId: z.string(),
  createdAt: z.string().nullable(),
  admittedAt: z.string().nullable().describe('when it got its provisioning slot (provisioning time counts from here)'),
  updatedAt: z.string().nullable(),
  runningSince: z.string().nullable(),
  destroyedAt: z.string().nullable(),
  actions: z.object({ start: z.boolean(), stop: z.boolean(), restart: z.boolean(), cancel: z.boolean(), destroy: z.boolean(), commands: z.boolean() }),
  temporalUrl: z.string().optional().describe('operators: the lifecycle in the Temporal UI'),
  recorded: z.boolean().describe('false for a moment after ordering, while the answer comes from the workflow itself'),
});
type InstanceOut = z.infer<typeof instanceSchema>;

const eventSchema = z.object({
  id: z.string(),
  at: z.string(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  phase: phaseSchema.nullable(),
  progress: z.number().nullable(),
  step: z.string().nullable(),
  message: z.string(),
  data: z.unknown().optional(),
});

const COMMANDS = ['ping', 'sysinfo', 'uptime', 'disk', 'processes'] as const satisfies readonly InstanceCommand[];

export function actionsFor(phase: InstancePhase) {
  return {
    start: phase === 'stopped',
    stop: phase === 'running',
    restart: phase === 'running',
    cancel: PROVISIONING_PHASES.includes(phase),
    destroy: phase !== 'destroyed' && phase !== 'destroying',
    commands: phase === 'running',
  };
}

interface OrderChecks {
  id: string;
  slug: string;
  name: string;
  status: string;
  statusReason: string | null;
  maxInstances: number;
  maxVcpu: number;
  maxMemoryMb: number;
  balance: bigint;
  usedInstances: number;
  usedVcpu: number;
  usedMemoryMb: number;
  nameTaken: boolean;
  siteOk: boolean;
  credentialProvider: string | null;
  credentialStatus: string | null;
}

type InstanceRow = NonNullable<Awaited<ReturnType<TenantTx['instance']['findUnique']>>>;

function rowOut(deps: ApiDeps, r: InstanceRow, access: TenantAccess): InstanceOut {
  const spec = (r.spec ?? {}) as Partial<ResolvedSpec>;
  return {
    id: r.id,
    tenantId: r.tenantId,
    siteId: r.siteId,
    name: r.name,
    provider: r.provider,
    template: r.template,
    size: r.size,
    region: r.region,
    resources: { vcpu: spec.vcpu ?? 0, memoryMb: spec.memoryMb ?? 0 },
    phase: r.phase,
    progress: r.progress,
    currentStep: r.currentStep,
    statusMessage: r.statusMessage,
    pendingReason: r.pendingReason,
    endpoint: (r.endpoint ?? null) as InstanceOut['endpoint'],
    healthy: r.healthy,
    workflowId: r.workflowId,
    createdAt: r.createdAt.toISOString(),
    admittedAt: r.admittedAt?.toISOString() ?? null,
    updatedAt: r.updatedAt.toISOString(),
    runningSince: r.runningSince?.toISOString() ?? null,
    destroyedAt: r.destroyedAt?.toISOString() ?? null,
    actions: actionsFor(r.phase),
    ...(access.via === 'operator' ? { temporalUrl: temporalUiLink(deps.config.temporal, r.workflowId) } : {}),
    recorded: true,
  };
}

const bool = z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true');

const listQuery = z.object({
  phase: z
    .string()
    .max(300)
    .transform((s) => s.split(',').map((p) => p.trim()))
    .pipe(z.array(phaseSchema).min(1))
    .optional()
    .describe('one phase or several, comma-separated'),
  siteId: uuid('a site id').optional(),
  provider: providerSchema.optional(),
  includeDestroyed: bool.optional().describe('destroyed, failed and cancelled instances too (default: only when filtering by phase)'),
  limit: limitSchema,
  cursor: timeIdCursorSchema,
});

const createBody = z.object({
  name: instanceName,
  provider: providerSchema,
  template: z.string().trim().min(1).max(64).optional(),
  size: z.string().trim().min(1).max(64).optional(),
  region: z.string().trim().min(1).max(64).optional(),
  siteId: uuid('a site id').nullable().optional(),
  credentialId: uuid('a credential id').nullable().optional(),
});

const eventsQuery = z.object({
  lastEventId: z.string().regex(/^\d{1,18}$/, 'must be an event id').optional().describe('resume after this event (or send the Last-Event-ID header)'),
});

const logQuery = z.object({
  after: z.string().regex(/^\d{1,18}$/, 'must be an event id').optional(),
  limit: limitSchema,
});

export function instanceRoutes(deps: ApiDeps) {
  const h = (instanceId: string) => deps.temporal.workflow.getHandle(instanceWorkflowId(instanceId));

  async function readRow(ref: InstanceRef) {
    return inTenant(deps.db, ref.tenantId, (tx) => tx.instance.findUnique({ where: { id: ref.id } }));
  }

  /** The instance as the API shows it: the database row, or (just after ordering) the workflow's own state. */
  async function current(ref: InstanceRef, access: TenantAccess): Promise<InstanceOut> {
    const row = await readRow(ref);
    if (row) return rowOut(deps, row, access);
    const handle = h(ref.id);
    const desc = await handle.describe().catch(() => undefined);
    const memo = (desc?.memo ?? {}) as InstanceMemo;
    let state: InstanceState | undefined;
    try {
      state = await awaitShort(handle.query(instanceStateQuery), 3000, 'the instance query');
    } catch {
      state = undefined; // no worker has picked it up yet: it is pending
    }
    const provider = (state?.provider ?? desc?.typedSearchAttributes.get(ProviderKey) ?? 'docker') as ProviderName;
    const phase = state?.phase ?? 'pending';
    return {
      id: ref.id,
      tenantId: ref.tenantId,
      siteId: memo.siteId ?? null,
      name: memo.name ?? '',
      provider,
      template: '',
      size: '',
      region: '',
      resources: { vcpu: 0, memoryMb: 0 },
      phase,
      progress: state?.progress ?? 0,
      currentStep: state?.step ?? null,
      statusMessage: state?.statusMessage ?? null,
      pendingReason: state?.pendingReason ?? null,
      endpoint: (state?.endpoint ?? null) as InstanceOut['endpoint'],
      healthy: null,
      workflowId: ref.workflowId,
      createdAt: desc?.startTime.toISOString() ?? null,
      admittedAt: null,
      updatedAt: null,
      runningSince: null,
      destroyedAt: null,
      actions: actionsFor(phase),
      ...(access.via === 'operator' ? { temporalUrl: temporalUiLink(deps.config.temporal, ref.workflowId) } : {}),
      recorded: false,
    };
  }

  /** What providers need to act on the instance, rebuilt from its row (and the order's memo). */
  async function targetOf(ref: InstanceRef, row: InstanceRow): Promise<InstanceTarget> {
    const tenant = await inTenant(deps.db, ref.tenantId, (tx) => tx.tenant.findUniqueOrThrow({ where: { id: ref.tenantId }, select: { slug: true, name: true } }));
    const desc = await h(ref.id).describe().catch(() => undefined);
    const memo = (desc?.memo ?? {}) as InstanceMemo;
    return {
      instanceId: row.id,
      tenantId: row.tenantId,
      tenantSlug: tenant.slug,
      tenantName: tenant.name,
      name: row.name,
      provider: row.provider,
      spec: row.spec as unknown as ResolvedSpec,
      credentialId: memo.credentialId ?? null,
    };
  }

  async function phaseOf(ref: InstanceRef): Promise<InstancePhase | undefined> {
    const row = await readRow(ref);
    if (row) return row.phase;
    try {
      return (await awaitShort(h(ref.id).query(instanceStateQuery), 3000, 'the instance query')).phase;
    } catch {
      return 'pending';
    }
  }

  async function requireRow(ref: InstanceRef, what: string): Promise<InstanceRow> {
    const row = await readRow(ref);
    if (!row) throw conflict(`cannot ${what} yet: the instance is still being recorded; try again in a moment`);
    return row;
  }

  function dayTwo(op: 'start' | 'stop' | 'restart') {
    const update = op === 'start' ? startInstanceUpdate : op === 'stop' ? stopInstanceUpdate : restartInstanceUpdate;
    const means = {
      start: 'Starts a stopped instance; it is billed at the running rate again.',
      stop: 'Stops a running instance; data and disk are kept, billed at the lower allocated rate.',
      restart: 'Restarts a running instance.',
    }[op];
    return route<z.infer<typeof instanceIdParams>>({
      method: 'post',
      path: `/instances/{instanceId}/${op}`,
      summary: `${op[0].toUpperCase()}${op.slice(1)} the instance (waits until done)`,
      description: `${means} Refused with 409 and the reason when the instance is not in a state that allows it.`,
      tags: ['instances'],
      access: { kind: 'instance', minRole: 'member' },
      params: instanceIdParams,
      responses: { 200: { description: 'Done: the instance now', schema: instanceSchema }, 409: { description: 'Not allowed now (the workflow says why)' } },
      async handler({ req, access, instance }) {
        try {
          await runUpdate(h(instance.id), update, [actorOf(access.principal, access)], 'the instance’s lifecycle has ended (destroyed, failed or cancelled)');
        } catch (err) {
          await audit(deps, req, { access, action: `instance.${op}`, tenantId: instance.tenantId, targetType: 'instance', targetId: instance.id, result: err instanceof HttpError && err.status === 409 ? 'denied' : 'failure', details: { reason: (err as Error).message } });
          throw err;
        }
        await audit(deps, req, { access, action: `instance.${op}`, tenantId: instance.tenantId, targetType: 'instance', targetId: instance.id });
        return { status: 200, body: await current(instance, access) };
      },
    });
  }

  return [
    route<z.infer<typeof tenantIdParams>, z.infer<typeof listQuery>>({
      method: 'get',
      path: '/tenants/{tenantId}/instances',
      summary: 'Instances of the organization, newest first (filter by phase, site, provider; paged)',
      tags: ['instances'],
      access: { kind: 'tenant', minRole: 'viewer' },
      params: tenantIdParams,
      query: listQuery,
      responses: { 200: { description: 'A page of instances', schema: pageOf(instanceSchema) } },
      async handler({ params, query, access }) {
        if (access.siteId && query.siteId && query.siteId !== access.siteId) return { status: 200, body: { items: [], nextCursor: null } };
        const siteId = access.siteId ?? query.siteId;
        const phases = query.phase ? { in: query.phase } : query.includeDestroyed ? undefined : { notIn: GONE_PHASES };
        const c = query.cursor ? parseTimeIdCursor(query.cursor) : undefined;
        const rows = await inTenant(deps.db, params.tenantId, (tx) =>
          tx.instance.findMany({
            where: {
              tenantId: params.tenantId,
              ...(phases ? { phase: phases } : {}),
              ...(siteId ? { siteId } : {}),
              ...(query.provider ? { provider: query.provider } : {}),
              ...(c ? { OR: [{ createdAt: { lt: c.at } }, { createdAt: c.at, id: { lt: c.id } }] } : {}),
            },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: query.limit + 1,
          }),
        );
        const page = rows.slice(0, query.limit);
        const last = page[page.length - 1];
        return { status: 200, body: { items: page.map((r) => rowOut(deps, r, access)), nextCursor: rows.length > query.limit && last ? timeIdCursor(last.createdAt, last.id) : null } };
      },
    }),

    route<z.infer<typeof tenantIdParams>, Record<string, never>, z.infer<typeof createBody>>({
      method: 'post',
      path: '/tenants/{tenantId}/instances',
      summary: 'Order an instance: `{name, provider}` is enough; answers 202 at once, the lifecycle runs as a workflow',
      description:
        'Checks, in order: provider offered, catalogue choices, site and credential belong to the organization (and your site, when you are limited to one), the organization is active, credits left (402), quotas (422), name free (409). Send `Idempotency-Key` to make a retry return the same instance.',
      tags: ['instances'],
      access: { kind: 'tenant', minRole: 'member' },
      params: tenantIdParams,
      body: createBody,
      idempotency: 'optional',
      responses: {
        202: { description: 'Ordered; follow /instances/{id}/events', schema: z.object({ id: z.string(), workflowId: z.string(), phase: phaseSchema, links: z.object({ self: z.string(), events: z.string() }) }) },
        402: { description: 'No credits left' },
        409: { description: 'Name in use, or the organization is not active' },
        422: { description: 'Over quota' },
      },
      async handler({ req, params, body, access, idempotencyKey }) {
        const errors: FieldError[] = [];
        const provider = body.provider;
        if (!deps.config.providers.offered.includes(provider)) {
          throw badRequest(`${provider} is not offered here`, [{ field: 'provider', message: `is not offered here (offered: ${deps.config.providers.offered.join(', ')})` }]);
        }
        const resolved = resolveSpec(provider, body);
        if (!resolved.ok) errors.push(...resolved.errors);
        if (body.credentialId && !CREDENTIAL_FIELDS[provider]) errors.push({ field: 'credentialId', message: `${provider} instances run on the platform’s own account; leave it out` });
        if (errors.length || !resolved.ok) throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
        const spec = resolved.spec;

        let siteId = body.siteId ?? null;
        if (access.siteId) {
          if (siteId && siteId !== access.siteId) throw forbidden('your role is limited to one site; you can create instances only there');
          siteId = access.siteId;
        }
        const instanceId = idempotencyKey ? idempotentInstanceId(params.tenantId, idempotencyKey) : randomUUID();
        const workflowId = instanceWorkflowId(instanceId);
        const accepted = { status: 202, body: { id: instanceId, workflowId, phase: 'pending' as InstancePhase, links: { self: `/api/instances/${instanceId}`, events: `/api/instances/${instanceId}/events` } }, headers: { Location: `/api/instances/${instanceId}` } };
        if (idempotencyKey) {
          // Ordered before with this key (and its answer lost): it is the same order.
          const prior = await h(instanceId).describe().catch(() => undefined);
          if (prior) return accepted;
        }

        // Every check in one query (the hot path of ordering), under the tenant's row-level security.
        const [c] = await inTenant(deps.db, params.tenantId, (tx) => tx.$queryRaw<OrderChecks[]>`
          SELECT t.id, t.slug, t.name, t.status::text AS status, t.status_reason AS "statusReason",
                 coalesce(t.max_instances, p.max_instances) AS "maxInstances",
                 coalesce(t.max_vcpu, p.max_vcpu) AS "maxVcpu",
                 coalesce(t.max_memory_mb, p.max_memory_mb) AS "maxMemoryMb",
                 (SELECT coalesce(sum(l.amount_micro), 0)::bigint FROM credit_ledger l WHERE l.tenant_id = t.id) AS balance,
                 u.instances AS "usedInstances", u.vcpu AS "usedVcpu", u.memory AS "usedMemoryMb",
                 EXISTS (SELECT 1 FROM instances i WHERE i.tenant_id = t.id AND i.name = ${body.name} AND i.phase NOT IN ('destroyed', 'failed', 'cancelled')) AS "nameTaken",
                 (${siteId}::uuid IS NULL OR EXISTS (SELECT 1 FROM sites s WHERE s.id = ${siteId}::uuid AND s.tenant_id = t.id)) AS "siteOk",
                 (SELECT c.provider::text FROM provider_credentials c WHERE c.id = ${body.credentialId ?? null}::uuid AND c.tenant_id = t.id) AS "credentialProvider",
                 (SELECT c.status::text FROM provider_credentials c WHERE c.id = ${body.credentialId ?? null}::uuid AND c.tenant_id = t.id) AS "credentialStatus"
          FROM tenants t
          JOIN plans p ON p.code = t.plan_code
          CROSS JOIN LATERAL (
            SELECT count(*)::int AS instances,
                   coalesce(sum((i.spec->>'vcpu')::float8), 0)::float8 AS vcpu,
                   coalesce(sum((i.spec->>'memoryMb')::float8), 0)::float8 AS memory
            FROM instances i WHERE i.tenant_id = t.id AND i.phase NOT IN ('destroyed', 'failed', 'cancelled')) u
          WHERE t.id = ${params.tenantId}::uuid`);
        if (!c) throw notFound('tenant');
        if (c.status !== 'active') throw conflict(`the organization is ${c.status}${c.statusReason ? ` (${c.statusReason})` : ''}; instances cannot be created now`);
        const fieldErrors: FieldError[] = [];
        if (!c.siteOk) fieldErrors.push({ field: 'siteId', message: 'is not a site of this organization' });
        if (body.credentialId) {
          if (!c.credentialProvider) fieldErrors.push({ field: 'credentialId', message: 'is not a credential of this organization' });
          else if (c.credentialProvider !== provider) fieldErrors.push({ field: 'credentialId', message: `is a ${c.credentialProvider} credential, not ${provider}` });
          else if (c.credentialStatus === 'invalid') fieldErrors.push({ field: 'credentialId', message: 'failed validation; fix it and validate it again' });
        }
        if (fieldErrors.length) throw badRequest(fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '), fieldErrors);
        if (c.balance <= 0n) throw new HttpError(402, 'Payment required', 'no credits left: top up to create instances');
        const used = { instances: c.usedInstances, vcpu: Math.round(c.usedVcpu * 100) / 100, memoryMb: c.usedMemoryMb };
        const limits = { instances: c.maxInstances, vcpu: c.maxVcpu, memoryMb: c.maxMemoryMb };
        const over: FieldError[] = [];
        if (used.instances + 1 > limits.instances) over.push({ field: 'name', message: `quota: ${used.instances} of ${limits.instances} instances in use; destroy one or upgrade the plan` });
        if (used.vcpu + spec.vcpu > limits.vcpu) over.push({ field: 'size', message: `quota: needs ${spec.vcpu} vCPU, ${Math.max(0, limits.vcpu - used.vcpu)} of ${limits.vcpu} free` });
        if (used.memoryMb + spec.memoryMb > limits.memoryMb) over.push({ field: 'size', message: `quota: needs ${spec.memoryMb} MB memory, ${Math.max(0, limits.memoryMb - used.memoryMb)} of ${limits.memoryMb} MB free` });
        if (over.length) throw new HttpError(422, 'Quota exceeded', over.map((o) => o.message).join('; '), { errors: over, quota: { limits, used } });
        if (c.nameTaken) throw conflict(`an instance named "${body.name}" exists in this organization`, [{ field: 'name', message: 'is used by another instance' }]);
        const tenant = { id: c.id, slug: c.slug, name: c.name };

        try {
          await startInstanceOrder(deps.temporal, deps.config.temporal.taskQueue, {
            instanceId,
            tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
            name: body.name,
            provider,
            template: spec.template,
            size: spec.size,
            region: spec.region,
            siteId,
            credentialId: body.credentialId ?? null,
            requestedBy: actorOf(access.principal, access),
          });
        } catch (err) {
          if (err instanceof InvalidOrder) throw badRequest(err.message, err.errors);
          if (err instanceof WorkflowExecutionAlreadyStartedError) throw conflict('this Idempotency-Key already ordered an instance that no longer runs; use a new key', [{ field: 'Idempotency-Key', message: 'was used before' }]);
          throw err;
        }
        await audit(deps, req, { access, action: 'instance.create', tenantId: tenant.id, targetType: 'instance', targetId: instanceId, details: { name: body.name, provider, template: spec.template, size: spec.size, region: spec.region, siteId } });
        return accepted;
      },
    }),

    route<z.infer<typeof instanceIdParams>>({
      method: 'get',
      path: '/instances/{instanceId}',
      summary: 'An instance: phase, progress, current step, why it waits, endpoint, what you can do now',
      tags: ['instances'],
      access: { kind: 'instance', minRole: 'viewer' },
      params: instanceIdParams,
      responses: { 200: { description: 'The instance', schema: instanceSchema }, 404: { description: 'Not found or not yours' } },
      async handler({ access, instance }) {
        return { status: 200, body: await current(instance, access) };
      },
    }),

    dayTwo('start'),
    dayTwo('stop'),
    dayTwo('restart'),

    route<z.infer<typeof instanceIdParams>>({
      method: 'post',
      path: '/instances/{instanceId}/cancel',
      summary: 'Cancel a provision in progress: what was created is released and the instance ends cancelled',
      tags: ['instances'],
      access: { kind: 'instance', minRole: 'member' },
      params: instanceIdParams,
      responses: { 202: { description: 'Cancelling', schema: z.object({ id: z.string(), phase: phaseSchema, message: z.string() }) }, 409: { description: 'Not provisioning (destroy it instead)' } },
      async handler({ req, access, instance }) {
        const phase = (await phaseOf(instance)) ?? 'pending';
        const desc = await h(instance.id).describe().catch(() => undefined);
        if (!PROVISIONING_PHASES.includes(phase) || desc?.status.name !== 'RUNNING') {
          await audit(deps, req, { access, action: 'instance.cancel', tenantId: instance.tenantId, targetType: 'instance', targetId: instance.id, result: 'denied', details: { phase } });
          throw conflict(`cannot cancel: the instance is ${phase}; only a provision in progress can be cancelled${phase === 'running' || phase === 'stopped' ? ' — destroy it instead' : ''}`);
        }
        await h(instance.id).cancel();
        await audit(deps, req, { access, action: 'instance.cancel', tenantId: instance.tenantId, targetType: 'instance', targetId: instance.id, details: { phase } });
        return { status: 202, body: { id: instance.id, phase, message: 'cancelling: what was created is being released' } };
      },
    }),

    route<z.infer<typeof instanceIdParams>>({
      method: 'delete',
      path: '/instances/{instanceId}',
      summary: 'Destroy the instance: everything at the provider is released and confirmed gone',
      description: 'A provision in progress is stopped first. For an instance whose lifecycle failed or was cancelled, a new destroy run makes sure nothing is left.',
      tags: ['instances'],
      access: { kind: 'instance', minRole: 'member' },
      params: instanceIdParams,
      responses: { 202: { description: 'Destroying', schema: z.object({ id: z.string(), phase: phaseSchema, workflowId: z.string() }) }, 409: { description: 'Already destroyed' } },
      async handler({ req, access, instance }) {
        const actor = actorOf(access.principal, access);
        const handle = h(instance.id);
        const desc = await handle.describe().catch((err) => {
          if (err instanceof WorkflowNotFoundError) return undefined;
          throw err;
        });
        const row = await readRow(instance);
        if (row?.phase === 'destroyed') throw conflict('the instance is already destroyed');
        const done = (phase: InstancePhase) => ({ status: 202, body: { id: instance.id, phase, workflowId: instance.workflowId } });
        if (desc?.status.name === 'RUNNING') {
          await handle.signal(destroyInstanceSignal, actor);
          await audit(deps, req, { access, action: 'instance.destroy', tenantId: instance.tenantId, targetType: 'instance', targetId: instance.id });
          return done('destroying');
        }
        if (!row) throw conflict('the instance is not recorded; nothing to destroy');
        if (desc?.status.name === 'COMPLETED' || desc?.status.name === 'CONTINUED_AS_NEW') throw conflict('the instance’s lifecycle has ended');
        // The last run failed, was cancelled, terminated or timed out (or its history is gone): a run
        // in destroy mode releases whatever may be left. It carries on the event sequence, so its
        // writes do not collide with the earlier run's.
        const target = await targetOf(instance, row);
        const seq = await inTenant(deps.db, instance.tenantId, async (tx) => {
          const [r] = await tx.$queryRaw<{ seq: number | null }[]>`
            SELECT max(split_part(dedupe_key, ':', 2)::int) AS seq FROM instance_events
            WHERE instance_id = ${instance.id}::uuid AND dedupe_key ~ ('^' || ${instance.id} || ':[0-9]{1,9}$')`;
          return r?.seq ?? 0;
        });
        const state: InstanceState = {
          instanceId: row.id,
          tenantId: row.tenantId,
          provider: row.provider,
          phase: row.phase,
          progress: row.progress,
          step: null,
          pendingReason: null,
          statusMessage: row.statusMessage,
          endpoint: null,
          failure: null,
          operation: null,
          events: [],
        };
        await deps.temporal.workflow.start(instanceWorkflow, {
          taskQueue: deps.config.temporal.taskQueue,
          workflowId: instance.workflowId,
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          workflowIdConflictPolicy: 'USE_EXISTING',
          typedSearchAttributes: [
            { key: TenantIdKey, value: row.tenantId },
            { key: InstanceIdKey, value: row.id },
            { key: ProviderKey, value: row.provider },
            { key: LifecyclePhaseKey, value: row.phase },
          ],
          staticSummary: `destroy ${row.provider} instance "${row.name}" (after ${desc?.status.name.toLowerCase() ?? 'lost history'})`,
          memo: { tenantId: row.tenantId, name: row.name, siteId: row.siteId, credentialId: target.credentialId ?? null },
          args: [{ target, mode: 'destroy', requestedBy: actor, siteId: row.siteId, resume: { state, seq: seq + 1 } }],
        });
        await audit(deps, req, { access, action: 'instance.destroy', tenantId: instance.tenantId, targetType: 'instance', targetId: instance.id, details: { after: desc?.status.name ?? 'no history' } });
        return done('destroying');
      },
    }),

    route<z.infer<typeof instanceIdParams>, Record<string, never>, { command: InstanceCommand }>({
      method: 'post',
      path: '/instances/{instanceId}/commands',
      summary: 'Run a diagnostic command on a running instance and return its output (audited)',
      tags: ['instances'],
      access: { kind: 'instance', minRole: 'member' },
      params: instanceIdParams,
      idempotency: 'optional',
      body: z.object({ command: z.enum(COMMANDS, `must be one of ${COMMANDS.join(', ')}`) }),
      responses: {
        200: { description: 'Output', schema: z.object({ commandId: z.string(), command: z.string(), exitCode: z.number(), output: z.string(), truncated: z.boolean() }) },
        409: { description: 'Not running, or the command failed' },
      },
      async handler({ req, res, body, access, instance, idempotencyKey }) {
        const row = await requireRow(instance, 'run commands');
        if (row.phase !== 'running') throw conflict(`cannot run ${body.command}: the instance is ${row.phase} (commands need running)`);
        const commandId = idempotencyKey ? idempotentInstanceId(instance.id, `command:${idempotencyKey}`) : (res.locals.requestId as string).replace(/[^\w-]/g, '').slice(0, 64) || randomUUID();
        const target = await targetOf(instance, row);
        const handle = await deps.temporal.workflow.start(instanceCommandWorkflow, {
          taskQueue: deps.config.temporal.taskQueue,
          workflowId: commandWorkflowId(commandId),
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowExecutionTimeout: '5 minutes',
          args: [{ commandId, target, command: body.command, requestedBy: actorOf(access.principal, access) }],
        });
        try {
          const outcome = await awaitShort(handle.result(), deps.shortWorkflowTimeoutMs ?? 90_000, `the ${body.command} command`);
          await audit(deps, req, { access, action: 'instance.command.request', tenantId: instance.tenantId, targetType: 'instance', targetId: instance.id, details: { commandId, command: body.command, exitCode: outcome.exitCode } });
          return { status: 200, body: { commandId, command: body.command, exitCode: outcome.exitCode, output: outcome.output, truncated: outcome.truncated } };
        } catch (err) {
          await audit(deps, req, { access, action: 'instance.command.request', tenantId: instance.tenantId, targetType: 'instance', targetId: instance.id, result: 'failure', details: { commandId, command: body.command, reason: causeMessage(err) } });
          throw err;
        }
      },
    }),

    route<z.infer<typeof instanceIdParams>>({
      method: 'get',
      path: '/instances/{instanceId}/metrics',
      summary: 'Live metrics from the provider: status, CPU, memory, network',
      tags: ['instances'],
      access: { kind: 'instance', minRole: 'viewer' },
      params: instanceIdParams,
      responses: {
        200: {
          description: 'Metrics',
          schema: z.object({
            status: z.object({ state: z.string(), healthy: z.boolean().optional(), detail: z.string().optional() }),
            metrics: z.object({ at: z.string(), cpuPercent: z.number().optional(), memoryBytes: z.number().optional(), memoryLimitBytes: z.number().optional(), networkRxBytes: z.number().optional(), networkTxBytes: z.number().optional(), status: z.string() }),
          }),
        },
        409: { description: 'Nothing to measure in this phase' },
      },
      async handler({ res, instance }) {
        const row = await requireRow(instance, 'read metrics');
        if (!['running', 'stopped', 'starting', 'stopping'].includes(row.phase)) throw conflict(`no metrics: the instance is ${row.phase}`);
        const target = await targetOf(instance, row);
        const handle = await deps.temporal.workflow.start(instanceMetricsWorkflow, {
          taskQueue: deps.config.temporal.taskQueue,
          workflowId: `metrics-${instance.id}-${res.locals.requestId as string}`,
          workflowExecutionTimeout: '1 minute',
          args: [target],
        });
        const out = await awaitShort(handle.result(), deps.shortWorkflowTimeoutMs ?? 60_000, 'reading metrics');
        return { status: 200, body: out };
      },
    }),

    route<z.infer<typeof instanceIdParams>, z.infer<typeof logQuery>>({
      method: 'get',
      path: '/instances/{instanceId}/log',
      summary: 'The instance’s event log, oldest first, as JSON pages (for history; /events streams it live)',
      tags: ['instances'],
      access: { kind: 'instance', minRole: 'viewer' },
      params: instanceIdParams,
      query: logQuery,
      responses: { 200: { description: 'Events', schema: z.object({ items: z.array(eventSchema), nextAfter: z.string().nullable() }) } },
      async handler({ query, instance }) {
        const rows = await inTenant(deps.db, instance.tenantId, (tx) =>
          tx.instanceEvent.findMany({ where: { instanceId: instance.id, ...(query.after ? { id: { gt: BigInt(query.after) } } : {}) }, orderBy: { id: 'asc' }, take: query.limit }),
        );
        const items = rows.map(eventOut);
        return { status: 200, body: { items, nextAfter: rows.length === query.limit ? items[items.length - 1].id : null } };
      },
    }),

    route<z.infer<typeof instanceIdParams>, z.infer<typeof eventsQuery>>({
      method: 'get',
      path: '/instances/{instanceId}/events',
      summary: 'Live events as Server-Sent Events: phase, progress and log lines in order as they happen',
      description:
        'Event types: `state` (a snapshot on connect, no id), `phase` (a phase change, with progress), `progress`, `log`, and `end` when the instance reached destroyed, failed or cancelled (the stream then closes). Each event carries its id: reconnect with `Last-Event-ID` (EventSource does) or `?lastEventId=` to resume without gaps or repeats. Comment lines keep the connection alive.',
      tags: ['instances'],
      access: { kind: 'instance', minRole: 'viewer' },
      params: instanceIdParams,
      query: eventsQuery,
      responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
      async handler({ req, res, query, access, instance }) {
        const header = req.get('last-event-id');
        if (header !== undefined && !/^\d{1,18}$/.test(header)) throw badRequest('Last-Event-ID must be an event id', [{ field: 'Last-Event-ID', message: 'must be an event id' }]);
        const after = BigInt(header ?? query.lastEventId ?? '0');
        await streamEvents(deps, req, res, instance, after, () => current(instance, access));
        return undefined;
      },
    }),

    route<z.infer<typeof tenantIdParams>>({
      method: 'get',
      path: '/tenants/{tenantId}/database/metrics',
      summary: 'The organization’s databases on the tenant Postgres: schemas, tables, size, rows',
      tags: ['instances'],
      access: { kind: 'tenant', minRole: 'viewer' },
      params: tenantIdParams,
      responses: { 200: { description: 'Database metrics', schema: z.object({ schemas: z.array(z.object({ schema: z.string(), tables: z.number(), sizeBytes: z.number(), rows: z.number() })) }) } },
      async handler({ res, params }) {
        const handle = await deps.temporal.workflow.start(tenantDatabaseMetricsWorkflow, {
          taskQueue: deps.config.temporal.taskQueue,
          workflowId: `dbmetrics-${params.tenantId}-${res.locals.requestId as string}`,
          workflowExecutionTimeout: '1 minute',
          args: [params.tenantId],
        });
        return { status: 200, body: await awaitShort(handle.result(), deps.shortWorkflowTimeoutMs ?? 60_000, 'reading database metrics') };
      },
    }),
  ];
}

type EventRow = { id: bigint; at: Date; level: 'debug' | 'info' | 'warn' | 'error'; phase: InstancePhase | null; progress: number | null; step: string | null; message: string; data: unknown };

export const eventOut = (e: EventRow) => ({
  id: e.id.toString(),
  at: e.at.toISOString(),
  level: e.level,
  phase: e.phase,
  progress: e.progress,
  step: e.step,
  message: e.message,
  ...(e.data === null || e.data === undefined ? {} : { data: e.data }),
});

/**
 * Streams an instance's events as SSE. Wakes on the database's notifications (api/events.ts), polls as
 * a fallback, sends a keep-alive comment, and ends (event `end`) once the instance reached a terminal
 * phase and everything up to it was sent. Rows are read by id under the tenant's row-level security.
 */
async function streamEvents(deps: ApiDeps, req: Request, res: Response, ref: InstanceRef, after: bigint, snapshot: () => Promise<InstanceOut>) {
  const { hub, openStreams } = services(deps);
  const heartbeatMs = deps.sse?.heartbeatMs ?? 15_000;
  const pollMs = deps.sse?.pollMs ?? 2_000;
  const maxStreamMs = deps.sse?.maxStreamMs ?? 30 * 60_000;
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  req.socket.setNoDelay(true);

  let last = after;
  let closed = false;
  let busy = false;
  let again = false;
  const timers: NodeJS.Timeout[] = [];
  const write = (chunk: string) => {
    if (!closed) res.write(chunk);
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    openStreams.dec();
    for (const t of timers) clearInterval(t);
    unsubscribe();
    res.end();
  };

  async function pump() {
    if (closed) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        // Phase first, then events: a terminal phase seen here means its event is visible below.
        const { phase, events } = await inTenant(deps.db, ref.tenantId, async (tx) => {
          const row = await tx.instance.findUnique({ where: { id: ref.id }, select: { phase: true } });
          const events = await tx.instanceEvent.findMany({ where: { instanceId: ref.id, id: { gt: last } }, orderBy: { id: 'asc' }, take: 200 });
          return { phase: row?.phase, events };
        });
        for (const e of events) {
          const type = e.phase ? 'phase' : e.progress !== null ? 'progress' : 'log';
          write(`id: ${e.id}\nevent: ${type}\ndata: ${JSON.stringify(eventOut(e))}\n\n`);
          last = e.id;
        }
        if (events.length === 200) again = true;
        else if (phase && TERMINAL_PHASES.includes(phase)) {
          write(`event: end\ndata: ${JSON.stringify({ phase })}\n\n`);
          finish();
          return;
        }
      } while (again && !closed);
    } catch (err) {
      req.log?.warn({ err }, 'event stream failed; the client may reconnect with Last-Event-ID');
      finish();
    } finally {
      busy = false;
    }
  }

  openStreams.inc();
  const unsubscribe = hub.subscribe(ref.id, () => void pump());
  req.on('close', finish);
  res.on('close', finish);
  res.on('error', finish);
  write(`retry: 3000\n\n`);
  try {
    write(`event: state\ndata: ${JSON.stringify(await snapshot())}\n\n`);
  } catch (err) {
    req.log?.warn({ err }, 'could not read the instance for the stream snapshot');
  }
  timers.push(setInterval(() => write(`: keep-alive ${new Date().toISOString()}\n\n`), heartbeatMs));
  timers.push(setInterval(() => { if (!hub.listening) void pump(); }, pollMs));
  timers.push(setTimeout(finish, maxStreamMs) as unknown as NodeJS.Timeout);
  await pump();
}
