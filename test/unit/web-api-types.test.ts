// The console's API types are generated from the route declarations; a route change without
// `npm run gen:api-types` fails here instead of surfacing as a console that silently misreads answers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiTypesFile, generateApiTypes } from '../../scripts/gen-api-types';

describe('console API types', () => {
  it('match the current route declarations (run `npm run gen:api-types` after changing a route)', async () => {
    const fresh = await generateApiTypes();
    expect(fresh).toContain('"/tenants/{tenantId}/instances"');
    expect(readFileSync(apiTypesFile, 'utf8') === fresh, 'web/src/api/schema.gen.ts is stale: run `npm run gen:api-types`').toBe(true);
  });
});
