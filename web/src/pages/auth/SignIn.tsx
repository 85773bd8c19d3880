// Sign in with e-mail and password; back to the page that asked for it (?next=).
import { Alert, Anchor, Button, Card, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, fetchClient } from '../../api/client';
import { applyApiErrors } from '../../components/forms';

/** Only paths of this console: never an open redirect. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (/^\S+@\S+$/.test(v) ? null : 'Enter your e-mail address'),
      password: (v) => (v ? null : 'Enter your password'),
    },
  });

  async function submit(values: typeof form.values) {
    setError(undefined);
    try {
      await fetchClient.POST('/auth/login', { body: values });
      queryClient.clear();
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(`Too many attempts. Try again in ${Math.ceil((err.retryAfterSeconds ?? 60) / 60)} minute(s).`);
      else setError(applyApiErrors(form, err));
    }
  }

  return (
    <Card withBorder padding="lg">
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack>
          <Title order={1} size="h2">
            Sign in
          </Title>
          <TextInput label="Email" type="email" autoComplete="email" required {...form.getInputProps('email')} />
          <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={form.submitting}>
            Sign in
          </Button>
          <Text size="sm" c="dimmed">
            New here?{' '}
            <Anchor component={Link} to="/signup">
              Create an organization
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Card>
  );
}
