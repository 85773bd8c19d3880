// Organizations: the organization itself (with its quotas and what it uses of them), its plan, the
// plans on offer, the providers and catalogue for the console's dropdowns, and subdomain checks.
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { CATALOG, type ProviderName } from '../../lib/catalog';
import { subdomainSchema } from '../../lib/subdomains';
import { changePlanUpdate, tenantWorkflowId } from '../../workflows/tenant';
import { actorOf } from '../auth/access';
import { audit } from '../audit';
import type { ApiDeps } from '../deps';
import { badRequest, notFound } from '../errors';
import { money, moneySchema } from '../money';
import { typicalProvisionSecondsCache } from '../provision-times';
import { quotaState } from '../quota';
import { route } from '../route';
import { tenantIdParams } from '../schemas';
import { services } from '../services';
import { inTenant } from '../tenant-scope';
import { runUpdate } from '../workflow-calls';

export { tenantIdParams } from '../schemas';

const quotaSchema = z.object({
  limits: z.object({ instances: z.number(), vcpu: z.number(), memoryMb: z.number(), concurrentProvisions: z.number() }),
  used: z.object({ instances: z.number(), vcpu: z.number(), memoryMb: z.number() }),
});

const tenantResponse = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: z.enum(['pending', 'active', 'suspended', 'closed']),
  statusReason: z.string().nullable(),
  plan: z.object({ code: z.string(), name: z.string(), paid: z.boolean() }),
  trialEndsAt: z.string(),
  graceUntil: z.string().nullable(),
  partnerId: z.string().nullable(),
  quotas: z.object({ maxInstances: z.number(), maxVcpu: z.number(), maxMemoryMb: z.number(), maxConcurrentProvisions: z.number() }),
  usage: quotaSchema.shape.used,
  role: z.string(),
  siteId: z.string().nullable().describe('set when you are limited to one site'),
  access: z.enum(['membership', 'partner', 'operator', 'api_key']),
  createdAt: z.string(),
});

const planSchema = z.object({
  code: z.string(),
  name: z.string(),
  paid: z.boolean(),
  trialCredits: moneySchema,
  trialDays: z.number(),
  quotas: z.object({ maxInstances: z.number(), maxVcpu: z.number(), maxMemoryMb: z.number(), maxConcurrentProvisions: z.number() }),
  prices: z.array(z.object({ provider: z.string(), size: z.string(), perHour: moneySchema, allocatedPerHour: moneySchema })),
});

const providersResponse = z.object({
  providers: z.array(
    z.object({
      name: z.enum(['docker', 'orka', 'azure']),
      label: z.string(),
      description: z.string(),
      sandbox: z.boolean().describe('served by the project’s simulator, not a real cloud'),
      acceptsCredentials: z.boolean().describe('organizations may bring their own cloud credential'),
      credentialFields: z.array(z.string()),
      regions: z.array(z.string()),
      defaultRegion: z.string(),
      templates: z.array(z.object({ name: z.string(), label: z.string(), description: z.string() })),
      defaultTemplate: z.string(),
      sizes: z.array(z.object({ name: z.string(), label: z.string(), vcpu: z.number(), memoryMb: z.number() })),
      defaultSize: z.string(),
      typicalProvisionSeconds: z
        .number()
        .nullable()
        .describe('how long a provision usually takes here: the median, over recent ones, from getting a provisioning slot to running; null until a few have run'),
    }),
  ),
});

/** Providers whose instances may run with an organization's own credential, and its public fields. */
export const CREDENTIAL_FIELDS: Partial<Record<ProviderName, string[]>> = { azure: ['tenantId', 'clientId', 'subscriptionId'] };

