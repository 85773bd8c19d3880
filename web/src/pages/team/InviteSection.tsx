// Inviting someone: e-mail, role, optional site. The answer holds a one-time token; the console turns
// it into its own accept link (/invite#token=…, the token in the fragment never reaches a server log)
// and shows it once, to copy and send.
import { Alert, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import type { Answer, Site, Tenant } from '../../api/types';
import type { Role } from '../../app/session';
import { applyApiErrors } from '../../components/forms';
import { formatDateTime } from '../../lib/format';
import { OneTimeSecret } from './OneTimeSecret';
import { grantableRoles, ROLE_HELP, ROLE_LABEL, roleOptions } from './roles';
import { ORG_WIDE, siteIdOf, siteOptions } from './sites';
import { useSubmissionKey } from '../../components/submission-key';

type CreatedInvitation = Answer<'/tenants/{tenantId}/invitations', 'post'>;

export const invitationLink = (token: string) => `${window.location.origin}/invite#token=${token}`;

function InvitationCreated({ invitation, onDone }: { invitation: CreatedInvitation; onDone: () => void }) {
  return (
    <Alert color="teal" title={`Invitation for ${invitation.email} created`} role="status">
      <Stack gap="sm">
        <OneTimeSecret label="Invitation link" value={invitationLink(invitation.token)} />
        <Text size="sm">
          <strong>This link is shown only once.</strong> Copy it now and send it to {invitation.email}. Whoever opens it can join as {ROLE_LABEL[invitation.role].toLowerCase()} until{' '}
          {formatDateTime(invitation.expiresAt)}. If it gets lost, invite the same address again: that replaces this link.
        </Text>
        <Group>
          <Button variant="light" color="teal" onClick={onDone}>
            Done
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

export function InviteSection({ tenant, sites }: { tenant: Tenant; sites: Site[] | undefined }) {
  const queryClient = useQueryClient();
  const invite = $api.useMutation('post', '/tenants/{tenantId}/invitations');
  const submissionKey = useSubmissionKey();
  const [created, setCreated] = useState<CreatedInvitation>();
  const [error, setError] = useState<string>();
  const roles = grantableRoles(tenant.role);
  const form = useForm({
    initialValues: { email: '', role: 'member' as Role, siteId: ORG_WIDE, expiresInDays: 7 as number | string },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter an e-mail address'),
      expiresInDays: (v) => (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 30 ? null : 'Between 1 and 30 days'),
    },
  });
  const role = form.getValues().role;

  async function submit(values: typeof form.values) {
    setError(undefined);
    // Owners are never limited to a site.
    const body = { email: values.email.trim(), role: values.role, siteId: values.role === 'owner' ? null : siteIdOf(values.siteId), expiresInDays: Number(values.expiresInDays) };
    try {
      const answer = await invite.mutateAsync({ params: { path: { tenantId: tenant.id } }, body, headers: { 'Idempotency-Key': submissionKey.keyFor(body) } });
      submissionKey.done();
      setCreated(answer);
      form.reset();
      notifications.show({ color: 'teal', message: `Invitation for ${answer.email} created. Copy the link now.` });
      await queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}/invitations'] });
    } catch (err) {
      setError(applyApiErrors(form, err));
    }
  }

  return (
    <Card withBorder component="section" aria-labelledby="invite-heading">
      <Title order={2} size="h4" id="invite-heading" mb="sm">
        Invite someone
      </Title>
      {created ? (
        <InvitationCreated invitation={created} onDone={() => setCreated(undefined)} />
      ) : (
        <form onSubmit={form.onSubmit(submit)} noValidate>
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Email" type="email" autoComplete="off" required {...form.getInputProps('email')} />
              <Select label="Role" data={roleOptions(roles)} allowDeselect={false} description={ROLE_HELP[role]} {...form.getInputProps('role')} />
              <Select
                label="Site"
                data={siteOptions(sites)}
                allowDeselect={false}
                disabled={role === 'owner'}
                description={role === 'owner' ? 'Owners always work in the whole organization.' : 'Limit them to one site, or let them work everywhere.'}
                {...form.getInputProps('siteId')}
                value={role === 'owner' ? ORG_WIDE : form.getValues().siteId}
              />
              <NumberInput label="Link valid for (days)" min={1} max={30} allowDecimal={false} {...form.getInputProps('expiresInDays')} />
            </SimpleGrid>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={invite.isPending}>
                Create invitation
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}
