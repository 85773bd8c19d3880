import { z } from 'zod';
import { requireAuth } from '../auth/sessions';
import type { ApiDeps } from '../deps';
import { route } from '../route';

const meResponse = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), isOperator: z.boolean() }).nullable(),
  apiKey: z.object({ id: z.string(), tenantId: z.string(), role: z.string() }).nullable(),
  memberships: z.array(z.object({ tenantId: z.string(), slug: z.string(), name: z.string(), status: z.string(), role: z.string(), siteId: z.string().nullable() })),
  partners: z.array(z.object({ partnerId: z.string(), name: z.string(), role: z.string() })),
});

export function meRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'get',
      path: '/me',
      summary: 'The caller: user, organizations and roles',
      tags: ['auth'],
      access: { kind: 'signed-in' },
      responses: { 200: { description: 'The caller', schema: meResponse }, 401: { description: 'Not signed in' } },
      async handler({ req }) {
        const p = requireAuth(req);
        if (p.kind === 'api_key') {
          const t = await deps.db.tenant.findUniqueOrThrow({ where: { id: p.tenantId } });
          return {
            status: 200,
            body: {
              user: null,
              apiKey: { id: p.keyId, tenantId: p.tenantId, role: p.role },
              memberships: [{ tenantId: t.id, slug: t.slug, name: t.name, status: t.status, role: p.role, siteId: p.siteId }],
              partners: [],
            },
          };
        }
        const [memberships, partners] = await Promise.all([
          deps.db.membership.findMany({ where: { userId: p.userId }, include: { tenant: true }, orderBy: { createdAt: 'asc' } }),
          deps.db.partnerMembership.findMany({ where: { userId: p.userId }, include: { partner: true } }),
        ]);
        return {
          status: 200,
          body: {
            user: { id: p.userId, email: p.email, name: p.name, isOperator: p.isOperator },
            apiKey: null,
            memberships: memberships.map((m) => ({ tenantId: m.tenantId, slug: m.tenant.slug, name: m.tenant.name, status: m.tenant.status, role: m.role, siteId: m.siteId })),
            partners: partners.map((m) => ({ partnerId: m.partnerId, name: m.partner.name, role: m.role })),
          },
        };
      },
    }),
  ];
}
