// Sites: locations or teams inside the organization. Members and API keys limited to a site see and
// create instances only there; organization-wide admins create sites.
import { Alert, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import type { Tenant } from '../../api/types';
import { permissionsOf } from '../../app/session';
import { applyApiErrors } from '../../components/forms';
import { EmptyState, QueryState } from '../../components/QueryState';
import { formatDate } from '../../lib/format';
import { useSites } from './sites';
import { useSubmissionKey } from '../../components/submission-key';

function CreateSiteForm({ tenantId }: { tenantId: string }) {
  const queryClient = useQueryClient();
  const create = $api.useMutation('post', '/tenants/{tenantId}/sites');
  const submissionKey = useSubmissionKey();
  const [error, setError] = useState<string>();
  const form = useForm({
    initialValues: { name: '' },
    validate: { name: (v) => (v.trim().length === 0 ? 'Enter a name' : v.trim().length > 64 ? 'At most 64 characters' : null) },
  });

  async function submit(values: typeof form.values) {
    setError(undefined);
    const body = { name: values.name.trim() };
    try {
      const site = await create.mutateAsync({ params: { path: { tenantId } }, body, headers: { 'Idempotency-Key': submissionKey.keyFor(body) } });
      submissionKey.done();
      form.reset();
      notifications.show({ color: 'teal', message: `Site ${site.name} created.` });
      await queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}/sites'] });
    } catch (err) {
      setError(applyApiErrors(form, err));
    }
  }

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="xs">
        <Group align="flex-start" wrap="wrap">
          <TextInput label="New site name" placeholder="e.g. Berlin office" required maw={320} style={{ flexGrow: 1 }} {...form.getInputProps('name')} />
          <Button type="submit" mt={25} loading={create.isPending}>
            Create site
          </Button>
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

export function SitesSection({ tenant }: { tenant: Tenant }) {
  const sites = useSites(tenant.id);
  const can = permissionsOf(tenant);
  return (
    <Card withBorder component="section" aria-labelledby="sites-heading">
      <Title order={2} size="h4" id="sites-heading" mb={4}>
        Sites
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Sites divide the organization, e.g. by office or team. A member or API key limited to a site sees and creates instances only in that site; everyone else works across the whole organization.
      </Text>
      <Stack>
        <QueryState
          query={sites}
          isEmpty={(d) => d.items.length === 0}
          empty={
            <EmptyState title="No sites yet">
              {can.administer ? 'Everyone works organization-wide. Create a site to limit members or API keys to one part of the organization.' : 'Everyone works organization-wide.'}
            </EmptyState>
          }
        >
          {(data) => (
            <Table.ScrollContainer minWidth={420}>
              <Table verticalSpacing="xs" aria-label="Sites">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Instances</Table.Th>
                    <Table.Th>Created</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>{s.name}</Table.Td>
                      <Table.Td>{s.instances}</Table.Td>
                      <Table.Td>{formatDate(s.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
        {can.administer && <CreateSiteForm tenantId={tenant.id} />}
      </Stack>
    </Card>
  );
}
