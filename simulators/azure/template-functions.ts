// The ARM template functions that do not depend on deployment state (string, array and object,
// numeric, logical, comparison, hashing), as documented at https://aka.ms/arm-functions. Deployment-scoped ones (parameters, variables,
// resourceGroup, resourceId, reference) are added by the deployer.
import { createHash } from 'node:crypto';
import { TemplateExpressionError, type FunctionTable } from './template-expressions';

function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function deterministicBase32(input: string, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const digest = createHash('sha256').update(input).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[digest[i] % 32];
  return out;
}

function deterministicGuid(input: string): string {
  const h = createHash('sha256').update(input).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export const STANDARD_FUNCTIONS: FunctionTable = {
  concat: (...args) => (args.length > 0 && args.every(Array.isArray) ? (args as unknown[][]).flat() : args.map(toText).join('')),
  format: (fmt, ...args) =>
    toText(fmt).replace(/\{(\d+)(?::[^}]*)?\}/g, (_m, i: string) => {
      const v = args[Number(i)];
      if (v === undefined) throw new TemplateExpressionError(`format(): argument ${i} is missing`);
      return toText(v);
    }),
  toLower: (s) => toText(s).toLowerCase(),
  toUpper: (s) => toText(s).toUpperCase(),
  string: (v) => toText(v),
  int: (v) => {
    const n = Number.parseInt(toText(v), 10);
    if (Number.isNaN(n)) throw new TemplateExpressionError(`int(): '${toText(v)}' is not an integer`);
    return n;
  },
  base64: (s) => Buffer.from(toText(s), 'utf8').toString('base64'),
  uniqueString: (...parts) => deterministicBase32(parts.map(toText).join('-'), 13),
  guid: (...parts) => deterministicGuid(parts.map(toText).join('-')),
  equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  not: (a) => !a,
  and: (...args) => args.every(Boolean),
  or: (...args) => args.some(Boolean),
  if: (cond, a, b) => (cond ? a : b),
  true: () => true,
  false: () => false,
  null: () => null,
  empty: (v) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && Object.keys(v as object).length === 0),
  length: (v) => (typeof v === 'string' || Array.isArray(v) ? v.length : Object.keys((v ?? {}) as object).length),
  createArray: (...args) => args,

  // Strings (ARM compares case-insensitively in contains/startsWith/endsWith/indexOf on strings).
  contains: (container, item) =>
    typeof container === 'string'
      ? container.toLowerCase().includes(toText(item).toLowerCase())
      : Array.isArray(container)
        ? container.some((x) => JSON.stringify(x) === JSON.stringify(item))
        : Object.keys((container ?? {}) as object).some((k) => k.toLowerCase() === toText(item).toLowerCase()),
  startsWith: (s, prefix) => toText(s).toLowerCase().startsWith(toText(prefix).toLowerCase()),
  endsWith: (s, suffix) => toText(s).toLowerCase().endsWith(toText(suffix).toLowerCase()),
  indexOf: (s, find) => toText(s).toLowerCase().indexOf(toText(find).toLowerCase()),
  lastIndexOf: (s, find) => toText(s).toLowerCase().lastIndexOf(toText(find).toLowerCase()),
  replace: (s, from, to) => toText(s).split(toText(from)).join(toText(to)),
  split: (s, delimiter) => {
    const delimiters = (Array.isArray(delimiter) ? delimiter : [delimiter]).map(toText);
    return delimiters.reduce<string[]>((parts, d) => parts.flatMap((p) => p.split(d)), [toText(s)]);
  },
  substring: (s, start, length) => {
    const text = toText(s);
    const from = Number(start ?? 0);
    const count = length === undefined ? text.length - from : Number(length);
    if (from < 0 || count < 0 || from + count > text.length) throw new TemplateExpressionError(`substring(): start ${from} and length ${count} are outside '${text}'`);
    return text.substr(from, count);
  },
  trim: (s) => toText(s).trim(),
  padLeft: (v, total, pad = ' ') => toText(v).padStart(Number(total), toText(pad).slice(0, 1) || ' '),
  base64ToString: (s) => Buffer.from(toText(s), 'base64').toString('utf8'),
  json: (s) => {
    try {
      return JSON.parse(toText(s));
    } catch {
      throw new TemplateExpressionError(`json(): '${toText(s)}' is not valid JSON`);
    }
  },
  bool: (v) => (typeof v === 'boolean' ? v : toText(v).toLowerCase() === 'true' || v === 1),

  // Arrays and objects.
  array: (v) => (Array.isArray(v) ? v : [v]),
  first: (v) => (typeof v === 'string' ? v.slice(0, 1) : (v as unknown[])[0]),
  last: (v) => (typeof v === 'string' ? v.slice(-1) : (v as unknown[]).at(-1)),
  take: (v, n) => (typeof v === 'string' ? v.slice(0, Math.max(0, Number(n))) : (v as unknown[]).slice(0, Math.max(0, Number(n)))),
  skip: (v, n) => (typeof v === 'string' ? v.slice(Math.max(0, Number(n))) : (v as unknown[]).slice(Math.max(0, Number(n)))),
  range: (start, count) => Array.from({ length: Number(count) }, (_x, i) => Number(start) + i),
  join: (items, delimiter) => (items as unknown[]).map(toText).join(toText(delimiter)),
  union: (...args) =>
    args.every(Array.isArray)
      ? [...new Map((args as unknown[][]).flat().map((x) => [JSON.stringify(x), x])).values()]
      : Object.assign({}, ...(args as object[])),
  intersection: (first, ...rest) =>
    Array.isArray(first)
      ? first.filter((x) => (rest as unknown[][]).every((r) => r.some((y) => JSON.stringify(y) === JSON.stringify(x))))
      : Object.fromEntries(Object.entries(first as object).filter(([k, v]) => (rest as Record<string, unknown>[]).every((r) => JSON.stringify(r[k]) === JSON.stringify(v)))),
  coalesce: (...args) => args.find((a) => a !== null && a !== undefined) ?? null,

  // Numbers and comparisons (integers, as in ARM).
  add: (a, b) => Number(a) + Number(b),
  sub: (a, b) => Number(a) - Number(b),
  mul: (a, b) => Number(a) * Number(b),
  div: (a, b) => {
    if (Number(b) === 0) throw new TemplateExpressionError('div(): division by zero');
    return Math.trunc(Number(a) / Number(b));
  },
  mod: (a, b) => {
    if (Number(b) === 0) throw new TemplateExpressionError('mod(): division by zero');
    return Number(a) % Number(b);
  },
  min: (...args) => Math.min(...(args.length === 1 && Array.isArray(args[0]) ? args[0] : args).map(Number)),
  max: (...args) => Math.max(...(args.length === 1 && Array.isArray(args[0]) ? args[0] : args).map(Number)),
  less: (a, b) => compare(a, b) < 0,
  lessOrEquals: (a, b) => compare(a, b) <= 0,
  greater: (a, b) => compare(a, b) > 0,
  greaterOrEquals: (a, b) => compare(a, b) >= 0,
};

/** ARM orders numbers numerically and strings ordinally. */
function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = toText(a);
  const y = toText(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
