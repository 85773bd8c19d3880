// Accepting an invitation (/invite#token=…). The token stays in the URL fragment, which browsers never
// send to a server, so it cannot end up in access logs. Shows what the invitation is for, then joins:
// signed in with the invited address, by signing in to that account, or by creating it.
import { Alert, Anchor, Button, Card, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { $api, ApiError, errorMessage, fetchClient } from '../../api/client';
import type { Answer } from '../../api/types';
import { useMe } from '../../app/session';
import { applyApiErrors } from '../../components/forms';
import { ErrorState, Loading } from '../../components/QueryState';
import { formatDateTime, formatRelative } from '../../lib/format';
import { ROLE_HELP, ROLE_LABEL } from '../team/roles';

type Invitation = Answer<'/invitations/lookup', 'post'>;

const TOKEN = /^inv_[A-Za-z0-9_-]{43}$/;

/** The invitation token of `#token=…`, if well-formed. */
export function tokenFromHash(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
  return TOKEN.test(token) ? token : undefined;
}

/** The invitation is unknown, used, revoked or expired (the API does not say which, on purpose). */
const isGone = (err: unknown) => err instanceof ApiError && err.status === 404;

function Frame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg">
      <Stack>
        <Title order={1} size="h2">
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

function Unusable({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Frame title={title}>
      <Alert color="orange" icon={<IconAlertTriangle size={18} />} role="alert">
        {children}
      </Alert>
      <Text size="sm">
        <Anchor component={Link} to="/signin">
          Sign in
        </Anchor>{' '}
        or{' '}
        <Anchor component={Link} to="/signup">
          create your own organization
        </Anchor>
        .
      </Text>
    </Frame>
  );
}

const GONE = (
  <Unusable title="This invitation can no longer be used">
    It has expired, has already been used, or was revoked. Ask the person who invited you to send a new invitation.
  </Unusable>
);

/** Accepts with the current session (or a new account's name and password); resolves to the organization id. */
function useAccept(token: string) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async (account?: { name: string; password: string }) => {
    const { data } = await fetchClient.POST('/invitations/accept', { body: { token, ...account } });
    if (!data) throw new Error('The server sent no answer');
    // Who is signed in and their organizations changed: nothing cached still holds.
    queryClient.clear();
    notifications.show({ color: 'teal', message: 'Welcome! You are now a member of the organization.' });
    navigate(`/t/${data.tenantId}`, { replace: true });
  };
}

function JoinSignedIn({ token, invitation, onGone }: { token: string; invitation: Invitation; onGone: () => void }) {
  const accept = useAccept(token);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  async function join() {
    setPending(true);
    setError(undefined);
    try {
      await accept();
    } catch (err) {
      if (isGone(err)) onGone();
      else setError(errorMessage(err));
      setPending(false);
    }
  }
  return (
    <Stack>
      <Text size="sm">You are signed in as {invitation.email}.</Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group>
        <Button onClick={join} loading={pending}>
          Join {invitation.organization.name}
        </Button>
      </Group>
    </Stack>
  );
}

function SignedInAsOther({ email, invitation, onSignedOut }: { email: string; invitation: Invitation; onSignedOut: () => void }) {
  const [pending, setPending] = useState(false);
  async function signOut() {
    setPending(true);
    await fetchClient.POST('/auth/logout').catch(() => undefined);
    onSignedOut();
  }
  return (
    <Stack>
      <Alert color="yellow" title="You are signed in with another address">
        You are signed in as {email}, but this invitation is for {invitation.email}. Sign out to accept it with that address.
      </Alert>
      <Group>
        <Button onClick={signOut} loading={pending}>
          Sign out and continue as {invitation.email}
        </Button>
      </Group>
    </Stack>
  );
}

