// A user's own standing in an organization, without operator powers: a membership (role, maybe one
// site), or through the organization's partner (partner admins act as admins, partner viewers as
// viewers). Used to authorize users and to bound what their API keys may do.
import type { MemberRole } from '../../lib/db';
import type { ApiDeps } from '../deps';

export const ROLE_RANK: Record<MemberRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
export const ROLES: MemberRole[] = ['viewer', 'member', 'admin', 'owner'];

export const roleAtLeast = (role: MemberRole, min: MemberRole) => ROLE_RANK[role] >= ROLE_RANK[min];
export const lowerRole = (a: MemberRole, b: MemberRole): MemberRole => (ROLE_RANK[a] <= ROLE_RANK[b] ? a : b);

export interface Standing {
  role: MemberRole;
  siteId: string | null;
  via: 'membership' | 'partner';
}

export async function userStanding(deps: ApiDeps, userId: string, tenantId: string): Promise<Standing | undefined> {
  const membership = await deps.db.membership.findUnique({ where: { userId_tenantId: { userId, tenantId } } });
  if (membership) return { role: membership.role, siteId: membership.siteId, via: 'membership' };
  const tenant = await deps.db.tenant.findUnique({ where: { id: tenantId }, select: { partnerId: true } });
  if (!tenant?.partnerId) return undefined;
  const pm = await deps.db.partnerMembership.findUnique({ where: { userId_partnerId: { userId, partnerId: tenant.partnerId } } });
  if (!pm) return undefined;
  return { role: pm.role === 'partner_admin' ? 'admin' : 'viewer', siteId: null, via: 'partner' };
}
