// Talking to workflows on behalf of a request: updates whose validators may refuse, short workflows
// the request waits for, and the translation of Temporal's errors into problems a client can act on.
import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { conflict, HttpError } from './errors';

/** The innermost message of a Temporal failure chain (the workflow's or activity's own words). */
export function causeMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  let msg = e?.message ?? String(err);
  while (e?.cause) {
    e = e.cause as typeof e;
    if (e?.message) msg = e.message;
  }
  return msg;
}

const notRunning = (err: unknown) =>
  err instanceof WorkflowNotFoundError || /workflow execution already completed|not found/i.test((err as Error)?.message ?? '');

/**
 * Runs an update and waits for its result. A validator's refusal (or the handler's failure) is a
 * 409 with the workflow's own message; a workflow that is no longer running is a 409 saying so.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runUpdate<Ret, Args extends [any, ...any[]]>(
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
  whatIsGone: string,
): Promise<Ret> {
  try {
    return await handle.executeUpdate(update, { args });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw conflict(causeMessage(err));
    if (notRunning(err)) throw conflict(whatIsGone);
    throw err;
  }
}

/** Waits for a short workflow's result, at most `timeoutMs`; its failure is a 409 with its message. */
export async function awaitShort<T>(resultPromise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      resultPromise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new HttpError(504, 'Gateway timeout', `${what} did not finish within ${Math.round(timeoutMs / 1000)} s; it may still complete`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    if (err instanceof WorkflowFailedError) throw conflict(causeMessage(err));
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
