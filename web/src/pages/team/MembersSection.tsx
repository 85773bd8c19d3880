// The organization's members. Organization-wide admins change roles and sites and remove people
// (only owners touch owners; the API has the last word, e.g. on the last owner); anyone may leave.
import { Button, Card, Group, Select, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { $api, errorMessage } from '../../api/client';
import type { Member, Site, Tenant } from '../../api/types';
import { permissionsOf, roleAtLeast, useMe, type Role } from '../../app/session';
import { confirmAction } from '../../components/confirm';
import { EmptyState, QueryState } from '../../components/QueryState';
import { formatDate, formatRelative } from '../../lib/format';
import { grantableRoles, ROLE_LABEL, RoleBadge, roleOptions } from './roles';
import { ORG_WIDE, siteIdOf, siteLabel, siteOptions } from './sites';

const MEMBERS = ['get', '/tenants/{tenantId}/members'] as const;

export function useMembers(tenantId: string) {
  return $api.useQuery('get', '/tenants/{tenantId}/members', { params: { path: { tenantId } } });
}

function fail(title: string) {
  return (err: unknown) => notifications.show({ color: 'red', title, message: errorMessage(err) });
}

function MemberRow({ member, tenant, sites, isSelf }: { member: Member; tenant: Tenant; sites: Site[] | undefined; isSelf: boolean }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const update = $api.useMutation('patch', '/tenants/{tenantId}/members/{userId}');
  const remove = $api.useMutation('delete', '/tenants/{tenantId}/members/{userId}');
  const path = { tenantId: tenant.id, userId: member.userId };
  const can = permissionsOf(tenant);
  // Only owners change or remove owners.
  const manageable = can.administer && (member.role !== 'owner' || roleAtLeast(tenant.role, 'owner'));
  const busy = update.isPending || remove.isPending;

  async function change(body: { role?: Role; siteId?: string | null }, done: string) {
    try {
      await update.mutateAsync({ params: { path }, body });
      notifications.show({ color: 'teal', message: done });
    } catch (err) {
      fail(`${member.name} was not changed`)(err);
    } finally {
      await queryClient.invalidateQueries({ queryKey: MEMBERS });
    }
  }

  // Owners are never limited to a site, so making someone an owner also makes them organization-wide.
  const changeRole = (role: Role) => change(role === 'owner' && member.siteId ? { role, siteId: null } : { role }, `${member.name} is now ${ROLE_LABEL[role].toLowerCase()}.`);

  function confirmRemove() {
    confirmAction({
      title: isSelf ? `Leave ${tenant.name}?` : `Remove ${member.name}?`,
      body: isSelf
        ? 'You lose access to this organization at once, and your API keys for it are revoked. An admin can invite you again.'
        : `${member.name} loses access to ${tenant.name} at once, and the API keys they created for it are revoked. Instances they created keep running and keep being billed to the organization.`,
      confirmLabel: isSelf ? 'Leave organization' : 'Remove member',
      danger: true,
      onConfirm: () =>
        void remove
          .mutateAsync({ params: { path } })
          .then(async () => {
            notifications.show({ color: 'teal', message: isSelf ? `You left ${tenant.name}.` : `${member.name} was removed.` });
            if (isSelf) {
              await queryClient.invalidateQueries({ queryKey: ['get', '/me'] });
              navigate('/');
            } else await queryClient.invalidateQueries({ queryKey: MEMBERS });
          })
          .catch(fail(isSelf ? 'You are still a member' : `${member.name} was not removed`)),
    });
  }

  return (
    <Table.Tr>
      <Table.Td>
        <Text fw={500} size="sm">
          {member.name}
          {isSelf && (
            <Text span c="dimmed" size="sm">
              {' '}
              (you)
            </Text>
          )}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{member.email}</Text>
      </Table.Td>
      <Table.Td>
        {manageable ? (
          <Select
            aria-label={`Role of ${member.name}`}
            data={roleOptions(grantableRoles(tenant.role))}
            value={member.role}
            onChange={(v) => v && v !== member.role && void changeRole(v as Role)}
            allowDeselect={false}
            disabled={busy}
            size="xs"
            w={130}
          />
        ) : (
          <RoleBadge role={member.role} />
        )}
      </Table.Td>
      <Table.Td>
        {manageable && member.role !== 'owner' ? (
          <Select
            aria-label={`Site of ${member.name}`}
            data={siteOptions(sites)}
            value={member.siteId ?? ORG_WIDE}
            onChange={(v) => v && v !== (member.siteId ?? ORG_WIDE) && void change({ siteId: siteIdOf(v) }, `${member.name} now works in: ${siteLabel(siteIdOf(v), sites)}.`)}
            allowDeselect={false}
            disabled={busy}
            size="xs"
            w={180}
          />
        ) : (
          <Text size="sm">{member.siteName ?? siteLabel(member.siteId, sites)}</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDate(member.joinedAt)}</Text>
        <Text size="xs" c="dimmed">
          {member.lastLoginAt ? `signed in ${formatRelative(member.lastLoginAt)}` : 'never signed in'}
        </Text>
      </Table.Td>
      <Table.Td>
        {(isSelf || manageable) && (
          <Button size="compact-sm" variant="subtle" color="red" onClick={confirmRemove} loading={remove.isPending} aria-label={isSelf ? 'Leave organization' : `Remove ${member.name}`}>
            {isSelf ? 'Leave' : 'Remove'}
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function MembersSection({ tenant, sites }: { tenant: Tenant; sites: Site[] | undefined }) {
  const members = useMembers(tenant.id);
  const me = useMe();
  const selfId = me.data?.user?.id;
  return (
    <Card withBorder component="section" aria-labelledby="members-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="members-heading">
          Members
        </Title>
        {members.data && (
          <Text size="sm" c="dimmed">
            {members.data.items.length} {members.data.items.length === 1 ? 'person' : 'people'}
          </Text>
        )}
      </Group>
      <QueryState query={members} isEmpty={(d) => d.items.length === 0} empty={<EmptyState title="No members">Invite someone below to work in this organization.</EmptyState>}>
        {(data) => (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" aria-label="Members">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Site</Table.Th>
                  <Table.Th>Joined</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((m) => (
                  <MemberRow key={m.userId} member={m} tenant={tenant} sites={sites} isSelf={m.userId === selfId} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}
