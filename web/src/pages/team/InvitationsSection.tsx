// Invitations of the organization, pending first (as the API orders them); pending ones can be
// revoked, which makes their link stop working.
import { Badge, Button, Card, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { $api, errorMessage } from '../../api/client';
import type { Invitation, Member, Site, Tenant } from '../../api/types';
import { confirmAction } from '../../components/confirm';
import { EmptyState, QueryState } from '../../components/QueryState';
import { formatDate, formatRelative } from '../../lib/format';
import { RoleBadge } from './roles';
import { siteLabel } from './sites';

const STATUS_COLOR: Record<Invitation['status'], string> = { pending: 'blue', accepted: 'teal', revoked: 'gray', expired: 'gray' };

function InvitationRow({ invitation, tenant, sites, members }: { invitation: Invitation; tenant: Tenant; sites: Site[] | undefined; members: Member[] | undefined }) {
  const queryClient = useQueryClient();
  const revoke = $api.useMutation('delete', '/tenants/{tenantId}/invitations/{invitationId}');
  const inviter = members?.find((m) => m.userId === invitation.invitedById)?.name;

  function confirmRevoke() {
    confirmAction({
      title: `Revoke the invitation for ${invitation.email}?`,
      body: 'The link stops working at once. You can invite the same address again later.',
      confirmLabel: 'Revoke invitation',
      danger: true,
      onConfirm: () =>
        void revoke
          .mutateAsync({ params: { path: { tenantId: tenant.id, invitationId: invitation.id } } })
          .then(() => {
            notifications.show({ color: 'teal', message: `The invitation for ${invitation.email} was revoked.` });
            return queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}/invitations'] });
          })
          .catch((err) => notifications.show({ color: 'red', title: 'The invitation was not revoked', message: errorMessage(err) })),
    });
  }

  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm">{invitation.email}</Text>
        {inviter && (
          <Text size="xs" c="dimmed">
            invited by {inviter}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <RoleBadge role={invitation.role} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{siteLabel(invitation.siteId, sites)}</Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={STATUS_COLOR[invitation.status]}>
          {invitation.status}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDate(invitation.createdAt)}</Text>
        <Text size="xs" c="dimmed">
          {invitation.status === 'accepted' ? `accepted ${formatRelative(invitation.acceptedAt)}` : invitation.status === 'pending' ? `expires ${formatRelative(invitation.expiresAt)}` : ''}
        </Text>
      </Table.Td>
      <Table.Td>
        {invitation.status === 'pending' && (
          <Button size="compact-sm" variant="subtle" color="red" onClick={confirmRevoke} loading={revoke.isPending} aria-label={`Revoke invitation for ${invitation.email}`}>
            Revoke
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function InvitationsSection({ tenant, sites, members }: { tenant: Tenant; sites: Site[] | undefined; members: Member[] | undefined }) {
  const invitations = $api.useQuery('get', '/tenants/{tenantId}/invitations', { params: { path: { tenantId: tenant.id } } });
  return (
    <Card withBorder component="section" aria-labelledby="invitations-heading">
      <Title order={2} size="h4" id="invitations-heading" mb="sm">
        Invitations
      </Title>
      <QueryState
        query={invitations}
        isEmpty={(d) => d.items.length === 0}
        empty={<EmptyState title="No invitations yet">Invite someone above; their invitation shows here until they accept it.</EmptyState>}
      >
        {(data) => (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="xs" aria-label="Invitations">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Site</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Sent</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((i) => (
                  <InvitationRow key={i.id} invitation={i} tenant={tenant} sites={sites} members={members} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}