function SignInAndJoin({ token, invitation, onGone }: { token: string; invitation: Invitation; onGone: () => void }) {
  const accept = useAccept(token);
  const [error, setError] = useState<string>();
  const form = useForm({ initialValues: { password: '' }, validate: { password: (v) => (v ? null : 'Enter your password') } });

  async function submit(values: typeof form.values) {
    setError(undefined);
    try {
      await fetchClient.POST('/auth/login', { body: { email: invitation.email, password: values.password } });
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(`Too many attempts. Try again in ${Math.ceil((err.retryAfterSeconds ?? 60) / 60)} minute(s).`);
      else setError(applyApiErrors(form, err));
      return;
    }
    try {
      await accept();
    } catch (err) {
      if (isGone(err)) onGone();
      else setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack>
        <Text size="sm">An account for {invitation.email} exists. Sign in to join.</Text>
        <TextInput label="Email" value={invitation.email} readOnly autoComplete="username" />
        <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={form.submitting}>
            Sign in and join
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CreateAccountAndJoin({ token, invitation, onGone, onAccountExists }: { token: string; invitation: Invitation; onGone: () => void; onAccountExists: () => void }) {
  const accept = useAccept(token);
  const [error, setError] = useState<string>();
  const form = useForm({
    initialValues: { name: '', password: '' },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter your name'),
      password: (v) => (v.length >= 10 ? null : 'At least 10 characters'),
    },
  });

  async function submit(values: typeof form.values) {
    setError(undefined);
    try {
      await accept({ name: values.name.trim(), password: values.password });
    } catch (err) {
      if (isGone(err)) onGone();
      // The account was created meanwhile (e.g. in another tab): sign in to it instead.
      else if (err instanceof ApiError && err.status === 409 && err.forField('token')) onAccountExists();
      else setError(applyApiErrors(form, err));
    }
  }

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack>
        <Text size="sm">Create your account to join. You will sign in with {invitation.email}.</Text>
        <TextInput label="Email" value={invitation.email} readOnly autoComplete="username" />
        <TextInput label="Your name" autoComplete="name" required {...form.getInputProps('name')} />
        <PasswordInput label="Password" description="At least 10 characters" autoComplete="new-password" required {...form.getInputProps('password')} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={form.submitting}>
            Create account and join
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function InvitationFor({ token, invitation, onGone }: { token: string; invitation: Invitation; onGone: () => void }) {
  const me = useMe();
  // The lookup says whether an account exists; a 409 on accepting can correct it.
  const [accountExists, setAccountExists] = useState(invitation.accountExists);
  const signedOut = me.error instanceof ApiError && me.error.status === 401;

  let next: ReactNode;
  if (signedOut) {
    next = accountExists ? (
      <SignInAndJoin token={token} invitation={invitation} onGone={onGone} />
    ) : (
      <CreateAccountAndJoin token={token} invitation={invitation} onGone={onGone} onAccountExists={() => setAccountExists(true)} />
    );
  } else if (me.error) {
    next = <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  } else if (!me.data) {
    next = <Loading />;
  } else if (me.data.user?.email.toLowerCase() === invitation.email.toLowerCase()) {
    next = <JoinSignedIn token={token} invitation={invitation} onGone={onGone} />;
  } else {
    next = <SignedInAsOther email={me.data.user?.email ?? 'an API key'} invitation={invitation} onSignedOut={() => void me.refetch()} />;
  }

  return (
    <Frame title={`Join ${invitation.organization.name}`}>
      <Text>
        You are invited to join <strong>{invitation.organization.name}</strong> on Tenantry as <strong>{ROLE_LABEL[invitation.role].toLowerCase()}</strong>, with the address{' '}
        <strong>{invitation.email}</strong>.
      </Text>
      <Text size="sm" c="dimmed">
        {ROLE_LABEL[invitation.role]}: {ROLE_HELP[invitation.role]} The invitation expires {formatRelative(invitation.expiresAt)} ({formatDateTime(invitation.expiresAt)}).
      </Text>
      {next}
    </Frame>
  );
}

export function AcceptInvitation() {
  const { hash } = useLocation();
  const token = tokenFromHash(hash);
  const lookup = $api.useQuery('post', '/invitations/lookup', { body: { token: token ?? '' } }, { enabled: !!token, retry: false, staleTime: Infinity });
  const [gone, setGone] = useState(false);

  if (!token) {
    return (
      <Unusable title="This invitation link is incomplete">
        The link should end in <code>#token=</code> followed by a long code. Open it exactly as you received it, or ask for a new invitation.
      </Unusable>
    );
  }
  if (gone || isGone(lookup.error)) return GONE;
  if (lookup.error instanceof ApiError && lookup.error.status === 429) {
    return <Unusable title="Too many attempts">Try again in {Math.ceil((lookup.error.retryAfterSeconds ?? 60) / 60)} minute(s).</Unusable>;
  }
  if (lookup.error) {
    return (
      <Frame title="Your invitation">
        <ErrorState error={lookup.error} title="The invitation was not loaded" onRetry={() => void lookup.refetch()} />
      </Frame>
    );
  }
  if (!lookup.data) return <Loading label="Looking up your invitation…" />;
  return <InvitationFor token={token} invitation={lookup.data} onGone={() => setGone(true)} />;
}
