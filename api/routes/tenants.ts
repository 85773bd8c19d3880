import { z } from 'zod';
import { tenantAccess } from '../auth/access';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import { route } from '../route';

export const tenantIdParams = z.object({ tenantId: z.uuid('must be a tenant id (UUID)') });

const tenantResponse = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: z.enum(['pending', 'active', 'suspended', 'closed']),
  statusReason: z.string().nullable(),
  plan: z.object({ code: z.string(), name: z.string() }),
  trialEndsAt: z.string(),
  partnerId: z.string().nullable(),
  quotas: z.object({ maxInstances: z.number(), maxVcpu: z.number(), maxMemoryMb: z.number(), maxConcurrentProvisions: z.number() }),
  role: z.string(),
  createdAt: z.string(),
});

export function tenantRoutes(deps: ApiDeps) {
  return [
    route<z.infer<typeof tenantIdParams>>({
      method: 'get',
      path: '/tenants/{tenantId}',
      summary: 'An organization: status, plan, trial end and quotas',
      tags: ['tenants'],
      auth: 'session',
      params: tenantIdParams,
      responses: { 200: { description: 'The organization', schema: tenantResponse }, 404: { description: 'Not found or not yours' } },
      async handler({ req, params }) {
        const access = await tenantAccess(deps, req, params.tenantId);
        const t = await deps.db.tenant.findUnique({ where: { id: params.tenantId }, include: { plan: true } });
        if (!t) throw notFound('tenant');
        return {
          status: 200,
          body: {
            id: t.id,
            slug: t.slug,
            name: t.name,
            status: t.status,
            statusReason: t.statusReason,
            plan: { code: t.plan.code, name: t.plan.name },
            trialEndsAt: t.trialEndsAt.toISOString(),
            partnerId: t.partnerId,
            quotas: {
              maxInstances: t.maxInstances ?? t.plan.maxInstances,
              maxVcpu: t.maxVcpu ?? t.plan.maxVcpu,
              maxMemoryMb: t.maxMemoryMb ?? t.plan.maxMemoryMb,
              maxConcurrentProvisions: t.plan.maxConcurrentProvisions,
            },
            role: access.role,
            createdAt: t.createdAt.toISOString(),
          },
        };
      },
    }),
  ];
}
