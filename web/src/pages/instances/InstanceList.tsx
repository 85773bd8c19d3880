// The organization's instances, newest first: phase, where to reach them, filters by phase and
// provider, cursor paging. Refreshes itself while any instance is changing phase.
import { Anchor, Button, Card, Group, Select, Table, Text } from '@mantine/core';
import { IconExternalLink, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { $api } from '../../api/client';
import type { Instance, InstancePhase, ProviderInfo, ProviderName } from '../../api/types';
import { permissionsOf, useTenant, useTenantId } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { IN_PROGRESS_PHASES, PhaseBadge, SandboxBadge } from '../../components/PhaseBadge';
import { EmptyState, QueryState } from '../../components/QueryState';
import { formatDateTime, formatMemoryMb, formatRelative, formatVcpu } from '../../lib/format';
import { providerInfo, useProviders } from '../../app/providers';

const PAGE_SIZE = 25;

const PHASE_FILTERS: { value: string; label: string }[] = [
  { value: 'running', label: 'Running' },
  { value: 'stopped', label: 'Stopped' },
  { value: IN_PROGRESS_PHASES.join(','), label: 'In progress' },
  { value: 'failed', label: 'Failed' },
  { value: 'destroyed,cancelled', label: 'Destroyed or cancelled' },
];

export function InstanceList() {
  const tenantId = useTenantId();
  const { data: tenant } = useTenant();
  const may = permissionsOf(tenant);
  const providers = useProviders();
  const [phase, setPhase] = useState<string | null>(null);
  const [provider, setProvider] = useState<string | null>(null);
  // Cursors of the pages before the current one, to go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];

  const list = $api.useQuery(
    'get',
    '/tenants/{tenantId}/instances',
    { params: { path: { tenantId }, query: { limit: PAGE_SIZE, cursor, phase: phase ?? undefined, provider: (provider as ProviderName | null) ?? undefined } } },
    { refetchInterval: (q) => (q.state.data?.items.some((i) => IN_PROGRESS_PHASES.includes(i.phase)) ? 3000 : 30_000) },
  );
  const resetPaging = () => setCursors([undefined]);
  const filtered = phase !== null || provider !== null;
  const createButton = may.operate && (
    <Button component={Link} to={`/t/${tenantId}/instances/new`} leftSection={<IconPlus size={16} />}>
      Create instance
    </Button>
  );

  return (
    <>
      <PageHeader title="Instances" description="Everything your organization runs: apps, Macs and Linux VMs." actions={createButton} />
      <Group mb="md" wrap="wrap" gap="sm">
        <Select
          label="Phase"
          placeholder="Active (not destroyed)"
          data={PHASE_FILTERS}
          value={phase}
          onChange={(v) => {
            setPhase(v);
            resetPaging();
          }}
          clearable
          w={220}
        />
        <Select
          label="Provider"
          placeholder="All providers"
          data={(providers.data?.providers ?? []).map((p) => ({ value: p.name, label: p.label }))}
          value={provider}
          onChange={(v) => {
            setProvider(v);
            resetPaging();
          }}
          clearable
          w={220}
        />
      </Group>
      <Card withBorder padding={0}>
        <QueryState
          query={list}
          isEmpty={(d) => d.items.length === 0 && cursors.length === 1}
          empty={
            filtered ? (
              <EmptyState title="No instance matches these filters">Clear the filters to see every instance.</EmptyState>
            ) : (
              <EmptyState title="No instances yet" action={createButton || undefined}>
                {may.operate ? 'Create your first instance: a Docker app is running in under a minute.' : 'Nobody in your organization has created an instance yet.'}
              </EmptyState>
            )
          }
        >
          {(data) => (
            <>
              <Table.ScrollContainer minWidth={720}>
                <Table highlightOnHover verticalSpacing="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Provider</Table.Th>
                      <Table.Th>Size</Table.Th>
                      <Table.Th>Phase</Table.Th>
                      <Table.Th>Endpoint</Table.Th>
                      <Table.Th>Created</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((i) => (
                      <InstanceRow key={i.id} instance={i} tenantId={tenantId} provider={providerInfo(providers.data?.providers, i.provider)} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {(cursors.length > 1 || data.nextCursor) && (
                <Group justify="space-between" p="sm">
                  <Text size="sm" c="dimmed">
                    Page {cursors.length}
                  </Text>
                  <Group gap="xs">
                    <Button variant="default" size="xs" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                      Newer
                    </Button>
                    <Button variant="default" size="xs" disabled={!data.nextCursor} onClick={() => data.nextCursor && setCursors([...cursors, data.nextCursor])}>
                      Older
                    </Button>
                  </Group>
                </Group>
              )}
            </>
          )}
        </QueryState>
      </Card>
    </>
  );
}

function InstanceRow({ instance: i, tenantId, provider }: { instance: Instance; tenantId: string; provider: ProviderInfo | undefined }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/t/${tenantId}/instances/${i.id}`} fw={600}>
          {i.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {i.template}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text size="sm">{provider?.label ?? i.provider}</Text>
          {provider?.sandbox && <SandboxBadge />}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{i.size}</Text>
        <Text size="xs" c="dimmed">
          {formatVcpu(i.resources.vcpu)} · {formatMemoryMb(i.resources.memoryMb)}
        </Text>
      </Table.Td>
      <Table.Td>
        <PhaseBadge phase={i.phase as InstancePhase} healthy={i.healthy} />
        {i.phase === 'pending' && i.pendingReason && (
          <Text size="xs" c="dimmed" maw={220}>
            {i.pendingReason}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {i.phase === 'running' && i.endpoint?.url ? (
          <Anchor href={i.endpoint.url} target="_blank" rel="noopener noreferrer" size="sm">
            <Group gap={4} wrap="nowrap">
              {new URL(i.endpoint.url).host}
              <IconExternalLink size={14} aria-hidden />
            </Group>
          </Anchor>
        ) : i.phase === 'running' && (i.endpoint?.fqdn || i.endpoint?.ip) ? (
          <Text size="sm" ff="monospace">
            {i.endpoint.fqdn ?? i.endpoint.ip}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" title={formatDateTime(i.createdAt)}>
          {formatRelative(i.createdAt)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
