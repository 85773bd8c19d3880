import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../api/app';
import { call } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack('openapi');
});
afterAll(async () => {
  await stack?.close();
});

describe('OpenAPI document and reference page', () => {
  it('describes every declared route with its request schema', async () => {
    const res = await call(stack, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const declared = apiRoutes({ config: stack.config } as never).map((r) => `${r.method} ${r.path}`).sort();
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .sort();
    expect(documented).toEqual(declared);
    const signup = res.body.paths['/auth/signup'].post;
    expect(signup.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['email', 'password', 'subdomain']));
    expect(signup.responses['202']).toBeDefined();
  });

  it('serves the API reference page and its assets from our own origin', async () => {
    const page = await call(stack, 'GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('swagger-ui');
    const asset = await fetch(`${stack.baseUrl}/api/docs/assets/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
  });
});
