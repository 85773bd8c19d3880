// Operators (users.is_operator): every organization, stuck or long-running provisions straight from
// Temporal visibility (with links into the Temporal UI, the current step, why it waits and what its
// activities report), credit grants, suspension and resumption, and partners. Everyone else gets
// 404 here. Every change goes through the tenant workflow's updates, which serialize it with
// billing; grants are idempotent end to end (Idempotency-Key → ledger idempotency key).
import type { Request } from 'express';
import { z } from 'zod';
import { temporalUiLink } from '../../lib/temporal';
import { platformHealthWorkflow } from '../../workflows/health';
import { grantCreditsUpdate, resumeTenantUpdate, suspendTenantUpdate, tenantWorkflowId } from '../../workflows/tenant';
import { actorOf } from '../auth/access';
import { audit } from '../audit';
import type { ApiDeps } from '../deps';
import { badRequest, conflict, HttpError, notFound } from '../errors';
import { money, moneySchema } from '../money';
import { limitSchema, pageOf } from '../paging';
import { route } from '../route';
import { displayName, partnerIdParams, phaseSchema, tenantIdParams } from '../schemas';
import { awaitShort, runUpdate } from '../workflow-calls';
import { emailSchema } from './auth';
import { summarize, tenantSummarySchema } from './partners';

const ACTIVITY_STATES: Record<number, string> = { 1: 'scheduled', 2: 'started', 3: 'cancel requested', 4: 'paused', 5: 'pause requested' };

