// Where a provision (or a destroy) is: its named steps, a progress bar, why it waits, how long it
// usually takes, and the live log.
import { Alert, Badge, Card, Code, Group, Progress, ScrollArea, Stack, Stepper, Text, Title } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import type { Instance, InstanceEvent } from '../../api/types';
import { formatDuration, formatTime } from '../../lib/format';
import type { StreamStatus } from './useInstanceEvents';

/** The named steps of each long-running operation, in the order the lifecycle workflow runs them. */
const PROVISION_STEPS = [
  { step: 'queued', label: 'Queued', description: 'waiting for a slot' },
  { step: 'prepare', label: 'Prepare', description: 'network, database, prerequisites' },
  { step: 'create', label: 'Create', description: 'the machine or container' },
  { step: 'boot', label: 'Boot', description: 'until it answers' },
  { step: 'install', label: 'Install', description: 'the template, health checked' },
];
const DESTROY_STEPS = [
  { step: 'releasing compute', label: 'Release compute', description: 'machine or container' },
  { step: 'releasing prerequisites', label: 'Release the rest', description: 'network, disks, database' },
  { step: 'confirming', label: 'Confirm', description: 'nothing is left' },
];

/** The phases of a provision, queued first. */
const PROVISION_PHASES: readonly Instance['phase'][] = ['pending', 'provisioning', 'configuring', 'installing'];

function stepsOf(instance: Instance) {
  if (instance.phase === 'destroying') return DESTROY_STEPS;
  if (PROVISION_PHASES.includes(instance.phase)) return PROVISION_STEPS;
  return null;
}

function activeIndex(steps: typeof PROVISION_STEPS, instance: Instance) {
  if (instance.phase === 'pending') return 0;
  const i = steps.findIndex((s) => s.step === instance.currentStep);
  return i >= 0 ? i : 0;
}

const STATUS_TEXT: Record<StreamStatus, { label: string; color: string }> = {
  connecting: { label: 'connecting', color: 'gray' },
  live: { label: 'live', color: 'green' },
  reconnecting: { label: 'reconnecting…', color: 'yellow' },
  ended: { label: 'final', color: 'gray' },
  unavailable: { label: 'refreshing every few seconds', color: 'gray' },
};

const LEVEL_COLOR: Record<InstanceEvent['level'], string | undefined> = { debug: 'dimmed', info: undefined, warn: 'yellow.8', error: 'red' };

/** Past this many times the usual duration, the console says it is taking longer than usual. */
const SLOW_FACTOR = 1.5;

/** "Usually takes about 2 min · 40 s so far", ticking, from when the instance got its slot. */
export function ProvisionTiming({ since, typicalSeconds }: { since: string; typicalSeconds: number | null | undefined }) {
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 1000, { autoInvoke: true });
  const elapsedMs = Math.max(0, now - new Date(since).getTime());
  const soFar = `${formatDuration(elapsedMs)} so far`;
  if (!typicalSeconds) return <Text size="sm" c="dimmed" data-testid="provision-timing">{soFar}</Text>;
  const usual = formatDuration(typicalSeconds * 1000);
  if (elapsedMs <= typicalSeconds * 1000 * SLOW_FACTOR) {
    return <Text size="sm" c="dimmed" data-testid="provision-timing">{`Usually takes about ${usual} · ${soFar}`}</Text>;
  }
  return (
    <Text size="sm" c="orange.8" data-testid="provision-timing">
      {`Taking longer than the usual ${usual} (${soFar}). The activity log shows what it is doing; it retries on its own, and you can cancel at any time.`}
    </Text>
  );
}

export function LifecycleProgress({ instance, typicalSeconds }: { instance: Instance; typicalSeconds?: number | null }) {
  const steps = stepsOf(instance);
  if (!steps) return null;
  const active = activeIndex(steps, instance);
  const label = instance.phase === 'destroying' ? 'Destroying' : instance.phase === 'pending' ? 'Waiting to start' : 'Provisioning';
  return (
    <Card withBorder>
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {label}
          </Title>
          <Text size="sm" c="dimmed">
            {instance.progress}%
          </Text>
        </Group>
        <Progress value={instance.progress} animated size="lg" aria-label={`${label}: ${instance.progress}%`} />
        <Stepper active={active} size="xs" allowNextStepsSelect={false} orientation="horizontal" wrap>
          {steps.map((s) => (
            <Stepper.Step key={s.step} label={s.label} description={s.description} loading={steps[active] === s} />
          ))}
        </Stepper>
        {instance.phase !== 'pending' && steps === PROVISION_STEPS && instance.admittedAt && <ProvisionTiming since={instance.admittedAt} typicalSeconds={typicalSeconds} />}
        {instance.phase === 'pending' && instance.pendingReason && (
          <Alert color="blue" title="Waiting">
            {instance.pendingReason}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

export function LiveLog({ events, status }: { events: InstanceEvent[]; status: StreamStatus }) {
  const viewport = useRef<HTMLDivElement>(null);
  // Follow the newest line, as a terminal does.
  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [events.length]);
  const s = STATUS_TEXT[status];
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Activity log
        </Title>
        <Badge variant="dot" color={s.color} aria-live="polite">
          {s.label}
        </Badge>
      </Group>
      {events.length === 0 ? (
        <Text size="sm" c="dimmed">
          {status === 'unavailable' ? 'The live log is not available in this browser; the status above refreshes by itself.' : 'No events yet.'}
        </Text>
      ) : (
        <ScrollArea.Autosize mah={320} viewportRef={viewport}>
          <ol data-testid="instance-log" role="log" aria-label="Activity log" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {events.map((e) => (
              <li key={e.id}>
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  <Code c="dimmed" style={{ flexShrink: 0 }}>
                    {formatTime(e.at)}
                  </Code>
                  <Text size="sm" c={LEVEL_COLOR[e.level]} style={{ wordBreak: 'break-word' }}>
                    {e.phase && <b>{e.phase}: </b>}
                    {e.message}
                  </Text>
                </Group>
              </li>
            ))}
          </ol>
        </ScrollArea.Autosize>
      )}
    </Card>
  );
}
