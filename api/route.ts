// Routes are declared as data: method, path, zod schemas for params/query/body and the responses.
// `mountRoutes` validates every input against its schema before the handler runs (a 400 naming each
// bad field), and api/openapi.ts builds the OpenAPI document from the same declarations, so the
// reference can never disagree with what the server accepts.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { parse } from './errors';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
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
  tags: string[];
  /** `none`: public; `session`: a user or API key. Finer checks happen in the handler. */
  auth: 'none' | 'session';
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
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

export function mountRoutes(router: Router, routes: AnyRoute[]) {
  for (const spec of routes) {
    router[spec.method](toExpressPath(spec.path), async (req: Request, res: Response) => {
      const params = spec.params ? parse(spec.params, req.params, 'path') : req.params;
      const query = spec.query ? parse(spec.query, req.query, 'query') : {};
      const body = spec.body ? parse(spec.body, req.body, 'body') : undefined;
      const result = await spec.handler({ req, res, params, query, body });
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
