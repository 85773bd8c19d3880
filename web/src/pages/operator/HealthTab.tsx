// Platform health as a worker sees it: the databases and each provider service, checked on demand.
import { Badge, Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { $api } from '../../api/client';
import { QueryState } from '../../components/QueryState';

export function HealthTab() {
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
