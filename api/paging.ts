// Paging: `limit` (1–200, default 50) and an opaque `cursor` taken from the previous page's
// `nextCursor`. Cursors are validated like any other input (400 when malformed).
import { z } from 'zod';

export const limitSchema = z.coerce.number().int('must be an integer').min(1, 'must be at least 1').max(200, 'must be at most 200').default(50);

/** Cursor over a BIGINT id column, newest first. */
export const idCursorSchema = z.string().regex(/^[1-9]\d{0,17}$/, 'is not a cursor from a previous page').optional();

/** Cursor over (created_at, uuid id), newest first: `<epoch ms>_<id>`. */
export const timeIdCursorSchema = z
  .string()
  .regex(/^\d{1,15}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'is not a cursor from a previous page')
  .optional();

export function timeIdCursor(at: Date, id: string): string {
  return `${at.getTime()}_${id}`;
}

export function parseTimeIdCursor(cursor: string): { at: Date; id: string } {
  const [ms, id] = cursor.split('_');
  return { at: new Date(Number(ms)), id };
}

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
