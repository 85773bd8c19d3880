// Heartbeats and cancellation for long Azure waits. Inside a Temporal activity these use the
// activity's Context (heartbeat every second, cancellable sleep, the cancellation AbortSignal handed
// to the SDK); outside one (scripts, tests calling the provider directly) they degrade to plain waits.
import { CancelledFailure, Context } from '@temporalio/activity';

/** Well under the 2 s heartbeat budget the workflow's heartbeat timeouts assume. */
export const HEARTBEAT_INTERVAL_MS = 1000;

export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // not inside an activity
  }
}

export function heartbeat(details?: unknown): void {
  activityContext()?.heartbeat(details);
}

export function cancellationSignal(): AbortSignal | undefined {
  return activityContext()?.cancellationSignal;
}

/** Throws the activity's CancelledFailure if it has been cancelled. */
export function throwIfCancelled(): void {
  const signal = cancellationSignal();
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw reason instanceof CancelledFailure ? reason : new CancelledFailure('activity cancelled');
}

/** Waits `ms`; inside an activity, rejects with CancelledFailure as soon as it is cancelled. */
export async function pause(ms: number): Promise<void> {
  const ctx = activityContext();
  if (ctx) return ctx.sleep(ms);
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` while heartbeating `details()` every second. `work` gets the cancellation signal to
 * pass to SDK calls (`abortSignal`), so a cancelled activity stops waiting on Azure at once.
 */
export async function withHeartbeat<T>(details: () => unknown, work: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  const ctx = activityContext();
  if (!ctx) return work(undefined);
  ctx.heartbeat(details());
  const timer = setInterval(() => ctx.heartbeat(details()), HEARTBEAT_INTERVAL_MS);
  try {
    return await work(ctx.cancellationSignal);
  } catch (err) {
    throwIfCancelled();
    throw err;
  } finally {
    clearInterval(timer);
  }
}
