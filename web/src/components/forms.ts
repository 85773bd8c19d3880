// Server-side validation shown where the person typed: ApiError field messages onto form fields.
import type { UseFormReturnType } from '@mantine/form';
import { ApiError, errorMessage } from '../api/client';

/**
 * Puts an API error's per-field messages on the form's fields (`fields` maps API field names to form
 * paths when they differ) and returns the message that belongs to no field, if any.
 */
export function applyApiErrors<V>(form: UseFormReturnType<V>, err: unknown, fields: Record<string, string> = {}): string | undefined {
  if (!(err instanceof ApiError)) return errorMessage(err);
  const known = new Set(Object.keys(form.getValues() as object));
  const errors: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const e of err.fieldErrors) {
    const path = fields[e.field] ?? e.field;
    if (known.has(path.split('.')[0])) errors[path] = e.message;
    else unplaced.push(`${e.field}: ${e.message}`);
  }
  form.setErrors(errors);
  if (Object.keys(errors).length && !unplaced.length) return undefined;
  return unplaced.length ? `${err.message} (${unplaced.join('; ')})` : err.message;
}
