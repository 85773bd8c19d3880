// Money leaves the database as integer micro-credits (1 credit = 1,000,000) and the API renders it
// as numbers: `{micro, credits, formatted}`. Sums of micro-credits stay far below 2^53.
import { z } from 'zod';

export const moneySchema = z.object({
  micro: z.number().int().describe('integer micro-credits (1 credit = 1,000,000)'),
  credits: z.number(),
  formatted: z.string().describe('e.g. "1,234.50 credits"'),
});
export type Money = z.infer<typeof moneySchema>;

const two = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fine = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });

export function formatCredits(micro: number): string {
  const credits = micro / 1e6;
  const f = credits !== 0 && Math.abs(credits) < 0.01 ? fine : two;
  return `${f.format(credits)} credits`;
}

export function money(micro: bigint | number | string | null | undefined): Money {
  const n = Number(micro ?? 0);
  return { micro: n, credits: n / 1e6, formatted: formatCredits(n) };
}
