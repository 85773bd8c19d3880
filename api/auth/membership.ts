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

/** One query on every authorized request: the membership, else the partner's standing. */
export async function userStanding(deps: ApiDeps, userId: string, tenantId: string): Promise<Standing | undefined> {
  const rows = await deps.db.$queryRaw<{ role: MemberRole; siteId: string | null; via: 'membership' | 'partner' }[]>`
    SELECT m.role::text AS role, m.site_id AS "siteId", 'membership' AS via
      FROM memberships m WHERE m.user_id = ${userId}::uuid AND m.tenant_id = ${tenantId}::uuid
    UNION ALL
    SELECT CASE pm.role WHEN 'partner_admin' THEN 'admin' ELSE 'viewer' END, NULL, 'partner'
      FROM tenants t JOIN partner_memberships pm ON pm.partner_id = t.partner_id AND pm.user_id = ${userId}::uuid
      WHERE t.id = ${tenantId}::uuid`;
  return rows.find((r) => r.via === 'membership') ?? rows[0];
}
