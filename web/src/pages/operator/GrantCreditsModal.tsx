// Granting (or, negative, withdrawing) credits. One Idempotency-Key per opening of the dialog: a
// retry after a lost answer never grants twice, and changed values under it are refused (422).
import { NumberInput, Select, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { $api, newIdempotencyKey } from '../../api/client';
import type { TenantSummary } from '../../api/types';
import { FormModal } from '../../components/FormModal';

const REASONS = [
  { value: 'top_up', label: 'Top-up' },
  { value: 'adjustment', label: 'Adjustment' },
];

export function GrantCreditsModal({ org, onClose }: { org: TenantSummary; onClose: () => void }) {
  const queryClient = useQueryClient();
  const grant = $api.useMutation('post', '/admin/tenants/{tenantId}/credits');
  const idempotencyKey = useMemo(() => newIdempotencyKey(), []);
  const form = useForm<{ credits: number | string; reason: 'top_up' | 'adjustment'; description: string }>({
    initialValues: { credits: '', reason: 'top_up', description: 'Credits granted by an operator' },
    validate: { credits: (v) => (typeof v === 'number' && v !== 0 ? null : 'Enter a non-zero amount') },
  });

  async function submit(values: typeof form.values) {
    const out = await grant.mutateAsync({ params: { path: { tenantId: org.id }, header: { 'Idempotency-Key': idempotencyKey } }, body: { ...values, credits: Number(values.credits) } });
    notifications.show({ color: 'teal', message: `${out.granted.formatted} granted to ${org.name}; balance ${out.balance.formatted}.` });
    await queryClient.invalidateQueries({ queryKey: ['get', '/admin/tenants'] });
  }

  return (
    <FormModal title={`Grant credits to ${org.name}`} form={form} submitLabel="Grant credits" onSubmit={submit} onClose={onClose}>
      <NumberInput label="Credits" required description="Negative to withdraw." decimalScale={6} {...form.getInputProps('credits')} />
      <Select label="Reason" allowDeselect={false} data={REASONS} {...form.getInputProps('reason')} />
      <TextInput label="Description" {...form.getInputProps('description')} />
    </FormModal>
  );
}
