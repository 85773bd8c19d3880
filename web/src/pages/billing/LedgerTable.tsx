// The credit ledger, newest first, a page at a time: when, what kind, what for, which instance, the
// amount and the balance after it. The balance after each entry is counted back from today's balance,
// so it is shown only for the unfiltered ledger (a filter leaves entries out of the sum).
import { Anchor, Badge, Button, Card, Group, Select, Table, Text, Title } from '@mantine/core';
import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { $api } from '../../api/client';
import type { LedgerEntry, Money } from '../../api/types';
import { EmptyState, QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/format';
import { formatMicro, signedAmount } from './billing-rules';

export const LEDGER_PAGE_SIZE = 25;

type Reason = LedgerEntry['reason'];
export const REASON_LABEL: Record<Reason, string> = { trial_grant: 'Trial credits', top_up: 'Top-up', usage: 'Usage', trial_expiry: 'Trial expiry', adjustment: 'Adjustment' };
const REASON_COLOR: Record<Reason, string> = { trial_grant: 'teal', top_up: 'teal', usage: 'blue', trial_expiry: 'gray', adjustment: 'grape' };
const ALL = 'all';

/** One page: its cursor, and the balance after its newest entry (known while unfiltered). */
interface PageStart {
  cursor?: string;
  balanceAfterMicro?: number;
}

export function LedgerTable({ tenantId, balance, instanceNames }: { tenantId: string; balance: Money | undefined; instanceNames: Map<string, string> }) {
  const [reason, setReason] = useState<string>(ALL);
  const [pages, setPages] = useState<PageStart[]>([{}]);
  const page = pages[pages.length - 1];
  const filtered = reason !== ALL;
  const ledger = $api.useQuery(
    'get',
    '/tenants/{tenantId}/billing/ledger',
    { params: { path: { tenantId }, query: { limit: LEDGER_PAGE_SIZE, cursor: page.cursor, reason: filtered ? (reason as Reason) : undefined } } },
    { placeholderData: keepPreviousData },
  );
  const startMicro = filtered ? undefined : pages.length === 1 ? balance?.micro : page.balanceAfterMicro;
  const rows = withBalanceAfter(ledger.data?.items ?? [], startMicro);

  function changeReason(value: string | null) {
    setReason(value ?? ALL);
    setPages([{}]);
  }
  function older() {
    const last = rows[rows.length - 1];
    const next = ledger.data?.nextCursor;
    if (!next) return;
    setPages([...pages, { cursor: next, balanceAfterMicro: last?.balanceAfterMicro === undefined ? undefined : last.balanceAfterMicro - last.entry.amount.micro }]);
  }

  return (
    <Card withBorder component="section" aria-labelledby="ledger-heading">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4" id="ledger-heading">
          Ledger
        </Title>
        <Select
          label="Kind"
          size="xs"
          w={180}
          allowDeselect={false}
          data={[{ value: ALL, label: 'All kinds' }, ...Object.entries(REASON_LABEL).map(([value, label]) => ({ value, label }))]}
          value={reason}
          onChange={changeReason}
        />
      </Group>
      <QueryState
        query={ledger}
        loadingLabel="Loading the ledger…"
        isEmpty={(d) => d.items.length === 0 && pages.length === 1}
        empty={<EmptyState title={filtered ? 'No entries of this kind' : 'No ledger entries yet'}>Credits granted and usage charged (once per billing window) appear here.</EmptyState>}
      >
        {() => (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table striped aria-label="Ledger" verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>Description</Table.Th>
                    <Table.Th>Instance</Table.Th>
                    <Table.Th ta="right">Amount</Table.Th>
                    {!filtered && <Table.Th ta="right">Balance after</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map(({ entry, balanceAfterMicro }) => (
                    <Table.Tr key={entry.id}>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(entry.at)}</Text>
                        {entry.windowStart && entry.windowEnd && (
                          <Text size="xs" c="dimmed">
                            usage {formatDateTime(entry.windowStart)} – {formatDateTime(entry.windowEnd)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={REASON_COLOR[entry.reason]}>
                          {REASON_LABEL[entry.reason]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{entry.description}</Table.Td>
                      <Table.Td>
                        {entry.instanceId ? (
                          <Anchor component={Link} to={`/t/${tenantId}/instances/${entry.instanceId}`} size="sm">
                            {instanceNames.get(entry.instanceId) ?? `${entry.instanceId.slice(0, 8)}…`}
                          </Anchor>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                      <Table.Td ta="right" c={entry.amount.micro < 0 ? undefined : 'teal'} style={{ whiteSpace: 'nowrap' }}>
                        {signedAmount(entry.amount.micro)}
                      </Table.Td>
                      {!filtered && (
                        <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                          {balanceAfterMicro === undefined ? '—' : formatMicro(balanceAfterMicro)}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group justify="space-between" mt="sm">
              <Text size="sm" c="dimmed">
                Page {pages.length}
              </Text>
              <Group gap="xs">
                <Button variant="default" size="xs" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
                  Newer entries
                </Button>
                <Button variant="default" size="xs" disabled={!ledger.data?.nextCursor || ledger.isPlaceholderData} onClick={older}>
                  Older entries
                </Button>
              </Group>
            </Group>
          </>
        )}
      </QueryState>
    </Card>
  );
}

/** Each entry with the balance right after it, counting back from the balance after the newest one. */
export function withBalanceAfter(items: LedgerEntry[], newestBalanceAfterMicro: number | undefined) {
  let after = newestBalanceAfterMicro;
  return items.map((entry) => {
    const row = { entry, balanceAfterMicro: after };
    if (after !== undefined) after -= entry.amount.micro;
    return row;
  });
}
