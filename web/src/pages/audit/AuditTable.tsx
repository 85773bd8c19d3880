// Audit entries as a table: when, who, what, on what, with which result; each entry opens to show
// its request id, address and details, with quick filters by its actor or target.
import { Anchor, Badge, Button, Code, Group, SimpleGrid, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { Link } from 'react-router-dom';
import type { AuditEntry } from '../../api/types';
import { formatDateTime, formatRelative } from '../../lib/format';
import type { AuditFilters } from './audit-filters';
import { ACTOR_TYPE_LABEL } from './AuditFiltersForm';

const RESULT_COLOR: Record<AuditEntry['result'], string> = { success: 'teal', failure: 'red', denied: 'orange' };

export function actorLabel(actor: AuditEntry['actor']): string {
  if (actor.type === 'system') return 'System';
  if (actor.name) return actor.name;
  // Names are known only for members and the organization's keys; operators are Tenantry staff.
  if (actor.type === 'operator') return 'Tenantry operator';
  return actor.id ? `${ACTOR_TYPE_LABEL[actor.type]} ${actor.id.slice(0, 8)}…` : ACTOR_TYPE_LABEL[actor.type];
}

function Target({ entry, tenantId }: { entry: AuditEntry; tenantId: string }) {
  const { type, id } = entry.target;
  if (!type && !id) return <Text size="sm">—</Text>;
  const short = id && id.length > 12 ? `${id.slice(0, 8)}…` : id;
  return (
    <Text size="sm">
      {type && <Text span c="dimmed" size="sm">{`${type} `}</Text>}
      {type === 'instance' && id ? (
        <Anchor component={Link} to={`/t/${tenantId}/instances/${id}`} size="sm">
          {short}
        </Anchor>
      ) : (
        short
      )}
    </Text>
  );
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ wordBreak: 'break-all' }}>
        {children ?? '—'}
      </Text>
    </div>
  );
}

function EntryDetails({ entry, onFilter }: { entry: AuditEntry; onFilter: (f: Partial<AuditFilters>) => void }) {
  const hasDetails = entry.details !== null && entry.details !== undefined && !(typeof entry.details === 'object' && Object.keys(entry.details as object).length === 0);
  return (
    <Stack gap="sm" py="xs">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
        <Detail label="Request id">{entry.requestId && <Code>{entry.requestId}</Code>}</Detail>
        <Detail label="Address">{entry.ip}</Detail>
        <Detail label={`Actor (${ACTOR_TYPE_LABEL[entry.actor.type]})`}>{entry.actor.id && <Code>{entry.actor.id}</Code>}</Detail>
        <Detail label={`Target${entry.target.type ? ` (${entry.target.type})` : ''}`}>{entry.target.id && <Code>{entry.target.id}</Code>}</Detail>
      </SimpleGrid>
      {hasDetails && (
        <Code block aria-label="Entry details">
          {JSON.stringify(entry.details, null, 2)}
        </Code>
      )}
      <Group gap="xs">
        {entry.actor.id && (
          <Button size="compact-sm" variant="light" onClick={() => onFilter({ actorType: entry.actor.type, actorId: entry.actor.id ?? '' })}>
            Only this actor
          </Button>
        )}
        {entry.target.id && (
          <Button size="compact-sm" variant="light" onClick={() => onFilter({ targetId: entry.target.id ?? '' })}>
            Only this target
          </Button>
        )}
        <Button size="compact-sm" variant="light" onClick={() => onFilter({ action: entry.action })}>
          Only this action
        </Button>
      </Group>
    </Stack>
  );
}

export function AuditTable({ entries, tenantId, onFilter }: { entries: AuditEntry[]; tenantId: string; onFilter: (f: Partial<AuditFilters>) => void }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="xs" aria-label="Audit entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              <VisuallyHidden>Details</VisuallyHidden>
            </Table.Th>
            <Table.Th>Time</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Target</Table.Th>
            <Table.Th>Result</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => {
            const expanded = open.has(e.id);
            return (
              <Fragment key={e.id}>
                <Table.Tr>
                  <Table.Td w={40}>
                    <Button
                      variant="subtle"
                      size="compact-sm"
                      px={4}
                      onClick={() => toggle(e.id)}
                      aria-expanded={expanded}
                      aria-controls={`audit-${e.id}`}
                      aria-label={`${expanded ? 'Hide' : 'Show'} details of ${e.action} at ${formatDateTime(e.at)}`}
                    >
                      {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                    </Button>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(e.at)}</Text>
                    <Text size="xs" c="dimmed">
                      {formatRelative(e.at)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{actorLabel(e.actor)}</Text>
                    {e.actor.type !== 'user' && e.actor.type !== 'system' && (
                      <Text size="xs" c="dimmed">
                        {ACTOR_TYPE_LABEL[e.actor.type]}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Code>{e.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Target entry={e} tenantId={tenantId} />
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={RESULT_COLOR[e.result]}>
                      {e.result}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
                {expanded && (
                  <Table.Tr id={`audit-${e.id}`}>
                    <Table.Td />
                    <Table.Td colSpan={5}>
                      <EntryDetails entry={e} onFilter={onFilter} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
