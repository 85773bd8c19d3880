// The Team page: members, invitations and sites of the organization. Organization-wide admins manage
// them; everyone else sees who is here (and may leave).
import { Alert, Stack } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { permissionsOf, useTenant, useTenantId } from '../../app/session';
import { Loading } from '../../components/QueryState';
import { PageHeader } from '../../components/PageHeader';
import { InvitationsSection } from './InvitationsSection';
import { InviteSection } from './InviteSection';
import { MembersSection, useMembers } from './MembersSection';
import { SitesSection } from './SitesSection';
import { useSites } from './sites';

export function Team() {
  const tenantId = useTenantId();
  // TenantFrame has loaded the organization before rendering this page.
  const tenant = useTenant(tenantId).data;
  const sites = useSites(tenantId);
  const members = useMembers(tenantId);
  if (!tenant) return <Loading />;
  const can = permissionsOf(tenant);
  return (
    <>
      <PageHeader title="Team" description={`Who works in ${tenant.name}, with which role, and where.`} />
      <Stack gap="lg">
        {!can.administer && (
          <Alert color="blue" icon={<IconInfoCircle size={18} />} title="Admins manage the team" role="note">
            {tenant.siteId
              ? 'Your role is limited to one site, so the team is managed by organization-wide admins and owners.'
              : 'Admins and owners invite people, change roles and create sites; ask one of them if you need a change.'}
          </Alert>
        )}
        <MembersSection tenant={tenant} sites={sites.data?.items} />
        {can.administer && <InviteSection tenant={tenant} sites={sites.data?.items} />}
        {can.administer && <InvitationsSection tenant={tenant} sites={sites.data?.items} members={members.data?.items} />}
        <SitesSection tenant={tenant} />
      </Stack>
    </>
  );
}
