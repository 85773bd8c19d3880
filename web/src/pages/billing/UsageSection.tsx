// Usage by instance for a chosen period: a stacked chart over time and a table of what each instance
// used, largest first.
import { Anchor, Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { UsageSeries } from '../../api/types';
import { QueryState } from '../../components/QueryState';
import { UsageChart } from './UsageChart';
import { USAGE_PERIODS, useUsage, type UsagePeriod } from './usage';

export function UsageSection({ tenantId }: { tenantId: string }) {
  const [period, setPeriod] = useState<UsagePeriod>('7');
  const usage = useUsage(tenantId, period);
  return (
    <Card withBorder component="section" aria-labelledby="usage-heading">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4" id="usage-heading">
          Usage by instance
        </Title>
        <SegmentedControl size="xs" aria-label="Period" data={[...USAGE_PERIODS]} value={period} onChange={(v) => setPeriod(v as UsagePeriod)} />
      </Group>
      <QueryState query={usage} loadingLabel="Loading usage…">
        {(u) => (
          <Stack>
            <Text size="sm">
              {u.total.formatted} in this period{u.total.micro > 0 ? `, per ${u.granularity}` : ''}.
            </Text>
            <UsageChart usage={u} byInstance />
            {u.instances.length > 0 && <UsageTable tenantId={tenantId} usage={u} />}
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}

function UsageTable({ tenantId, usage }: { tenantId: string; usage: UsageSeries }) {
  const rows = [...usage.instances].sort((a, b) => b.total.micro - a.total.micro);
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table aria-label="Usage by instance">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Instance</Table.Th>
            <Table.Th>Provider</Table.Th>
            <Table.Th>Size</Table.Th>
            <Table.Th ta="right">Usage</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>
                <Anchor component={Link} to={`/t/${tenantId}/instances/${i.id}`} size="sm">
                  {i.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{i.provider}</Table.Td>
              <Table.Td>{i.size}</Table.Td>
              <Table.Td ta="right">{i.total.formatted}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
