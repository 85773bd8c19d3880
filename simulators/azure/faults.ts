// Test hooks that make the simulated cloud misbehave on purpose: answer with an ARM error, throttle
// with 429 + Retry-After, or do the work and then lose the response (the connection drops).

export interface FaultMatch {
  /** HTTP method, any case; any method when absent. */
  method?: string;
  /** Substring of the path (case-insensitive) or a regular expression on it; any path when absent. */
  path?: string | RegExp;
}

export type Fault =
  | { kind: 'error'; status: number; code: string; message: string; details?: { code: string; message: string }[] }
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'drop-response' };

interface Rule {
  match: FaultMatch;
  fault: Fault;
  remaining: number;
}

function matches(m: FaultMatch, method: string, path: string): boolean {
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path === undefined) return true;
  return typeof m.path === 'string' ? path.toLowerCase().includes(m.path.toLowerCase()) : m.path.test(path);
}

export class FaultInjector {
  private rules: Rule[] = [];

  add(match: FaultMatch, fault: Fault, times = 1): void {
    this.rules.push({ match, fault, remaining: times });
  }

  /** The first armed fault for this request among `kinds`, consuming one use of it. */
  take(method: string, path: string, kinds: Fault['kind'][]): Fault | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && kinds.includes(r.fault.kind) && matches(r.match, method, path));
    if (!rule) return undefined;
    rule.remaining--;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule.fault;
  }

  get pending(): number {
    return this.rules.reduce((n, r) => n + r.remaining, 0);
  }

  clear(): void {
    this.rules = [];
  }
}
