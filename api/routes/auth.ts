// Sign up, sign in, sign out. Signup only validates and starts the tenant workflow; the workflow
// creates the tenant, the owner and the trial credits (the API writes nothing a workflow owns).
import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Request } from 'express';
import { z } from 'zod';
import { sha256Hex } from '../../lib/secrets';
import { subdomainSchema } from '../../lib/subdomains';
import { TenantIdKey } from '../../workflows/search-attributes';
import { tenantStateQuery, tenantWorkflow, tenantWorkflowId, type TenantState } from '../../workflows/tenant';
import { audit } from '../audit';
import { clearSessionCookies, createSession, csrfTokenFor, requireUser, setSessionCookies } from '../auth/sessions';
import type { ApiDeps } from '../deps';
import { badRequest, conflict, notFound, unauthorized } from '../errors';
import { tooManyRequests } from '../rate-limit';
import { services } from '../services';
import { route } from '../route';

/** argon2id with the OWASP-recommended minimum (19 MiB, 2 passes). */
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const hashPassword = (password: string) => hash(password, ARGON2);

// A constant hash to verify against when the email is unknown, so timing does not reveal accounts.
let dummyHash: Promise<string> | undefined;

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email('must be a valid email address'));
export const passwordSchema = z.string().min(10, 'must be at least 10 characters').max(256, 'must be at most 256 characters');

export const signupBody = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().min(1, 'is required').max(100),
  organization: z.string().trim().min(2, 'must be at least 2 characters').max(100),
  subdomain: subdomainSchema,
  plan: z.string().trim().min(1).max(32).optional(),
});

const signupAccepted = z.object({ tenantId: z.uuid(), workflowId: z.string() });

const loginBody = z.object({ email: emailSchema, password: z.string().min(1, 'is required').max(256) });

const signupState = z.object({
  tenantId: z.string(),
  slug: z.string(),
  status: z.enum(['pending', 'active', 'suspended', 'closed', 'failed']),
  step: z.string(),
  progress: z.number(),
  failure: z.string().optional(),
});

interface SignupMemo {
  tenantId: string;
  ownerEmailSha256: string;
}

/**
 * Starts an organization's signup (the tenant workflow creates tenant, owner and trial credits); used
 * by public signup and by partners creating organizations for their customers. A double submit is
 * answered with the signup already under way.
 */
