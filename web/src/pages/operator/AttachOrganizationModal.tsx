// Putting an existing organization under a partner: search organizations by subdomain or name and
// pick one. An organization has at most one partner, so this moves it from any earlier one.
import { Select } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import type { PartnerSummary } from '../../api/types';
import { FormModal } from '../../components/FormModal';

export function AttachOrganizationModal({ partner, onClose }: { partner: PartnerSummary; onClose: () => void }) {
  const queryClient = useQueryClient();
  const attach = $api.useMutation('put', '/admin/tenants/{tenantId}/partner');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const orgs = $api.useQuery('get', '/admin/tenants', { params: { query: { limit: 20, ...(q ? { q } : {}) } } });
  const form = useForm<{ tenantId: string | null }>({
    initialValues: { tenantId: null },
    validate: { tenantId: (v) => (v ? null : 'Choose an organization') },
  });
  const options = (orgs.data?.items ?? []).map((o) => ({
    value: o.id,
    label: `${o.name} (${o.slug})${o.partnerId === partner.id ? ' · already here' : o.partnerId ? ' · under another partner' : ''}`,
    disabled: o.partnerId === partner.id,
  }));

  async function submit(values: typeof form.values) {
    await attach.mutateAsync({ params: { path: { tenantId: values.tenantId! } }, body: { partnerId: partner.id } });
    const org = orgs.data?.items.find((o) => o.id === values.tenantId);
    notifications.show({ color: 'teal', message: `${org?.name ?? 'The organization'} is now managed by ${partner.name}.` });
    await Promise.all([queryClient.invalidateQueries({ queryKey: ['get', '/admin/partners'] }), queryClient.invalidateQueries({ queryKey: ['get', '/admin/tenants'] })]);
  }

  return (
    <FormModal title={`Add an organization to ${partner.name}`} form={form} submitLabel="Add organization" onSubmit={submit} onClose={onClose}>
      <Select
        label="Organization"
        required
        searchable
        data-autofocus
        placeholder="Type a subdomain or name"
        searchValue={search}
        onSearchChange={setSearch}
        filter={({ options: o }) => o}
        nothingFoundMessage={orgs.isFetching ? 'Searching…' : 'No organization matches'}
        data={options}
        {...form.getInputProps('tenantId')}
      />
    </FormModal>
  );
}
