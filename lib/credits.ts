// How amounts read to people everywhere (API answers, notices written by activities): integer
// micro-credits (1 credit = 1,000,000) as "1,234.50 credits", finer only where two decimals would say 0.00.

const two = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fine = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });

export function formatCredits(micro: number | bigint): string {
  const credits = Number(micro) / 1e6;
  const f = credits !== 0 && Math.abs(credits) < 0.01 ? fine : two;
  return `${f.format(credits)} credits`;
}
