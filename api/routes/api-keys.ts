// API keys of an organization, for automation. The secret is returned once, at creation; the
// database keeps its SHA-256. A key's scope (role, site) never exceeds its creator's, and is
// re-bounded by the creator's standing on every use (api/auth/api-keys.ts).
import { z } from 'zod';
import type { MemberRole } from '../../lib/db';
import { generateApiKey } from '../auth/api-keys';
import { roleAtLeast } from '../auth/access';
import { audit } from '../audit';
import type { ApiDeps } from '../deps';
import { badRequest, forbidden, notFound } from '../errors';
import { route } from '../route';
import { displayName, roleSchema, tenantIdParams, uuid } from '../schemas';
import { inTenant } from '../tenant-scope';

const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('public part, e.g. tk_3f9a2c1b7d0e'),
  role: roleSchema,
  siteId: z.string().nullable(),
  createdById: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const keyParams = tenantIdParams.extend({ keyId: uuid('an API key id') });

type KeyRow = { id: string; name: string; prefix: string; role: MemberRole; siteId: string | null; createdById: string; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null; revokedAt: Date | null };
const keyOut = (k: KeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  siteId: k.siteId,
  createdById: k.createdById,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  expiresAt: k.expiresAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});
const keyColumns = { id: true, name: true, prefix: true, role: true, siteId: true, createdById: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true } as const;

export function apiKeyRoutes(deps: ApiDeps) {
  return [
    route<z.infer<typeof tenantIdParams>>({
      method: 'get',
      path: '/tenants/{tenantId}/api-keys',
      summary: 'API keys of the organization (admins see all, others their own); never the secrets',
      tags: ['api keys'],
      access: { kind: 'tenant', minRole: 'viewer', users: true },
      params: tenantIdParams,
      responses: { 200: { description: 'Keys', schema: z.object({ items: z.array(keySchema) }) } },
      async handler({ params, access, principal }) {
        const mineOnly = !roleAtLeast(access.role, 'admin') && principal.kind === 'user';
        const rows = await inTenant(deps.db, params.tenantId, (tx) =>
          tx.apiKey.findMany({
            where: { tenantId: params.tenantId, ...(mineOnly && principal.kind === 'user' ? { createdById: principal.userId } : {}) },
            select: keyColumns,
            orderBy: { createdAt: 'desc' },
          }),
        );
        return { status: 200, body: { items: rows.map(keyOut) } };
      },
    }),

    route<z.infer<typeof tenantIdParams>, Record<string, never>, { name: string; role?: MemberRole; siteId?: string | null; expiresInDays?: number }>({
      method: 'post',
      path: '/tenants/{tenantId}/api-keys',
      summary: 'Create an API key, at most your own role and site; the secret is in this answer only',
      tags: ['api keys'],
      access: { kind: 'tenant', minRole: 'viewer', users: true },
      params: tenantIdParams,
      idempotency: 'optional',
      body: z.object({
        name: displayName(64),
        role: roleSchema.optional().describe('default: your own role'),
        siteId: uuid('a site id').nullable().optional(),
        expiresInDays: z.number().int('must be a whole number of days').min(1, 'must be at least 1').max(3650, 'must be at most 3650').optional(),
      }),
      responses: { 201: { description: 'Created; `key` is shown only now', schema: keySchema.extend({ key: z.string() }) }, 403: { description: 'More than your own scope' } },
      async handler({ req, params, body, access, principal }) {
        if (principal.kind !== 'user') throw forbidden('API keys cannot create API keys');
        if (access.via === 'operator') throw forbidden('operators act with their own session; API keys belong to members of the organization');
        const role = body.role ?? access.role;
        if (!roleAtLeast(access.role, role)) throw forbidden(`a key cannot have more than your own role (${access.role})`);
        let siteId = body.siteId ?? null;
        if (access.siteId) {
          if (siteId && siteId !== access.siteId) throw forbidden('your role is limited to one site; a key cannot reach another');
          siteId = access.siteId;
        }
        const { token, prefix, secretHash } = generateApiKey();
        const key = await inTenant(deps.db, params.tenantId, async (tx) => {
          if (siteId && !(await tx.site.findFirst({ where: { id: siteId, tenantId: params.tenantId }, select: { id: true } }))) {
            throw badRequest('no such site in this organization', [{ field: 'siteId', message: 'is not a site of this organization' }]);
          }
          return tx.apiKey.create({
            data: {
              tenantId: params.tenantId,
              createdById: principal.userId,
              name: body.name,
              prefix,
              secretHash,
              role,
              siteId,
              expiresAt: body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : null,
            },
            select: keyColumns,
          });
        });
        await audit(deps, req, { access, action: 'api_key.create', tenantId: params.tenantId, targetType: 'api_key', targetId: key.id, details: { name: key.name, prefix, role, siteId } });
        return { status: 201, body: { ...keyOut(key), key: token }, headers: { 'Cache-Control': 'no-store' } };
      },
    }),

    route<z.infer<typeof keyParams>>({
      method: 'delete',
      path: '/tenants/{tenantId}/api-keys/{keyId}',
      summary: 'Revoke an API key (its creator, or an admin)',
      tags: ['api keys'],
      access: { kind: 'tenant', minRole: 'viewer', users: true },
      params: keyParams,
      responses: { 204: { description: 'Revoked' } },
      async handler({ req, params, access, principal }) {
        await inTenant(deps.db, params.tenantId, async (tx) => {
          const key = await tx.apiKey.findFirst({ where: { id: params.keyId, tenantId: params.tenantId }, select: { id: true, createdById: true, revokedAt: true } });
          const own = principal.kind === 'user' && key?.createdById === principal.userId;
          if (!key || (!own && !roleAtLeast(access.role, 'admin'))) throw notFound('API key');
          if (!key.revokedAt) await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
        });
        await audit(deps, req, { access, action: 'api_key.revoke', tenantId: params.tenantId, targetType: 'api_key', targetId: params.keyId });
        return { status: 204 };
      },
    }),
  ];
}
