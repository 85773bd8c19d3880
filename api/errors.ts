// Errors as RFC 9457 problem details (`application/problem+json`). Validation failures list every
// offending field; nothing a client sends may turn into a 5xx.
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message?: string,
    readonly extra: { errors?: FieldError[]; retryAfterSeconds?: number; [k: string]: unknown } = {},
  ) {
    super(message ?? title);
  }
}

export const badRequest = (message: string, errors: FieldError[] = []) => new HttpError(400, 'Invalid request', message, { errors });
export const unauthorized = (message = 'authentication required') => new HttpError(401, 'Unauthorized', message);
export const forbidden = (message = 'your role does not allow this') => new HttpError(403, 'Forbidden', message);
export const notFound = (what = 'resource') => new HttpError(404, 'Not found', `${what} not found`);
export const conflict = (message: string, errors: FieldError[] = []) => new HttpError(409, 'Conflict', message, { errors });
export const unprocessable = (message: string, errors: FieldError[] = []) => new HttpError(422, 'Unprocessable', message, { errors });

export function fieldErrorsFromZod(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || prefix || '(body)',
    message: i.message,
  }));
}

/** Parses `value` with `schema` or throws a 400 naming each invalid field under `where` (body, query, path). */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path' = 'body'): z.infer<S> {
  const res = schema.safeParse(value ?? {});
  if (!res.success) {
    const errors = fieldErrorsFromZod(res.error, where === 'body' ? undefined : where);
    throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  return res.data;
}

export function sendProblem(res: import('express').Response, status: number, title: string, detail: string, extra: Record<string, unknown> = {}) {
  const { retryAfterSeconds, ...rest } = extra;
  if (typeof retryAfterSeconds === 'number') res.setHeader('Retry-After', String(Math.ceil(retryAfterSeconds)));
  res.status(status).type('application/problem+json').json({
    type: `https://tenantry.dev/problems/${title.toLowerCase().replace(/[^a-z]+/g, '-')}`,
    title,
    status,
    detail,
    requestId: res.locals.requestId,
    ...rest,
  });
}

export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) return;
  if (err instanceof HttpError) {
    return sendProblem(res, err.status, err.title, err.message, err.extra);
  }
  // Body parser errors: malformed JSON, too large, wrong charset.
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.parse.failed') {
    return sendProblem(res, 400, 'Invalid request', 'request body is not valid JSON', { errors: [{ field: '(body)', message: 'not valid JSON' }] });
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return sendProblem(res, e.status, 'Invalid request', e.message ?? 'invalid request');
  }
  req.log?.error({ err }, 'unhandled error');
  return sendProblem(res, 500, 'Internal error', 'something went wrong on our side; the request id helps us find it');
};
