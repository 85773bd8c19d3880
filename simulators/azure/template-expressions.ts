// ARM template expressions: a string "[fn('a', 1).prop[0]]" is evaluated, "[[literal" is the
// escaped literal "[literal". This is the parser and a tree walker; which functions exist (and what
// parameters(), reference() ... return) is supplied by the caller.

export class TemplateExpressionError extends Error {}

export type ExpressionNode =
  | { kind: 'literal'; value: string | number }
  | { kind: 'call'; name: string; args: ExpressionNode[] }
  | { kind: 'member'; target: ExpressionNode; property: string }
  | { kind: 'index'; target: ExpressionNode; index: ExpressionNode };

export type TemplateFunction = (...args: unknown[]) => unknown;

/**
 * What reference() returns while a deployment is only validated (preflight): the resource does not
 * exist yet, so any property of it is again a deferred value instead of an error.
 */
export const DEFERRED: Readonly<Record<string, never>> = Object.freeze({});
/** Function names are matched case-insensitively, as ARM does. */
export type FunctionTable = Record<string, TemplateFunction>;

export function isExpression(value: string): boolean {
  return value.startsWith('[') && value.endsWith(']') && !value.startsWith('[[');
}

type Token = { t: 'id' | 'str' | 'num' | 'punct'; v: string; at: number };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let v = '';
      const start = i++;
      for (;;) {
        if (i >= src.length) throw new TemplateExpressionError(`unterminated string starting at ${start}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      tokens.push({ t: 'str', v, at: start });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      tokens.push({ t: 'num', v: m[0], at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      tokens.push({ t: 'id', v: m[0], at: i });
      i += m[0].length;
    } else if ('(),.[]'.includes(c)) {
      tokens.push({ t: 'punct', v: c, at: i++ });
    } else {
      throw new TemplateExpressionError(`unexpected character '${c}' at ${i}`);
    }
  }
  return tokens;
}

export function parseExpression(text: string): ExpressionNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (v: string) => {
    const tok = tokens[pos++];
    if (!tok || tok.v !== v || tok.t !== 'punct') throw new TemplateExpressionError(`expected '${v}' in '${text}'`);
  };
  function primary(): ExpressionNode {
    const tok = tokens[pos++];
    if (!tok) throw new TemplateExpressionError(`unexpected end of expression '${text}'`);
    if (tok.t === 'str') return { kind: 'literal', value: tok.v };
    if (tok.t === 'num') return { kind: 'literal', value: Number(tok.v) };
    if (tok.t === 'id') {
      expect('(');
      const args: ExpressionNode[] = [];
      if (!(peek()?.t === 'punct' && peek()?.v === ')')) {
        for (;;) {
          args.push(expression());
          if (peek()?.t === 'punct' && peek()?.v === ',') {
            pos++;
            continue;
          }
          break;
        }
      }
      expect(')');
      return { kind: 'call', name: tok.v, args };
    }
    throw new TemplateExpressionError(`unexpected '${tok.v}' at ${tok.at} in '${text}'`);
  }
  function expression(): ExpressionNode {
    let node = primary();
    for (;;) {
      const tok = peek();
      if (tok?.t === 'punct' && tok.v === '.') {
        pos++;
        const prop = tokens[pos++];
        if (!prop || prop.t !== 'id') throw new TemplateExpressionError(`expected a property name in '${text}'`);
        node = { kind: 'member', target: node, property: prop.v };
      } else if (tok?.t === 'punct' && tok.v === '[') {
        pos++;
        const index = expression();
        expect(']');
        node = { kind: 'index', target: node, index };
      } else {
        return node;
      }
    }
  }
  const node = expression();
  if (pos !== tokens.length) throw new TemplateExpressionError(`unexpected '${tokens[pos].v}' in '${text}'`);
  return node;
}

function lookupFunction(functions: FunctionTable, name: string): TemplateFunction {
  const key = Object.keys(functions).find((k) => k.toLowerCase() === name.toLowerCase());
  // ARM's own answer to a function it does not know (an InvalidTemplate error for the deployment).
  if (!key) throw new TemplateExpressionError(`The template function '${name}' is not valid. Please see https://aka.ms/arm-functions for usage details.`);
  return functions[key];
}

function readProperty(target: unknown, property: string | number): unknown {
  if (target === DEFERRED) return DEFERRED;
  if (target === null || target === undefined || typeof target !== 'object') {
    throw new TemplateExpressionError(`The language expression property '${property}' can't be evaluated.`);
  }
  if (typeof property === 'number') return (target as unknown[])[property];
  // ARM property access is case-insensitive.
  const record = target as Record<string, unknown>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === property.toLowerCase());
  if (key === undefined) throw new TemplateExpressionError(`The language expression property '${property}' doesn't exist, available properties are '${Object.keys(record).join(', ')}'.`);
  return record[key];
}

export function evaluateNode(node: ExpressionNode, functions: FunctionTable): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'call':
      return lookupFunction(functions, node.name)(...node.args.map((a) => evaluateNode(a, functions)));
    case 'member':
      return readProperty(evaluateNode(node.target, functions), node.property);
    case 'index': {
      const index = evaluateNode(node.index, functions);
      if (typeof index !== 'number' && typeof index !== 'string') throw new TemplateExpressionError('an index must be a number or a string');
      return readProperty(evaluateNode(node.target, functions), index);
    }
  }
}

/** Evaluates every expression inside a JSON value (strings, arrays, objects), leaving literals alone. */
export function evaluateDeep(value: unknown, functions: FunctionTable): unknown {
  if (typeof value === 'string') {
    if (isExpression(value)) return evaluateNode(parseExpression(value.slice(1, -1)), functions);
    return value.startsWith('[[') ? value.slice(1) : value;
  }
  if (Array.isArray(value)) return value.map((v) => evaluateDeep(v, functions));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = evaluateDeep(v, functions);
    return out;
  }
  return value;
}
