// Routes are declared as data: method, path, who may call it (`access`), zod schemas for
// params/query/body and the responses. `mountRoutes` enforces them in a fixed order before the
// handler runs:
//
//   1. authentication  (401; a cookie-authenticated write without its CSRF header: 403)
//   2. path parameters (400 naming each bad field)
//   3. access          (404 when the caller has no access at all — another tenant's resource is
//                       indistinguishable from a missing one — 403 when the role is too small or
//                       an API key calls a route for signed-in users)
//   4. query and body  (400 naming each bad field)
//   5. Idempotency-Key (a repeated request gets the first answer again)
//
// api/openapi.ts builds the OpenAPI document from the same declarations, so the reference can
// never disagree with what the server accepts.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { MemberRole, PartnerRole } from '../lib/db';
import { resolveInstanceRef, requireOperator, resolvePartnerAccess, tenantAccess, type InstanceRef, type PartnerAccess, type TenantAccess } from './auth/access';
import { requireAuth, requireUser, type Principal } from './auth/sessions';
import type { ApiDeps } from './deps';
import { badRequest, parse } from './errors';
import { withIdempotency } from './idempotency';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

/** Who may call a route. Checked before the query and body are even looked at. */
export type Access =
  /** Anyone, signed in or not. */
  | { kind: 'public' }
  /** Any signed-in caller; `users: true` refuses API keys (e.g. creating API keys, signing out). */
  | { kind: 'signed-in'; users?: boolean }
  /** A role in the organization named by the `tenantId` path parameter. */
  | { kind: 'tenant'; minRole: MemberRole; users?: boolean }
  /** A role in the organization owning the instance named by the `instanceId` path parameter. */
  | { kind: 'instance'; minRole: MemberRole }
  /** A role in the partner named by the `partnerId` path parameter. */
  | { kind: 'partner'; minRole: PartnerRole }
  /** Platform operators only (everyone else gets 404: the admin surface is not advertised). */
  | { kind: 'operator' };

export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** Set for routes that need a signed-in caller. */
  principal: Principal;
  /** Set for `tenant` and `instance` routes. */
  access: TenantAccess;
  /** Set for `instance` routes. */
  instance: InstanceRef;
  /** Set for `partner` routes. */
  partner: PartnerAccess;
  /** The request's Idempotency-Key, when sent (routes declared `idempotency`). */
  idempotencyKey: string | undefined;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: Method;
  /** OpenAPI style, e.g. `/tenants/{tenantId}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** `optional`: an Idempotency-Key header is honoured; `required`: it must be sent. */
  idempotency?: 'optional' | 'required';
  responses: Record<number, RouteResponse>;
  /** Returns a result to send as JSON, or undefined when it wrote the response itself (SSE). */
  handler(ctx: RouteContext<P, Q, B>): Promise<RouteResult | undefined>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>;

export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(spec: RouteSpec<P, Q, B>): AnyRoute {
  return spec as AnyRoute;
}

const toExpressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

function idempotencyKeyOf(req: Request, spec: AnyRoute): string | undefined {
  if (!spec.idempotency) return undefined;
  const key = req.get('idempotency-key');
  if (key === undefined || key === '') {
    if (spec.idempotency === 'required') throw badRequest('this request needs an Idempotency-Key header', [{ field: 'Idempotency-Key', message: 'is required' }]);
    return undefined;
  }
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw badRequest('Idempotency-Key must be 1 to 200 visible ASCII characters', [{ field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' }]);
  }
  return key;
}

export function mountRoutes(router: Router, routes: AnyRoute[], deps: ApiDeps) {
  for (const spec of routes) {
    router[spec.method](toExpressPath(spec.path), async (req: Request, res: Response) => {
      res.locals.route = spec.path;
      const a = spec.access;
      const ctx = { req, res } as RouteContext<unknown, unknown, unknown>;
      if (a.kind !== 'public') ctx.principal = requireAuth(req);
      ctx.params = spec.params ? parse(spec.params, req.params, 'path') : req.params;
      const params = ctx.params as Record<string, string>;
      switch (a.kind) {
        case 'tenant':
          ctx.access = await tenantAccess(deps, req, params.tenantId, a.minRole);
          break;
        case 'instance': {
          const resolved = await resolveInstanceRef(deps, req, params.instanceId, a.minRole);
          ctx.access = resolved.access;
          ctx.instance = resolved.instance;
          break;
        }
        case 'partner':
          ctx.partner = await resolvePartnerAccess(deps, req, params.partnerId, a.minRole);
          break;
        case 'operator':
          requireOperator(req);
          break;
        default:
          break;
      }
      // After access: an outsider's API key gets the same 404 as anyone outside the organization.
      if ((a.kind === 'signed-in' || a.kind === 'tenant') && a.users) requireUser(req);
      ctx.query = spec.query ? parse(spec.query, req.query, 'query') : {};
      ctx.body = spec.body ? parse(spec.body, req.body, 'body') : undefined;
      ctx.idempotencyKey = idempotencyKeyOf(req, spec);

      const run = () => spec.handler(ctx);
      const result = ctx.idempotencyKey ? await withIdempotency(deps, req, spec, ctx.idempotencyKey, run) : await run();
      if (!result) return;
      for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
      if (result.body === undefined) res.status(result.status).end();
      else res.status(result.status).json(result.body);
    });
  }
}

/** JSON with BigInt amounts rendered as numbers (micro-credit sums stay far below 2^53). */
export function jsonReplacer(_key: string, value: unknown) {
  return typeof value === 'bigint' ? Number(value) : value;
}
