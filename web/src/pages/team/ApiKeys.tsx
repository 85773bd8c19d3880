// The API keys page: how to use a key, creating one (secret shown once), and the keys with revoke.
import { Anchor, Card, Code, Stack, Text, Title } from '@mantine/core';
import { $api } from '../../api/client';
import type { ApiKey } from '../../api/types';
import { roleAtLeast, useTenant, useTenantId } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, Loading, QueryState } from '../../components/QueryState';
import { ApiKeysTable, keyStatus } from './ApiKeysTable';
import { CreateApiKeyForm } from './CreateApiKeyForm';
import { useMembers } from './MembersSection';
import { useSites } from './sites';

function Usage({ keys }: { keys: ApiKey[] | undefined }) {
  // An example with a real prefix when there is one; the secret part is never known here.
  const prefix = keys?.find((k) => keyStatus(k) === 'active')?.prefix ?? 'tk_<prefix>';
  const example = `curl -H "Authorization: Bearer ${prefix}_<secret>" \\\n  ${window.location.origin}/api/me`;
  return (
    <Card withBorder component="section" aria-labelledby="usage-heading">
      <Title order={2} size="h4" id="usage-heading" mb={4}>
        Using a key
      </Title>
      <Text size="sm" mb="xs">
        Send the whole key (prefix and secret) in the <Code>Authorization: Bearer</Code> header of every request to the API. The key acts with its role and site, never more than its creator currently has.
      </Text>
      <Code block aria-label="Example request">
        {example}
      </Code>
      <Text size="xs" c="dimmed" mt="xs">
        Every route is described in the <Anchor href="/api/docs" inherit>API reference</Anchor>.
      </Text>
    </Card>
  );
}

export function ApiKeys() {
  const tenantId = useTenantId();
  const tenant = useTenant(tenantId).data;
  const keys = $api.useQuery('get', '/tenants/{tenantId}/api-keys', { params: { path: { tenantId } } });
  const sites = useSites(tenantId);
  const members = useMembers(tenantId);
  if (!tenant) return <Loading />;
  const seesAll = roleAtLeast(tenant.role, 'admin');
  return (
    <>
      <PageHeader
        title="API keys"
        description={seesAll ? 'Keys let scripts and CI pipelines use the Tenantry API for this organization. As an admin you see everyone’s keys.' : 'Keys let your scripts and CI pipelines use the Tenantry API for this organization. You see the keys you created.'}
      />
      <Stack gap="lg">
        <Usage keys={keys.data?.items} />
        <CreateApiKeyForm tenant={tenant} sites={sites.data?.items} />
        <Card withBorder component="section" aria-labelledby="keys-heading">
          <Title order={2} size="h4" id="keys-heading" mb="sm">
            {seesAll ? 'Keys of the organization' : 'Your keys'}
          </Title>
          <QueryState query={keys} isEmpty={(d) => d.items.length === 0} empty={<EmptyState title="No API keys yet">Create one above for each script or pipeline, so you can revoke them one by one.</EmptyState>}>
            {(data) => <ApiKeysTable keys={data.items} tenant={tenant} sites={sites.data?.items} members={members.data?.items} />}
          </QueryState>
        </Card>
      </Stack>
    </>
  );
}
