// Fixtures for the API tests: more API processes on a stack's database (shared rate limits, other
// settings), users and operators, members with roles through the real invitation flow, partners.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { services } from '../../api/services';
import { hashPassword } from '../../api/routes/auth';
import { createLogger } from '../../lib/logger';
import { call, uniqueSlug, type SignedUp } from './http';
import type { TestStack } from './stack';

export interface ExtraApi {
  baseUrl: string;
  deps: ApiDeps;
  close(): Promise<void>;
}

/** Another API process on the same database and Temporal (as a load balancer would have), with its own settings. */
export async function extraApi(stack: TestStack, overrides: Partial<ApiDeps> = {}): Promise<ExtraApi> {
  const deps: ApiDeps = { config: stack.config, db: stack.db, temporal: stack.temporal, secrets: stack.secrets, log: createLogger({ level: 'silent' }), ...overrides };
  const server: Server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deps,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await services(deps).hub.close();
    },
  };
}

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  token: string;
}

/** A user without an organization (e.g. an operator or a partner's staff), signed in. */
export async function createUser(stack: TestStack, opts: { operator?: boolean; name?: string } = {}): Promise<TestUser> {
  const email = `${uniqueSlug(opts.operator ? 'op' : 'user')}@example.com`;
  const password = 'a-long-enough-password';
  const userId = randomUUID();
  await stack.db.user.create({ data: { id: userId, email, name: opts.name ?? 'Test User', passwordHash: await hashPassword(password), isOperator: opts.operator ?? false } });
  const login = await call(stack, 'POST', '/api/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  return { userId, email, password, token: login.body.token };
}

/** A new person joins `tenant` with `role` (and maybe a site) through the invitation flow, signed in. */
export async function addMember(stack: Pick<TestStack, 'baseUrl'>, tenant: SignedUp, role: 'owner' | 'admin' | 'member' | 'viewer', siteId?: string): Promise<TestUser> {
  const email = `${uniqueSlug(role)}@example.com`;
  const password = 'a-long-enough-password';
  const inv = await call(stack, 'POST', `/api/tenants/${tenant.tenantId}/invitations`, { token: tenant.token, body: { email, role, siteId } });
  if (inv.status !== 201) throw new Error(`invite answered ${inv.status}: ${JSON.stringify(inv.body)}`);
  const acc = await call(stack, 'POST', '/api/invitations/accept', { body: { token: inv.body.token, name: `A ${role}`, password } });
  if (acc.status !== 200) throw new Error(`accept answered ${acc.status}: ${JSON.stringify(acc.body)}`);
  const me = await call(stack, 'GET', '/api/me', { token: acc.body.token });
  return { userId: me.body.user.id, email, password, token: acc.body.token };
}

export async function createSite(stack: Pick<TestStack, 'baseUrl'>, tenant: SignedUp, name = uniqueSlug('site')): Promise<string> {
  const res = await call(stack, 'POST', `/api/tenants/${tenant.tenantId}/sites`, { token: tenant.token, body: { name } });
  if (res.status !== 201) throw new Error(`site answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function createApiKey(stack: Pick<TestStack, 'baseUrl'>, token: string, tenantId: string, body: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const res = await call(stack, 'POST', `/api/tenants/${tenantId}/api-keys`, { token, body: { name: 'automation', ...body } });
  if (res.status !== 201) throw new Error(`api key answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { id: res.body.id, key: res.body.key };
}

/** A partner with an admin and a viewer, managing the given organizations (set up by an operator). */
export async function createPartner(stack: TestStack, operator: TestUser, tenants: SignedUp[]) {
  const p = await call(stack, 'POST', '/api/admin/partners', { token: operator.token, body: { slug: uniqueSlug('msp'), name: 'An MSP' } });
  if (p.status !== 201) throw new Error(`partner answered ${p.status}: ${JSON.stringify(p.body)}`);
  const admin = await createUser(stack);
  const viewer = await createUser(stack);
  for (const [u, role] of [[admin, 'partner_admin'], [viewer, 'partner_viewer']] as const) {
    const r = await call(stack, 'POST', `/api/admin/partners/${p.body.id}/members`, { token: operator.token, body: { email: u.email, role } });
    if (r.status !== 201) throw new Error(`partner member answered ${r.status}: ${JSON.stringify(r.body)}`);
  }
  for (const t of tenants) {
    const r = await call(stack, 'PUT', `/api/admin/tenants/${t.tenantId}/partner`, { token: operator.token, body: { partnerId: p.body.id } });
    if (r.status !== 200) throw new Error(`attach answered ${r.status}: ${JSON.stringify(r.body)}`);
  }
  return { partnerId: p.body.id as string, admin, viewer };
}

/** Reads a Server-Sent Events stream until `until` says stop (or the server closes it). */
export async function readEvents(
  url: string,
  opts: { token?: string; lastEventId?: string; until?: (e: SseEvent, all: SseEvent[]) => boolean; signal?: AbortSignal; onComment?: (c: string) => void },
): Promise<{ events: SseEvent[]; status: number; contentType: string | null; closedByServer: boolean }> {
  const ctrl = new AbortController();
  opts.signal?.addEventListener('abort', () => ctrl.abort());
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.lastEventId) headers['last-event-id'] = opts.lastEventId;
  const res = await fetch(url, { headers, signal: ctrl.signal });
  const events: SseEvent[] = [];
  if (!res.body || res.status !== 200) return { events, status: res.status, contentType: res.headers.get('content-type'), closedByServer: true };
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  let closedByServer = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        closedByServer = true;
        break;
      }
      buf += value;
      let i: number;
      let stop = false;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const e: SseEvent = { event: 'message', data: '' };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) opts.onComment?.(line.slice(1).trim());
          else if (line.startsWith('id: ')) e.id = line.slice(4);
          else if (line.startsWith('event: ')) e.event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
          else if (line.startsWith('retry: ')) e.retry = Number(line.slice(7));
        }
        if (!data.length && e.retry === undefined) continue;
        e.data = data.join('\n');
        events.push(e);
        if (opts.until?.(e, events)) stop = true;
      }
      if (stop) break;
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  } finally {
    ctrl.abort();
  }
  return { events, status: res.status, contentType: res.headers.get('content-type'), closedByServer };
}

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
  retry?: number;
}
