// The organization's credentials: name, provider, public fields, whether the provider last accepted it,
// and (for admins) validating and deleting. Secrets are never part of what the API lists.
import { ActionIcon, Badge, Button, Code, Group, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { $api, errorMessage } from '../../api/client';
import type { Credential, ProviderInfo } from '../../api/types';
import { providerInfo } from '../../app/providers';
import { confirmAction } from '../../components/confirm';
import { SandboxBadge } from '../../components/PhaseBadge';
import { formatDateTime, formatRelative } from '../../lib/format';
import { fieldLabel } from './credential-fields';

const STATUS: Record<Credential['status'], { label: string; color: string }> = {
  valid: { label: 'valid', color: 'teal' },
  invalid: { label: 'invalid', color: 'red' },
  unvalidated: { label: 'unchecked', color: 'gray' },
};

export function CredentialsTable({ tenantId, items, providers, mayManage }: { tenantId: string; items: Credential[]; providers: ProviderInfo[] | undefined; mayManage: boolean }) {
  const queryClient = useQueryClient();
  const validate = $api.useMutation('post', '/tenants/{tenantId}/credentials/{credentialId}/validate');
  const remove = $api.useMutation('delete', '/tenants/{tenantId}/credentials/{credentialId}');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}/credentials'] });

  async function check(c: Credential) {
    try {
      const verdict = await validate.mutateAsync({ params: { path: { tenantId, credentialId: c.id } } });
      notifications.show(
        verdict.status === 'valid'
          ? { color: 'teal', message: `“${c.name}” is valid: the provider accepted it.` }
          : { color: 'red', title: `“${c.name}” is not valid`, message: verdict.message ?? 'The provider refused it.' },
      );
    } catch (err) {
      notifications.show({ color: 'red', title: `“${c.name}” could not be checked`, message: errorMessage(err) });
    }
    await refresh();
  }

  function confirmDelete(c: Credential) {
    confirmAction({
      title: `Delete the credential “${c.name}”?`,
      body: 'Tenantry forgets it, secret included. It is refused while an instance runs with it; destroy those first. Instances you create later cannot use it. Nothing is billed for it either way.',
      confirmLabel: 'Delete credential',
      danger: true,
      onConfirm: () => void drop(c),
    });
  }

  async function drop(c: Credential) {
    try {
      await remove.mutateAsync({ params: { path: { tenantId, credentialId: c.id } } });
      notifications.show({ color: 'teal', message: `Credential “${c.name}” deleted.` });
      await refresh();
    } catch (err) {
      notifications.show({ color: 'red', title: `“${c.name}” was not deleted`, message: errorMessage(err) });
    }
  }

  const checking = (c: Credential) => validate.isPending && validate.variables?.params.path.credentialId === c.id;
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table aria-label="Credentials" verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Provider</Table.Th>
            <Table.Th>Public fields</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Last validated</Table.Th>
            {mayManage && (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => {
            const p = providerInfo(providers, c.provider);
            return (
              <Table.Tr key={c.id}>
                <Table.Td fw={600}>{c.name}</Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm">{p?.label ?? c.provider}</Text>
                    {p?.sandbox && <SandboxBadge />}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    {Object.entries(c.publicFields).map(([k, v]) => (
                      <Text size="xs" key={k}>
                        <Text span c="dimmed" size="xs">
                          {fieldLabel(k)}:
                        </Text>{' '}
                        <Code>{v}</Code>
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS[c.status].color} variant="light">
                    {STATUS[c.status].label}
                  </Badge>
                  {c.statusMessage && (
                    <Text size="xs" c={c.status === 'invalid' ? 'red' : 'dimmed'} maw={260}>
                      {c.statusMessage}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {c.lastValidatedAt ? (
                    <Tooltip label={formatDateTime(c.lastValidatedAt)}>
                      <Text size="sm" tabIndex={0}>
                        {formatRelative(c.lastValidatedAt)}
                      </Text>
                    </Tooltip>
                  ) : (
                    <Text size="sm" c="dimmed">
                      never
                    </Text>
                  )}
                </Table.Td>
                {mayManage && (
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap" justify="flex-end">
                      <Button size="compact-sm" variant="light" loading={checking(c)} onClick={() => void check(c)} aria-label={`Validate ${c.name}`}>
                        Validate
                      </Button>
                      <ActionIcon variant="subtle" color="red" onClick={() => confirmDelete(c)} aria-label={`Delete ${c.name}`}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
