// Who is calling. Two ways in:
//  - a session token (from POST /auth/login): sent as `Authorization: Bearer` or in the HttpOnly
//    `tenantry_session` cookie. Cookie-authenticated writes must also send `X-CSRF-Token` equal to the
//    `tenantry_csrf` cookie, which is derived from the session token (a foreign site can send the
//    cookie but cannot read it to copy it into the header).
//  - an API key (`Authorization: Bearer tk_<prefix>_<secret>`), for automation; see api-keys.ts.
// Tokens are random; the database holds only their SHA-256, so a leaked table cannot be replayed.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { parse as parseCookies, serialize } from 'cookie';
import { sha256Hex } from '../../lib/secrets';
import type { ApiDeps } from '../deps';
import { unauthorized, forbidden } from '../errors';
import { authenticateApiKey } from './api-keys';

export const SESSION_COOKIE = 'tenantry_session';
export const CSRF_COOKIE = 'tenantry_csrf';
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export type Principal =
  | { kind: 'user'; userId: string; email: string; name: string; isOperator: boolean; sessionId: string; viaCookie: boolean }
  | { kind: 'api_key'; keyId: string; tenantId: string; role: 'owner' | 'admin' | 'member' | 'viewer'; siteId: string | null; createdById: string };

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** A cookie-authenticated write came without its CSRF header (refused by requireAuth). */
    csrfRejected?: boolean;
  }
}

export const csrfTokenFor = (sessionToken: string) => sha256Hex(`csrf:${sessionToken}`).slice(0, 43);

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function createSession(deps: ApiDeps, userId: string, req: Request): Promise<{ token: string; expiresAt: Date }> {
  const token = `ts_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await deps.db.session.create({
    data: { userId, tokenHash: sha256Hex(token), expiresAt, ip: req.ip ?? null, userAgent: req.get('user-agent')?.slice(0, 300) ?? null },
  });
  return { token, expiresAt };
}

export function setSessionCookies(res: Response, token: string, expiresAt: Date, secure: boolean) {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt }));
  res.append('Set-Cookie', serialize(CSRF_COOKIE, csrfTokenFor(token), { httpOnly: false, sameSite: 'lax', secure, path: '/', expires: expiresAt }));
}

export function clearSessionCookies(res: Response) {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 0 }));
  res.append('Set-Cookie', serialize(CSRF_COOKIE, '', { sameSite: 'lax', path: '/', maxAge: 0 }));
}

function bearerToken(req: Request): string | undefined {
  const h = req.get('authorization');
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller (if any) into `req.principal`. Never rejects anonymous calls; `requireAuth` does.
 * A bad `Authorization` header is refused at once (the client asked to be someone and is not); a
 * stale or foreign session *cookie* is ignored, so it cannot lock a browser out of signing in again.
 * A cookie-authenticated write without the matching CSRF header is remembered and refused by
 * `requireAuth`, i.e. on every route that acts as the caller.
 */
export function authenticate(deps: ApiDeps, limits: ApiKeyLimiter) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const bearer = bearerToken(req);
      if (req.get('authorization') !== undefined && !bearer) throw unauthorized('Authorization must be "Bearer <token>"');
      const cookies = parseCookies(req.get('cookie') ?? '');
      const token = bearer ?? cookies[SESSION_COOKIE];
      if (!token) return next();
      if (bearer?.startsWith('tk_')) {
        const principal = await authenticateApiKey(deps, bearer);
        await limits(principal);
        req.principal = principal;
        return next();
      }
      // On every request: one plain query (the hot path), not a Prisma model query.
      const [session] = /^ts_[A-Za-z0-9_-]{43}$/.test(token)
        ? await deps.db.$queryRaw<{ id: string; userId: string; expiresAt: Date; revokedAt: Date | null; email: string; name: string; isOperator: boolean }[]>`
            SELECT s.id, s.user_id AS "userId", s.expires_at AS "expiresAt", s.revoked_at AS "revokedAt", u.email, u.name, u.is_operator AS "isOperator"
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ${sha256Hex(token)}`
        : [];
      if (!session || session.revokedAt || session.expiresAt < new Date()) {
        if (bearer) throw unauthorized('session expired or invalid; sign in again');
        return next(); // a stale cookie: carry on anonymously
      }
      const viaCookie = !bearer;
      if (viaCookie && !SAFE_METHODS.has(req.method)) {
        const sent = req.get('x-csrf-token') ?? '';
        if (!safeEqual(sent, csrfTokenFor(token))) req.csrfRejected = true;
      }
      req.principal = {
        kind: 'user',
        userId: session.userId,
        email: session.email,
        name: session.name,
        isOperator: session.isOperator,
        sessionId: session.id,
        viaCookie,
      };
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Called for every request made with an API key (the per-key rate limit); throws to refuse. */
export type ApiKeyLimiter = (principal: Extract<Principal, { kind: 'api_key' }>) => Promise<void>;

export function requireAuth(req: Request): Principal {
  if (!req.principal) throw unauthorized();
  if (req.csrfRejected) throw forbidden('missing or wrong X-CSRF-Token header for a cookie-authenticated request');
  return req.principal;
}

export function requireUser(req: Request): Extract<Principal, { kind: 'user' }> {
  const p = requireAuth(req);
  if (p.kind !== 'user') throw forbidden('this action needs a signed-in user, not an API key');
  return p;
}
