// How many instances are in which phase, linking to the list.
import { Anchor, Badge, Card, Group, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { Instance } from '../../api/types';
import { PhaseBadge } from '../../components/PhaseBadge';
import { countByPhase } from './dashboard-rules';

export function PhaseCounts({ tenantId, items }: { tenantId: string; items: Instance[] }) {
  const counts = countByPhase(items);
  return (
    <Card withBorder component="section" aria-labelledby="phases-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="phases-heading">
          Instances by phase
        </Title>
        <Anchor component={Link} to={`/t/${tenantId}/instances`} size="sm">
          All instances
        </Anchor>
      </Group>
      {counts.length === 0 ? (
        <Text c="dimmed" size="sm">
          No instances right now.
        </Text>
      ) : (
        <Group gap="lg" role="list" aria-label="Instances by phase">
          {counts.map(([phase, n]) => (
            <Group key={phase} gap={6} role="listitem" aria-label={`${phase}: ${n}`}>
              <PhaseBadge phase={phase} />
              <Badge variant="outline" color="gray" circle>
                {n}
              </Badge>
            </Group>
          ))}
        </Group>
      )}
    </Card>
  );
}
