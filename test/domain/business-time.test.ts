import { addBusinessSeconds, businessSecondsBetween, isBusinessInstant } from '../../domain/calendar/business-time';
import { addWallSeconds, clockMath, wallSecondsBetween } from '../../domain/calendar/clock-math';
import { BusinessCalendar } from '../../domain/sla/model';
import { BUSINESS_DAY, HOUR, KR_CALENDAR, kst } from './fixtures';

describe('isBusinessInstant', () => {
  it.each([
    ['2026-03-06 09:00', true], // Friday, window opens
    ['2026-03-06 08:59:59', false],
    ['2026-03-06 17:59:59', true],
    ['2026-03-06 18:00', false], // windows are half-open
    ['2026-03-07 10:00', false], // Saturday
    ['2026-03-02 10:00', false], // 대체공휴일 for 삼일절
    ['2026-03-03 10:00', true],
    ['2027-02-09 10:00', false], // 설날 substitute
  ])('%s KST → %s', (local, expected) => {
    expect(isBusinessInstant(KR_CALENDAR, kst(local))).toBe(expected);
  });
});

describe('businessSecondsBetween', () => {
  it('counts Friday 17:00 → Monday 12:00 as 4 h', () => {
    expect(businessSecondsBetween(KR_CALENDAR, kst('2026-03-06 17:00'), kst('2026-03-09 12:00'))).toBe(4 * HOUR);
  });

  it('skips a weekend and the 설날 span: Fri 2026-02-13 16:00 → Thu 02-19 11:00 is 4 h', () => {
    expect(businessSecondsBetween(KR_CALENDAR, kst('2026-02-13 16:00'), kst('2026-02-19 11:00'))).toBe(4 * HOUR);
  });

  it('crosses the year boundary past 신정 and a weekend', () => {
    expect(businessSecondsBetween(KR_CALENDAR, kst('2026-12-31 16:00'), kst('2027-01-04 11:00'))).toBe(4 * HOUR);
  });

  it('is 0 for a reversed or empty span and for a span outside business hours', () => {
    expect(businessSecondsBetween(KR_CALENDAR, kst('2026-03-09 12:00'), kst('2026-03-06 17:00'))).toBe(0);
    expect(businessSecondsBetween(KR_CALENDAR, kst('2026-03-09 12:00'), kst('2026-03-09 12:00'))).toBe(0);
    expect(businessSecondsBetween(KR_CALENDAR, kst('2026-03-06 18:00'), kst('2026-03-09 09:00'))).toBe(0);
  });

  it('accepts offsets other than Z and keeps milliseconds', () => {
    expect(businessSecondsBetween(KR_CALENDAR, '2026-03-09T09:00:00+09:00', '2026-03-09T00:00:01.500Z')).toBe(1.5);
  });
});