export function tenantRoutes(deps: ApiDeps) {
  const typicalProvisionSeconds = typicalProvisionSecondsCache(deps.db);
  return [
    route<z.infer<typeof tenantIdParams>>({
      method: 'get',
      path: '/tenants/{tenantId}',
      summary: 'An organization: status, plan, trial end, quotas and what it uses of them',
      tags: ['tenants'],
      access: { kind: 'tenant', minRole: 'viewer' },
      params: tenantIdParams,
      responses: { 200: { description: 'The organization', schema: tenantResponse }, 404: { description: 'Not found or not yours' } },
      async handler({ params, access }) {
        const out = await inTenant(deps.db, params.tenantId, async (tx) => {
          const t = await tx.tenant.findUnique({ where: { id: params.tenantId }, include: { plan: true } });
          const q = await quotaState(tx, params.tenantId);
          return t && q ? { t, q } : undefined;
        });
        if (!out) throw notFound('tenant');
        const { t, q } = out;
        return {
          status: 200,
          body: {
            id: t.id,
            slug: t.slug,
            name: t.name,
            status: t.status,
            statusReason: t.statusReason,
            plan: { code: t.plan.code, name: t.plan.name, paid: t.plan.paid },
            trialEndsAt: t.trialEndsAt.toISOString(),
            graceUntil: t.graceUntil?.toISOString() ?? null,
            partnerId: t.partnerId,
            quotas: { maxInstances: q.limits.instances, maxVcpu: q.limits.vcpu, maxMemoryMb: q.limits.memoryMb, maxConcurrentProvisions: q.limits.concurrentProvisions },
            usage: q.used,
            role: access.role,
            siteId: access.siteId,
            access: access.via,
            createdAt: t.createdAt.toISOString(),
          },
        };
      },
    }),

    route<z.infer<typeof tenantIdParams>, Record<string, never>, { plan: string }>({
      method: 'post',
      path: '/tenants/{tenantId}/plan',
      summary: 'Change the organization’s plan (owners); a paid plan lifts a trial suspension',
      tags: ['tenants'],
      access: { kind: 'tenant', minRole: 'owner' },
      params: tenantIdParams,
      body: z.object({ plan: z.string().trim().min(1, 'is required').max(32) }),
      responses: { 200: { description: 'Plan changed', schema: z.object({ plan: z.string(), status: z.string() }) }, 409: { description: 'The organization is closed' } },
      async handler({ req, params, body, access }) {
        const plan = await deps.db.plan.findUnique({ where: { code: body.plan } });
        if (!plan) throw badRequest(`unknown plan "${body.plan}"`, [{ field: 'plan', message: 'is not one of our plans' }]);
        const tenant = await inTenant(deps.db, params.tenantId, (tx) => tx.tenant.findUniqueOrThrow({ where: { id: params.tenantId }, select: { slug: true, workflowId: true, planCode: true } }));
        const handle = deps.temporal.workflow.getHandle(tenant.workflowId ?? tenantWorkflowId(tenant.slug));
        try {
          const state = await runUpdate(handle, changePlanUpdate, [{ planCode: plan.code, actor: actorOf(access.principal, access) }], 'the organization is not active');
          await audit(deps, req, { access, action: 'tenant.plan.change', tenantId: params.tenantId, targetType: 'tenant', targetId: params.tenantId, details: { from: tenant.planCode, to: plan.code } });
          return { status: 200, body: { plan: state.planCode, status: state.status } };
        } catch (err) {
          await audit(deps, req, { access, action: 'tenant.plan.change', tenantId: params.tenantId, targetType: 'tenant', targetId: params.tenantId, result: 'failure', details: { to: plan.code, reason: (err as Error).message } });
          throw err;
        }
      },
    }),

    route({
      method: 'get',
      path: '/plans',
      summary: 'The plans on offer, with their quotas and prices (for the signup wizard)',
      tags: ['tenants'],
      access: { kind: 'public' },
      responses: { 200: { description: 'Plans', schema: z.object({ plans: z.array(planSchema) }) } },
      async handler() {
        const plans = await deps.db.plan.findMany({ include: { prices: true }, orderBy: { sortOrder: 'asc' } });
        const offered = deps.config.providers.offered as string[];
        return {
          status: 200,
          body: {
            plans: plans.map((p) => ({
              code: p.code,
              name: p.name,
              paid: p.paid,
              trialCredits: money(p.trialCreditsMicro),
              trialDays: p.trialDays,
              quotas: { maxInstances: p.maxInstances, maxVcpu: p.maxVcpu, maxMemoryMb: p.maxMemoryMb, maxConcurrentProvisions: p.maxConcurrentProvisions },
              prices: p.prices
                .filter((x) => offered.includes(x.provider))
                .map((x) => ({ provider: x.provider, size: x.size, perHour: money(x.perMinuteMicro * 60n), allocatedPerHour: money(x.allocatedPerMinuteMicro * 60n) })),
            })),
          },
        };
      },
    }),

    route({
      method: 'get',
      path: '/providers',
      summary: 'Providers this platform offers, which are sandboxes, and their catalogue (templates, sizes, regions)',
      tags: ['instances'],
      access: { kind: 'signed-in' },
      responses: { 200: { description: 'Providers', schema: providersResponse } },
      async handler() {
        const { offered, sandbox } = deps.config.providers;
        // The catalogue answers even when the figures cannot be measured (they are a courtesy).
        const typical = await typicalProvisionSeconds().catch((err: Error) => {
          deps.log.warn({ err }, 'typical provision times unavailable');
          return {} as Record<string, number>;
        });
        return {
          status: 200,
          body: {
            providers: offered.map((name) => {
              const c = CATALOG[name];
              return {
                name,
                label: c.label,
                description: c.description,
                sandbox: sandbox.includes(name),
                acceptsCredentials: Boolean(CREDENTIAL_FIELDS[name]),
                credentialFields: CREDENTIAL_FIELDS[name] ?? [],
                regions: c.regions,
                defaultRegion: c.defaultRegion,
                templates: Object.entries(c.templates).map(([n, t]) => ({ name: n, label: t.label, description: t.description })),
                defaultTemplate: c.defaultTemplate,
                sizes: Object.entries(c.sizes).map(([n, s]) => ({ name: n, label: s.label, vcpu: s.vcpu, memoryMb: s.memoryMb })),
                defaultSize: c.defaultSize,
                typicalProvisionSeconds: typical[name] ?? null,
              };
            }),
          },
        };
      },
    }),

    route<{ slug: string }>({
      method: 'get',
      path: '/subdomains/{slug}',
      summary: 'Is this subdomain free for a new organization? (live check in the signup wizard)',
      tags: ['auth'],
      access: { kind: 'public' },
      params: z.object({ slug: z.string().max(253, 'must be at most 253 characters') }),
      responses: { 200: { description: 'Availability', schema: z.object({ slug: z.string(), available: z.boolean(), reason: z.string().optional() }) }, 429: { description: 'Too many checks' } },
      async handler({ req, params }) {
        const { limiter } = services(deps);
        await limiter.enforce(`public:ip:${req.ip}`, limiter.limits.publicPerIp, 'requests from your address');
        const parsed = subdomainSchema.safeParse(params.slug);
        if (!parsed.success) return { status: 200, body: { slug: params.slug, available: false, reason: parsed.error.issues[0].message } };
        const slug = parsed.data;
        if (await deps.db.tenant.findUnique({ where: { slug }, select: { id: true } })) return { status: 200, body: { slug, available: false, reason: 'is taken' } };
        try {
          const desc = await deps.temporal.workflow.getHandle(tenantWorkflowId(slug)).describe();
          if (desc.status.name === 'RUNNING') return { status: 200, body: { slug, available: false, reason: 'is being signed up right now' } };
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
        return { status: 200, body: { slug, available: true } };
      },
    }),
  ];
}
