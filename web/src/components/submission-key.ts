// Idempotency keys for a form: retrying the same values reuses the key (a lost answer or a double
// click never creates twice); different values, or a success, start a new one.
import { useRef } from 'react';
import { newIdempotencyKey } from '../api/client';

export function useSubmissionKey() {
  const last = useRef<{ body: string; key: string } | undefined>(undefined);
  return {
    keyFor(values: unknown): string {
      const body = JSON.stringify(values);
      if (last.current?.body !== body) last.current = { body, key: newIdempotencyKey() };
      return last.current.key;
    },
    /** The submission succeeded: the next one is a new intent. */
    done() {
      last.current = undefined;
    },
  };
}