type Ts = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined;
const tsIso = (t: Ts) => (t?.seconds !== undefined && t?.seconds !== null ? new Date(Number(t.seconds.toString()) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString() : null);

const operationSchema = z.object({
  workflowId: z.string(),
  runId: z.string(),
  instanceId: z.string().nullable(),
  tenantId: z.string().nullable(),
  tenantSlug: z.string().nullable(),
  name: z.string().nullable(),
  provider: z.string().nullable(),
  phase: z.string().nullable(),
  startedAt: z.string(),
  minutesRunning: z.number(),
  step: z.string().nullable(),
  pendingReason: z.string().nullable(),
  statusMessage: z.string().nullable(),
  pendingActivities: z.array(z.object({ type: z.string(), state: z.string(), attempt: z.number(), lastFailure: z.string().nullable(), lastHeartbeatAt: z.string().nullable(), nextAttemptIn: z.string().nullable() })),
  temporalUrl: z.string(),
});

const grantBody = z
  .object({
    credits: z.number('must be a number').refine((n) => Number.isFinite(n) && n !== 0 && Math.abs(n) <= 1e9, 'must be a non-zero amount of at most 1,000,000,000 credits').optional(),
    amountMicro: z.union([z.string().regex(/^-?\d{1,15}$/, 'must be an integer of at most 15 digits'), z.number().int('must be an integer').min(-1e15).max(1e15)]).optional(),
    description: displayName(200).default('Credits granted by an operator'),
    reason: z.enum(['top_up', 'adjustment'], 'must be top_up or adjustment').default('top_up'),
  })
  .refine((b) => (b.credits === undefined) !== (b.amountMicro === undefined), { message: 'send either credits or amountMicro', path: ['credits'] });

export function adminRoutes(deps: ApiDeps) {
  /** Runs an operator action on a tenant; a refusal or failure is audited too, then rethrown. */
  async function audited<T>(req: Request, action: string, tenantId: string, details: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    try {
      const out = await fn();
      await audit(deps, req, { action, tenantId, targetType: 'tenant', targetId: tenantId, details });
      return out;
    } catch (err) {
      const refused = err instanceof HttpError && err.status < 500;
      await audit(deps, req, { action, tenantId, targetType: 'tenant', targetId: tenantId, result: refused ? 'denied' : 'failure', details: { ...details, reason: (err as Error).message } }).catch(() => undefined);
      throw err;
    }
  }

  async function tenantHandle(tenantId: string) {
    const t = await deps.db.tenant.findUnique({ where: { id: tenantId }, select: { slug: true, workflowId: true, status: true } });
    if (!t) throw notFound('tenant');
    return { tenant: t, handle: deps.temporal.workflow.getHandle(t.workflowId ?? tenantWorkflowId(t.slug)) };
  }

  return [
    route<Record<string, never>, { status?: 'pending' | 'active' | 'suspended' | 'closed'; q?: string; partnerId?: string; limit: number; cursor?: string }>({
      method: 'get',
      path: '/admin/tenants',
      summary: 'Operators: every organization with status, balance and instances (search by subdomain or name)',
      tags: ['operators'],
      access: { kind: 'operator' },
      query: z.object({
        status: z.enum(['pending', 'active', 'suspended', 'closed'], 'is not an organization status').optional(),
        q: z.string().trim().max(100).optional(),
        partnerId: z.uuid('must be a partner id').optional(),
        limit: limitSchema,
        cursor: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'is not a cursor from a previous page').optional(),
      }),
      responses: { 200: { description: 'A page of organizations', schema: pageOf(tenantSummarySchema) } },
      async handler({ query }) {
        const rows = await deps.db.tenant.findMany({
          where: {
            ...(query.status ? { status: query.status } : {}),
            ...(query.partnerId ? { partnerId: query.partnerId } : {}),
            ...(query.q ? { OR: [{ slug: { contains: query.q.toLowerCase() } }, { name: { contains: query.q, mode: 'insensitive' } }] } : {}),
            ...(query.cursor ? { slug: { gt: query.cursor } } : {}),
          },
          orderBy: { slug: 'asc' },
          take: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        return { status: 200, body: { items: await summarize(deps, page), nextCursor: rows.length > query.limit ? page[page.length - 1].slug : null } };
      },
    }),

    route<Record<string, never>, { olderThanMinutes: number; phases: string[]; limit: number }>({
      method: 'get',
      path: '/admin/operations',
      summary: 'Operators: stuck or long-running provisions, from Temporal visibility, each with its Temporal UI link',
      description:
        'Running instance workflows whose LifecyclePhase is one of `phases` (default pending, provisioning, configuring, installing) and that started more than `olderThanMinutes` ago (default 10; 0 lists every one in progress), oldest first, with the current step, why it waits, and the state and last failure of each pending activity.',
      tags: ['operators'],
      access: { kind: 'operator' },
      query: z.object({
        olderThanMinutes: z.coerce.number('must be a number').min(0, 'must be 0 or more').max(100_000, 'must be at most 100000').default(10),
        phases: z
          .string()
          .max(200)
          .default('pending,provisioning,configuring,installing')
          .transform((s) => s.split(',').map((p) => p.trim()))
          .pipe(z.array(phaseSchema).min(1)),
        limit: z.coerce.number().int('must be an integer').min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
      }),
      responses: { 200: { description: 'Operations, oldest first', schema: z.object({ query: z.string(), items: z.array(operationSchema) }) } },
      async handler({ query }) {
        const cutoff = new Date(Date.now() - query.olderThanMinutes * 60_000).toISOString();
        const visibility = [
          'WorkflowType = "instanceWorkflow"',
          'ExecutionStatus = "Running"',
          `LifecyclePhase IN (${query.phases.map((p) => `"${p}"`).join(', ')})`,
          `StartTime < "${cutoff}"`,
          `TaskQueue = "${deps.config.temporal.taskQueue}"`,
        ].join(' AND ');
        const found: { workflowId: string; runId: string; startTime: Date; sa: Record<string, unknown> }[] = [];
        for await (const wf of deps.temporal.workflow.list({ query: visibility, pageSize: 200 })) {
          found.push({ workflowId: wf.workflowId, runId: wf.runId, startTime: wf.startTime, sa: Object.fromEntries(wf.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])) });
          if (found.length >= 1000) break;
        }
        found.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
        const page = found.slice(0, query.limit);
        const ids = page.map((f) => f.workflowId.replace(/^instance-/, '')).filter((id) => /^[0-9a-f-]{36}$/.test(id));
        const rows = await deps.db.instance.findMany({ where: { id: { in: ids } }, include: { tenant: { select: { slug: true } } } });
        const byId = new Map(rows.map((r) => [r.id, r]));
        const items = await Promise.all(
          page.map(async (f) => {
            const instanceId = f.workflowId.replace(/^instance-/, '');
            const row = byId.get(instanceId);
            const desc = await deps.temporal.workflow.getHandle(f.workflowId, f.runId).describe().catch(() => undefined);
            const pendingActivities = (desc?.raw.pendingActivities ?? []).map((a) => ({
              type: a.activityType?.name ?? 'activity',
              state: ACTIVITY_STATES[a.state as number] ?? String(a.state),
              attempt: a.attempt ?? 1,
              lastFailure: a.lastFailure?.message ?? null,
              lastHeartbeatAt: tsIso(a.lastHeartbeatTime as Ts),
              nextAttemptIn: a.currentRetryInterval?.seconds ? `${a.currentRetryInterval.seconds.toString()} s` : null,
            }));
            return {
              workflowId: f.workflowId,
              runId: f.runId,
              instanceId: row ? row.id : (f.sa.InstanceId as string | undefined) ?? null,
              tenantId: row?.tenantId ?? (f.sa.TenantId as string | undefined) ?? null,
              tenantSlug: row?.tenant.slug ?? null,
              name: row?.name ?? null,
              provider: row?.provider ?? (f.sa.Provider as string | undefined) ?? null,
              phase: row?.phase ?? (f.sa.LifecyclePhase as string | undefined) ?? null,
              startedAt: f.startTime.toISOString(),
              minutesRunning: Math.floor((Date.now() - f.startTime.getTime()) / 60_000),
              step: row?.currentStep ?? null,
              pendingReason: row?.pendingReason ?? null,
              statusMessage: row?.statusMessage ?? null,
              pendingActivities,
              temporalUrl: temporalUiLink(deps.config.temporal, f.workflowId, f.runId),
            };
          }),
        );
        return { status: 200, body: { query: visibility, items } };
      },
    }),

    route({
      method: 'get',
      path: '/admin/health',
      summary: 'Operators: the platform and tenant Postgres and each provider service (Docker engine, Orka, Azure)',
      tags: ['operators'],
      access: { kind: 'operator' },
      responses: { 200: { description: 'One check per dependency', schema: z.object({ ok: z.boolean(), checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string() })) }) } },
      async handler({ res }) {
        // The API never calls providers itself: a short workflow runs the checks on a worker.
        const handle = await deps.temporal.workflow.start(platformHealthWorkflow, {
          taskQueue: deps.config.temporal.taskQueue,
          workflowId: `platform-health-${res.locals.requestId as string}`,
          workflowExecutionTimeout: '1 minute',
        });
        const checks = await awaitShort(handle.result(), deps.shortWorkflowTimeoutMs ?? 60_000, 'checking health');
        return { status: 200, body: { ok: Object.values(checks).every((c) => c.ok), checks } };
      },
    }),

    route<z.infer<typeof tenantIdParams>, Record<string, never>, z.infer<typeof grantBody>>({
      method: 'post',
      path: '/admin/tenants/{tenantId}/credits',
      summary: 'Operators: grant (or, negative, withdraw) credits; Idempotency-Key required, so a retry never grants twice',
      tags: ['operators'],
      access: { kind: 'operator' },
      params: tenantIdParams,
      idempotency: 'required',
      body: grantBody,
      responses: { 200: { description: 'Granted', schema: z.object({ balance: moneySchema, status: z.string(), granted: moneySchema }) }, 409: { description: 'The organization is closed' } },
      async handler({ req, params, body, principal, idempotencyKey }) {
        const amountMicro = body.amountMicro !== undefined ? BigInt(body.amountMicro) : BigInt(Math.round(body.credits! * 1e6));
        if (amountMicro === 0n) throw badRequest('the amount is zero', [{ field: body.credits !== undefined ? 'credits' : 'amountMicro', message: 'must not be zero' }]);
        const { handle } = await tenantHandle(params.tenantId);
        const state = await audited(req, 'tenant.credits.grant', params.tenantId, { amountMicro: amountMicro.toString(), reason: body.reason, description: body.description }, () =>
          runUpdate(
            handle,
            grantCreditsUpdate,
            [{ amountMicro: amountMicro.toString(), idempotencyKey: `grant:${params.tenantId}:${idempotencyKey}`, description: body.description, reason: body.reason, actor: actorOf(principal) }],
            'the organization’s lifecycle has ended (closed)',
          ),
        );
        return { status: 200, body: { balance: money(state.balanceMicro ?? '0'), status: state.status, granted: money(amountMicro) } };
      },
    }),

    route<z.infer<typeof tenantIdParams>, Record<string, never>, { reason: string }>({
      method: 'post',
      path: '/admin/tenants/{tenantId}/suspend',
      summary: 'Operators: suspend an organization (running instances stop, data is kept)',
      tags: ['operators'],
      access: { kind: 'operator' },
      params: tenantIdParams,
      body: z.object({ reason: displayName(200) }),
      responses: { 200: { description: 'Suspended', schema: z.object({ status: z.string() }) }, 409: { description: 'Not active' } },
      async handler({ req, params, body, principal }) {
        const { handle } = await tenantHandle(params.tenantId);
        const state = await audited(req, 'tenant.suspend', params.tenantId, { reason: body.reason }, () =>
          runUpdate(handle, suspendTenantUpdate, [{ reason: body.reason, actor: actorOf(principal) }], 'the organization’s lifecycle has ended (closed)'),
        );
        return { status: 200, body: { status: state.status } };
      },
    }),

    route<z.infer<typeof tenantIdParams>>({
      method: 'post',
      path: '/admin/tenants/{tenantId}/resume',
      summary: 'Operators: resume a suspended organization (needs credits; a trial that ended needs a paid plan)',
      tags: ['operators'],
      access: { kind: 'operator' },
      params: tenantIdParams,
      responses: { 200: { description: 'Resumed', schema: z.object({ status: z.string() }) }, 409: { description: 'Not suspended, or cannot resume yet (the reason says why)' } },
      async handler({ req, params, principal }) {
        const { handle } = await tenantHandle(params.tenantId);
        const state = await audited(req, 'tenant.resume', params.tenantId, {}, () => runUpdate(handle, resumeTenantUpdate, [{ actor: actorOf(principal) }], 'the organization’s lifecycle has ended (closed)'));
        return { status: 200, body: { status: state.status } };
      },
    }),

    route({
      method: 'get',
      path: '/admin/partners',
      summary: 'Operators: partners',
      tags: ['operators'],
      access: { kind: 'operator' },
      responses: { 200: { description: 'Partners', schema: z.object({ items: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string(), organizations: z.number(), members: z.number() })) }) } },
      async handler() {
        const rows = await deps.db.partner.findMany({ include: { _count: { select: { tenants: true, memberships: true } } }, orderBy: { slug: 'asc' } });
        return { status: 200, body: { items: rows.map((p) => ({ id: p.id, slug: p.slug, name: p.name, organizations: p._count.tenants, members: p._count.memberships })) } };
      },
    }),

    route<Record<string, never>, Record<string, never>, { slug: string; name: string }>({
      method: 'post',
      path: '/admin/partners',
      summary: 'Operators: create a partner (MSP)',
      tags: ['operators'],
      access: { kind: 'operator' },
      idempotency: 'optional',
      body: z.object({ slug: z.string().trim().toLowerCase().regex(/^[a-z][a-z0-9-]{1,31}$/, 'use 2–32 lower-case letters, digits and hyphens, starting with a letter'), name: displayName(100) }),
      responses: { 201: { description: 'Created', schema: z.object({ id: z.string(), slug: z.string(), name: z.string() }) }, 409: { description: 'Slug taken' } },
      async handler({ req, body }) {
        if (await deps.db.partner.findUnique({ where: { slug: body.slug }, select: { id: true } })) throw conflict('a partner with this slug exists', [{ field: 'slug', message: 'is taken' }]);
        const p = await deps.db.partner.create({ data: { slug: body.slug, name: body.name } });
        await audit(deps, req, { action: 'partner.create', targetType: 'partner', targetId: p.id, details: { slug: p.slug, name: p.name } });
        return { status: 201, body: { id: p.id, slug: p.slug, name: p.name } };
      },
    }),

    route<z.infer<typeof partnerIdParams>, Record<string, never>, { email: string; role: 'partner_admin' | 'partner_viewer' }>({
      method: 'post',
      path: '/admin/partners/{partnerId}/members',
      summary: 'Operators: give a user (by e-mail) a role in a partner',
      tags: ['operators'],
      access: { kind: 'operator' },
      params: partnerIdParams,
      body: z.object({ email: emailSchema, role: z.enum(['partner_admin', 'partner_viewer'], 'must be partner_admin or partner_viewer') }),
      responses: { 201: { description: 'Added or changed', schema: z.object({ partnerId: z.string(), userId: z.string(), role: z.string() }) } },
      async handler({ req, params, body }) {
        if (!(await deps.db.partner.findUnique({ where: { id: params.partnerId }, select: { id: true } }))) throw notFound('partner');
        const user = await deps.db.user.findUnique({ where: { email: body.email }, select: { id: true } });
        if (!user) throw badRequest('no account with this e-mail address', [{ field: 'email', message: 'has no account' }]);
        const pm = await deps.db.partnerMembership.upsert({
          where: { userId_partnerId: { userId: user.id, partnerId: params.partnerId } },
          create: { userId: user.id, partnerId: params.partnerId, role: body.role },
          update: { role: body.role },
        });
        await audit(deps, req, { action: 'partner.member.set', targetType: 'partner', targetId: params.partnerId, details: { userId: user.id, role: body.role } });
        return { status: 201, body: { partnerId: pm.partnerId, userId: pm.userId, role: pm.role } };
      },
    }),

    route<z.infer<typeof tenantIdParams>, Record<string, never>, { partnerId: string | null }>({
      method: 'put',
      path: '/admin/tenants/{tenantId}/partner',
      summary: 'Operators: put an organization under a partner (or take it out with null)',
      tags: ['operators'],
      access: { kind: 'operator' },
      params: tenantIdParams,
      body: z.object({ partnerId: z.uuid('must be a partner id').nullable() }),
      responses: { 200: { description: 'Changed', schema: z.object({ tenantId: z.string(), partnerId: z.string().nullable() }) } },
      async handler({ req, params, body }) {
        if (!(await deps.db.tenant.findUnique({ where: { id: params.tenantId }, select: { id: true } }))) throw notFound('tenant');
        if (body.partnerId && !(await deps.db.partner.findUnique({ where: { id: body.partnerId }, select: { id: true } }))) {
          throw badRequest('no such partner', [{ field: 'partnerId', message: 'is not a partner' }]);
        }
        await deps.db.tenant.update({ where: { id: params.tenantId }, data: { partnerId: body.partnerId } });
        await audit(deps, req, { action: 'tenant.partner.set', tenantId: params.tenantId, targetType: 'tenant', targetId: params.tenantId, details: { partnerId: body.partnerId } });
        return { status: 200, body: { tenantId: params.tenantId, partnerId: body.partnerId } };
      },
    }),
  ];
}
