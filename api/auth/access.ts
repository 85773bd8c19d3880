// Authorization over partner > organization > site. Every tenant-scoped route calls `tenantAccess`
// first. A caller without any access to the tenant gets 404, never 403, so the existence of other
// tenants' resources does not leak; a caller with access but too small a role gets 403.
import type { Request } from 'express';
import type { MemberRole } from '../../lib/db';
import type { ApiDeps } from '../deps';
import { forbidden, notFound } from '../errors';
import { requireAuth, type Principal } from './sessions';

const RANK: Record<MemberRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export const roleAtLeast = (role: MemberRole, min: MemberRole) => RANK[role] >= RANK[min];

export interface TenantAccess {
  principal: Principal;
  tenantId: string;
  role: MemberRole;
  /** Set when the caller is limited to one site of the tenant. */
  siteId: string | null;
  /** How access was obtained, for the audit log. */
  via: 'membership' | 'partner' | 'operator' | 'api_key';
}

/** Resolves the caller's role in a tenant, or throws 404 when they have none. */
export async function resolveTenantAccess(deps: ApiDeps, principal: Principal, tenantId: string): Promise<TenantAccess | undefined> {
  if (principal.kind === 'api_key') {
    return principal.tenantId === tenantId
      ? { principal, tenantId, role: principal.role, siteId: principal.siteId, via: 'api_key' }
      : undefined;
  }
  if (principal.isOperator) return { principal, tenantId, role: 'owner', siteId: null, via: 'operator' };
  const membership = await deps.db.membership.findUnique({ where: { userId_tenantId: { userId: principal.userId, tenantId } } });
  if (membership) return { principal, tenantId, role: membership.role, siteId: membership.siteId, via: 'membership' };
  const tenant = await deps.db.tenant.findUnique({ where: { id: tenantId }, select: { partnerId: true } });
  if (tenant?.partnerId) {
    const pm = await deps.db.partnerMembership.findUnique({
      where: { userId_partnerId: { userId: principal.userId, partnerId: tenant.partnerId } },
    });
    if (pm) return { principal, tenantId, role: pm.role === 'partner_admin' ? 'admin' : 'viewer', siteId: null, via: 'partner' };
  }
  return undefined;
}

export async function tenantAccess(deps: ApiDeps, req: Request, tenantId: string, minRole: MemberRole = 'viewer'): Promise<TenantAccess> {
  const principal = requireAuth(req);
  const access = await resolveTenantAccess(deps, principal, tenantId);
  if (!access) throw notFound('tenant');
  if (!roleAtLeast(access.role, minRole)) throw forbidden(`this needs the ${minRole} role or higher; you are ${access.role}`);
  return access;
}