describe('addBusinessSeconds', () => {
  it('P3 opened Friday 17:00 with a 4 h target is due Monday 12:00', () => {
    expect(addBusinessSeconds(KR_CALENDAR, kst('2026-03-06 17:00'), 4 * HOUR)).toBe(kst('2026-03-09 12:00'));
  });

  it('opened Friday 2026-02-13 16:00 before 설날 is due Thursday 2026-02-19 11:00', () => {
    expect(addBusinessSeconds(KR_CALENDAR, kst('2026-02-13 16:00'), 4 * HOUR)).toBe(kst('2026-02-19 11:00'));
  });

  it('opened during a weekend starts counting on Monday 09:00', () => {
    expect(addBusinessSeconds(KR_CALENDAR, kst('2026-03-07 14:00'), 4 * HOUR)).toBe(kst('2026-03-09 13:00'));
    expect(addBusinessSeconds(KR_CALENDAR, kst('2026-03-07 14:00'), 1)).toBe(kst('2026-03-09 09:00:01'));
  });

  it('skips a substitute holiday: Friday 2026-02-27 17:00 + 4 h → Tuesday 2026-03-03 12:00', () => {
    expect(addBusinessSeconds(KR_CALENDAR, kst('2026-02-27 17:00'), 4 * HOUR)).toBe(kst('2026-03-03 12:00'));
  });

  it('crosses the year boundary: Thursday 2026-12-31 16:00 + 4 h → Monday 2027-01-04 11:00', () => {
    expect(addBusinessSeconds(KR_CALENDAR, kst('2026-12-31 16:00'), 4 * HOUR)).toBe(kst('2027-01-04 11:00'));
  });

  it('lands on 18:00, not the next morning, when the target ends with the day', () => {
    expect(addBusinessSeconds(KR_CALENDAR, kst('2026-03-09 09:00'), 5 * BUSINESS_DAY)).toBe(kst('2026-03-13 18:00'));
  });

  it('returns the start instant itself when adding 0, even outside business hours', () => {
    expect(addBusinessSeconds(KR_CALENDAR, kst('2026-03-07 14:00'), 0)).toBe(kst('2026-03-07 14:00'));
    expect(addBusinessSeconds(KR_CALENDAR, '2026-03-07T14:00:00+09:00', 0)).toBe(kst('2026-03-07 14:00'));
  });

  /*
   * 2,592,000 s = 80 full business days from Mon 2026-03-09: March 17, April 22, May 19
   * (5/5, 5/25 off; 5/1 is counted), June 21 (6/3 off) = 79, so the 80th is Wed 2026-07-01.
   */
  it('adds 30 days of business seconds per day, not per second', () => {
    const started = performance.now();
    const due = addBusinessSeconds(KR_CALENDAR, kst('2026-03-09 09:00'), 30 * 24 * HOUR);
    expect(performance.now() - started).toBeLessThan(50);
    expect(due).toBe(kst('2026-07-01 18:00'));
    expect(businessSecondsBetween(KR_CALENDAR, kst('2026-03-09 09:00'), due)).toBe(30 * 24 * HOUR);
  });

  it('rejects negative seconds and instants without a zone', () => {
    expect(() => addBusinessSeconds(KR_CALENDAR, kst('2026-03-09 09:00'), -1)).toThrow(RangeError);
    expect(() => addBusinessSeconds(KR_CALENDAR, '2026-03-09T09:00:00', 1)).toThrow(/with a zone/);
  });
});

describe('calendar shapes other than the default', () => {
  it('honours workdays, hours and offset', () => {
    // A Saturday morning shift in UTC: 08:00–12:00 on Mon and Sat only.
    const calendar = BusinessCalendar.parse({
      utcOffsetMinutes: 0,
      workdays: [1, 6],
      dayStart: '08:00',
      dayEnd: '12:00',
      holidays: ['2026-03-09'],
      version: 't',
    });
    // Sat 2026-03-07 11:00Z: 1 h left that day; Mon 03-09 is a holiday; next is Sat 03-14.
    expect(addBusinessSeconds(calendar, '2026-03-07T11:00:00.000Z', 2 * HOUR)).toBe('2026-03-14T09:00:00.000Z');
  });

  it('refuses a calendar with no working time, which would never finish adding', () => {
    const noDays = BusinessCalendar.parse({ workdays: [], holidays: [], version: 't' });
    expect(() => addBusinessSeconds(noDays, kst('2026-03-09 09:00'), 1)).toThrow(/no workdays/);
    const backwards = BusinessCalendar.parse({ dayStart: '18:00', dayEnd: '09:00', holidays: [], version: 't' });
    expect(() => addBusinessSeconds(backwards, kst('2026-03-09 09:00'), 1)).toThrow(/ends before it starts/);
  });
});

describe('24×7 clock and clockMath', () => {
  it('counts wall time', () => {
    expect(wallSecondsBetween(kst('2026-03-06 17:00'), kst('2026-03-07 17:00'))).toBe(24 * HOUR);
    expect(wallSecondsBetween(kst('2026-03-07 17:00'), kst('2026-03-06 17:00'))).toBe(0);
    expect(addWallSeconds(kst('2026-03-06 17:00'), 4 * HOUR)).toBe(kst('2026-03-06 21:00'));
  });

  it('gives callers one interface for both clocks', () => {
    const wall = clockMath('24x7');
    const business = clockMath('business', KR_CALENDAR);
    expect(wall.addSeconds(kst('2026-03-06 17:00'), 4 * HOUR)).toBe(kst('2026-03-06 21:00'));
    expect(business.addSeconds(kst('2026-03-06 17:00'), 4 * HOUR)).toBe(kst('2026-03-09 12:00'));
    expect(business.secondsBetween(kst('2026-03-06 17:00'), kst('2026-03-09 12:00'))).toBe(4 * HOUR);
    expect(business.countsAt(Date.parse(kst('2026-03-07 10:00')))).toBe(false);
    expect(wall.countsAt(Date.parse(kst('2026-03-07 10:00')))).toBe(true);
  });

  it('insists on a calendar for the business clock', () => {
    expect(() => clockMath('business')).toThrow(/needs a BusinessCalendar/);
  });
});
