// One instance: its phase and progress (live over SSE), how to connect, what can be done with it now,
// diagnostic commands and metrics. Operators also get the lifecycle workflow in the Temporal UI.
import { Alert, Anchor, Breadcrumbs, Grid, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconExternalLink } from '@tabler/icons-react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import type { Instance } from '../../api/types';
import { providerInfo, useProviders } from '../../app/providers';
import { permissionsOf, useTenant, useTenantId } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { IN_PROGRESS_PHASES, PhaseBadge, SandboxBadge } from '../../components/PhaseBadge';
import { ErrorState, Loading } from '../../components/QueryState';
import { NotFound } from '../home/NotFound';
import { formatDateTime, formatMemoryMb, formatRelative, formatVcpu } from '../../lib/format';
import { ConnectionDetails } from './ConnectionDetails';
import { InstanceActions } from './InstanceActions';
import { InstanceMetrics } from './InstanceMetrics';
import { LifecycleProgress, LiveLog } from './LifecycleProgress';
import { RunCommand } from './RunCommand';
import { instanceQuery, useInstanceEvents } from './useInstanceEvents';

export function InstanceDetail() {
  const tenantId = useTenantId();
  const { instanceId = '' } = useParams();
  const stream = useInstanceEvents(instanceId);
  const live = stream.status === 'live' || stream.status === 'connecting';
  const query = useQuery({
    ...instanceQuery(instanceId),
    // The stream keeps the answer current; without it, poll while something is happening.
    refetchInterval: (q) => (!live && q.state.data && IN_PROGRESS_PHASES.includes(q.state.data.phase) ? 3000 : false),
  });
  if (query.error instanceof ApiError && query.error.status === 404) return <NotFound />;
  if (query.error && !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Loading label="Loading the instance…" />;
  return <InstanceView instance={query.data} tenantId={tenantId} stream={stream} />;
}

function InstanceView({ instance: i, tenantId, stream }: { instance: Instance; tenantId: string; stream: ReturnType<typeof useInstanceEvents> }) {
  const { data: tenant } = useTenant();
  const providers = useProviders();
  const provider = providerInfo(providers.data?.providers, i.provider);
  const may = permissionsOf(tenant);

  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component={Link} to={`/t/${tenantId}/instances`} size="sm">
          Instances
        </Anchor>
        <Text size="sm">{i.name}</Text>
      </Breadcrumbs>
      <PageHeader
        title={i.name}
        badge={
          <Group gap="xs">
            <PhaseBadge phase={i.phase} healthy={i.healthy} />
            {provider?.sandbox && <SandboxBadge />}
          </Group>
        }
        description={`${provider?.label ?? i.provider} · ${i.template} · ${i.size} (${formatVcpu(i.resources.vcpu)}, ${formatMemoryMb(i.resources.memoryMb)}) · ${i.region}`}
        actions={may.operate ? <InstanceActions instance={i} onChanged={(a) => a === 'destroy' && stream.status === 'ended' && stream.restart()} /> : undefined}
      />
      <Stack gap="lg">
        {i.phase === 'failed' && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Provisioning failed" role="alert">
            {i.statusMessage ?? 'The lifecycle ended with an error.'} Everything it had created was released; nothing is left at the provider. You can create it again.
          </Alert>
        )}
        {i.phase === 'running' && i.healthy === false && (
          <Alert color="orange" title="Not answering its health check">
            {i.statusMessage ?? 'The provider reports it running but it does not answer.'} A restart often helps.
          </Alert>
        )}
        {i.phase === 'cancelled' && <Alert color="gray" title="Cancelled">Provisioning was cancelled and what it had created was released.</Alert>}
        {i.temporalUrl && (
          <Anchor href={i.temporalUrl} target="_blank" rel="noopener noreferrer" size="sm">
            <Group gap={4}>
              Open in Temporal UI (workflow {i.workflowId}) <IconExternalLink size={14} aria-hidden />
            </Group>
          </Anchor>
        )}
        <LifecycleProgress instance={i} typicalSeconds={provider?.typicalProvisionSeconds} />
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="lg">
              <ConnectionDetails instance={i} />
              {i.phase !== 'destroyed' && i.phase !== 'cancelled' && <InstanceMetrics instance={i} />}
              {may.operate && !['destroyed', 'cancelled', 'failed'].includes(i.phase) && <RunCommand instance={i} />}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="lg">
              <LiveLog events={stream.events} status={stream.status} />
              <Facts instance={i} />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </>
  );
}

function Facts({ instance: i }: { instance: Instance }) {
  const facts: [string, string][] = [
    ['Created', formatDateTime(i.createdAt)],
    ['Running since', i.runningSince ? `${formatDateTime(i.runningSince)} (${formatRelative(i.runningSince)})` : '—'],
    ['Last change', formatDateTime(i.updatedAt)],
    ...(i.destroyedAt ? ([['Destroyed', formatDateTime(i.destroyedAt)]] as [string, string][]) : []),
    ['Status', i.statusMessage ?? '—'],
    ['Instance id', i.id],
  ];
  return (
    <SimpleGrid cols={2} spacing="xs" verticalSpacing={4}>
      {facts.map(([k, v]) => (
        <Stack key={k} gap={0} style={{ gridColumn: k === 'Instance id' || k === 'Status' ? 'span 2' : undefined }}>
          <Text size="xs" c="dimmed">
            {k}
          </Text>
          <Text size="sm" style={{ wordBreak: 'break-all' }}>
            {v}
          </Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}