export async function startSignup(deps: ApiDeps, req: Request, body: z.infer<typeof signupBody>, partnerId: string | null = null): Promise<{ tenantId: string; workflowId: string }> {
  /** The signup already under way for this subdomain, if any (so a double submit is answered, not repeated). */
  async function existingSignup(workflowId: string, email: string) {
    try {
      const desc = await deps.temporal.workflow.getHandle(workflowId).describe();
      if (!['RUNNING', 'COMPLETED'].includes(desc.status.name)) return undefined; // a failed signup may be retried
      const memo = desc.memo as unknown as SignupMemo | undefined;
      if (memo?.ownerEmailSha256 !== sha256Hex(email)) {
        throw conflict('this subdomain is taken', [{ field: 'subdomain', message: 'is taken' }]);
      }
      return { tenantId: memo.tenantId, workflowId };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  const workflowId = tenantWorkflowId(body.subdomain);
  const again = await existingSignup(workflowId, body.email);
  if (again) return again;

  const planCode = body.plan ?? 'trial';
  const plan = await deps.db.plan.findUnique({ where: { code: planCode } });
  if (!plan) throw badRequest(`unknown plan "${planCode}"`, [{ field: 'plan', message: 'is not one of our plans' }]);
  if (await deps.db.tenant.findUnique({ where: { slug: body.subdomain } })) {
    throw conflict('this subdomain is taken', [{ field: 'subdomain', message: 'is taken' }]);
  }
  if (await deps.db.user.findUnique({ where: { email: body.email } })) {
    throw conflict('an account with this email exists; sign in to add an organization', [{ field: 'email', message: 'is already registered' }]);
  }

  const tenantId = randomUUID();
  const userId = randomUUID();
  const sealedPasswordHash = deps.secrets.seal(await hashPassword(body.password), `signup:${userId}`);
  const memo: SignupMemo = { tenantId, ownerEmailSha256: sha256Hex(body.email) };
  try {
    await deps.temporal.workflow.start(tenantWorkflow, {
      taskQueue: deps.config.temporal.taskQueue,
      workflowId,
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      memo: memo as unknown as Record<string, unknown>,
      typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
      staticSummary: `Organization ${body.organization} (${body.subdomain})`,
      args: [
        {
          tenantId,
          slug: body.subdomain,
          name: body.organization,
          planCode,
          partnerId,
          owner: { userId, email: body.email, name: body.name, sealedPasswordHash },
        },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    // Lost a race with an identical submit: answer with that one.
    const winner = await existingSignup(workflowId, body.email);
    if (!winner) throw conflict('this subdomain is taken', [{ field: 'subdomain', message: 'is taken' }]);
    return winner;
  }
  await audit(deps, req, {
    action: 'tenant.signup',
    tenantId,
    targetType: 'tenant',
    targetId: tenantId,
    details: { slug: body.subdomain, plan: planCode, email: body.email, ...(partnerId ? { partnerId } : {}) },
  });
  return { tenantId, workflowId };
}

export function authRoutes(deps: ApiDeps) {
  return [
    route<Record<string, never>, Record<string, never>, z.infer<typeof signupBody>>({
      method: 'post',
      path: '/auth/signup',
      summary: 'Sign up: creates an organization with its owner and trial credits (asynchronously)',
      tags: ['auth'],
      access: { kind: 'public' },
      body: signupBody,
      responses: {
        202: { description: 'Signup started; poll /auth/signup/{workflowId} or sign in once active', schema: signupAccepted },
        400: { description: 'Invalid field' },
        409: { description: 'Subdomain or email taken' },
      },
      async handler({ req, body }) {
        const { limiter } = services(deps);
        await limiter.enforce(`signup:ip:${req.ip}`, limiter.limits.signupPerIp, 'signups from your address');
        return { status: 202, body: await startSignup(deps, req, body) };
      },
    }),

    route<{ workflowId: string }>({
      method: 'get',
      path: '/auth/signup/{workflowId}',
      summary: 'Progress of a signup (status, step, progress %)',
      tags: ['auth'],
      access: { kind: 'public' },
      params: z.object({ workflowId: z.string().regex(/^tenant-[a-z0-9-]{3,32}$/, 'is not a signup id') }),
      responses: { 200: { description: 'Signup state', schema: signupState }, 404: { description: 'No such signup' } },
      async handler({ params }) {
        const handle = deps.temporal.workflow.getHandle(params.workflowId);
        try {
          const desc = await handle.describe();
          const memo = desc.memo as unknown as SignupMemo | undefined;
          if (desc.status.name === 'RUNNING' || desc.status.name === 'COMPLETED') {
            const state: TenantState = await handle.query(tenantStateQuery);
            return { status: 200, body: { ...state, failure: undefined } };
          }
          return {
            status: 200,
            body: { tenantId: memo?.tenantId ?? '', slug: params.workflowId.slice('tenant-'.length), status: 'failed', step: 'signup failed', progress: 0, failure: 'signup could not be completed; try again or contact support' },
          };
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw notFound('signup');
          throw err;
        }
      },
    }),

    route<Record<string, never>, Record<string, never>, z.infer<typeof loginBody>>({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in: returns a session token and sets the session cookie',
      tags: ['auth'],
      access: { kind: 'public' },
      body: loginBody,
      responses: {
        200: { description: 'Signed in', schema: z.object({ token: z.string(), expiresAt: z.string(), csrfToken: z.string() }) },
        401: { description: 'Wrong email or password' },
        429: { description: 'Too many attempts' },
      },
      async handler({ req, res, body }) {
        // Brute force: every attempt counts against the client address and against the account
        // (before the password is checked, so parallel guesses count too); a successful sign-in
        // takes its account hit back. Both counters are shared by every API process (Postgres).
        const { limiter } = services(deps);
        const { loginPerIp, loginPerAccount } = limiter.limits;
        const accountBucket = `login:account:${sha256Hex(body.email)}`;
        const byIp = await limiter.hit(`login:ip:${req.ip}`, loginPerIp);
        const byAccount = byIp.allowed ? await limiter.hit(accountBucket, loginPerAccount) : byIp;
        if (!byIp.allowed || !byAccount.allowed) {
          await audit(deps, req, { action: 'auth.login', result: 'denied', targetType: 'user', targetId: body.email, details: { reason: 'rate limited' } });
          throw tooManyRequests('sign-in attempts', Math.max(byIp.retryAfterSeconds, byAccount.retryAfterSeconds));
        }
        const user = await deps.db.user.findUnique({ where: { email: body.email } });
        dummyHash ??= hashPassword('not-a-real-password');
        const ok = user ? await verify(user.passwordHash, body.password) : (await verify(await dummyHash, body.password), false);
        if (!user || !ok) {
          await audit(deps, req, { action: 'auth.login', result: 'denied', targetType: 'user', targetId: body.email });
          throw unauthorized('wrong email or password');
        }
        await limiter.refund(accountBucket, loginPerAccount);
        const { token, expiresAt } = await createSession(deps, user.id, req);
        await deps.db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
        setSessionCookies(res, token, expiresAt, deps.config.api.publicUrl.startsWith('https:'));
        req.principal = { kind: 'user', userId: user.id, email: user.email, name: user.name, isOperator: user.isOperator, sessionId: '', viaCookie: false };
        await audit(deps, req, { action: 'auth.login', targetType: 'user', targetId: user.id });
        return { status: 200, body: { token, expiresAt: expiresAt.toISOString(), csrfToken: csrfTokenFor(token) } };
      },
    }),

    route({
      method: 'post',
      path: '/auth/logout',
      summary: 'Sign out: revokes the session',
      tags: ['auth'],
      access: { kind: 'signed-in', users: true },
      responses: { 204: { description: 'Signed out' } },
      async handler({ req, res }) {
        const user = requireUser(req);
        await deps.db.session.update({ where: { id: user.sessionId }, data: { revokedAt: new Date() } });
        req.principal = user;
        clearSessionCookies(res);
        await audit(deps, req, { action: 'auth.logout', targetType: 'user', targetId: user.userId });
        return { status: 204 };
      },
    }),
  ];
}

