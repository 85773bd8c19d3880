// The audit log: who did what in the organization, newest first. Filters and the page cursor live in
// the URL so a filtered view can be shared; paging follows the API's cursors (older / newer).
import { Alert, Button, Card, Group, Loader, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { $api } from '../../api/client';
import { permissionsOf, useTenant, useTenantId } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, Loading, QueryState } from '../../components/QueryState';
import { apiQuery, filtersFromParams, hasFilters, NO_FILTERS, paramsFromFilters, type AuditFilters } from './audit-filters';
import { AuditFiltersForm } from './AuditFiltersForm';
import { AuditTable } from './AuditTable';

const CURSOR = /^[1-9]\d{0,17}$/;

export function AuditLog() {
  const tenantId = useTenantId();
  const tenant = useTenant(tenantId).data;
  const can = permissionsOf(tenant);
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const rawCursor = params.get('cursor');
  const cursor = rawCursor && CURSOR.test(rawCursor) ? rawCursor : undefined;
  // Cursors of the newer pages visited, to go back; only valid for the filters they were taken with.
  const filterKey = paramsFromFilters(filters).toString();
  const [trail, setTrail] = useState<{ filterKey: string; newer: (string | undefined)[] }>({ filterKey, newer: [] });
  const newer = trail.filterKey === filterKey ? trail.newer : [];

  const entries = $api.useQuery(
    'get',
    '/tenants/{tenantId}/audit',
    { params: { path: { tenantId }, query: apiQuery(filters, cursor) } },
    { enabled: can.viewAudit, placeholderData: keepPreviousData },
  );

  function apply(next: AuditFilters) {
    setTrail({ filterKey: paramsFromFilters(next).toString(), newer: [] });
    setParams(paramsFromFilters(next));
  }
  const narrow = (f: Partial<AuditFilters>) => apply({ ...filters, ...f });
  function older(nextCursor: string) {
    setTrail({ filterKey, newer: [...newer, cursor] });
    setParams(paramsFromFilters(filters, nextCursor), { replace: true });
  }
  function newerPage() {
    setTrail({ filterKey, newer: newer.slice(0, -1) });
    setParams(paramsFromFilters(filters, newer.at(-1)), { replace: true });
  }
  const newest = () => apply(filters);

  if (!tenant) return <Loading />;
  const header = <PageHeader title="Audit log" description="Who did what in this organization, from where, and with what result. Newest first." />;
  if (!can.viewAudit) {
    return (
      <>
        {header}
        <Alert color="blue" icon={<IconLock size={18} />} title="Only admins and owners read the audit log">
          Ask an admin of {tenant.name} if you need to know who changed something.
        </Alert>
      </>
    );
  }

  const page = newer.length + 1;
  return (
    <>
      {header}
      <Stack gap="lg">
        <Card withBorder>
          <AuditFiltersForm filters={filters} onApply={apply} />
        </Card>
        <Card withBorder>
          <QueryState
            query={entries}
            isEmpty={(d) => d.items.length === 0 && !cursor}
            empty={
              hasFilters(filters) ? (
                <EmptyState
                  title="No entries match these filters"
                  action={
                    <Button variant="light" onClick={() => apply(NO_FILTERS)}>
                      Clear filters
                    </Button>
                  }
                >
                  Widen the time range or remove a filter.
                </EmptyState>
              ) : (
                <EmptyState title="Nothing recorded yet">Actions on instances, the team, API keys and credentials show up here as they happen.</EmptyState>
              )
            }
          >
            {(data) => (
              <Stack gap="sm">
                {data.items.length > 0 ? (
                  <AuditTable entries={data.items} tenantId={tenantId} onFilter={narrow} />
                ) : (
                  <EmptyState title="No older entries">This is the end of the log for these filters.</EmptyState>
                )}
                <Group justify="space-between" wrap="wrap">
                  <Group gap="xs">
                    <Text size="sm" c="dimmed" aria-live="polite">
                      {cursor && newer.length === 0 ? 'Older entries' : `Page ${page}`} · {data.items.length} {data.items.length === 1 ? 'entry' : 'entries'}
                    </Text>
                    {entries.isFetching && <Loader size="xs" aria-label="Updating" />}
                  </Group>
                  <Group gap="xs">
                    {cursor && newer.length === 0 && (
                      <Button variant="default" size="xs" onClick={newest}>
                        Newest entries
                      </Button>
                    )}
                    {newer.length > 0 && (
                      <Button variant="default" size="xs" onClick={newerPage}>
                        Newer
                      </Button>
                    )}
                    <Button variant="default" size="xs" disabled={!data.nextCursor} onClick={() => data.nextCursor && older(data.nextCursor)}>
                      Older
                    </Button>
                  </Group>
                </Group>
              </Stack>
            )}
          </QueryState>
        </Card>
      </Stack>
    </>
  );
}
