import { createHash } from 'node:crypto';
import { calendarVersion, makeCalendar } from '../../domain/calendar/calendar-version';
import { koreanHolidayDates } from '../../domain/calendar/holidays-kr';
import { BusinessCalendar } from '../../domain/sla/model';

describe('calendarVersion', () => {
  it('is the first 16 hex chars of sha256 over the sorted dates joined by newlines', () => {
    const expected = createHash('sha256').update('2026-03-01\n2026-03-02').digest('hex').slice(0, 16);
    expect(calendarVersion(['2026-03-02', '2026-03-01'])).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{16}$/);
  });

  it('ignores order and repeats but not content', () => {
    const dates = koreanHolidayDates();
    expect(calendarVersion([...dates].reverse())).toBe(calendarVersion(dates));
    expect(calendarVersion([...dates, dates[0]])).toBe(calendarVersion(dates));
    expect(calendarVersion(dates.filter((d) => d !== '2026-06-03'))).not.toBe(calendarVersion(dates));
  });

  it('rejects impossible dates rather than hashing them', () => {
    expect(() => calendarVersion(['2026-02-30'])).toThrow(/not a calendar date/);
  });
});

describe('makeCalendar', () => {
  it('builds a valid Mon–Fri 09:00–18:00 Asia/Seoul calendar stamped with its version', () => {
    const calendar = makeCalendar(['2026-03-02', '2026-03-01', '2026-03-02']);
    expect(calendar).toEqual({
      timezone: 'Asia/Seoul',
      utcOffsetMinutes: 540,
      workdays: [1, 2, 3, 4, 5],
      dayStart: '09:00',
      dayEnd: '18:00',
      holidays: ['2026-03-01', '2026-03-02'],
      version: calendarVersion(['2026-03-01', '2026-03-02']),
    });
    expect(BusinessCalendar.parse(calendar)).toEqual(calendar);
  });
});
