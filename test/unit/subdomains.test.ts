import { describe, expect, it } from 'vitest';
import { subdomainSchema } from '../../lib/subdomains';

describe('subdomain rules', () => {
  it.each(['acme', 'acme-2', 'a1b', 'abc-def-ghi'])('accepts %s', (s) => {
    expect(subdomainSchema.safeParse(s).success).toBe(true);
  });

  it('lower-cases and trims', () => {
    expect(subdomainSchema.parse('  AcMe ')).toBe('acme');
  });

  it.each([
    ['ab', 'at least 3'],
    ['1abc', 'starting with a letter'],
    ['abc-', 'not ending with a hyphen'],
    ['a--b', 'two hyphens'],
    ['ac_me', 'lower-case letters'],
    ['admin', 'reserved'],
    ['x'.repeat(33), 'at most 32'],
  ])('rejects %s (%s)', (s, why) => {
    const res = subdomainSchema.safeParse(s);
    expect(res.success).toBe(false);
    expect(res.error!.issues.map((i) => i.message).join(' ')).toContain(why);
  });
});
