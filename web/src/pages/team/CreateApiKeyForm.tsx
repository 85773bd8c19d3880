// Creating an API key: name, role (at most your own), site, expiry. The answer carries the secret,
// shown once in a modal that cannot be dismissed by a stray click; closing it forgets the secret.
import { Alert, Button, Card, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import type { Answer, Site, Tenant } from '../../api/types';
import { roleAtLeast, type Role } from '../../app/session';
import { applyApiErrors } from '../../components/forms';
import { OneTimeSecret } from './OneTimeSecret';
import { grantableRoles, ROLE_HELP, roleOptions } from './roles';
import { ORG_WIDE, siteIdOf, siteLabel, siteOptions } from './sites';
import { useSubmissionKey } from '../../components/submission-key';

type CreatedKey = Answer<'/tenants/{tenantId}/api-keys', 'post'>;

const EXPIRY_OPTIONS = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
];

function SecretModal({ created, onClose }: { created: CreatedKey | undefined; onClose: () => void }) {
  return (
    <Modal opened={!!created} onClose={onClose} title="Copy your new API key" size="lg" closeOnClickOutside={false} closeOnEscape={false}>
      {created && (
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="This is the only time the key is shown">
            Store it now in your secret manager or CI settings. Tenantry keeps only a hash of it; if you lose it, revoke it and create another.
          </Alert>
          <OneTimeSecret label={`API key “${created.name}”`} value={created.key} />
          <Group justify="flex-end">
            <Button onClick={onClose}>I have stored the key</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

export function CreateApiKeyForm({ tenant, sites }: { tenant: Tenant; sites: Site[] | undefined }) {
  const queryClient = useQueryClient();
  const create = $api.useMutation('post', '/tenants/{tenantId}/api-keys');
  const submissionKey = useSubmissionKey();
  const [created, setCreated] = useState<CreatedKey>();
  const [error, setError] = useState<string>();
  const roles = grantableRoles(tenant.role);
  // Least privilege by default: member (enough to run instances) unless the caller has less.
  const defaultRole: Role = roleAtLeast(tenant.role, 'member') ? 'member' : 'viewer';
  const form = useForm({
    initialValues: { name: '', role: defaultRole, siteId: tenant.siteId ?? ORG_WIDE, expiry: '90' },
    validate: { name: (v) => (v.trim().length === 0 ? 'Give the key a name, e.g. where it is used' : v.trim().length > 64 ? 'At most 64 characters' : null) },
  });
  const role = form.getValues().role;

  async function submit(values: typeof form.values) {
    setError(undefined);
    const body = {
      name: values.name.trim(),
      role: values.role,
      siteId: siteIdOf(values.siteId),
      ...(values.expiry === 'never' ? {} : { expiresInDays: Number(values.expiry) }),
    };
    try {
      const key = await create.mutateAsync({ params: { path: { tenantId: tenant.id } }, body, headers: { 'Idempotency-Key': submissionKey.keyFor(body) } });
      submissionKey.done();
      form.reset();
      setCreated(key);
      await queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}/api-keys'] });
    } catch (err) {
      setError(applyApiErrors(form, err, { expiresInDays: 'expiry' }));
    }
  }

  function closeSecret() {
    setCreated(undefined);
    // The mutation keeps its last answer (with the secret) until reset.
    create.reset();
    notifications.show({ color: 'teal', message: 'API key created. It is listed below by its prefix.' });
  }

  return (
    <Card withBorder component="section" aria-labelledby="create-key-heading">
      <Title order={2} size="h4" id="create-key-heading" mb="sm">
        Create an API key
      </Title>
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Name" placeholder="e.g. ci-deploys" required {...form.getInputProps('name')} />
            <Select label="Role" data={roleOptions(roles)} allowDeselect={false} description={ROLE_HELP[role]} {...form.getInputProps('role')} />
            {tenant.siteId ? (
              <TextInput label="Site" value={siteLabel(tenant.siteId, sites)} readOnly disabled description="Your role is limited to this site, so your keys are too." />
            ) : (
              <Select label="Site" data={siteOptions(sites)} allowDeselect={false} description="A key limited to a site sees only that site's instances." {...form.getInputProps('siteId')} />
            )}
            <Select label="Expires after" data={EXPIRY_OPTIONS} allowDeselect={false} {...form.getInputProps('expiry')} />
          </SimpleGrid>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={create.isPending}>
              Create API key
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            A key never has more than your own role, and it stops working if you leave the organization.
          </Text>
        </Stack>
      </form>
      <SecretModal created={created} onClose={closeSecret} />
    </Card>
  );
}
