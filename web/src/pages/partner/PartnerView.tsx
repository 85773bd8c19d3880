// A partner's (MSP's) home: the organizations it manages, with status, balance and instances, each a
// link into that organization's console (where the partner acts with its partner role); partner admins
// create organizations for new customers here.
import { Badge, Button, Card, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useParams, useSearchParams } from 'react-router-dom';
import { $api } from '../../api/client';
import { cursorPages, LoadMore, OrganizationsTable } from '../../components/OrganizationsTable';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, QueryState } from '../../components/QueryState';
import { NewOrganizationModal } from './NewOrganizationModal';

const STATUSES = ['all', 'active', 'pending', 'suspended', 'closed'] as const;
type StatusFilter = (typeof STATUSES)[number];

export function PartnerView() {
  const { partnerId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const status: StatusFilter = STATUSES.find((s) => s === params.get('status')) ?? 'all';
  const [creating, { open, close }] = useDisclosure(false);
  const partner = $api.useQuery('get', '/partners/{partnerId}', { params: { path: { partnerId } } });
  const orgs = $api.useInfiniteQuery(
    'get',
    '/partners/{partnerId}/tenants',
    { params: { path: { partnerId }, query: { limit: 50, ...(status === 'all' ? {} : { status }) } } },
    cursorPages,
  );
  const isAdmin = partner.data?.role === 'partner_admin';

  return (
    <QueryState query={partner}>
      {(p) => (
        <>
          <PageHeader
            title={p.name}
            badge={<Badge variant="light">{p.role === 'partner_admin' ? 'partner admin' : 'partner viewer'}</Badge>}
            description={`${p.organizations} organization${p.organizations === 1 ? '' : 's'} managed by ${p.name}. Open one to act in it as ${p.role === 'partner_admin' ? 'an admin' : 'a viewer'}.`}
            actions={
              isAdmin && (
                <Button leftSection={<IconPlus size={16} />} onClick={open}>
                  New customer organization
                </Button>
              )
            }
          />
          <Card withBorder component="section" aria-label="Managed organizations">
            <Stack>
              <Group justify="space-between" wrap="wrap">
                <Text fw={600}>Organizations</Text>
                <SegmentedControl
                  aria-label="Status"
                  size="xs"
                  value={status}
                  onChange={(v) => setParams(v === 'all' ? {} : { status: v }, { replace: true })}
                  data={STATUSES.map((s) => ({ value: s, label: s === 'all' ? 'All' : s[0].toUpperCase() + s.slice(1) }))}
                />
              </Group>
              <QueryState
                query={orgs}
                isEmpty={(d) => d.pages[0].items.length === 0}
                empty={
                  <EmptyState
                    title={status === 'all' ? 'No organizations yet' : `No ${status} organizations`}
                    action={
                      isAdmin &&
                      status === 'all' && (
                        <Button variant="light" onClick={open}>
                          Create the first one
                        </Button>
                      )
                    }
                  >
                    {status === 'all' ? 'Organizations you create for customers, or that an operator puts under this partner, are listed here.' : 'Try another status.'}
                  </EmptyState>
                }
              >
                {(d) => (
                  <>
                    <OrganizationsTable orgs={d.pages.flatMap((pg) => pg.items)} label="Managed organizations" />
                    <LoadMore query={orgs} />
                  </>
                )}
              </QueryState>
            </Stack>
          </Card>
          {isAdmin && <NewOrganizationModal partnerId={p.id} opened={creating} onClose={close} />}
        </>
      )}
    </QueryState>
  );
}
