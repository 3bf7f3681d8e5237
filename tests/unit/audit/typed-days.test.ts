// The log screen's typed days, in the practice's format (subjects in words are checked on the
// screen, in tests/e2e/auditor-hour.test.ts).
import { describe, expect, it } from 'vitest';
import { formatDayNumeric, parseDay } from '../../../shared/format';

describe('typed days', () => {
  it('reads day first, as en-GB writes it, and ISO', () => {
    expect(parseDay('30/11/2026')).toBe('2026-11-30');
    expect(parseDay(' 3/1/2026 ')).toBe('2026-01-03');
    expect(parseDay('30.11.2026')).toBe('2026-11-30');
    expect(parseDay('30-11-2026')).toBe('2026-11-30');
    expect(parseDay('30 Nov 2026')).toBe('2026-11-30');
    expect(parseDay('30 november 2026')).toBe('2026-11-30');
    expect(parseDay('2026-11-30')).toBe('2026-11-30');
  });

  it('refuses what is not a day: month first past 12, impossible days, short years, words', () => {
    for (const text of [
      '11/30/2026',
      '31/02/2026',
      '00/01/2026',
      '30/11/26',
      '30/11/202',
      'today',
      '',
      '30 Foo 2026',
    ])
      expect(parseDay(text), text).toBeNull();
  });

  it('writes a day back the way it is read', () => {
    const at = new Date(2026, 10, 30, 23, 30).getTime();
    expect(formatDayNumeric(at)).toBe('30/11/2026');
    expect(parseDay(formatDayNumeric(at))).toBe('2026-11-30');
  });
});
