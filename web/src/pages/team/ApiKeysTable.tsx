// The organization's API keys (admins see all, others their own), by name and public prefix, never
// the secret; active ones can be revoked.
import { Badge, Button, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { $api, errorMessage } from '../../api/client';
import type { ApiKey, Member, Site, Tenant } from '../../api/types';
import { confirmAction } from '../../components/confirm';
import { formatDate, formatRelative } from '../../lib/format';
import { RoleBadge } from './roles';
import { siteLabel } from './sites';

export function keyStatus(key: ApiKey, now = Date.now()): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() < now) return 'expired';
  return 'active';
}

function ApiKeyRow({ apiKey, tenant, sites, members }: { apiKey: ApiKey; tenant: Tenant; sites: Site[] | undefined; members: Member[] | undefined }) {
  const queryClient = useQueryClient();
  const revoke = $api.useMutation('delete', '/tenants/{tenantId}/api-keys/{keyId}');
  const status = keyStatus(apiKey);
  const creator = members?.find((m) => m.userId === apiKey.createdById)?.name;

  function confirmRevoke() {
    confirmAction({
      title: `Revoke the API key “${apiKey.name}”?`,
      body: `Scripts and pipelines using ${apiKey.prefix}… are refused from now on. This cannot be undone; create a new key if you need one again.`,
      confirmLabel: 'Revoke key',
      danger: true,
      onConfirm: () =>
        void revoke
          .mutateAsync({ params: { path: { tenantId: tenant.id, keyId: apiKey.id } } })
          .then(() => {
            notifications.show({ color: 'teal', message: `API key “${apiKey.name}” revoked.` });
            return queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}/api-keys'] });
          })
          .catch((err) => notifications.show({ color: 'red', title: 'The key was not revoked', message: errorMessage(err) })),
    });
  }

  return (
    <Table.Tr c={status === 'active' ? undefined : 'dimmed'}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {apiKey.name}
        </Text>
        {creator && (
          <Text size="xs" c="dimmed">
            by {creator}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <RoleBadge role={apiKey.role} />
        <Text size="xs" c="dimmed">
          {siteLabel(apiKey.siteId, sites)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Code>{apiKey.prefix}</Code>
      </Table.Td>
      <Table.Td>{formatDate(apiKey.createdAt)}</Table.Td>
      <Table.Td>{apiKey.lastUsedAt ? formatRelative(apiKey.lastUsedAt) : 'never'}</Table.Td>
      <Table.Td>
        {status === 'active' ? (
          apiKey.expiresAt ? formatDate(apiKey.expiresAt) : 'never'
        ) : (
          <Badge variant="light" color="gray">
            {status} {formatDate(status === 'revoked' ? apiKey.revokedAt : apiKey.expiresAt)}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        {status === 'active' && (
          <Button size="compact-sm" variant="subtle" color="red" onClick={confirmRevoke} loading={revoke.isPending} aria-label={`Revoke ${apiKey.name}`}>
            Revoke
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function ApiKeysTable({ keys, tenant, sites, members }: { keys: ApiKey[]; tenant: Tenant; sites: Site[] | undefined; members: Member[] | undefined }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="xs" aria-label="API keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Role and site</Table.Th>
            <Table.Th>Prefix</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((k) => (
            <ApiKeyRow key={k.id} apiKey={k} tenant={tenant} sites={sites} members={members} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
