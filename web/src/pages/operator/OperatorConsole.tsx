// The operator console: stuck or long-running provisions (from Temporal visibility, each linked into
// the Temporal UI, with cancel), every organization (search, grant credits, suspend, resume), and
// platform health. Tabs live in the URL (/operator/<tab>) so a link can be shared at 3 a.m.
import { Alert, Anchor, Badge, Button, Card, Code, Group, Modal, NumberInput, Select, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router-dom';
import { $api, errorMessage, newIdempotencyKey } from '../../api/client';
import type { Operation, TenantSummary } from '../../api/types';
import { useMe } from '../../app/session';
import { confirmAction } from '../../components/confirm';
import { LoadMore, OrganizationsTable } from '../../components/OrganizationsTable';
import { PageHeader } from '../../components/PageHeader';
import { PhaseBadge } from '../../components/PhaseBadge';
import { EmptyState, Loading, QueryState } from '../../components/QueryState';
import type { InstancePhase } from '../../api/types';

const TABS = ['operations', 'tenants', 'health'] as const;
type Tab = (typeof TABS)[number];

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

function OperationsTab() {
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

function GrantCreditsModal({ org, onClose }: { org: TenantSummary; onClose: () => void }) {
  const queryClient = useQueryClient();
  const grant = $api.useMutation('post', '/admin/tenants/{tenantId}/credits');
  // One key per opening of the dialog: a retry after a lost answer never grants twice.
  const idempotencyKey = useMemo(() => newIdempotencyKey(), []);
  const [credits, setCredits] = useState<number | string>('');
  const [reason, setReason] = useState<'top_up' | 'adjustment'>('top_up');
  const [description, setDescription] = useState('Credits granted by an operator');
  const [error, setError] = useState<string>();
  async function submit() {
    setError(undefined);
    if (typeof credits !== 'number' || credits === 0) return setError('Credits: enter a non-zero amount');
    try {
      const out = await grant.mutateAsync({ params: { path: { tenantId: org.id }, header: { 'Idempotency-Key': idempotencyKey } }, body: { credits, reason, description } });
      notifications.show({ color: 'teal', message: `${out.granted.formatted} granted to ${org.name}; balance ${out.balance.formatted}.` });
      await queryClient.invalidateQueries({ queryKey: ['get', '/admin/tenants'] });
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <Modal opened onClose={onClose} title={`Grant credits to ${org.name}`}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <NumberInput label="Credits" required description="Negative to withdraw." value={credits} onChange={setCredits} decimalScale={6} />
          <Select label="Reason" allowDeselect={false} value={reason} onChange={(v) => v && setReason(v as 'top_up' | 'adjustment')} data={[{ value: 'top_up', label: 'Top-up' }, { value: 'adjustment', label: 'Adjustment' }]} />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={grant.isPending}>
              Grant credits
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function TenantActions({ org, onGrant }: { org: TenantSummary; onGrant: () => void }) {
  const queryClient = useQueryClient();
  const suspend = $api.useMutation('post', '/admin/tenants/{tenantId}/suspend');
  const resume = $api.useMutation('post', '/admin/tenants/{tenantId}/resume');
  const done = (message: string) => {
    notifications.show({ color: 'teal', message });
    return queryClient.invalidateQueries({ queryKey: ['get', '/admin/tenants'] });
  };
  const failed = (err: unknown) => notifications.show({ color: 'red', title: 'Not changed', message: errorMessage(err) });
  return (
    <Group gap={4} wrap="nowrap">
      {org.status !== 'closed' && (
        <Button size="compact-sm" variant="light" onClick={onGrant} aria-label={`Grant credits to ${org.name}`}>
          Grant credits
        </Button>
      )}
      {org.status === 'active' && (
        <Button
          size="compact-sm"
          variant="subtle"
          color="orange"
          onClick={() =>
            confirmAction({
              title: `Suspend ${org.name}?`,
              body: 'Running instances stop (their data is kept) and nothing new can be created until the organization is resumed.',
              confirmLabel: 'Suspend organization',
              danger: true,
              onConfirm: () => void suspend.mutateAsync({ params: { path: { tenantId: org.id } }, body: { reason: 'Suspended by an operator' } }).then(() => done(`${org.name} suspended.`), failed),
            })
          }
        >
          Suspend
        </Button>
      )}
      {org.status === 'suspended' && (
        <Button size="compact-sm" variant="subtle" onClick={() => void resume.mutateAsync({ params: { path: { tenantId: org.id } } }).then(() => done(`${org.name} resumed.`), failed)}>
          Resume
        </Button>
      )}
    </Group>
  );
}

function TenantsTab() {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const [granting, setGranting] = useState<TenantSummary>();
  const orgs = $api.useInfiniteQuery(
    'get',
    '/admin/tenants',
    { params: { query: { limit: 50, ...(debounced ? { q: debounced } : {}) } } },
    { pageParamName: 'cursor', initialPageParam: undefined, getNextPageParam: (last) => last.nextCursor ?? undefined },
  );
  return (
    <Stack>
      <TextInput label="Search" placeholder="Subdomain or name" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={360} />
      <QueryState query={orgs} isEmpty={(d) => d.pages[0].items.length === 0} empty={<EmptyState title="No organizations match">Try another subdomain or name.</EmptyState>}>
        {(d) => (
          <>
            <OrganizationsTable orgs={d.pages.flatMap((p) => p.items)} label="Organizations" actions={(org) => <TenantActions org={org} onGrant={() => setGranting(org)} />} />
            <LoadMore query={orgs} />
          </>
        )}
      </QueryState>
      {granting && <GrantCreditsModal org={granting} onClose={() => setGranting(undefined)} />}
    </Stack>
  );
}

function HealthTab() {
  const health = $api.useQuery('get', '/admin/health', undefined, { staleTime: 0 });
  return (
    <Stack>
      <Group>
        <Button variant="default" onClick={() => void health.refetch()} loading={health.isFetching}>
          Check again
        </Button>
      </Group>
      <QueryState query={health} loadingLabel="Checking every dependency…">
        {(d) => (
          <Card withBorder>
            <Group mb="sm">
              <Badge color={d.ok ? 'teal' : 'red'} size="lg">
                {d.ok ? 'all healthy' : 'degraded'}
              </Badge>
            </Group>
            <Table aria-label="Health checks">
              <Table.Tbody>
                {Object.entries(d.checks).map(([name, c]) => (
                  <Table.Tr key={name}>
                    <Table.Td fw={500}>{name}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={c.ok ? 'teal' : 'red'}>
                        {c.ok ? 'ok' : 'failing'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.detail}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        )}
      </QueryState>
    </Stack>
  );
}

export function OperatorConsole() {
  const me = useMe();
  const navigate = useNavigate();
  const { tab } = useParams();
  if (!me.data) return <Loading />;
  if (!me.data.user?.isOperator) {
    return (
      <>
        <PageHeader title="Operator console" />
        <Alert color="blue">Only Tenantry operators see this page.</Alert>
      </>
    );
  }
  if (tab && !TABS.includes(tab as Tab)) return <Navigate to="/operator" replace />;
  const current: Tab = (tab as Tab | undefined) ?? 'operations';
  return (
    <>
      <PageHeader title="Operator console" description="Every organization and every provision in progress. Actions here are audited as operator actions." />
      <Tabs value={current} onChange={(v) => v && navigate(v === 'operations' ? '/operator' : `/operator/${v}`)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="operations">Stuck provisions</Tabs.Tab>
          <Tabs.Tab value="tenants">Organizations</Tabs.Tab>
          <Tabs.Tab value="health">Health</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="operations">
          <OperationsTab />
        </Tabs.Panel>
        <Tabs.Panel value="tenants">
          <TenantsTab />
        </Tabs.Panel>
        <Tabs.Panel value="health">
          <HealthTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
