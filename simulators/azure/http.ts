// The simulator's request/reply shapes. Handlers return a reply instead of writing to the socket,
// so the router can log it, or drop it on the floor to simulate a lost response.
import type { IncomingHttpHeaders } from 'node:http';
import type { ServicePrincipal } from './state';

export interface SimRequest {
  method: string;
  url: URL;
  /** Path segments, URL-decoded, casing preserved. */
  segments: string[];
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** `https://127.0.0.1:<port>`, to build the absolute URLs ARM puts in LRO headers. */
  origin: string;
  params: Record<string, string>;
  /** Set for ARM calls after the bearer token checked out. */
  principal?: ServicePrincipal;
}

export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Handler = (req: SimRequest) => SimReply | Promise<SimReply>;

export function json(status: number, body: unknown, headers?: Record<string, string>): SimReply {
  return { status, body, headers };
}

export function empty(status: number, headers?: Record<string, string>): SimReply {
  return { status, headers };
}

/** The api-version of the request, reused on the LRO URLs we hand out. */
export function apiVersionOf(req: SimRequest): string {
  return req.url.searchParams.get('api-version') ?? '2025-03-01';
}

/** Query parameter by name, ignoring case (URLSearchParams already decodes `%24expand` to `$expand`). */
export function queryParam(req: SimRequest, name: string): string | undefined {
  for (const [k, v] of req.url.searchParams) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
}

export function parseJsonBody(req: SimRequest): Record<string, unknown> {
  if (!req.rawBody) return {};
  try {
    const body = JSON.parse(req.rawBody) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through to the ARM error below
  }
  return { __invalid: true };
}
