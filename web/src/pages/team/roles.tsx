// The four member roles as the console names and explains them, and which ones a caller may hand out
// (never more than their own: the API refuses it anyway, the console does not offer it).
import { Badge } from '@mantine/core';
import { roleAtLeast, type Role } from '../../app/session';

export const ROLES: readonly Role[] = ['viewer', 'member', 'admin', 'owner'];

export const ROLE_LABEL: Record<Role, string> = { viewer: 'Viewer', member: 'Member', admin: 'Admin', owner: 'Owner' };

export const ROLE_HELP: Record<Role, string> = {
  viewer: 'Sees instances, billing and the team; changes nothing.',
  member: 'Creates, starts, stops and destroys instances.',
  admin: 'Also manages the team, sites, cloud credentials and everyone’s API keys, and reads the audit log.',
  owner: 'Everything, including the plan and other owners. Never limited to a site.',
};

const ROLE_COLOR: Record<Role, string> = { viewer: 'gray', member: 'blue', admin: 'violet', owner: 'indigo' };

/** The roles someone with `own` may grant: their own and below. */
export function grantableRoles(own: string | undefined): Role[] {
  return ROLES.filter((r) => roleAtLeast(own, r));
}

export const roleOptions = (roles: readonly Role[]) => roles.map((r) => ({ value: r, label: ROLE_LABEL[r] }));

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge variant="light" color={ROLE_COLOR[role]}>
      {ROLE_LABEL[role]}
    </Badge>
  );
}
