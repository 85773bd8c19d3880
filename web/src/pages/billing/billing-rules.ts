// What the billing numbers mean for a person: when the balance counts as low, how long it lasts, how
// loud a notice is. Shared by the dashboard and the billing page.
import { formatCredits as formatMicro } from '../../../../lib/credits';
import type { Billing } from '../../api/types';
import { formatDuration } from '../../lib/format';

/** Below this many hours of runway the console warns (a weekend without anyone topping up). */
export const LOW_RUNWAY_HOURS = 48;

/** The balance is gone, or lasts less than LOW_RUNWAY_HOURS at the current burn rate. */
export function isLowBalance(b: Billing): boolean {
  return b.balance.micro <= 0 || (b.runway.hours !== null && b.runway.hours < LOW_RUNWAY_HOURS);
}

/** "Lasts about 3 days at this rate." */
export function runwayText(b: Billing): string {
  if (b.balance.micro <= 0) return 'No credits left.';
  if (b.runway.hours === null) return 'Nothing is running at a cost right now.';
  return `Lasts about ${formatDuration(b.runway.hours * 3_600_000)} at this rate.`;
}

export const noticeColor = (level: string) => (level === 'error' ? 'red' : level === 'warn' ? 'yellow' : 'blue');

/** Whole days until `iso` (0 once it has passed). */
export function daysUntil(iso: string, now = Date.now()): number {
  return Math.max(0, Math.ceil((new Date(iso).getTime() - now) / 86_400_000));
}

/** Micro-credits the console computed itself (e.g. a running balance), written by the server's own rule. */
export { formatMicro };

/** An amount with its sign, so credits and charges read apart: "+50.00 credits", "−0.05 credits". */
export const signedAmount = (micro: number) => (micro > 0 ? `+${formatMicro(micro)}` : micro < 0 ? `−${formatMicro(-micro)}` : formatMicro(0));
