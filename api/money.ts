// Money leaves the database as integer micro-credits (1 credit = 1,000,000) and the API renders it
// as numbers: `{micro, credits, formatted}`. Sums of micro-credits stay far below 2^53.
import { z } from 'zod';
import { formatCredits } from '../lib/credits';

export { formatCredits } from '../lib/credits';

export const moneySchema = z.object({
  micro: z.number().int().describe('integer micro-credits (1 credit = 1,000,000)'),
  credits: z.number(),
  formatted: z.string().describe('e.g. "1,234.50 credits"'),
});
export type Money = z.infer<typeof moneySchema>;

export function money(micro: bigint | number | string | null | undefined): Money {
  const n = Number(micro ?? 0);
  return { micro: n, credits: n / 1e6, formatted: formatCredits(n) };
}
