// A partner admin creates an organization for a customer: the same fields as signup (organization,
// subdomain checked live, plan, the owner's account), then the signup workflow's progress until the
// organization is active. The partner manages it from then on; the owner signs in with their e-mail.
import { Alert, Button, Group, Modal, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { $api } from '../../api/client';
import { applyApiErrors } from '../../components/forms';
import { accountProblems, OrganizationFields, organizationProblems } from '../../components/OrganizationFields';
import { SignupProgress, useSignupState } from '../../components/SignupProgress';

interface Started {
  tenantId: string;
  workflowId: string;
  name: string;
}

function Progressing({ started, onClose }: { started: Started; onClose: () => void }) {
  const queryClient = useQueryClient();
  const state = useSignupState(started.workflowId);
  const status = state.data?.status;
  useEffect(() => {
    if (status === 'active' || status === 'failed') void queryClient.invalidateQueries({ queryKey: ['get', '/partners/{partnerId}/tenants'] });
  }, [status, queryClient]);
  return (
    <Stack aria-live="polite">
      <Title order={3} size="h5">
        Preparing {started.name}
      </Title>
      <SignupProgress state={state.data} activeText={`${started.name} is active.`} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {status === 'active' || status === 'failed' ? 'Close' : 'Close (it keeps going)'}
        </Button>
        {status === 'active' && (
          <Button component={Link} to={`/t/${started.tenantId}`}>
            Open {started.name}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

export function NewOrganizationModal({ partnerId, opened, onClose }: { partnerId: string; opened: boolean; onClose: () => void }) {
  const create = $api.useMutation('post', '/partners/{partnerId}/tenants');
  const plans = $api.useQuery('get', '/plans', undefined, { staleTime: 300_000, enabled: opened });
  const [started, setStarted] = useState<Started>();
  const [error, setError] = useState<string>();
  const form = useForm({
    initialValues: { organization: '', subdomain: '', plan: 'trial', name: '', email: '', password: '' },
    validate: (v) => ({ ...organizationProblems(v), ...accountProblems(v) }),
  });

  function close() {
    onClose();
    // The password typed for the owner is not kept once the dialog closes.
    form.reset();
    setStarted(undefined);
    setError(undefined);
    create.reset();
  }

  async function submit(values: typeof form.values) {
    setError(undefined);
    try {
      const out = await create.mutateAsync({ params: { path: { partnerId } }, body: values });
      setStarted({ ...out, name: values.organization.trim() });
    } catch (err) {
      setError(applyApiErrors(form, err));
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="New customer organization" size="lg" closeOnClickOutside={false}>
      {started ? (
        <Progressing started={started} onClose={close} />
      ) : (
        <form onSubmit={form.onSubmit(submit)} noValidate>
          <Stack>
            <OrganizationFields form={form} autoFocus subdomainHelp="The customer's apps live at <app>.<subdomain>." />
            <Select
              label="Plan"
              allowDeselect={false}
              data={(plans.data?.plans ?? [{ code: 'trial', name: 'Trial' }]).map((p) => ({ value: p.code, label: p.name }))}
              {...form.getInputProps('plan')}
            />
            <Text fw={600} size="sm" mt="xs">
              The customer's owner account
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Owner's name" required autoComplete="off" {...form.getInputProps('name')} />
              <TextInput label="Owner's e-mail" type="email" required autoComplete="off" {...form.getInputProps('email')} />
            </SimpleGrid>
            <PasswordInput label="Initial password" required autoComplete="new-password" description="At least 10 characters. Give it to the owner by a safe channel." {...form.getInputProps('password')} />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create organization
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
