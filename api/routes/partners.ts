// Partners (MSPs): a partner's admins act as admins, its viewers as viewers, in every organization
// the partner manages. These routes list those organizations and let partner admins create new ones
// for their customers (through the same signup workflow as everyone else).
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import { money, moneySchema } from '../money';
import { limitSchema, pageOf } from '../paging';
import { route } from '../route';
import { partnerIdParams } from '../schemas';
import { services } from '../services';
import { signupBody, startSignup } from './auth';

export const tenantSummarySchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: z.enum(['pending', 'active', 'suspended', 'closed']),
  statusReason: z.string().nullable(),
  plan: z.string(),
  partnerId: z.string().nullable(),
  balance: moneySchema,
  instances: z.object({ live: z.number(), provisioning: z.number(), running: z.number() }),
  trialEndsAt: z.string(),
  createdAt: z.string(),
});

type TenantRow = { id: string; slug: string; name: string; status: 'pending' | 'active' | 'suspended' | 'closed'; statusReason: string | null; planCode: string; partnerId: string | null; trialEndsAt: Date; createdAt: Date };

/** Summaries of several organizations at once (partner and operator views; not tenant-scoped). */
export async function summarize(deps: ApiDeps, tenants: TenantRow[]) {
  const ids = tenants.map((t) => t.id);
  if (ids.length === 0) return [];
  const [balances, counts] = await Promise.all([
    deps.db.creditLedgerEntry.groupBy({ by: ['tenantId'], where: { tenantId: { in: ids } }, _sum: { amountMicro: true } }),
    deps.db.instance.groupBy({ by: ['tenantId', 'phase'], where: { tenantId: { in: ids }, phase: { notIn: ['destroyed', 'failed', 'cancelled'] } }, _count: { _all: true } }),
  ]);
  const balance = new Map(balances.map((b) => [b.tenantId, b._sum.amountMicro ?? 0n]));
  return tenants.map((t) => {
    const mine = counts.filter((c) => c.tenantId === t.id);
    const n = (pred: (phase: string) => boolean) => mine.filter((c) => pred(c.phase)).reduce((a, c) => a + c._count._all, 0);
    return {
      id: t.id,
      slug: t.slug,
      name: t.name,
      status: t.status,
      statusReason: t.statusReason,
      plan: t.planCode,
      partnerId: t.partnerId,
      balance: money(balance.get(t.id) ?? 0n),
      instances: { live: n(() => true), provisioning: n((p) => ['pending', 'provisioning', 'configuring', 'installing'].includes(p)), running: n((p) => p === 'running') },
      trialEndsAt: t.trialEndsAt.toISOString(),
      createdAt: t.createdAt.toISOString(),
    };
  });
}

const cursorSchema = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'is not a cursor from a previous page').optional();

export function partnerRoutes(deps: ApiDeps) {
  return [
    route<z.infer<typeof partnerIdParams>>({
      method: 'get',
      path: '/partners/{partnerId}',
      summary: 'A partner and your role in it',
      tags: ['partners'],
      access: { kind: 'partner', minRole: 'partner_viewer' },
      params: partnerIdParams,
      responses: { 200: { description: 'The partner', schema: z.object({ id: z.string(), slug: z.string(), name: z.string(), role: z.string(), organizations: z.number() }) } },
      async handler({ params, partner }) {
        const p = await deps.db.partner.findUnique({ where: { id: params.partnerId }, include: { _count: { select: { tenants: true } } } });
        if (!p) throw notFound('partner');
        return { status: 200, body: { id: p.id, slug: p.slug, name: p.name, role: partner.role, organizations: p._count.tenants } };
      },
    }),

    route<z.infer<typeof partnerIdParams>, { status?: 'pending' | 'active' | 'suspended' | 'closed'; limit: number; cursor?: string }>({
      method: 'get',
      path: '/partners/{partnerId}/tenants',
      summary: 'The organizations a partner manages, with status, balance and instances (by subdomain, paged)',
      tags: ['partners'],
      access: { kind: 'partner', minRole: 'partner_viewer' },
      params: partnerIdParams,
      query: z.object({ status: z.enum(['pending', 'active', 'suspended', 'closed'], 'is not an organization status').optional(), limit: limitSchema, cursor: cursorSchema }),
      responses: { 200: { description: 'A page of organizations', schema: pageOf(tenantSummarySchema) } },
      async handler({ params, query }) {
        const rows = await deps.db.tenant.findMany({
          where: { partnerId: params.partnerId, ...(query.status ? { status: query.status } : {}), ...(query.cursor ? { slug: { gt: query.cursor } } : {}) },
          orderBy: { slug: 'asc' },
          take: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        return { status: 200, body: { items: await summarize(deps, page), nextCursor: rows.length > query.limit ? page[page.length - 1].slug : null } };
      },
    }),

    route<z.infer<typeof partnerIdParams>, Record<string, never>, z.infer<typeof signupBody>>({
      method: 'post',
      path: '/partners/{partnerId}/tenants',
      summary: 'Create an organization for a customer (partner admins): same fields as signup; the partner manages it',
      tags: ['partners'],
      access: { kind: 'partner', minRole: 'partner_admin' },
      params: partnerIdParams,
      body: signupBody,
      responses: { 202: { description: 'Signup started', schema: z.object({ tenantId: z.string(), workflowId: z.string() }) }, 409: { description: 'Subdomain or e-mail taken' } },
      async handler({ req, params, body }) {
        const { limiter } = services(deps);
        await limiter.enforce(`signup:partner:${params.partnerId}`, limiter.limits.signupPerIp, 'organizations created by this partner');
        return { status: 202, body: await startSignup(deps, req, body, params.partnerId) };
      },
    }),
  ];
}
