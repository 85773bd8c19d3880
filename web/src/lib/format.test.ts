import { describe, expect, it } from 'vitest';
import { formatBytes, formatCredits, formatDuration } from './format';

describe('console formats', () => {
  it('writes chart amounts with two decimals, and tiny ones with two significant digits instead of 0', () => {
    expect(formatCredits(0)).toBe('0 cr');
    expect(formatCredits(1234.567)).toBe('1,234.57 cr');
    expect(formatCredits(0.000007)).toBe('0.000007 cr');
    expect(formatCredits(0.01234)).toBe('0.012 cr');
    expect(formatCredits(-0.5)).toBe('-0.5 cr');
  });

  it('writes durations and sizes the way people read them', () => {
    expect(formatDuration(40_000)).toBe('40 s');
    expect(formatDuration(125 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(86 * 86_400_000)).toBe('86 days');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(null)).toBe('—');
  });
});
