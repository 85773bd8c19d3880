// The signup wizard: organization and subdomain (checked live), plan, account; then "preparing your
// workspace" with the signup workflow's progress until the organization is active, and straight in.
// Server-side field errors land on the step that holds the field.
import { Alert, Anchor, Badge, Button, Card, Group, List, PasswordInput, Radio, SimpleGrid, Stack, Stepper, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { $api, ApiError, fetchClient } from '../../api/client';
import type { Plan } from '../../api/types';
import { applyApiErrors } from '../../components/forms';
import { accountProblems, OrganizationFields, organizationProblems } from '../../components/OrganizationFields';
import { QueryState } from '../../components/QueryState';
import { SignupProgress, useSignupState } from '../../components/SignupProgress';
import { formatMemoryMb } from '../../lib/format';

const STEP_OF_FIELD: Record<string, number> = { organization: 0, subdomain: 0, plan: 1, name: 2, email: 2, password: 2 };

function PlanCard({ plan }: { plan: Plan }) {
  const cheapest = plan.prices.reduce<Plan['prices'][number] | undefined>((a, p) => (!a || p.perHour.micro < a.perHour.micro ? p : a), undefined);
  return (
    <Radio.Card value={plan.code} p="md" radius="md" aria-label={plan.name}>
      <Group wrap="nowrap" align="flex-start">
        <Radio.Indicator />
        <Stack gap={4}>
          <Group gap="xs">
            <Text fw={700}>{plan.name}</Text>
            {!plan.paid && <Badge size="xs">free trial</Badge>}
          </Group>
          {plan.trialCredits.micro > 0 && (
            <Text size="sm">
              {plan.trialCredits.formatted} for {plan.trialDays} days
            </Text>
          )}
          <List size="xs" c="dimmed" spacing={0}>
            <List.Item>up to {plan.quotas.maxInstances} instances</List.Item>
            <List.Item>
              {plan.quotas.maxVcpu} vCPU · {formatMemoryMb(plan.quotas.maxMemoryMb)}
            </List.Item>
            <List.Item>{plan.quotas.maxConcurrentProvisions} provision(s) at once</List.Item>
            {cheapest && <List.Item>from {cheapest.perHour.formatted} per hour</List.Item>}
          </List>
        </Stack>
      </Group>
    </Radio.Card>
  );
}

interface Started {
  tenantId: string;
  workflowId: string;
}

function Preparing({ started, credentials }: { started: Started; credentials: { email: string; password: string } }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [signInError, setSignInError] = useState<string>();
  const state = useSignupState(started.workflowId);
  const s = state.data;
  const active = s?.status === 'active';
  const failed = s?.status === 'failed';

  async function openWorkspace() {
    setSignInError(undefined);
    try {
      await fetchClient.POST('/auth/login', { body: credentials });
      queryClient.clear();
      navigate(`/t/${started.tenantId}`, { replace: true });
    } catch (err) {
      setSignInError(err instanceof ApiError ? err.message : String(err));
    }
  }

  // Straight in once active: the person already typed their password in this wizard.
  useEffect(() => {
    if (active) void openWorkspace();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  return (
    <Card withBorder padding="lg" aria-live="polite">
      <Stack>
        <Title order={1} size="h2">
          Preparing your workspace
        </Title>
        <SignupProgress state={s} activeText="Your organization is active." />
        {failed && (
          <Anchor component={Link} to="/signup" reloadDocument>
            Start again
          </Anchor>
        )}
        {signInError && (
          <Alert color="red" role="alert">
            Your organization is ready, but signing in failed: {signInError}.{' '}
            <Anchor component={Link} to="/signin">
              Sign in
            </Anchor>
          </Alert>
        )}
        {active && (
          <Button onClick={openWorkspace} variant="light">
            Open workspace
          </Button>
        )}
      </Stack>
    </Card>
  );
}

export function SignUp() {
  const [step, setStep] = useState(0);
  const [error, setError] = useState<string>();
  const [started, setStarted] = useState<Started>();
  const [busy, setBusy] = useState(false);
  const plans = $api.useQuery('get', '/plans', undefined, { staleTime: 300_000 });
  const form = useForm({
    initialValues: { organization: '', subdomain: '', plan: 'trial', name: '', email: '', password: '' },
    validate: (v) => {
      if (step === 0) {
        return organizationProblems(v);
      }
      if (step === 1) return { plan: v.plan ? null : 'Choose a plan' };
      return accountProblems(v);
    },
  });

  function next() {
    if (form.validate().hasErrors) return;
    setStep((s) => s + 1);
  }

  async function submit() {
    if (form.validate().hasErrors) return;
    setError(undefined);
    setBusy(true);
    try {
      const { data } = await fetchClient.POST('/auth/signup', { body: form.getValues() });
      setStarted(data!);
    } catch (err) {
      const unplaced = applyApiErrors(form, err);
      const fields = err instanceof ApiError ? err.fieldErrors.map((f) => STEP_OF_FIELD[f.field]).filter((x) => x !== undefined) : [];
      if (fields.length) setStep(Math.min(...fields));
      setError(unplaced);
    } finally {
      setBusy(false);
    }
  }

  if (started) return <Preparing started={started} credentials={{ email: form.getValues().email, password: form.getValues().password }} />;

  return (
    <Card withBorder padding="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (step < 2) next();
          else void submit();
        }}
      >
        <Stack>
          <Title order={1} size="h2">
            Create your organization
          </Title>
          <Stepper active={step} onStepClick={(s) => s < step && setStep(s)} size="sm" allowNextStepsSelect={false}>
            <Stepper.Step label="Organization">
              <Stack mt="md">
                <OrganizationFields form={form} autoFocus subdomainHelp="Your apps will live at <app>.<subdomain>. Lower-case letters, digits and hyphens." />
              </Stack>
            </Stepper.Step>
            <Stepper.Step label="Plan">
              <Stack mt="md">
                <QueryState query={plans}>
                  {(d) => (
                    <Radio.Group label="Plan" {...form.getInputProps('plan')}>
                      <SimpleGrid cols={{ base: 1, xs: 2 }} mt="xs">
                        {d.plans.map((p) => (
                          <PlanCard key={p.code} plan={p} />
                        ))}
                      </SimpleGrid>
                    </Radio.Group>
                  )}
                </QueryState>
                <Text size="xs" c="dimmed">
                  Every organization starts with trial credits; a paid plan keeps instances running after the trial ends. You can change plans later.
                </Text>
              </Stack>
            </Stepper.Step>
            <Stepper.Step label="Account">
              <Stack mt="md">
                <TextInput label="Your name" required autoComplete="name" {...form.getInputProps('name')} />
                <TextInput label="Email" type="email" required autoComplete="email" {...form.getInputProps('email')} />
                <PasswordInput label="Password" required autoComplete="new-password" description="At least 10 characters." {...form.getInputProps('password')} />
              </Stack>
            </Stepper.Step>
          </Stepper>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="space-between">
            {step > 0 ? (
              <Button variant="default" onClick={() => setStep((s) => s - 1)}>
                Back
              </Button>
            ) : (
              <Text size="sm" c="dimmed">
                Have an account?{' '}
                <Anchor component={Link} to="/signin">
                  Sign in
                </Anchor>
              </Text>
            )}
            <Button type="submit" loading={busy}>
              {step < 2 ? 'Continue' : 'Create organization'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
