// The OpenAPI 3.1 document, generated from the same route declarations and zod schemas that validate
// requests (api/route.ts), plus the API reference page (Swagger UI served from our own origin).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { AnyRoute } from './route';

const problem = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    requestId: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'message'] } },
  },
  required: ['title', 'status', 'detail'],
};

const toSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

function parameters(route: AnyRoute) {
  const out: unknown[] = [];
  for (const [where, schema] of [['path', route.params], ['query', route.query]] as const) {
    if (!schema) continue;
    const json = toSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s });
    }
  }
  return out;
}

function accessText(r: AnyRoute): string {
  const a = r.access;
  switch (a.kind) {
    case 'public':
      return 'Public.';
    case 'signed-in':
      return a.users ? 'Signed-in users (not API keys).' : 'Any signed-in caller.';
    case 'tenant':
      return `Requires the **${a.minRole}** role or higher in the organization${a.users ? ' (users, not API keys)' : ''}.`;
    case 'instance':
      return `Requires the **${a.minRole}** role or higher in the instance's organization (and its site, for site-limited callers).`;
    case 'partner':
      return `Requires **${a.minRole}** in the partner (operators too).`;
    case 'operator':
      return 'Platform operators only.';
  }
}

export function buildOpenApi(routes: AnyRoute[], opts: { serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, resp] of Object.entries(r.responses)) {
      const isError = Number(status) >= 400;
      const contentType = resp.contentType ?? (isError ? 'application/problem+json' : 'application/json');
      const schema = resp.schema ? toSchema(resp.schema, 'output') : isError ? problem : undefined;
      responses[status] = { description: resp.description, ...(schema || resp.contentType ? { content: { [contentType]: { schema: schema ?? {} } } } : {}) };
    }
    if (r.body) responses['400'] ??= { description: 'Invalid request: every bad field is named', content: { 'application/problem+json': { schema: problem } } };
    const pj = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });
    if (r.access.kind !== 'public') responses['401'] ??= pj('Not signed in');
    if (r.access.kind === 'tenant' || r.access.kind === 'instance' || r.access.kind === 'partner') {
      responses['403'] ??= pj('Your role is too small for this');
      responses['404'] ??= pj('Not found, or not yours (the two are indistinguishable)');
    }
    if (r.access.kind === 'operator') responses['404'] ??= pj('Not an operator');
    if (r.idempotency) responses['422'] ??= pj('The Idempotency-Key was used with a different request');
    paths[r.path] ??= {};
    paths[r.path][r.method] = {
      summary: r.summary,
      tags: r.tags,
      operationId: `${r.method}${r.path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      description: [r.description, accessText(r)].filter(Boolean).join('\n\n'),
      'x-access': r.access,
      security: r.access.kind === 'public' ? [] : [{ bearer: [] }, { session: [] }],
      parameters: [
        ...parameters(r),
        ...(r.idempotency
          ? [{ name: 'Idempotency-Key', in: 'header', required: r.idempotency === 'required', description: 'A retry with the same key and body gets the first answer again instead of acting twice (24 h).', schema: { type: 'string', maxLength: 200 } }]
          : []),
      ],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tenantry API',
      version: '1',
      description:
        'Self-service compute for organizations. Authenticate with `Authorization: Bearer <token>` (from `POST /api/auth/login`, or an API key `tk_...`), or with the session cookie plus `X-CSRF-Token` on writes. Errors are `application/problem+json` and name every invalid field. Another organization\'s resource answers 404, a role too small 403. Rate limits answer 429 with `Retry-After`. POSTs that create honour `Idempotency-Key`.',
    },
    servers: [{ url: `${opts.serverUrl.replace(/\/$/, '')}/api` }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'session token or API key' },
        session: { type: 'apiKey', in: 'cookie', name: 'tenantry_session' },
      },
    },
    paths,
  };
}

const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tenantry API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

export function mountOpenApi(router: Router, routes: AnyRoute[], opts: { serverUrl: string }) {
  let doc: unknown;
  router.get('/openapi.json', (_req, res) => {
    doc ??= buildOpenApi(routes, opts);
    res.json(doc);
  });
  const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.use('/docs/assets', express.static(assets, { maxAge: '1d' }));
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(`window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(docsPage);
  });
}
