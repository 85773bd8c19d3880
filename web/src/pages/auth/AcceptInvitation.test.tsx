import { notifications } from '@mantine/notifications';
import { configure, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Answer } from '../../api/types';
import { me, TENANT_ID } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, problem, recorder, server } from '../../test/server';
import { AcceptInvitation, tokenFromHash } from './AcceptInvitation';

configure({ asyncUtilTimeout: 5000 });
afterEach(() => notifications.clean());

const TOKEN = `inv_${'b'.repeat(43)}`;
const invitation: Answer<'/invitations/lookup', 'post'> = {
  organization: { name: 'Acme', slug: 'acme' },
  email: 'dan@example.com',
  role: 'member',
  expiresAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
  accountExists: false,
};
const joined = { tenantId: TENANT_ID, role: 'member' as const };
const signedOut = answer('get', '/me', () => problem(401, 'sign in first'));
const renderInvite = (hash = `#token=${TOKEN}`) => renderPage(<AcceptInvitation />, { url: `/invite${hash}`, path: '/invite' });
const sent = (seen: ReturnType<typeof recorder>, path: string) => seen.filter((r) => r.path === `/api${path}`).map((r) => r.body);

describe('accepting an invitation', () => {
  it('reads only a well-formed token from the fragment', () => {
    expect(tokenFromHash(`#token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromHash('#token=inv_short')).toBeUndefined();
    expect(tokenFromHash('')).toBeUndefined();
  });

  it('creates the account and joins, then opens the organization', async () => {
    const seen = recorder();
    server.use(signedOut, answer('post', '/invitations/lookup', invitation), answer('post', '/invitations/accept', { ...joined, token: 'ts_x', csrfToken: 'c', expiresAt: invitation.expiresAt }));
    const { user } = renderInvite();
    expect(await screen.findByRole('heading', { level: 1, name: 'Join Acme' })).toBeInTheDocument();
    expect(screen.getByText(/You are invited to join/)).toHaveTextContent('as member, with the address dan@example.com');
    expect(sent(seen, '/invitations/lookup')).toEqual([{ token: TOKEN }]);

    await user.type(await screen.findByLabelText(/Your name/), 'Dan');
    await user.type(screen.getByLabelText(/^Password/), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account and join' }));
    expect(await screen.findByText('At least 10 characters', { selector: '.mantine-InputWrapper-error' })).toBeInTheDocument();
    expect(sent(seen, '/invitations/accept')).toEqual([]);

    await user.clear(screen.getByLabelText(/^Password/));
    await user.type(screen.getByLabelText(/^Password/), 'a-long-enough-password');
    await user.click(screen.getByRole('button', { name: 'Create account and join' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/t/${TENANT_ID}`));
    expect(sent(seen, '/invitations/accept')).toEqual([{ token: TOKEN, name: 'Dan', password: 'a-long-enough-password' }]);
  });

  it('joins with one click when signed in as the invited address', async () => {
    const seen = recorder();
    server.use(
      answer('get', '/me', { ...me, user: { ...me.user!, email: 'dan@example.com' } }),
      answer('post', '/invitations/lookup', { ...invitation, accountExists: true }),
      answer('post', '/invitations/accept', joined),
    );
    const { user } = renderInvite();
    await user.click(await screen.findByRole('button', { name: 'Join Acme' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/t/${TENANT_ID}`));
    expect(sent(seen, '/invitations/accept')).toEqual([{ token: TOKEN }]);
  });

  it('signs in to the existing account as the invited address, then joins', async () => {
    const seen = recorder();
    server.use(
      signedOut,
      answer('post', '/invitations/lookup', { ...invitation, accountExists: true }),
      answer('post', '/auth/login', { token: 'ts_x', csrfToken: 'c', expiresAt: invitation.expiresAt }),
      answer('post', '/invitations/accept', joined),
    );
    const { user } = renderInvite();
    expect(await screen.findByLabelText(/^Email/)).toHaveValue('dan@example.com');
    await user.type(screen.getByLabelText(/^Password/), 'my-password');
    await user.click(screen.getByRole('button', { name: 'Sign in and join' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/t/${TENANT_ID}`));
    expect(sent(seen, '/auth/login')).toEqual([{ email: 'dan@example.com', password: 'my-password' }]);
    expect(sent(seen, '/invitations/accept')).toEqual([{ token: TOKEN }]);
  });

  it('says why a sign-in failed and does not accept', async () => {
    const seen = recorder();
    server.use(signedOut, answer('post', '/invitations/lookup', { ...invitation, accountExists: true }), answer('post', '/auth/login', () => problem(401, 'wrong email or password')));
    const { user } = renderInvite();
    await user.type(await screen.findByLabelText(/^Password/), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in and join' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('wrong email or password');
    expect(sent(seen, '/invitations/accept')).toEqual([]);
  });

  it('offers to switch accounts when signed in with another address', async () => {
    let session = true;
    server.use(
      answer('get', '/me', () => (session ? me : problem(401, 'sign in first'))),
      answer('post', '/invitations/lookup', invitation),
      answer('post', '/auth/logout', () => {
        session = false;
        return new Response(null, { status: 204 });
      }),
    );
    const { user } = renderInvite();
    expect(await screen.findByText(/You are signed in as ada@example.com, but this invitation is for dan@example.com/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign out and continue as dan@example.com' }));
    expect(await screen.findByRole('button', { name: 'Create account and join' })).toBeInTheDocument();
  });

  it('explains an expired, used or revoked invitation', async () => {
    server.use(signedOut, answer('post', '/invitations/lookup', () => problem(404, 'invitation (it may have expired, been used or been revoked) not found')));
    renderInvite();
    expect(await screen.findByRole('heading', { level: 1, name: 'This invitation can no longer be used' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Ask the person who invited you to send a new invitation');
    expect(screen.queryByRole('button', { name: /join/i })).not.toBeInTheDocument();
  });

  it('explains an invitation used up between looking and accepting', async () => {
    server.use(signedOut, answer('post', '/invitations/lookup', invitation), answer('post', '/invitations/accept', () => problem(404, 'invitation not found')));
    const { user } = renderInvite();
    await user.type(await screen.findByLabelText(/Your name/), 'Dan');
    await user.type(screen.getByLabelText(/^Password/), 'a-long-enough-password');
    await user.click(screen.getByRole('button', { name: 'Create account and join' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'This invitation can no longer be used' })).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/invite');
  });

  it('asks for the full link when the token is missing, without calling the API', async () => {
    const seen = recorder();
    renderInvite('');
    expect(await screen.findByRole('heading', { level: 1, name: 'This invitation link is incomplete' })).toBeInTheDocument();
    expect(seen).toHaveLength(0);
  });
});
