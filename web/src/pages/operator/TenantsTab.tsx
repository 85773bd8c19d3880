// Every organization for operators: search by subdomain or name, grant (or withdraw) credits,
// suspend and resume. Each change goes through the tenant workflow and is audited as an operator's.
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api, errorMessage } from '../../api/client';
import type { TenantSummary } from '../../api/types';
import { confirmAction } from '../../components/confirm';
import { cursorPages, LoadMore, OrganizationsTable } from '../../components/OrganizationsTable';
import { EmptyState, QueryState } from '../../components/QueryState';
import { GrantCreditsModal } from './GrantCreditsModal';

function TenantActions({ org, onGrant }: { org: TenantSummary; onGrant: () => void }) {
  const queryClient = useQueryClient();
  const suspend = $api.useMutation('post', '/admin/tenants/{tenantId}/suspend');
  const resume = $api.useMutation('post', '/admin/tenants/{tenantId}/resume');
  const done = (message: string) => {
    notifications.show({ color: 'teal', message });
    return queryClient.invalidateQueries({ queryKey: ['get', '/admin/tenants'] });
  };
  const failed = (err: unknown) => notifications.show({ color: 'red', title: 'Not changed', message: errorMessage(err) });
  return (
    <Group gap={4} wrap="nowrap">
      {org.status !== 'closed' && (
        <Button size="compact-sm" variant="light" onClick={onGrant} aria-label={`Grant credits to ${org.name}`}>
          Grant credits
        </Button>
      )}
      {org.status === 'active' && (
        <Button
          size="compact-sm"
          variant="subtle"
          color="orange"
          onClick={() =>
            confirmAction({
              title: `Suspend ${org.name}?`,
              body: 'Running instances stop (their data is kept) and nothing new can be created until the organization is resumed.',
              confirmLabel: 'Suspend organization',
              danger: true,
              onConfirm: () => void suspend.mutateAsync({ params: { path: { tenantId: org.id } }, body: { reason: 'Suspended by an operator' } }).then(() => done(`${org.name} suspended.`), failed),
            })
          }
        >
          Suspend
        </Button>
      )}
      {org.status === 'suspended' && (
        <Button size="compact-sm" variant="subtle" onClick={() => void resume.mutateAsync({ params: { path: { tenantId: org.id } } }).then(() => done(`${org.name} resumed.`), failed)}>
          Resume
        </Button>
      )}
    </Group>
  );
}

export function TenantsTab() {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const [granting, setGranting] = useState<TenantSummary>();
  const orgs = $api.useInfiniteQuery(
    'get',
    '/admin/tenants',
    { params: { query: { limit: 50, ...(debounced ? { q: debounced } : {}) } } },
    cursorPages,
  );
  return (
    <Stack>
      <TextInput label="Search" placeholder="Subdomain or name" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={360} />
      <QueryState query={orgs} isEmpty={(d) => d.pages[0].items.length === 0} empty={<EmptyState title="No organizations match">Try another subdomain or name.</EmptyState>}>
        {(d) => (
          <>
            <OrganizationsTable orgs={d.pages.flatMap((p) => p.items)} label="Organizations" actions={(org) => <TenantActions org={org} onGrant={() => setGranting(org)} />} />
            <LoadMore query={orgs} />
          </>
        )}
      </QueryState>
      {granting && <GrantCreditsModal org={granting} onClose={() => setGranting(undefined)} />}
    </Stack>
  );
}
