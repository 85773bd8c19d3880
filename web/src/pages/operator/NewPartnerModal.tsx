// Creating a partner (an MSP that manages customer organizations). The slug follows the name until
// the operator edits it; a taken slug comes back from the API onto the slug field.
import { TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { suggestSubdomain } from '../../components/OrganizationFields';

const SLUG = /^[a-z][a-z0-9-]{1,31}$/;

export function NewPartnerModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const create = $api.useMutation('post', '/admin/partners');
  const [slugEdited, setSlugEdited] = useState(false);
  const form = useForm({
    initialValues: { name: '', slug: '' },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter the partner’s name'),
      slug: (v) => (SLUG.test(v) ? null : '2–32 lower-case letters, digits and hyphens, starting with a letter'),
    },
    onValuesChange: (v, prev) => {
      if (!slugEdited && v.name !== prev.name) form.setFieldValue('slug', suggestSubdomain(v.name));
    },
  });

  async function submit(values: typeof form.values) {
    const p = await create.mutateAsync({ body: { name: values.name.trim(), slug: values.slug } });
    notifications.show({ color: 'teal', message: `Partner ${p.name} created. Add its people next.` });
    await queryClient.invalidateQueries({ queryKey: ['get', '/admin/partners'] });
  }

  const slug = form.getInputProps('slug');
  return (
    <FormModal title="New partner" form={form} submitLabel="Create partner" onSubmit={submit} onClose={onClose}>
      <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
      <TextInput
        label="Slug"
        required
        description="A short, unique identifier for the partner."
        {...slug}
        onChange={(e) => {
          setSlugEdited(true);
          slug.onChange(e);
        }}
      />
    </FormModal>
  );
}
