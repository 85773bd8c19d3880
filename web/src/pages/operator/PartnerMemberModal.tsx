// Giving a person (an existing account, by e-mail) a role in a partner. Partner admins act as admins
// in every organization the partner manages and may create new ones; viewers only look. Setting a
// role again changes it.
import { Select, TextInput } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { $api } from '../../api/client';
import type { PartnerSummary } from '../../api/types';
import { FormModal } from '../../components/FormModal';

const ROLES = [
  { value: 'partner_admin', label: 'Partner admin: acts as an admin in every managed organization' },
  { value: 'partner_viewer', label: 'Partner viewer: sees every managed organization' },
];

export function PartnerMemberModal({ partner, onClose }: { partner: PartnerSummary; onClose: () => void }) {
  const queryClient = useQueryClient();
  const add = $api.useMutation('post', '/admin/partners/{partnerId}/members');
  const form = useForm<{ email: string; role: 'partner_admin' | 'partner_viewer' }>({
    initialValues: { email: '', role: 'partner_viewer' },
    validate: { email: isEmail('Enter an e-mail address') },
  });

  async function submit(values: typeof form.values) {
    await add.mutateAsync({ params: { path: { partnerId: partner.id } }, body: { email: values.email.trim(), role: values.role } });
    notifications.show({ color: 'teal', message: `${values.email.trim()} is now ${values.role === 'partner_admin' ? 'an admin' : 'a viewer'} of ${partner.name}.` });
    await queryClient.invalidateQueries({ queryKey: ['get', '/admin/partners'] });
  }

  return (
    <FormModal title={`Add a person to ${partner.name}`} form={form} submitLabel="Give role" onSubmit={submit} onClose={onClose}>
      <TextInput label="E-mail" type="email" required description="Of an existing Tenantry account." data-autofocus {...form.getInputProps('email')} />
      <Select label="Role" allowDeselect={false} data={ROLES} {...form.getInputProps('role')} />
    </FormModal>
  );
}
