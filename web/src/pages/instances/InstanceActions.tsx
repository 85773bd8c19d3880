// Start, stop, restart, cancel and destroy, offered only when the instance's phase allows them (the
// API's `actions`), each confirmed with what it means for billing and data.
import { Button, Group, List, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerPlay, IconPlayerStop, IconRefresh, IconTrash, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { $api, errorMessage } from '../../api/client';
import type { Instance } from '../../api/types';
import { confirmAction } from '../../components/confirm';
import { instanceQuery } from './useInstanceEvents';

type Action = 'start' | 'stop' | 'restart' | 'cancel' | 'destroy';

interface ActionSpec {
  label: string;
  icon: ReactNode;
  title: (name: string) => string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  done: string;
}

const ACTIONS: Record<Action, ActionSpec> = {
  start: {
    label: 'Start',
    icon: <IconPlayerPlay size={16} />,
    title: (n) => `Start ${n}?`,
    body: 'It boots with its disk and data as you left them. Running time is billed at the running rate again from when it is up.',
    confirmLabel: 'Start instance',
    done: 'starting',
  },
  stop: {
    label: 'Stop',
    icon: <IconPlayerStop size={16} />,
    title: (n) => `Stop ${n}?`,
    body: (
      <List size="sm" spacing={4}>
        <List.Item>It shuts down and stops answering; its address stops working until you start it.</List.Item>
        <List.Item>Disk and data are kept.</List.Item>
        <List.Item>Billing drops to the stopped rate (storage and address only).</List.Item>
      </List>
    ),
    confirmLabel: 'Stop instance',
    done: 'stopping',
  },
  restart: {
    label: 'Restart',
    icon: <IconRefresh size={16} />,
    title: (n) => `Restart ${n}?`,
    body: 'It is unreachable for a moment while it reboots. Data is kept and billing does not change.',
    confirmLabel: 'Restart instance',
    done: 'restarting',
  },
  cancel: {
    label: 'Cancel provisioning',
    icon: <IconX size={16} />,
    title: (n) => `Cancel provisioning ${n}?`,
    body: 'Provisioning stops and everything created so far is released, in reverse order. Nothing is billed for time it never ran. The instance ends as cancelled.',
    confirmLabel: 'Cancel provisioning',
    danger: true,
    done: 'cancelling',
  },
  destroy: {
    label: 'Destroy',
    icon: <IconTrash size={16} />,
    title: (n) => `Destroy ${n}?`,
    body: (
      <List size="sm" spacing={4}>
        <List.Item>Everything is deleted at the provider: machine or container, disks, addresses and its database schema.</List.Item>
        <List.Item>Its data cannot be recovered.</List.Item>
        <List.Item>Billing ends once it is gone; time used until then is charged.</List.Item>
      </List>
    ),
    confirmLabel: 'Destroy instance',
    danger: true,
    done: 'destroying',
  },
};

export function InstanceActions({ instance, onChanged }: { instance: Instance; onChanged: (action: Action) => void }) {
  const queryClient = useQueryClient();
  const start = $api.useMutation('post', '/instances/{instanceId}/start');
  const stop = $api.useMutation('post', '/instances/{instanceId}/stop');
  const restart = $api.useMutation('post', '/instances/{instanceId}/restart');
  const cancel = $api.useMutation('post', '/instances/{instanceId}/cancel');
  const destroy = $api.useMutation('delete', '/instances/{instanceId}');
  const mutations = { start, stop, restart, cancel, destroy };
  const busy = Object.values(mutations).some((m) => m.isPending);
  const params = { path: { instanceId: instance.id } };

  async function run(action: Action) {
    try {
      await mutations[action].mutateAsync({ params });
      notifications.show({ title: `${instance.name} is ${ACTIONS[action].done}`, message: 'Follow it on this page.' });
      onChanged(action);
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not ${ACTIONS[action].label.toLowerCase()} ${instance.name}`, message: errorMessage(err) });
    } finally {
      void queryClient.invalidateQueries({ queryKey: instanceQuery(instance.id).queryKey });
      void queryClient.invalidateQueries({ queryKey: ['get', '/tenants/{tenantId}/instances'] });
    }
  }

  const offered = (['start', 'stop', 'restart', 'cancel', 'destroy'] as const).filter((a) => instance.actions[a]);
  if (offered.length === 0) return null;
  return (
    <Group gap="xs" wrap="wrap">
      {offered.map((a) => {
        const spec = ACTIONS[a];
        return (
          <Button
            key={a}
            variant={spec.danger ? 'light' : 'default'}
            color={spec.danger ? 'red' : undefined}
            leftSection={spec.icon}
            loading={mutations[a].isPending}
            disabled={busy && !mutations[a].isPending}
            onClick={() =>
              confirmAction({
                title: spec.title(instance.name),
                body: typeof spec.body === 'string' ? <Text size="sm">{spec.body}</Text> : spec.body,
                confirmLabel: spec.confirmLabel,
                danger: spec.danger,
                onConfirm: () => void run(a),
              })
            }
          >
            {spec.label}
          </Button>
        );
      })}
    </Group>
  );
}
