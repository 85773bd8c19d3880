// How to reach an instance, in the form its kind is used: a URL for apps, SSH and VNC for Macs, IP, FQDN
// and SSH for Linux VMs; each with a copy button.
import { ActionIcon, Anchor, Button, Card, CopyButton, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconExternalLink } from '@tabler/icons-react';
import type { Instance } from '../../api/types';

function Copyable({ value, testId }: { value: string; testId: string }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Text ff="monospace" size="sm" data-testid={testId} style={{ wordBreak: 'break-all' }}>
        {value}
      </Text>
      <CopyButton value={value} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
            <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy ${value}`}>
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

const HINTS: Record<Instance['provider'], string> = {
  docker: 'Your app, at its own address. Its Postgres schema is reachable from the app only.',
  orka: 'Connect with SSH, or with a VNC client for the desktop. The user is the one your template set up.',
  azure: 'A public address and name; SSH with the key of your template, the app on its web port.',
};

export function ConnectionDetails({ instance }: { instance: Instance }) {
  const e = instance.endpoint;
  const reachable = instance.phase === 'running';
  const rows: { label: string; value: string; testId: string }[] = [];
  if (e?.fqdn) rows.push({ label: 'Host name (FQDN)', value: e.fqdn, testId: 'endpoint-fqdn' });
  if (e?.ip) rows.push({ label: 'IP address', value: e.ip, testId: 'endpoint-ip' });
  if (e?.ssh) rows.push({ label: 'SSH', value: e.ssh, testId: 'endpoint-ssh' });
  if (e?.vnc) rows.push({ label: 'VNC', value: e.vnc, testId: 'endpoint-vnc' });
  for (const [name, port] of Object.entries(e?.ports ?? {})) rows.push({ label: `Port (${name})`, value: String(port), testId: `endpoint-port-${name}` });

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          Connect
        </Title>
        {!e || (!e.url && rows.length === 0) ? (
          <Text size="sm" c="dimmed">
            {['destroyed', 'cancelled', 'failed'].includes(instance.phase) ? 'Nothing to connect to: the instance no longer exists.' : 'The connection details appear here once it has booted.'}
          </Text>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              {HINTS[instance.provider]}
              {!reachable && ` It is ${instance.phase} now: these work again once it runs.`}
            </Text>
            {e.url && (
              <Group gap="sm" wrap="wrap">
                <Button component="a" href={e.url} target="_blank" rel="noopener noreferrer" rightSection={<IconExternalLink size={16} />} disabled={!reachable} aria-label="Open app">
                  Open app
                </Button>
                <Anchor href={e.url} target="_blank" rel="noopener noreferrer" size="sm" ff="monospace" data-testid="endpoint-url" style={{ wordBreak: 'break-all' }}>
                  {e.url}
                </Anchor>
              </Group>
            )}
            {rows.length > 0 && (
              <Table.ScrollContainer minWidth={300}>
                <Table>
                  <Table.Tbody>
                    {rows.map((r) => (
                      <Table.Tr key={r.testId}>
                        <Table.Th w={160} fw={500}>
                          {r.label}
                        </Table.Th>
                        <Table.Td>
                          <Copyable value={r.value} testId={r.testId} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
