// Partners (MSPs) for operators: create one, give people roles in it, put organizations under it,
// and open its view as its admins see it.
import { Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { $api } from '../../api/client';
import type { PartnerSummary } from '../../api/types';
import { EmptyState, QueryState } from '../../components/QueryState';
import { AttachOrganizationModal } from './AttachOrganizationModal';
import { NewPartnerModal } from './NewPartnerModal';
import { PartnerMemberModal } from './PartnerMemberModal';

type Dialog = { kind: 'new' } | { kind: 'member' | 'organization'; partner: PartnerSummary };

export function PartnersTab() {
  const partners = $api.useQuery('get', '/admin/partners');
  const [dialog, setDialog] = useState<Dialog>();
  const close = () => setDialog(undefined);
  return (
    <Stack>
      <Group justify="space-between">
        <Text c="dimmed" size="sm" maw={560}>
          A partner manages its customers’ organizations: its admins act as admins in each of them and can create new ones.
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'new' })}>
          New partner
        </Button>
      </Group>
      <QueryState query={partners} isEmpty={(d) => d.items.length === 0} empty={<EmptyState title="No partners yet">Create one to let an MSP manage its customers’ organizations.</EmptyState>}>
        {(d) => (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" aria-label="Partners" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Partner</Table.Th>
                  <Table.Th>Organizations</Table.Th>
                  <Table.Th>People</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.items.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/partners/${p.id}`} fw={500}>
                        {p.name}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {p.slug}
                      </Text>
                    </Table.Td>
                    <Table.Td>{p.organizations}</Table.Td>
                    <Table.Td>{p.members}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        <Button size="compact-sm" variant="light" onClick={() => setDialog({ kind: 'organization', partner: p })} aria-label={`Add an organization to ${p.name}`}>
                          Add organization
                        </Button>
                        <Button size="compact-sm" variant="subtle" onClick={() => setDialog({ kind: 'member', partner: p })} aria-label={`Add a person to ${p.name}`}>
                          Add person
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {dialog?.kind === 'new' && <NewPartnerModal onClose={close} />}
      {dialog?.kind === 'member' && <PartnerMemberModal partner={dialog.partner} onClose={close} />}
      {dialog?.kind === 'organization' && <AttachOrganizationModal partner={dialog.partner} onClose={close} />}
    </Stack>
  );
}
