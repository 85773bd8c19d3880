// Who is signed in and what they may do: the current user (/me), the organization in the URL and the
// caller's role in it. Pages hide actions a role cannot take; the API decides regardless.
import { useParams } from 'react-router-dom';
import { $api } from '../api/client';
import type { Tenant } from '../api/types';

export type Role = 'viewer' | 'member' | 'admin' | 'owner';
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** True when `role` is `min` or higher. */
export function roleAtLeast(role: string | undefined, min: Role): boolean {
  return role !== undefined && role in RANK && RANK[role as Role] >= RANK[min];
}

export function useMe() {
  return $api.useQuery('get', '/me', undefined, { retry: false, staleTime: 30_000 });
}

/** The organization id of the current route (/t/:tenantId/...). */
export function useTenantId(): string {
  const { tenantId } = useParams();
  if (!tenantId) throw new Error('useTenantId outside /t/:tenantId');
  return tenantId;
}

export function useTenant(tenantId = useTenantId()) {
  return $api.useQuery('get', '/tenants/{tenantId}', { params: { path: { tenantId } } }, { staleTime: 10_000 });
}

/** What the caller may do in the current organization (a site-limited admin does not manage the organization). */
export function permissionsOf(tenant: Tenant | undefined) {
  const role = tenant?.role;
  const orgWide = !tenant?.siteId;
  return {
    operate: roleAtLeast(role, 'member'),
    administer: roleAtLeast(role, 'admin') && orgWide,
    own: roleAtLeast(role, 'owner'),
    viewAudit: roleAtLeast(role, 'admin'),
  };
}
