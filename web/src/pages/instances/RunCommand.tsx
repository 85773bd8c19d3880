// Diagnostic commands on a running instance (a fixed, audited list: no arbitrary shell from the
// browser), with their output.
import { Alert, Button, Card, Code, Group, Select, Stack, Text, Title } from '@mantine/core';
import { IconTerminal2 } from '@tabler/icons-react';
import { useState } from 'react';
import { $api, errorMessage } from '../../api/client';
import type { Instance, RequestBody } from '../../api/types';

type Command = RequestBody<'/instances/{instanceId}/commands', 'post'>['command'];

const COMMANDS: { value: Command; label: string }[] = [
  { value: 'ping', label: 'ping: does it answer' },
  { value: 'uptime', label: 'uptime: how long it has run, load' },
  { value: 'sysinfo', label: 'sysinfo: system and versions' },
  { value: 'disk', label: 'disk: space used and free' },
  { value: 'processes', label: 'processes: what runs' },
];

export function RunCommand({ instance }: { instance: Instance }) {
  const [command, setCommand] = useState<Command>('ping');
  const run = $api.useMutation('post', '/instances/{instanceId}/commands');
  const allowed = instance.actions.commands;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          Run a command
        </Title>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            run.mutate({ params: { path: { instanceId: instance.id } }, body: { command } });
          }}
        >
          <Group align="flex-end" wrap="wrap" gap="sm">
            <Select label="Command" data={COMMANDS} value={command} onChange={(v) => v && setCommand(v as Command)} allowDeselect={false} disabled={!allowed} w={280} />
            <Button type="submit" leftSection={<IconTerminal2 size={16} />} loading={run.isPending} disabled={!allowed}>
              Run
            </Button>
          </Group>
        </form>
        {!allowed && (
          <Text size="sm" c="dimmed">
            Commands run on a running instance only.
          </Text>
        )}
        {run.error && (
          <Alert color="red" title="The command did not run" role="alert">
            {errorMessage(run.error)}
          </Alert>
        )}
        {run.data && (
          <Stack gap={4}>
            <Text size="sm" c={run.data.exitCode === 0 ? 'dimmed' : 'red'}>
              {run.data.command} exited with {run.data.exitCode}
              {run.data.truncated && ' (output truncated)'}
            </Text>
            <Code block data-testid="command-output" style={{ maxHeight: 320, overflow: 'auto' }}>
              {run.data.output || '(no output)'}
            </Code>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
