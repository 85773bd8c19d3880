// Sites: locations inside an organization (partner > organization > site > instance). Members and
// API keys may be limited to one site; they then see and create instances only there.
import { z } from 'zod';
import { audit } from '../audit';
import { forbidden, conflict } from '../errors';
import type { ApiDeps } from '../deps';
import { route } from '../route';
import { displayName, tenantIdParams } from '../schemas';
import { inTenant } from '../tenant-scope';

const siteSchema = z.object({ id: z.string(), name: z.string(), instances: z.number().describe('instances that exist (not destroyed)'), createdAt: z.string() });

export function siteRoutes(deps: ApiDeps) {
  return [
    route<z.infer<typeof tenantIdParams>>({
      method: 'get',
      path: '/tenants/{tenantId}/sites',
      summary: 'Sites of the organization (only your own when you are limited to one)',
      tags: ['sites'],
      access: { kind: 'tenant', minRole: 'viewer' },
      params: tenantIdParams,
      responses: { 200: { description: 'Sites', schema: z.object({ items: z.array(siteSchema) }) } },
      async handler({ params, access }) {
        const rows = await inTenant(deps.db, params.tenantId, (tx) =>
          tx.site.findMany({
            where: { tenantId: params.tenantId, ...(access.siteId ? { id: access.siteId } : {}) },
            include: { _count: { select: { instances: { where: { phase: { notIn: ['destroyed', 'failed', 'cancelled'] } } } } } },
            orderBy: { name: 'asc' },
          }),
        );
        return { status: 200, body: { items: rows.map((s) => ({ id: s.id, name: s.name, instances: s._count.instances, createdAt: s.createdAt.toISOString() })) } };
      },
    }),

    route<z.infer<typeof tenantIdParams>, Record<string, never>, { name: string }>({
      method: 'post',
      path: '/tenants/{tenantId}/sites',
      summary: 'Create a site (organization-wide admins)',
      tags: ['sites'],
      access: { kind: 'tenant', minRole: 'admin' },
      params: tenantIdParams,
      idempotency: 'optional',
      body: z.object({ name: displayName(64) }),
      responses: { 201: { description: 'Created', schema: siteSchema }, 409: { description: 'A site with this name exists' } },
      async handler({ req, params, body, access }) {
        if (access.siteId) throw forbidden('creating sites needs an organization-wide role; yours is limited to one site');
        const site = await inTenant(deps.db, params.tenantId, async (tx) => {
          if (await tx.site.findFirst({ where: { tenantId: params.tenantId, name: body.name }, select: { id: true } })) {
            throw conflict('a site with this name exists', [{ field: 'name', message: 'is already used by another site' }]);
          }
          return tx.site.create({ data: { tenantId: params.tenantId, name: body.name } });
        });
        await audit(deps, req, { access, action: 'site.create', tenantId: params.tenantId, targetType: 'site', targetId: site.id, details: { name: site.name } });
        return { status: 201, body: { id: site.id, name: site.name, instances: 0, createdAt: site.createdAt.toISOString() } };
      },
    }),
  ];
}
