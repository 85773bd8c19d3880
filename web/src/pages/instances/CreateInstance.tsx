// Ordering an instance: provider, template, region, size and name, with its cost and the quota check
// shown before submitting. One Idempotency-Key per intent, so a retry after a lost answer (or a double
// click) returns the same instance instead of ordering a second one.
import { Alert, Anchor, Badge, Button, Card, Grid, Group, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { $api, ApiError } from '../../api/client';
import type { ProviderInfo, ProviderName } from '../../api/types';
import { providerInfo, useProviders } from '../../app/providers';
import { permissionsOf, useTenant, useTenantId } from '../../app/session';
import { applyApiErrors } from '../../components/forms';
import { PageHeader } from '../../components/PageHeader';
import { SandboxBadge } from '../../components/PhaseBadge';
import { ErrorState, Loading } from '../../components/QueryState';
import { useSubmissionKey } from '../../components/submission-key';
import { nameProblem, quotaCheck } from './instance-rules';
import { OrderSummary } from './OrderSummary';

interface OrderValues {
  provider: string;
  template: string;
  region: string;
  size: string;
  name: string;
  siteId: string | null;
  credentialId: string | null;
}

/** The form's choices for a provider: its defaults. */
const defaultsOf = (p: ProviderInfo) => ({ provider: p.name, template: p.defaultTemplate, region: p.defaultRegion, size: p.defaultSize });

export function CreateInstance() {
  const tenantId = useTenantId();
  const tenant = useTenant();
  const providers = useProviders();
  if (tenant.error || providers.error) return <ErrorState error={tenant.error ?? providers.error} onRetry={() => void (tenant.error ? tenant.refetch() : providers.refetch())} />;
  if (!tenant.data || !providers.data) return <Loading />;
  if (!permissionsOf(tenant.data).operate) {
    return (
      <>
        <PageHeader title="Create instance" />
        <Alert color="yellow" title="Your role cannot create instances">
          Viewers see instances but do not create them. Ask an admin of {tenant.data.name} to make you a member.
        </Alert>
      </>
    );
  }
  return <OrderForm tenantId={tenantId} offered={providers.data.providers} />;
}

function OrderForm({ tenantId, offered }: { tenantId: string; offered: ProviderInfo[] }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: tenant } = useTenant();
  const submission = useSubmissionKey();
  const [formError, setFormError] = useState<string>();
  const form = useForm<OrderValues>({
    mode: 'controlled',
    initialValues: { ...defaultsOf(offered[0]), name: '', siteId: tenant?.siteId ?? null, credentialId: null },
    validate: { name: (v) => nameProblem(v), provider: (v) => (v ? null : 'choose where it runs') },
    validateInputOnBlur: ['name'],
  });
  const v = form.getValues();
  const provider = providerInfo(offered, v.provider) ?? offered[0];
  const size = provider.sizes.find((s) => s.name === v.size) ?? provider.sizes[0];
  const quota = tenant ? quotaCheck(tenant, size) : undefined;

  const sites = $api.useQuery('get', '/tenants/{tenantId}/sites', { params: { path: { tenantId } } });
  const credentials = $api.useQuery('get', '/tenants/{tenantId}/credentials', { params: { path: { tenantId } } }, { enabled: provider.acceptsCredentials });
  const usable = (credentials.data?.items ?? []).filter((c) => c.provider === provider.name && c.status !== 'invalid');

  const [debounced] = useDebouncedValue({ provider: provider.name as ProviderName, size: size.name }, 200);
  const estimate = $api.useQuery('post', '/tenants/{tenantId}/billing/estimate', { params: { path: { tenantId } }, body: { provider: debounced.provider, size: debounced.size, hours: 730, count: 1 } });
  const affordable = estimate.data ? estimate.data.balance.micro > 0 : true;

  // A credential chosen for one provider does not carry over to another.
  useEffect(() => {
    if (v.credentialId && !usable.some((c) => c.id === v.credentialId)) form.setFieldValue('credentialId', null);
  }, [v.provider, usable.length]); // eslint-disable-line react-hooks/exhaustive-deps

  const order = $api.useMutation('post', '/tenants/{tenantId}/instances');
  const submit = form.onSubmit(async (values) => {
    setFormError(undefined);
    const body = {
      name: values.name.trim(),
      provider: values.provider as ProviderName,
      template: values.template,
      region: values.region,
      size: values.size,
      siteId: values.siteId,
      credentialId: provider.acceptsCredentials ? values.credentialId : null,
    };
    try {
      const created = await order.mutateAsync({ params: { path: { tenantId } }, body, headers: { 'Idempotency-Key': submission.keyFor(body) } });
      submission.done();
      void queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}/instances'] });
      void queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}'] });
      notifications.show({ color: 'green', title: `${body.name} ordered`, message: 'Provisioning started; follow it live on this page.' });
      navigate(`/t/${tenantId}/instances/${created.id}`);
    } catch (err) {
      // A quota refusal names `size` or `name`; keep it on the field and also say it at the top.
      const rest = applyApiErrors(form, err, { template: 'template', region: 'region' });
      setFormError(err instanceof ApiError && err.status === 402 ? 'No credits left: add credits or upgrade the plan to create instances.' : (rest ?? (err instanceof ApiError && err.status === 422 ? err.message : undefined)));
    }
  });

  const choose = (name: string) => {
    const p = providerInfo(offered, name);
    if (p) form.setValues({ ...defaultsOf(p), credentialId: null });
  };
  const blocked = (quota && !quota.ok) || !affordable;

  return (
    <>
      <PageHeader title="Create instance" description="Choose where it runs and how big it is; you see what it costs before anything starts." />
      <form onSubmit={submit} noValidate>
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="lg">
              <Radio.Group label="Where it runs" value={v.provider} onChange={choose} error={form.errors.provider} required>
                <SimpleGrid cols={{ base: 1, sm: offered.length > 2 ? 3 : offered.length }} mt="xs">
                  {offered.map((p) => (
                    <Radio.Card key={p.name} value={p.name} p="md" radius="md" aria-label={p.label}>
                      <Group wrap="nowrap" align="flex-start">
                        <Radio.Indicator />
                        <Stack gap={4}>
                          <Group gap="xs">
                            <Text fw={700}>{p.label}</Text>
                            {p.sandbox && <SandboxBadge />}
                          </Group>
                          <Text size="sm" c="dimmed">
                            {p.description}
                          </Text>
                        </Stack>
                      </Group>
                    </Radio.Card>
                  ))}
                </SimpleGrid>
              </Radio.Group>

              <Card withBorder>
                <Stack gap="md">
                  <TextInput
                    label="Name"
                    description="Lower-case letters, digits and hyphens; it becomes part of the address."
                    placeholder="shop"
                    required
                    maxLength={40}
                    autoComplete="off"
                    data-autofocus
                    key={form.key('name')}
                    {...form.getInputProps('name')}
                  />
                  <SimpleGrid cols={{ base: 1, sm: 2 }}>
                    <Select
                      label="Template"
                      data={provider.templates.map((t) => ({ value: t.name, label: t.label }))}
                      description={provider.templates.find((t) => t.name === v.template)?.description}
                      allowDeselect={false}
                      key={form.key('template')}
                      {...form.getInputProps('template')}
                    />
                    <Select label="Region" data={provider.regions} allowDeselect={false} key={form.key('region')} {...form.getInputProps('region')} />
                  </SimpleGrid>
                  <Select
                    label="Size"
                    data={provider.sizes.map((s) => ({ value: s.name, label: s.label }))}
                    allowDeselect={false}
                    key={form.key('size')}
                    {...form.getInputProps('size')}
                  />
                  {!tenant?.siteId && (sites.data?.items.length ?? 0) > 0 && (
                    <Select
                      label="Site"
                      description="Members limited to a site see only its instances."
                      placeholder="No site (whole organization)"
                      data={sites.data!.items.map((s) => ({ value: s.id, label: s.name }))}
                      clearable
                      key={form.key('siteId')}
                      {...form.getInputProps('siteId')}
                    />
                  )}
                  {provider.acceptsCredentials && (
                    <Select
                      label="Cloud account"
                      description={
                        <>
                          Runs on the platform’s account unless you choose one of your own.{' '}
                          <Anchor component={Link} to={`/t/${tenantId}/credentials`} size="xs">
                            Manage cloud credentials
                          </Anchor>
                        </>
                      }
                      placeholder={usable.length ? 'The platform’s account' : 'The platform’s account (you have no credentials for it)'}
                      data={usable.map((c) => ({ value: c.id, label: `${c.name}${c.status === 'unvalidated' ? ' (not validated yet)' : ''}` }))}
                      clearable
                      disabled={!usable.length}
                      key={form.key('credentialId')}
                      {...form.getInputProps('credentialId')}
                    />
                  )}
                </Stack>
              </Card>
            </Stack>
          </Grid.Col>

          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="md">
              <OrderSummary provider={provider} size={size} estimate={estimate} quota={quota} />
              {formError && (
                <Alert color="red" role="alert" title="Not created">
                  {formError}
                </Alert>
              )}
              {blocked && (
                <Text size="sm" c="red" role="status">
                  {!affordable ? 'No credits left: add credits before creating instances.' : 'Over your plan’s quota: destroy an instance, choose a smaller size, or upgrade the plan.'}
                </Text>
              )}
              <Group justify="flex-end">
                <Button variant="default" component={Link} to={`/t/${tenantId}/instances`}>
                  Back to instances
                </Button>
                <Button type="submit" loading={order.isPending} disabled={blocked}>
                  Create instance
                </Button>
              </Group>
              {provider.sandbox && (
                <Badge variant="light" color="grape" style={{ alignSelf: 'flex-end' }}>
                  {provider.label} here is a sandbox: a simulator, not a real cloud
                </Badge>
              )}
            </Stack>
          </Grid.Col>
        </Grid>
      </form>
    </>
  );
}
