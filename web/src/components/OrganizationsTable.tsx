// Organizations at a glance (a partner's customers, or every organization for operators): status,
// plan, credit balance, instances and trial end, each name a link into that organization's console.
import { Anchor, Badge, Button, Center, Table, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { TenantSummary } from '../api/types';
import { formatDate } from '../lib/format';

const STATUS_COLOR: Record<TenantSummary['status'], string> = { pending: 'blue', active: 'teal', suspended: 'orange', closed: 'gray' };

export function OrganizationStatusBadge({ org }: { org: TenantSummary }) {
  const badge = (
    <Badge variant="light" color={STATUS_COLOR[org.status]} data-testid="org-status">
      {org.status}
    </Badge>
  );
  return org.statusReason ? (
    <Tooltip label={org.statusReason} multiline w={260} withArrow>
      <span tabIndex={0}>{badge}</span>
    </Tooltip>
  ) : (
    badge
  );
}

export function OrganizationsTable({ orgs, label, actions, extraColumn }: { orgs: TenantSummary[]; label: string; actions?: (org: TenantSummary) => ReactNode; extraColumn?: { title: string; cell: (org: TenantSummary) => ReactNode } }) {
  return (
    <Table.ScrollContainer minWidth={actions ? 980 : 760}>
      <Table verticalSpacing="sm" aria-label={label} highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Organization</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Plan</Table.Th>
            {extraColumn && <Table.Th>{extraColumn.title}</Table.Th>}
            <Table.Th ta="right">Balance</Table.Th>
            <Table.Th>Instances</Table.Th>
            <Table.Th>Trial ends</Table.Th>
            {actions && (
              <Table.Th>
                <Text span size="sm" fw={700}>
                  Actions
                </Text>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orgs.map((org) => (
            <Table.Tr key={org.id} data-testid={`org-${org.slug}`}>
              <Table.Td>
                <Anchor component={Link} to={`/t/${org.id}`} fw={500} size="sm">
                  {org.name}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {org.slug}
                </Text>
              </Table.Td>
              <Table.Td>
                <OrganizationStatusBadge org={org} />
              </Table.Td>
              <Table.Td>{org.plan}</Table.Td>
              {extraColumn && <Table.Td>{extraColumn.cell(org)}</Table.Td>}
              <Table.Td ta="right" c={org.balance.micro <= 0 ? 'red' : undefined} style={{ whiteSpace: 'nowrap' }}>
                {org.balance.formatted}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {org.instances.running} running of {org.instances.live}
                </Text>
                {org.instances.provisioning > 0 && (
                  <Text size="xs" c="blue">
                    {org.instances.provisioning} provisioning
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{formatDate(org.trialEndsAt)}</Table.Td>
              {actions && <Table.Td>{actions(org)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** "Show more" under a cursor-paged list. */
export function LoadMore({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  if (!query.hasNextPage) return null;
  return (
    <Center mt="sm">
      <Button variant="default" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
        Show more
      </Button>
    </Center>
  );
}

/**
 * Infinite-query options for the API's cursor paging (`cursor` in, `nextCursor` out). The first page
 * has no cursor: null, because openapi-react-query turns an undefined page param into `cursor=0`
 * (which the API rightly refuses), while a null query parameter is left out of the URL.
 */
export const cursorPages = {
  pageParamName: 'cursor',
  initialPageParam: null as string | null,
  getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor ?? undefined,
};
