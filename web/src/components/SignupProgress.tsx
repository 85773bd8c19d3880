// A new organization's signup workflow as it runs: polled every half second while pending, shown as
// a progress bar and the current step. The signup wizard and a partner's new organization use it.
import { Progress, Text } from '@mantine/core';
import { $api } from '../api/client';
import type { SignupState } from '../api/types';

export function useSignupState(workflowId: string) {
  return $api.useQuery(
    'get',
    '/auth/signup/{workflowId}',
    { params: { path: { workflowId } } },
    { refetchInterval: (q) => (!q.state.data || q.state.data.status === 'pending' ? 500 : false), retry: 3 },
  );
}

export function SignupProgress({ state, activeText }: { state: SignupState | undefined; activeText: string }) {
  const active = state?.status === 'active';
  const failed = state?.status === 'failed';
  return (
    <>
      <Progress value={state?.progress ?? 5} animated={!active && !failed} color={failed ? 'red' : undefined} aria-label="signup progress" />
      <Text data-testid="signup-status">{!state ? 'Starting…' : active ? activeText : failed ? `Signup failed: ${state.failure ?? 'unknown reason'}` : `${state.step}…`}</Text>
    </>
  );
}
