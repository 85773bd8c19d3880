// Where a provision (or a destroy) is: its named steps, a progress bar, why it waits, and the live log.
import { Alert, Badge, Card, Code, Group, Progress, ScrollArea, Stack, Stepper, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { Instance, InstanceEvent } from '../../api/types';
import { formatTime } from '../../lib/format';
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

function stepsOf(instance: Instance) {
  if (instance.phase === 'destroying') return DESTROY_STEPS;
  if (['pending', 'provisioning', 'configuring', 'installing'].includes(instance.phase)) return PROVISION_STEPS;
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

export function LifecycleProgress({ instance }: { instance: Instance }) {
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
