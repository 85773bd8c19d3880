// An instance's phase as a coloured badge, and the provider's sandbox label.
import { Badge, Tooltip } from '@mantine/core';
import type { InstancePhase } from '../api/types';

const PHASE_COLOR: Record<InstancePhase, string> = {
  pending: 'gray',
  provisioning: 'blue',
  configuring: 'blue',
  installing: 'blue',
  running: 'green',
  stopping: 'yellow',
  stopped: 'gray',
  starting: 'blue',
  destroying: 'orange',
  destroyed: 'dark',
  failed: 'red',
  cancelled: 'dark',
};

export const IN_PROGRESS_PHASES: readonly InstancePhase[] = ['pending', 'provisioning', 'configuring', 'installing', 'stopping', 'starting', 'destroying'];
export const FINAL_PHASES: readonly InstancePhase[] = ['destroyed', 'failed', 'cancelled'];

export function PhaseBadge({ phase, healthy }: { phase: InstancePhase; healthy?: boolean | null }) {
  const unhealthy = phase === 'running' && healthy === false;
  return (
    <Badge color={unhealthy ? 'orange' : PHASE_COLOR[phase]} variant={IN_PROGRESS_PHASES.includes(phase) ? 'dot' : 'light'} data-testid="phase-badge" data-phase={phase}>
      {unhealthy ? 'running · unhealthy' : phase}
    </Badge>
  );
}

export function SandboxBadge() {
  return (
    <Tooltip label="Served by Tenantry's simulator of this provider, not a real cloud: nothing is billed by the provider." multiline w={260} withArrow>
      <Badge color="grape" variant="outline" size="sm" tabIndex={0}>
        sandbox
      </Badge>
    </Tooltip>
  );
}
