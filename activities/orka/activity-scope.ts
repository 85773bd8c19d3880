// Heartbeats and cancellation for long waits, whether or not we run inside a Temporal activity:
// inside one, they go to Context.current(); outside (tests, scripts) heartbeats are dropped and
// nothing cancels. Waits throw the activity's CancelledFailure as soon as cancellation arrives.
import { Context } from '@temporalio/activity';

export interface ActivityScope {
  heartbeat(details?: unknown): void;
  /** Aborted when the activity is cancelled (with the CancelledFailure as reason). */
  signal?: AbortSignal;
  sleep(ms: number): Promise<void>;
  /** Runs `work`, heartbeating every `everyMs` until it settles; rejects at once on cancellation. */
  heartbeatWhile<T>(work: Promise<T>, details: () => unknown, everyMs: number): Promise<T>;
}

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

export function activityScope(): ActivityScope {
  const ctx = currentContext();
  const signal = ctx?.cancellationSignal;
  const heartbeat = (details?: unknown) => ctx?.heartbeat(details);
  return {
    heartbeat,
    signal,
    async sleep(ms) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await abortable(new Promise<void>((r) => (timer = setTimeout(r, ms))), signal);
      } finally {
        clearTimeout(timer);
      }
    },
    async heartbeatWhile(work, details, everyMs) {
      heartbeat(details());
      const timer = setInterval(() => heartbeat(details()), everyMs);
      try {
        return await abortable(work, signal);
      } finally {
        clearInterval(timer);
      }
    },
  };
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
