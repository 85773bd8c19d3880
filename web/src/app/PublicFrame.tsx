// The frame of the pages for people not signed in yet: sign in, sign up, accept an invitation.
import { Anchor, Box, Center, Container, Group, Text } from '@mantine/core';
import { Suspense } from 'react';
import { Link, Outlet } from 'react-router-dom';
import { Loading } from '../components/QueryState';

export function PublicFrame() {
  return (
    <Box mih="100vh" bg="gray.0">
      <Group px="md" h={56} justify="space-between" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Text component={Link} to="/" fw={800} size="lg" c="indigo.7" style={{ textDecoration: 'none' }}>
          Tenantry
        </Text>
        <Anchor href="/api/docs" size="sm" c="dimmed">
          API reference
        </Anchor>
      </Group>
      <Container size={560} py="xl" px="md">
        <Suspense
          fallback={
            <Center>
              <Loading />
            </Center>
          }
        >
          <Outlet />
        </Suspense>
      </Container>
    </Box>
  );
}
