// The team of an organization: members (list, change role or site, remove), and invitations.
//
// Invitation flow: an organization-wide admin invites an e-mail address with a role (and maybe a
// site). The answer carries a one-time token, shown once (only its SHA-256 is stored), to send to
// the invitee, e.g. as the console link /invitations/accept#token=... . The invitee looks the
// invitation up (POST /invitations/lookup) and accepts it (POST /invitations/accept): signed in
// with that e-mail address, or, without an account, with a name and password, which creates the
// account and signs it in. A token works once, until it expires (7 days by default) or is revoked;
// inviting the same address again replaces the earlier invitation.
//
// Rules: nobody grants more than they have (only owners make owners); owners are never limited to
// a site; the last owner can neither be removed nor demoted; anyone may leave (but the last owner).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import type { MemberRole } from '../../lib/db';
import { roleAtLeast, type TenantAccess } from '../auth/access';
import { createSession, csrfTokenFor, setSessionCookies } from '../auth/sessions';
import { audit } from '../audit';
import type { ApiDeps } from '../deps';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { route } from '../route';
import { displayName, roleSchema, tenantIdParams, uuid } from '../schemas';
import { services } from '../services';
import { inTenant, TENANT_SCOPE_ROLE, type TenantTx } from '../tenant-scope';
import { emailSchema, hashPassword, passwordSchema } from './auth';

const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
  joinedAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  siteId: z.string().nullable(),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  invitedById: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
});

const memberParams = tenantIdParams.extend({ userId: uuid('a user id') });
const invitationParams = tenantIdParams.extend({ invitationId: uuid('an invitation id') });
const tokenSchema = z.string().regex(/^inv_[A-Za-z0-9_-]{43}$/, 'is not an invitation token');

const hashToken = (token: string) => createHash('sha256').update(`invitation:${token}`).digest('hex');

/** Managing the team needs an organization-wide admin (not one limited to a site). */
function requireOrgWide(access: TenantAccess) {
  if (access.siteId) throw forbidden('managing the team needs an organization-wide role; yours is limited to one site');
}

function requireGrantable(access: TenantAccess, role: MemberRole) {
  if (role === 'owner' && access.role !== 'owner') throw forbidden('only owners can make someone an owner');
  if (!roleAtLeast(access.role, role)) throw forbidden(`you cannot grant ${role}: it is more than your own role (${access.role})`);
}

async function checkSite(tx: TenantTx, tenantId: string, siteId: string | null | undefined) {
  if (!siteId) return;
  const site = await tx.site.findFirst({ where: { id: siteId, tenantId }, select: { id: true } });
  if (!site) throw badRequest('no such site in this organization', [{ field: 'siteId', message: 'is not a site of this organization' }]);
}

/** Locks the organization's owners and tells whether `userId` is the only one. */
async function isLastOwner(tx: TenantTx, tenantId: string, userId: string): Promise<boolean> {
  const owners = await tx.$queryRaw<{ user_id: string }[]>`SELECT user_id FROM memberships WHERE tenant_id = ${tenantId}::uuid AND role = 'owner' FOR UPDATE`;
  return owners.length === 1 && owners[0].user_id === userId;
}

function invitationStatus(i: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }): 'pending' | 'accepted' | 'revoked' | 'expired' {
  if (i.acceptedAt) return 'accepted';
  if (i.revokedAt) return 'revoked';
  if (i.expiresAt < new Date()) return 'expired';
  return 'pending';
}

const invitationOut = (i: { id: string; email: string; role: MemberRole; siteId: string | null; invitedById: string; createdAt: Date; expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null }) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  siteId: i.siteId,
  status: invitationStatus(i),
  invitedById: i.invitedById,
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
  acceptedAt: i.acceptedAt?.toISOString() ?? null,
});

