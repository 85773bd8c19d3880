// The ARM expression language as the simulator evaluates it.
import { describe, expect, it } from 'vitest';
import { DEFERRED, TemplateExpressionError, evaluateDeep, parseExpression, type FunctionTable } from '../../simulators/azure/template-expressions';
import { STANDARD_FUNCTIONS } from '../../simulators/azure/template-functions';

const params: Record<string, unknown> = { vmName: 'tn-1', port: 3000, flags: { Enabled: true }, list: ['a', 'b'] };
const fns: FunctionTable = {
  ...STANDARD_FUNCTIONS,
  parameters: (name) => params[String(name)],
  reference: () => ({ ipAddress: '127.0.0.1', dnsSettings: { fqdn: 'x.eastus.cloudapp.azure.com' } }),
};

describe('ARM template expressions', () => {
  it('evaluates function calls, nesting, property and index access', () => {
    expect(evaluateDeep("[concat(parameters('vmName'), '-nic')]", fns)).toBe('tn-1-nic');
    expect(evaluateDeep("[format('{0}:{1}', parameters('vmName'), parameters('port'))]", fns)).toBe('tn-1:3000');
    expect(evaluateDeep("[reference('pip').dnsSettings.fqdn]", fns)).toBe('x.eastus.cloudapp.azure.com');
    expect(evaluateDeep("[parameters('list')[1]]", fns)).toBe('b');
    // Property names and function names are case-insensitive, as in ARM.
    expect(evaluateDeep("[PARAMETERS('flags').enabled]", fns)).toBe(true);
    expect(evaluateDeep("[if(equals(parameters('port'), 3000), 'yes', 'no')]", fns)).toBe('yes');
    expect(evaluateDeep("[string(parameters('port'))]", fns)).toBe('3000');
  });

  it('walks objects and arrays, escapes "[[" and leaves plain strings alone', () => {
    expect(evaluateDeep({ a: ["[parameters('vmName')]", 'plain'], b: '[[not an expression]', c: 1 }, fns)).toEqual({ a: ['tn-1', 'plain'], b: '[not an expression]', c: 1 });
  });

  it("handles quotes inside strings ('' is one quote)", () => {
    expect(parseExpression("concat('it''s', ' ok')")).toEqual({
      kind: 'call',
      name: 'concat',
      args: [
        { kind: 'literal', value: "it's" },
        { kind: 'literal', value: ' ok' },
      ],
    });
  });

  it('is deterministic for uniqueString and guid', () => {
    const a = evaluateDeep("[uniqueString('rg', 'x')]", fns);
    expect(a).toMatch(/^[a-z2-7]{13}$/);
    expect(evaluateDeep("[uniqueString('rg', 'x')]", fns)).toBe(a);
    expect(evaluateDeep("[guid('a')]", fns)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('rejects unknown functions, missing properties and malformed text', () => {
    expect(() => evaluateDeep("[nope('x')]", fns)).toThrow(TemplateExpressionError);
    expect(() => evaluateDeep("[parameters('flags').missing]", fns)).toThrow(/doesn't exist/);
    expect(() => parseExpression("concat('a'")).toThrow(TemplateExpressionError);
    expect(() => parseExpression("concat('a)")).toThrow(/unterminated/);
  });

  it('lets preflight read properties of a resource that does not exist yet', () => {
    const preflight: FunctionTable = { ...fns, reference: () => DEFERRED };
    expect(evaluateDeep("[reference('vm').vmId]", preflight)).toBe(DEFERRED);
  });
});
