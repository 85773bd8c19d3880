// The organization's audit log: who (user, API key, operator, system) did what, to which target,
// with what result, from where, under which request id. Filterable, newest first, paged.
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { idCursorSchema, limitSchema, pageOf } from '../paging';
import { route } from '../route';
import { isoTime, tenantIdParams } from '../schemas';
import { inTenant } from '../tenant-scope';

const entrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ type: z.enum(['user', 'api_key', 'operator', 'system']), id: z.string().nullable(), name: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
  result: z.enum(['success', 'failure', 'denied']),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.unknown(),
});

const auditQuery = z.object({
  action: z
    .string()
    .max(100)
    .regex(/^[a-z0-9_.]+\*?$/, 'letters, digits, dots and underscores, optionally ending in * (prefix)')
    .optional()
    .describe('exact action, or a prefix ending in *, e.g. instance.*'),
  actorType: z.enum(['user', 'api_key', 'operator', 'system'], 'must be user, api_key, operator or system').optional(),
  actorId: z.string().max(100).optional(),
  result: z.enum(['success', 'failure', 'denied'], 'must be success, failure or denied').optional(),
  targetId: z.string().max(100).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: limitSchema,
  cursor: idCursorSchema,
});

export function auditRoutes(deps: ApiDeps) {
  return [
    route<z.infer<typeof tenantIdParams>, z.infer<typeof auditQuery>>({
      method: 'get',
      path: '/tenants/{tenantId}/audit',
      summary: 'The audit log of the organization (admins): filter by action, actor, result, target and time',
      tags: ['audit'],
      access: { kind: 'tenant', minRole: 'admin' },
      params: tenantIdParams,
      query: auditQuery,
      responses: { 200: { description: 'A page of entries, newest first', schema: pageOf(entrySchema) } },
      async handler({ params, query }) {
        const { rows, names } = await inTenant(deps.db, params.tenantId, async (tx) => {
          const rows = await tx.auditLog.findMany({
            where: {
              tenantId: params.tenantId,
              ...(query.action ? (query.action.endsWith('*') ? { action: { startsWith: query.action.slice(0, -1) } } : { action: query.action }) : {}),
              ...(query.actorType ? { actorType: query.actorType } : {}),
              ...(query.actorId ? { actorId: query.actorId } : {}),
              ...(query.result ? { result: query.result } : {}),
              ...(query.targetId ? { targetId: query.targetId } : {}),
              ...(query.from || query.to ? { at: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) } } : {}),
              ...(query.cursor ? { id: { lt: BigInt(query.cursor) } } : {}),
            },
            orderBy: { id: 'desc' },
            take: query.limit + 1,
          });
          // Names of the users involved, as far as they are members (the tenant role sees no others).
          const userIds = [...new Set(rows.filter((r) => r.actorType !== 'api_key' && r.actorId && /^[0-9a-f-]{36}$/.test(r.actorId)).map((r) => r.actorId!))];
          const users = userIds.length ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }) : [];
          const keyIds = [...new Set(rows.filter((r) => r.actorType === 'api_key' && r.actorId).map((r) => r.actorId!))].filter((id) => /^[0-9a-f-]{36}$/.test(id));
          const keys = keyIds.length ? await tx.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, name: true, prefix: true } }) : [];
          const names = new Map<string, string>([...users.map((u) => [u.id, `${u.name} <${u.email}>`] as const), ...keys.map((k) => [k.id, `${k.name} (${k.prefix})`] as const)]);
          return { rows, names };
        });
        const page = rows.slice(0, query.limit);
        return {
          status: 200,
          body: {
            items: page.map((r) => ({
              id: r.id.toString(),
              at: r.at.toISOString(),
              actor: { type: r.actorType, id: r.actorId, name: r.actorId ? (names.get(r.actorId) ?? null) : null },
              action: r.action,
              target: { type: r.targetType, id: r.targetId },
              result: r.result,
              ip: r.ip,
              requestId: r.requestId,
              details: r.details ?? null,
            })),
            nextCursor: rows.length > query.limit ? page[page.length - 1].id.toString() : null,
          },
        };
      },
    }),
  ];
}
