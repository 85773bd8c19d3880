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

  it('evaluates the string, array, numeric and comparison functions templates commonly use', () => {
    const cases: [string, unknown][] = [
      ["[contains('OpenClaw', 'claw')]", true],
      ["[contains(parameters('list'), 'b')]", true],
      ["[contains(parameters('flags'), 'enabled')]", true],
      ["[startsWith(parameters('vmName'), 'TN')]", true],
      ["[endsWith(parameters('vmName'), '-2')]", false],
      ["[indexOf('abcabc', 'C')]", 2],
      ["[lastIndexOf('abcabc', 'c')]", 5],
      ["[replace('a-b-c', '-', '.')]", 'a.b.c'],
      ["[split('a,b;c', createArray(',', ';'))]", ['a', 'b', 'c']],
      ["[substring('openclaw', 4, 4)]", 'claw'],
      ["[substring('openclaw', 4)]", 'claw'],
      ["[trim('  x ')]", 'x'],
      ["[padLeft(parameters('port'), 6, '0')]", '003000'],
      ["[base64ToString(base64('hi there'))]", 'hi there'],
      ["[json('{\"a\":[1,2]}').a[1]]", 2],
      ["[bool('True')]", true],
      ["[array('x')]", ['x']],
      ["[first(parameters('list'))]", 'a'],
      ["[last('abc')]", 'c'],
      ["[take(parameters('list'), 1)]", ['a']],
      ["[skip(parameters('list'), 1)]", ['b']],
      ["[range(3, 3)]", [3, 4, 5]],
      ["[join(parameters('list'), '+')]", 'a+b'],
      ["[union(parameters('list'), createArray('b', 'c'))]", ['a', 'b', 'c']],
      ["[intersection(parameters('list'), createArray('b', 'c'))]", ['b']],
      ["[coalesce(null(), 'fallback')]", 'fallback'],
      ["[add(parameters('port'), 1)]", 3001],
      ["[sub(10, 4)]", 6],
      ["[mul(3, 4)]", 12],
      ["[div(7, 2)]", 3],
      ["[mod(7, 2)]", 1],
      ["[min(4, 2, 9)]", 2],
      ["[max(createArray(4, 2, 9))]", 9],
      ["[less(1, 2)]", true],
      ["[greaterOrEquals('b', 'a')]", true],
      ["[lessOrEquals(2, 2)]", true],
      ["[greater(1, 2)]", false],
    ];
    for (const [expression, value] of cases) expect(evaluateDeep(expression, fns), expression).toEqual(value);
    expect(() => evaluateDeep('[div(1, 0)]', fns)).toThrow(/division by zero/);
    expect(() => evaluateDeep("[substring('abc', 2, 5)]", fns)).toThrow(/outside/);
    expect(() => evaluateDeep("[json('{')]", fns)).toThrow(/not valid JSON/);
  });

  it('rejects unknown functions, missing properties and malformed text', () => {
    expect(() => evaluateDeep("[nope('x')]", fns)).toThrow("The template function 'nope' is not valid. Please see https://aka.ms/arm-functions for usage details.");
    expect(() => evaluateDeep("[parameters('flags').missing]", fns)).toThrow(/doesn't exist/);
    expect(() => parseExpression("concat('a'")).toThrow(TemplateExpressionError);
    expect(() => parseExpression("concat('a)")).toThrow(/unterminated/);
  });

  it('lets preflight read properties of a resource that does not exist yet', () => {
    const preflight: FunctionTable = { ...fns, reference: () => DEFERRED };
    expect(evaluateDeep("[reference('vm').vmId]", preflight)).toBe(DEFERRED);
  });
});
