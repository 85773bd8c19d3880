// Adding a cloud credential: the provider (among those that take one), a name, the provider's public
// fields and the secret. The secret goes to the server once and is cleared from the form on success;
// the server seals it at once and never returns it.
import { Alert, Button, Card, Group, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import { useSubmissionKey } from '../../components/submission-key';
import type { ProviderInfo, ProviderName } from '../../api/types';
import { applyApiErrors } from '../../components/forms';
import { SandboxBadge } from '../../components/PhaseBadge';
import { fieldHelp, fieldLabel, secretLabel } from './credential-fields';

interface Values {
  provider: ProviderName;
  name: string;
  publicFields: Record<string, string>;
  secret: string;
}

const emptyFields = (p: ProviderInfo | undefined) => Object.fromEntries((p?.credentialFields ?? []).map((f) => [f, '']));

export function AddCredentialForm({ tenantId, providers }: { tenantId: string; providers: ProviderInfo[] }) {
  const queryClient = useQueryClient();
  const create = $api.useMutation('post', '/tenants/{tenantId}/credentials');
  const [error, setError] = useState<string>();
  const submission = useSubmissionKey();
  const form = useForm<Values>({
    initialValues: { provider: providers[0].name, name: '', publicFields: emptyFields(providers[0]), secret: '' },
    validate: {
      name: (v) => (v.trim() ? null : 'Give the credential a name, e.g. the subscription it is for'),
      secret: (v) => (v ? null : 'Enter the secret'),
    },
  });
  const values = form.getValues();
  const provider = providers.find((p) => p.name === values.provider) ?? providers[0];

  function chooseProvider(name: string | null) {
    const p = providers.find((x) => x.name === name);
    if (!p) return;
    form.setValues({ provider: p.name, publicFields: emptyFields(p) });
  }

  async function submit(v: Values) {
    setError(undefined);
    const missing = provider.credentialFields.filter((f) => !v.publicFields[f]?.trim());
    if (missing.length) {
      form.setErrors(Object.fromEntries(missing.map((f) => [`publicFields.${f}`, 'is required'])));
      return;
    }
    const body = { provider: v.provider, name: v.name.trim(), publicFields: Object.fromEntries(Object.entries(v.publicFields).map(([k, x]) => [k, x.trim()])), secret: v.secret };
    try {
      const created = await create.mutateAsync({ params: { path: { tenantId } }, body, headers: { 'Idempotency-Key': submission.keyFor(body) } });
      // Forget the secret: the form, and the mutation's memory of what was sent.
      form.setValues({ name: '', publicFields: emptyFields(provider), secret: '' });
      form.resetDirty();
      create.reset();
      submission.done();
      notifications.show({ color: 'teal', message: `Credential “${created.name}” added. Validate it to check that ${provider.label} accepts it.` });
      await queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}/credentials'] });
    } catch (err) {
      setError(applyApiErrors(form, err));
    }
  }

  return (
    <Card withBorder component="section" aria-labelledby="add-credential-heading">
      <Title order={2} size="h4" id="add-credential-heading" mb="sm">
        Add a credential
      </Title>
      <form onSubmit={form.onSubmit(submit)} noValidate autoComplete="off">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Provider"
              data={providers.map((p) => ({ value: p.name, label: p.label }))}
              allowDeselect={false}
              value={values.provider}
              onChange={chooseProvider}
              error={form.errors.provider}
              description={provider.sandbox ? 'A sandbox: the credential is checked by the simulator, not the real cloud.' : undefined}
            />
            <TextInput label="Name" placeholder="e.g. prod-subscription" required maxLength={64} {...form.getInputProps('name')} />
            {provider.credentialFields.map((f) => (
              <TextInput key={`${provider.name}.${f}`} label={fieldLabel(f)} description={fieldHelp(f)} required spellCheck={false} {...form.getInputProps(`publicFields.${f}`)} />
            ))}
            <PasswordInput label={secretLabel(provider.name)} description="Sent once and stored encrypted; it is never shown again." required autoComplete="new-password" {...form.getInputProps('secret')} />
          </SimpleGrid>
          {provider.sandbox && (
            <Group gap="xs">
              <SandboxBadge />
              <Text size="xs" c="dimmed">
                {provider.label} is served by Tenantry’s simulator here.
              </Text>
            </Group>
          )}
          {error && (
            <Alert color="red" role="alert" title="The credential was not added">
              {error}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={create.isPending}>
              Add credential
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
