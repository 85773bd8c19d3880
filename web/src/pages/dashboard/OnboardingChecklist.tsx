// The first steps of a new organization, checked off as they happen (credentials only where a
// provider takes them, and optional); hidden once done or dismissed (remembered per organization).
import { Anchor, Button, Card, CloseButton, Group, List, Text, ThemeIcon, Title } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { IconCheck, IconCircleDashed } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { $api } from '../../api/client';
import type { Instance } from '../../api/types';
import { useProviders } from '../../app/providers';
import { firstThatRan } from './dashboard-rules';

interface Step {
  done: boolean;
  label: string;
  hint: string;
  to: string;
  optional?: boolean;
}

export function OnboardingChecklist({ tenantId, instances }: { tenantId: string; instances: Instance[] }) {
  const [dismissed, setDismissed] = useLocalStorage({ key: `tenantry.onboarding-dismissed.${tenantId}`, defaultValue: false, getInitialValueInEffect: false });
  const providers = useProviders();
  const takesCredentials = Boolean(providers.data?.providers.some((p) => p.acceptsCredentials));
  const credentials = $api.useQuery('get', '/tenants/{tenantId}/credentials', { params: { path: { tenantId } } }, { enabled: takesCredentials && !dismissed });
  const ever = instances[0];
  const ran = firstThatRan(instances);
  const steps: Step[] = [];
  if (takesCredentials) {
    steps.push({ done: Boolean(credentials.data?.items.length), label: 'Add cloud credentials', hint: 'Only to run VMs on your own cloud account; Docker apps and the platform’s account need none.', to: `/t/${tenantId}/credentials`, optional: true });
  }
  steps.push({ done: Boolean(ever), label: 'Create your first instance', hint: 'A Docker app is running in under a minute.', to: `/t/${tenantId}/instances/new` });
  steps.push({ done: Boolean(ran), label: 'Open your instance', hint: 'Follow it come up live, then open its address.', to: ran ? `/t/${tenantId}/instances/${ran.id}` : ever ? `/t/${tenantId}/instances/${ever.id}` : `/t/${tenantId}/instances` });
  const required = steps.filter((s) => !s.optional);
  if (dismissed || required.every((s) => s.done)) return null;
  return (
    <Card withBorder component="section" aria-labelledby="onboarding-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="onboarding-heading">
          Get started
        </Title>
        <CloseButton aria-label="Hide getting started" onClick={() => setDismissed(true)} />
      </Group>
      <List spacing="sm" center aria-label="Getting started steps">
        {steps.map((s) => (
          <List.Item
            key={s.label}
            aria-label={`${s.label}: ${s.done ? 'done' : 'to do'}`}
            icon={
              <ThemeIcon size={22} radius="xl" color={s.done ? 'green' : 'gray'} variant={s.done ? 'filled' : 'light'} aria-label={s.done ? 'done' : 'to do'}>
                {s.done ? <IconCheck size={14} /> : <IconCircleDashed size={14} />}
              </ThemeIcon>
            }
          >
            <Group gap="xs" wrap="wrap">
              {s.done ? (
                <Text td="line-through" c="dimmed">
                  {s.label}
                </Text>
              ) : (
                <Anchor component={Link} to={s.to} fw={600}>
                  {s.label}
                </Anchor>
              )}
              {s.optional && (
                <Text size="xs" c="dimmed">
                  (optional)
                </Text>
              )}
            </Group>
            {!s.done && (
              <Text size="sm" c="dimmed">
                {s.hint}
              </Text>
            )}
          </List.Item>
        ))}
      </List>
      <Group justify="flex-end">
        <Button variant="subtle" size="xs" onClick={() => setDismissed(true)}>
          I know my way around
        </Button>
      </Group>
    </Card>
  );
}
