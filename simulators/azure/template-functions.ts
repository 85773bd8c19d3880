// The ARM template functions the simulator understands that do not depend on deployment state
// (string, logical, comparison, hashing). Deployment-scoped ones (parameters, variables,
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
};