export function memberRoutes(deps: ApiDeps) {
  async function usableInvitation(req: Request, token: string) {
    const { limiter } = services(deps);
    await limiter.enforce(`public:ip:${req.ip}`, limiter.limits.publicPerIp, 'requests from your address');
    const inv = await deps.db.invitation.findUnique({ where: { tokenHash: hashToken(token) }, include: { tenant: { select: { id: true, name: true, slug: true, status: true } } } });
    if (!inv || invitationStatus(inv) !== 'pending' || inv.tenant.status === 'closed') throw notFound('invitation (it may have expired, been used or been revoked)');
    return inv;
  }

  return [
    route<z.infer<typeof tenantIdParams>>({
      method: 'get',
      path: '/tenants/{tenantId}/members',
      summary: 'Members of the organization, with their roles and sites',
      tags: ['team'],
      access: { kind: 'tenant', minRole: 'viewer' },
      params: tenantIdParams,
      responses: { 200: { description: 'Members', schema: z.object({ items: z.array(memberSchema) }) } },
      async handler({ params }) {
        const rows = await inTenant(deps.db, params.tenantId, (tx) =>
          tx.membership.findMany({
            where: { tenantId: params.tenantId },
            // Never the password hash: the tenant role cannot even read that column.
            include: { user: { select: { id: true, email: true, name: true, lastLoginAt: true } }, site: { select: { name: true } } },
            orderBy: { createdAt: 'asc' },
          }),
        );
        return {
          status: 200,
          body: {
            items: rows.map((m) => ({
              userId: m.userId,
              email: m.user.email,
              name: m.user.name,
              role: m.role,
              siteId: m.siteId,
              siteName: m.site?.name ?? null,
              joinedAt: m.createdAt.toISOString(),
              lastLoginAt: m.user.lastLoginAt?.toISOString() ?? null,
            })),
          },
        };
      },
    }),

    route<z.infer<typeof memberParams>, Record<string, never>, { role?: MemberRole; siteId?: string | null }>({
      method: 'patch',
      path: '/tenants/{tenantId}/members/{userId}',
      summary: 'Change a member’s role or site (organization-wide admins; only owners touch owners)',
      tags: ['team'],
      access: { kind: 'tenant', minRole: 'admin', users: true },
      params: memberParams,
      body: z
        .object({ role: roleSchema.optional(), siteId: uuid('a site id').nullable().optional() })
        .refine((b) => b.role !== undefined || b.siteId !== undefined, { message: 'send role, siteId or both', path: ['role'] }),
      responses: { 200: { description: 'Updated', schema: memberSchema.pick({ userId: true, role: true, siteId: true }) }, 409: { description: 'Would leave the organization without an owner' } },
      async handler({ req, params, body, access }) {
        requireOrgWide(access);
        const updated = await inTenant(deps.db, params.tenantId, async (tx) => {
          const m = await tx.membership.findUnique({ where: { userId_tenantId: { userId: params.userId, tenantId: params.tenantId } } });
          if (!m) throw notFound('member');
          const role = body.role ?? m.role;
          const siteId = body.siteId === undefined ? m.siteId : body.siteId;
          if (m.role === 'owner' && access.role !== 'owner') throw forbidden('only owners can change an owner');
          requireGrantable(access, role);
          if (role === 'owner' && siteId) throw badRequest('owners are never limited to a site', [{ field: 'siteId', message: 'must be null for owners' }]);
          await checkSite(tx, params.tenantId, siteId);
          if (m.role === 'owner' && role !== 'owner' && (await isLastOwner(tx, params.tenantId, m.userId))) {
            throw conflict('this is the last owner; make someone else an owner first');
          }
          return tx.membership.update({ where: { id: m.id }, data: { role, siteId } });
        });
        await audit(deps, req, { access, action: 'member.update', tenantId: params.tenantId, targetType: 'user', targetId: params.userId, details: { role: updated.role, siteId: updated.siteId } });
        return { status: 200, body: { userId: updated.userId, role: updated.role, siteId: updated.siteId } };
      },
    }),

    route<z.infer<typeof memberParams>>({
      method: 'delete',
      path: '/tenants/{tenantId}/members/{userId}',
      summary: 'Remove a member (admins; owners only by owners), or leave the organization yourself',
      tags: ['team'],
      access: { kind: 'tenant', minRole: 'viewer', users: true },
      params: memberParams,
      responses: { 204: { description: 'Removed; their API keys for this organization are revoked' }, 409: { description: 'The last owner cannot leave' } },
      async handler({ req, params, access, principal }) {
        const self = principal.kind === 'user' && principal.userId === params.userId;
        if (!self) {
          if (!roleAtLeast(access.role, 'admin')) throw forbidden('removing someone else needs the admin role or higher');
          requireOrgWide(access);
        }
        await inTenant(deps.db, params.tenantId, async (tx) => {
          const m = await tx.membership.findUnique({ where: { userId_tenantId: { userId: params.userId, tenantId: params.tenantId } } });
          if (!m) throw notFound('member');
          if (m.role === 'owner' && !self && access.role !== 'owner') throw forbidden('only owners can remove an owner');
          if (m.role === 'owner' && (await isLastOwner(tx, params.tenantId, m.userId))) throw conflict('this is the last owner; make someone else an owner first');
          await tx.membership.delete({ where: { id: m.id } });
          await tx.apiKey.updateMany({ where: { tenantId: params.tenantId, createdById: m.userId, revokedAt: null }, data: { revokedAt: new Date() } });
        });
        await audit(deps, req, { access, action: self ? 'member.leave' : 'member.remove', tenantId: params.tenantId, targetType: 'user', targetId: params.userId });
        return { status: 204 };
      },
    }),

    route<z.infer<typeof tenantIdParams>>({
      method: 'get',
      path: '/tenants/{tenantId}/invitations',
      summary: 'Invitations of the organization (pending first)',
      tags: ['team'],
      access: { kind: 'tenant', minRole: 'admin' },
      params: tenantIdParams,
      responses: { 200: { description: 'Invitations', schema: z.object({ items: z.array(invitationSchema) }) } },
      async handler({ params }) {
        const rows = await inTenant(deps.db, params.tenantId, (tx) =>
          tx.invitation.findMany({ where: { tenantId: params.tenantId }, orderBy: { createdAt: 'desc' }, take: 200 }),
        );
        const items = rows.map(invitationOut).sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending'));
        return { status: 200, body: { items } };
      },
    }),

    route<z.infer<typeof tenantIdParams>, Record<string, never>, { email: string; role: MemberRole; siteId?: string | null; expiresInDays: number }>({
      method: 'post',
      path: '/tenants/{tenantId}/invitations',
      summary: 'Invite someone by e-mail; the answer holds the one-time token (shown once) to send them',
      tags: ['team'],
      access: { kind: 'tenant', minRole: 'admin', users: true },
      params: tenantIdParams,
      idempotency: 'optional',
      body: z.object({
        email: emailSchema,
        role: roleSchema,
        siteId: uuid('a site id').nullable().optional(),
        expiresInDays: z.number().int('must be a whole number of days').min(1, 'must be at least 1').max(30, 'must be at most 30').default(7),
      }),
      responses: {
        201: { description: 'Invited', schema: invitationSchema.extend({ token: z.string(), acceptUrl: z.string() }) },
        409: { description: 'Already a member' },
      },
      async handler({ req, params, body, access, principal }) {
        requireOrgWide(access);
        requireGrantable(access, body.role);
        if (body.role === 'owner' && body.siteId) throw badRequest('owners are never limited to a site', [{ field: 'siteId', message: 'must be null for owners' }]);
        const token = `inv_${randomBytes(32).toString('base64url')}`;
        const inv = await inTenant(deps.db, params.tenantId, async (tx) => {
          await checkSite(tx, params.tenantId, body.siteId);
          const member = await tx.membership.findFirst({ where: { tenantId: params.tenantId, user: { email: body.email } }, select: { id: true } });
          if (member) throw conflict('this person is already a member', [{ field: 'email', message: 'is already a member' }]);
          // A new invitation replaces any pending one for the same address.
          await tx.invitation.updateMany({ where: { tenantId: params.tenantId, email: body.email, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
          return tx.invitation.create({
            data: {
              tenantId: params.tenantId,
              email: body.email,
              role: body.role,
              siteId: body.siteId ?? null,
              tokenHash: hashToken(token),
              invitedById: principal.kind === 'user' ? principal.userId : principal.createdById,
              expiresAt: new Date(Date.now() + body.expiresInDays * 86_400_000),
            },
          });
        });
        await audit(deps, req, { access, action: 'member.invite', tenantId: params.tenantId, targetType: 'invitation', targetId: inv.id, details: { email: body.email, role: body.role, siteId: inv.siteId } });
        const acceptUrl = `${deps.config.api.publicUrl.replace(/\/$/, '')}/invitations/accept#token=${token}`;
        return { status: 201, body: { ...invitationOut(inv), token, acceptUrl } };
      },
    }),

    route<z.infer<typeof invitationParams>>({
      method: 'delete',
      path: '/tenants/{tenantId}/invitations/{invitationId}',
      summary: 'Revoke a pending invitation',
      tags: ['team'],
      access: { kind: 'tenant', minRole: 'admin', users: true },
      params: invitationParams,
      responses: { 204: { description: 'Revoked' }, 409: { description: 'Already accepted' } },
      async handler({ req, params, access }) {
        requireOrgWide(access);
        await inTenant(deps.db, params.tenantId, async (tx) => {
          const inv = await tx.invitation.findFirst({ where: { id: params.invitationId, tenantId: params.tenantId } });
          if (!inv) throw notFound('invitation');
          if (inv.acceptedAt) throw conflict('this invitation was already accepted; remove the member instead');
          if (!inv.revokedAt) await tx.invitation.update({ where: { id: inv.id }, data: { revokedAt: new Date() } });
        });
        await audit(deps, req, { access, action: 'member.invite.revoke', tenantId: params.tenantId, targetType: 'invitation', targetId: params.invitationId });
        return { status: 204 };
      },
    }),

    route<Record<string, never>, Record<string, never>, { token: string }>({
      method: 'post',
      path: '/invitations/lookup',
      summary: 'What an invitation token is for (organization, address, role), before accepting it',
      tags: ['team'],
      access: { kind: 'public' },
      body: z.object({ token: tokenSchema }),
      responses: {
        200: {
          description: 'The invitation',
          schema: z.object({ organization: z.object({ name: z.string(), slug: z.string() }), email: z.string(), role: roleSchema, expiresAt: z.string(), accountExists: z.boolean() }),
        },
        404: { description: 'Unknown, used, revoked or expired' },
      },
      async handler({ req, body }) {
        const inv = await usableInvitation(req, body.token);
        const account = await deps.db.user.findUnique({ where: { email: inv.email }, select: { id: true } });
        return {
          status: 200,
          body: { organization: { name: inv.tenant.name, slug: inv.tenant.slug }, email: inv.email, role: inv.role, expiresAt: inv.expiresAt.toISOString(), accountExists: Boolean(account) },
        };
      },
    }),

    route<Record<string, never>, Record<string, never>, { token: string; name?: string; password?: string }>({
      method: 'post',
      path: '/invitations/accept',
      summary: 'Accept an invitation: signed in with the invited address, or with name and password to create that account',
      tags: ['team'],
      access: { kind: 'public' },
      body: z.object({ token: tokenSchema, name: displayName().optional(), password: passwordSchema.optional() }),
      responses: {
        200: {
          description: 'Joined; a new account is signed in (token and session cookie)',
          schema: z.object({ tenantId: z.string(), role: roleSchema, token: z.string().optional(), expiresAt: z.string().optional(), csrfToken: z.string().optional() }),
        },
        403: { description: 'Signed in with another address' },
        404: { description: 'Unknown, used, revoked or expired' },
        409: { description: 'Already a member, or an account exists (sign in first)' },
      },
      async handler({ req, res, body }) {
        const inv = await usableInvitation(req, body.token);
        const p = req.principal;
        if (p && p.kind !== 'user') throw forbidden('an API key cannot accept invitations');
        if (p) requireAuthenticatedWrite(req);
        let userId: string;
        let created = false;
        if (p) {
          if (p.email !== inv.email) throw forbidden(`this invitation is for ${inv.email}; sign in with that address`);
          userId = p.userId;
        } else {
          if (await deps.db.user.findUnique({ where: { email: inv.email }, select: { id: true } })) {
            throw conflict(`an account for ${inv.email} exists; sign in with it, then accept`, [{ field: 'token', message: 'sign in first' }]);
          }
          const errors = [];
          if (!body.name) errors.push({ field: 'name', message: 'is required to create your account' });
          if (!body.password) errors.push({ field: 'password', message: 'is required to create your account' });
          if (errors.length) throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
          userId = randomUUID();
          created = true;
        }
        const passwordHash = created ? await hashPassword(body.password!) : undefined;
        // One transaction: the account (if new), then — as the tenant's row-level-security role — the
        // one-time claim of the invitation and the membership.
        await deps.db.$transaction(async (tx) => {
          if (created) await tx.user.create({ data: { id: userId, email: inv.email, name: body.name!, passwordHash: passwordHash! } });
          await tx.$queryRaw`SELECT set_config('app.tenant_id', ${inv.tenantId}, true), set_config('role', ${TENANT_SCOPE_ROLE}, true)`;
          const claimed = await tx.invitation.updateMany({
            where: { id: inv.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
            data: { acceptedAt: new Date(), acceptedById: userId },
          });
          if (claimed.count !== 1) throw notFound('invitation (it may have expired, been used or been revoked)');
          const existing = await tx.membership.findUnique({ where: { userId_tenantId: { userId, tenantId: inv.tenantId } } });
          if (existing) throw conflict('you are already a member of this organization');
          await tx.membership.create({ data: { userId, tenantId: inv.tenantId, role: inv.role, siteId: inv.siteId } });
        });
        if (!p) req.principal = { kind: 'user', userId, email: inv.email, name: body.name!, isOperator: false, sessionId: '', viaCookie: false };
        await audit(deps, req, { action: 'member.join', tenantId: inv.tenantId, targetType: 'user', targetId: userId, details: { invitationId: inv.id, role: inv.role, newAccount: created } });
        if (!created) return { status: 200, body: { tenantId: inv.tenantId, role: inv.role } };
        const { token, expiresAt } = await createSession(deps, userId, req);
        setSessionCookies(res, token, expiresAt, deps.config.api.publicUrl.startsWith('https:'));
        return { status: 200, body: { tenantId: inv.tenantId, role: inv.role, token, expiresAt: expiresAt.toISOString(), csrfToken: csrfTokenFor(token) } };
      },
    }),
  ];
}

/** A public route acting for a signed-in caller still needs the CSRF header with a cookie. */
function requireAuthenticatedWrite(req: Request) {
  if (req.csrfRejected) throw forbidden('missing or wrong X-CSRF-Token header for a cookie-authenticated request');
}

