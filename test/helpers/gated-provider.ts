// Holds a real provider at a chosen operation for one chosen instance, so a test can act (cancel,
// kill the worker, order more) while that provision is exactly there. The real provider does all the
// real work; the gate only waits, heartbeating, until released or until the activity is cancelled.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ComputeProvider, InstanceTarget } from '../../activities/providers/contract';

type Op = keyof ComputeProvider;
type When = 'before' | 'after';

export interface Gate {
  /** Hold the instance named `name` at `op`, before or after the real provider call. */
  hold(name: string, op: Op, when?: When): void;
  /** Resolves once that instance is held there. */
  reached(name: string, op: Op, when?: When): Promise<void>;
  release(name: string, op: Op, when?: When): void;
  /** Make `op` of that instance fail permanently (after the real call), as a broken provider would. */
  failAt(name: string, op: Op, message: string): void;
  wrap(provider: ComputeProvider): ComputeProvider;
}

export function createGate(): Gate {
  const key = (name: string, op: Op, when: When) => `${name}|${op}|${when}`;
  const held = new Set<string>();
  const failures = new Map<string, string>();
  const arrivals = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const arrival = (k: string) => {
    if (!arrivals.has(k)) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      arrivals.set(k, { promise, resolve });
    }
    return arrivals.get(k)!;
  };

  async function wait(k: string) {
    if (!held.has(k)) return;
    arrival(k).resolve();
    const ctx = Context.current();
    while (held.has(k)) {
      ctx.heartbeat(k);
      await ctx.sleep(100); // throws CancelledFailure when the activity is cancelled
    }
  }

  return {
    hold: (name, op, when = 'before') => void held.add(key(name, op, when)),
    reached: (name, op, when = 'before') => arrival(key(name, op, when)).promise,
    release: (name, op, when = 'before') => void held.delete(key(name, op, when)),
    failAt: (name, op, message) => void failures.set(`${name}|${op}`, message),
    wrap(provider) {
      const out: Record<string, unknown> = {};
      for (const op of Object.keys(provider) as Op[]) {
        const real = (provider[op] as (...a: unknown[]) => Promise<unknown>).bind(provider);
        out[op] = async (t: InstanceTarget, ...rest: unknown[]) => {
          await wait(key(t.name, op, 'before'));
          const result = await real(t, ...rest);
          const failure = failures.get(`${t.name}|${op}`);
          if (failure) throw ApplicationFailure.nonRetryable(failure, 'ProviderError');
          await wait(key(t.name, op, 'after'));
          return result;
        };
      }
      return out as unknown as ComputeProvider;
    },
  };
}
