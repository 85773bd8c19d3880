import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { plans, TENANT_ID } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import { answer, problem, recorder, server } from '../../test/server';
import { safeNext, SignIn } from './SignIn';
import { SignUp } from './SignUp';
import { suggestSubdomain } from '../../components/OrganizationFields';

const login = { token: 'ts_x', csrfToken: 'c', expiresAt: new Date(Date.now() + 3_600_000).toISOString() };

describe('sign in', () => {
  it('signs in and returns to the page that asked', async () => {
    const seen = recorder();
    server.use(answer('post', '/auth/login', login));
    const { user } = renderPage(<SignIn />, { url: '/signin?next=/t/abc/billing' });
    await user.type(screen.getByLabelText(/Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/Password/), 'a-long-enough-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/t/abc/billing'));
    expect(seen.find((r) => r.path === '/api/auth/login')?.body).toEqual({ email: 'ada@example.com', password: 'a-long-enough-password' });
  });

  it('says why a sign-in failed', async () => {
    server.use(answer('post', '/auth/login', () => problem(401, 'wrong e-mail or password')));
    const { user } = renderPage(<SignIn />, { url: '/signin' });
    await user.type(screen.getByLabelText(/Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/Password/), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('wrong e-mail or password');
    expect(screen.getByTestId('location')).toHaveTextContent('/signin');
  });

  it('never redirects off the console', () => {
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/t/1')).toBe('/t/1');
    expect(safeNext(null)).toBe('/');
  });
});

describe('signup wizard', () => {
  it('suggests a subdomain from the organization name', () => {
    expect(suggestSubdomain('Äcme Labs GmbH')).toBe('acme-labs-gmbh');
    expect(suggestSubdomain('42 Things!')).toBe('things');
  });

  it('checks the subdomain live, walks organization → plan → account, and signs in once active', async () => {
    const seen = recorder();
    let polls = 0;
    server.use(
      answer('get', '/subdomains/{slug}', ({ params }) => ({ slug: String(params.slug), available: params.slug !== 'taken' })),
      answer('get', '/plans', { plans }),
      answer('post', '/auth/signup', { tenantId: TENANT_ID, workflowId: 'tenant-acme-labs' }, { status: 202 }),
      answer('get', '/auth/signup/{workflowId}', () =>
        ++polls < 2 ? { tenantId: TENANT_ID, slug: 'acme-labs', status: 'pending' as const, step: 'granting trial credits', progress: 60 } : { tenantId: TENANT_ID, slug: 'acme-labs', status: 'active' as const, step: 'active', progress: 100 },
      ),
      answer('post', '/auth/login', login),
    );
    const { user } = renderPage(<SignUp />, { url: '/signup' });
    await user.type(screen.getByLabelText(/Organization name/), 'Acme Labs');
    expect(screen.getByLabelText(/Subdomain/)).toHaveValue('acme-labs');
    expect(await screen.findByTestId('subdomain-availability')).toHaveTextContent('acme-labs is available');

    await user.clear(screen.getByLabelText(/Subdomain/));
    await user.type(screen.getByLabelText(/Subdomain/), 'taken');
    expect(await screen.findByText(/taken is not available/)).toBeInTheDocument();
    await user.clear(screen.getByLabelText(/Subdomain/));
    await user.type(screen.getByLabelText(/Subdomain/), 'acme-labs');
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    await user.click(await screen.findByRole('radio', { name: 'Pro' }));
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    await user.type(screen.getByLabelText(/Your name/), 'Ada');
    await user.type(screen.getByLabelText(/^Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/^Password/), 'short');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(await screen.findByText('At least 10 characters')).toBeInTheDocument();
    await user.clear(screen.getByLabelText(/^Password/));
    await user.type(screen.getByLabelText(/^Password/), 'a-long-enough-password');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));

    expect(await screen.findByRole('heading', { name: 'Preparing your workspace' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(`/t/${TENANT_ID}`), { timeout: 5000 });
    expect(seen.find((r) => r.path === '/api/auth/signup')?.body).toEqual({ organization: 'Acme Labs', subdomain: 'acme-labs', plan: 'pro', name: 'Ada', email: 'ada@example.com', password: 'a-long-enough-password' });
  });

  it('puts a field error from the server back on the step that holds the field', async () => {
    server.use(
      answer('get', '/subdomains/{slug}', ({ params }) => ({ slug: String(params.slug), available: true })),
      answer('get', '/plans', { plans }),
      answer('post', '/auth/signup', () => problem(409, 'this subdomain is taken', [{ field: 'subdomain', message: 'is taken' }])),
    );
    const { user } = renderPage(<SignUp />, { url: '/signup' });
    await user.type(screen.getByLabelText(/Organization name/), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await screen.findByRole('radio', { name: 'Trial' });
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.type(screen.getByLabelText(/Your name/), 'Ada');
    await user.type(screen.getByLabelText(/^Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/^Password/), 'a-long-enough-password');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(await screen.findByText('is taken')).toBeInTheDocument();
    expect(screen.getByLabelText(/Subdomain/)).toHaveAttribute('aria-invalid', 'true');
  });
});
