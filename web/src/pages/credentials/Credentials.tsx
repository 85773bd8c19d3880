// Cloud credentials: an organization's own accounts at providers that take them (Azure today), so its
// VMs run there instead of on the platform's account. Admins add, validate and delete; secrets are
// never shown back.
import { Alert, Card, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { $api } from '../../api/client';
import { useProviders } from '../../app/providers';
import { permissionsOf, useTenant, useTenantId } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, Loading, QueryState } from '../../components/QueryState';
import { AddCredentialForm } from './AddCredentialForm';
import { CredentialsTable } from './CredentialsTable';

export function Credentials() {
  const tenantId = useTenantId();
  // TenantFrame has loaded the organization before rendering this page.
  const tenant = useTenant(tenantId).data;
  const providers = useProviders();
  const credentials = $api.useQuery('get', '/tenants/{tenantId}/credentials', { params: { path: { tenantId } } });
  if (!tenant) return <Loading />;
  const mayManage = permissionsOf(tenant).administer;
  const taking = providers.data?.providers.filter((p) => p.acceptsCredentials) ?? [];
  const platformOnly = providers.data?.providers.filter((p) => !p.acceptsCredentials).map((p) => p.label) ?? [];
  const takingLabels = taking.map((p) => p.label).join(', ');

  return (
    <>
      <PageHeader title="Cloud credentials" description="Your own cloud accounts, for instances that should run there instead of on Tenantry’s." />
      <Stack gap="lg">
        {!mayManage && (
          <Alert color="blue" icon={<IconInfoCircle size={18} />} role="note" title="Admins manage credentials">
            Organization-wide admins and owners add, validate and delete cloud credentials.
          </Alert>
        )}
        <Card withBorder component="section" aria-labelledby="credentials-heading">
          <Title order={2} size="h4" id="credentials-heading" mb="sm">
            Credentials
          </Title>
          <QueryState
            query={credentials}
            loadingLabel="Loading credentials…"
            isEmpty={(d) => d.items.length === 0}
            empty={
              <EmptyState title="No cloud credentials">
                You need one only to run {takingLabels || 'cloud VMs'} on your own cloud account (for example your Azure subscription, through a service principal). Without one, those run on Tenantry’s
                account{platformOnly.length ? `, and ${platformOnly.join(' and ')} always do: they need no credentials` : ''}.
              </EmptyState>
            }
          >
            {(d) => <CredentialsTable tenantId={tenantId} items={d.items} providers={providers.data?.providers} mayManage={mayManage} />}
          </QueryState>
        </Card>
        {mayManage &&
          (providers.error ? (
            <QueryState query={providers}>{() => null}</QueryState>
          ) : taking.length > 0 ? (
            <AddCredentialForm tenantId={tenantId} providers={taking} />
          ) : (
            providers.data && (
              <Text c="dimmed" size="sm">
                None of the providers offered here takes organization credentials; every instance runs on Tenantry’s account.
              </Text>
            )
          ))}
      </Stack>
    </>
  );
}
