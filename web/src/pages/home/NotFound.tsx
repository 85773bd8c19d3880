import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';

/** What the console shows for a page, or a resource, that does not exist or is not yours to see. */
export function NotFound({ what = 'page' }: { what?: string }) {
  return (
    <Stack align="center" py="xl" gap="xs">
      <Title order={1} size="h2">
        {what === 'page' ? 'Page not found' : `This ${what} was not found`}
      </Title>
      <Text c="dimmed">It does not exist, or you do not have access to it.</Text>
      <Anchor component={Link} to="/">
        Go to your workspace
      </Anchor>
    </Stack>
  );
}
