// Stuck or long-running provisions, from Temporal visibility: what each waits on, its pending
// activities' attempts and last failures, a link into the Temporal UI, and cancel (compensation runs).
import { Anchor, Button, Code, Group, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api, errorMessage } from '../../api/client';
import type { InstancePhase, Operation } from '../../api/types';
import { confirmAction } from '../../components/confirm';
import { PhaseBadge } from '../../components/PhaseBadge';
import { EmptyState, QueryState } from '../../components/QueryState';

function CancelButton({ op }: { op: Operation }) {
  const queryClient = useQueryClient();
  const cancel = $api.useMutation('post', '/instances/{instanceId}/cancel');
  if (!op.instanceId) return null;
  const instanceId = op.instanceId;
  return (
    <Button
      size="compact-sm"
      variant="subtle"
      color="red"
      loading={cancel.isPending}
      aria-label={`Cancel ${op.name ?? op.workflowId}`}
      onClick={() =>
        confirmAction({
          title: `Cancel the provision of “${op.name ?? op.workflowId}”?`,
          body: 'The workflow is cancelled; what was created so far is released in reverse order and the instance ends as cancelled. The customer is not billed for time it never ran.',
          confirmLabel: 'Cancel provision',
          danger: true,
          onConfirm: () =>
            void cancel
              .mutateAsync({ params: { path: { instanceId } } })
              .then(() => {
                notifications.show({ color: 'teal', message: 'Cancelling: what was created is being released.' });
                return queryClient.invalidateQueries({ queryKey: ['get', '/admin/operations'] });
              })
              .catch((err) => notifications.show({ color: 'red', title: 'Not cancelled', message: errorMessage(err) })),
        })
      }
    >
      Cancel
    </Button>
  );
}

export function OperationsTab() {
  const [older, setOlder] = useState('10');
  const ops = $api.useQuery('get', '/admin/operations', { params: { query: { olderThanMinutes: Number(older) } } }, { refetchInterval: 15_000 });
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Select
          label="Started more than"
          w={220}
          allowDeselect={false}
          value={older}
          onChange={(v) => v && setOlder(v)}
          data={[
            { value: '0', label: 'any time (all in progress)' },
            { value: '10', label: '10 minutes ago' },
            { value: '30', label: '30 minutes ago' },
            { value: '60', label: '1 hour ago' },
          ]}
        />
        <Button variant="default" onClick={() => void ops.refetch()} loading={ops.isFetching}>
          Refresh
        </Button>
      </Group>
      <QueryState
        query={ops}
        isEmpty={(d) => d.items.length === 0}
        empty={<EmptyState title="No stuck provisions">Nothing matching has been provisioning for longer. This list refreshes every 15 seconds.</EmptyState>}
      >
        {(d) => (
          <>
            <Table.ScrollContainer minWidth={980}>
              <Table verticalSpacing="sm" aria-label="Operations">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Instance</Table.Th>
                    <Table.Th>Phase and step</Table.Th>
                    <Table.Th>Running for</Table.Th>
                    <Table.Th>Waiting on</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.items.map((op) => (
                    <Table.Tr key={op.runId}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {op.name ?? op.workflowId}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {op.tenantSlug ?? '—'} · {op.provider ?? '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {op.phase && <PhaseBadge phase={op.phase as InstancePhase} />}
                        <Text size="xs">{op.step ?? ''}</Text>
                      </Table.Td>
                      <Table.Td>{op.minutesRunning} min</Table.Td>
                      <Table.Td>
                        {(op.pendingReason ?? op.statusMessage) && <Text size="sm">{op.pendingReason ?? op.statusMessage}</Text>}
                        {op.pendingActivities.map((a) => (
                          <Text key={a.type} size="xs" c={a.lastFailure ? 'red' : 'dimmed'}>
                            {a.type} · {a.state} · attempt {a.attempt}
                            {a.lastFailure ? ` · ${a.lastFailure}` : ''}
                            {a.nextAttemptIn ? ` · next in ${a.nextAttemptIn}` : ''}
                          </Text>
                        ))}
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Anchor href={op.temporalUrl} target="_blank" rel="noopener noreferrer" size="sm">
                            Open in Temporal UI
                          </Anchor>
                          <CancelButton op={op} />
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Text size="xs" c="dimmed">
              Visibility query: <Code>{d.query}</Code>
            </Text>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
