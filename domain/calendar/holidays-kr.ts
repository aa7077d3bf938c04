/**
 * Korean public holidays (관공서의 공휴일에 관한 규정) 2025–2027, as reviewed data.
 *
 * This is the seed an operator reviews and corrects through the API; the same list feeds
 * the IVR holiday schedule. Published calendars and libraries get Korean holidays wrong
 * (lunar spans off by a day, missing election and temporary days), so nothing here is
 * computed at run time.
 *
 * Lunar dates are by the Korean calendar (new moon reckoned in KST), which can differ from
 * the Chinese one by a day: 설날 2027 is Feb 7 in Korea, Feb 6 in China.
 *
 * 대체공휴일 rules applied (규정 제3조, as amended in 2021 and 2023):
 * - 설날/추석: a three-day span that overlaps a Sunday or another holiday gets the first
 *   non-holiday day after the span (a Saturday does not count).
 * - 어린이날: on a Saturday, Sunday or another holiday → the next weekday that is not a holiday.
 * - 삼일절, 광복절, 개천절, 한글날 (since 2021) and 부처님오신날, 성탄절 (since 2023): the same.
 * - 신정 and 현충일 never get one.
 * - 제헌절 (Jul 17) is a public holiday again from 2026: the National Assembly passed the
 *   amendment to 공휴일에 관한 법률 on 2026-01-29, extending public-holiday status (and the
 *   substitute rule) to every 국경일; it applies from 2026-07-17.
 *
 * Left out on purpose, for the operator to decide:
 * - 노동절 (May 1, formerly 근로자의 날): a paid day off for employees under labour law, but
 *   whether it is a 관공서 공휴일 (and so a day the customer's centers close) is not settled.
 * - Temporary holidays (임시공휴일) are designated by the cabinet at short notice; none is
 *   known yet for 2026–2027.
 */

export type KoreanHolidayKind = 'national' | 'lunar' | 'substitute' | 'election' | 'temporary';

export interface KoreanHoliday {
  readonly date: string;
  readonly name: string;
  readonly nameEn: string;
  readonly kind: KoreanHolidayKind;
}

/*
 * 2025
 * - 신정 Wed 1/1. 설날 is 1/29 (Wed): span Tue 1/28 – Thu 1/30, no Sunday, no substitute;
 *   Mon 1/27 was designated a temporary holiday to bridge the weekend.
 * - 삼일절 falls on Sat 3/1 → substitute Mon 3/3.
 * - 어린이날 and 부처님오신날 (lunar 4/8) both fall on Mon 5/5 → one substitute, Tue 5/6.
 * - Tue 6/3: 21st presidential election (early election). 현충일 Fri 6/6.
 * - 광복절 Fri 8/15. 개천절 Fri 10/3.
 * - 추석 is 10/6 (Mon): span Sun 10/5 – Tue 10/7; the Sunday overlap → substitute Wed 10/8;
 *   한글날 Thu 10/9 follows. (Fri 10/10 was proposed as a temporary holiday but not designated.)
 * - 성탄절 Thu 12/25.
 */
const Y2025: KoreanHoliday[] = [
  { date: '2025-01-01', name: '신정', nameEn: "New Year's Day", kind: 'national' },
  { date: '2025-01-27', name: '임시공휴일 (설 연휴)', nameEn: 'Temporary holiday (Seollal bridge day)', kind: 'temporary' },
  { date: '2025-01-28', name: '설날 전날', nameEn: "Seollal (Lunar New Year's Eve)", kind: 'lunar' },
  { date: '2025-01-29', name: '설날', nameEn: 'Seollal (Lunar New Year)', kind: 'lunar' },
  { date: '2025-01-30', name: '설날 다음날', nameEn: 'Seollal (day after)', kind: 'lunar' },
  { date: '2025-03-01', name: '삼일절', nameEn: 'Independence Movement Day', kind: 'national' },
  { date: '2025-03-03', name: '대체공휴일 (삼일절)', nameEn: 'Substitute holiday (Independence Movement Day)', kind: 'substitute' },
  { date: '2025-05-05', name: '어린이날', nameEn: "Children's Day", kind: 'national' },
  { date: '2025-05-05', name: '부처님오신날', nameEn: "Buddha's Birthday", kind: 'lunar' },
  { date: '2025-05-06', name: '대체공휴일 (어린이날·부처님오신날)', nameEn: "Substitute holiday (Children's Day / Buddha's Birthday)", kind: 'substitute' },
  { date: '2025-06-03', name: '제21대 대통령 선거', nameEn: '21st presidential election', kind: 'election' },
  { date: '2025-06-06', name: '현충일', nameEn: 'Memorial Day', kind: 'national' },
  { date: '2025-08-15', name: '광복절', nameEn: 'Liberation Day', kind: 'national' },
  { date: '2025-10-03', name: '개천절', nameEn: 'National Foundation Day', kind: 'national' },
  { date: '2025-10-05', name: '추석 전날', nameEn: 'Chuseok (eve)', kind: 'lunar' },
  { date: '2025-10-06', name: '추석', nameEn: 'Chuseok', kind: 'lunar' },
  { date: '2025-10-07', name: '추석 다음날', nameEn: 'Chuseok (day after)', kind: 'lunar' },
  { date: '2025-10-08', name: '대체공휴일 (추석)', nameEn: 'Substitute holiday (Chuseok)', kind: 'substitute' },
  { date: '2025-10-09', name: '한글날', nameEn: 'Hangul Day', kind: 'national' },
  { date: '2025-12-25', name: '성탄절', nameEn: 'Christmas Day', kind: 'national' },
];

/*
 * 2026
 * - 신정 Thu 1/1. 설날 is 2/17 (Tue): span Mon 2/16 – Wed 2/18, no Sunday, no substitute.
 * - 삼일절 falls on Sun 3/1 → substitute Mon 3/2.
 * - 어린이날 Tue 5/5. 부처님오신날 (lunar 4/8) falls on Sun 5/24 → substitute Mon 5/25.
 * - Wed 6/3: 9th nationwide local elections. 현충일 falls on Sat 6/6: no substitute by rule.
 * - 제헌절 Fri 7/17 (public again from this year).
 * - 광복절 falls on Sat 8/15 → substitute Mon 8/17.
 * - 추석 is 9/25 (Fri): span Thu 9/24 – Sat 9/26; a Saturday overlap earns nothing.
 * - 개천절 falls on Sat 10/3 → substitute Mon 10/5. 한글날 Fri 10/9. 성탄절 Fri 12/25.
 */
const Y2026: KoreanHoliday[] = [
  { date: '2026-01-01', name: '신정', nameEn: "New Year's Day", kind: 'national' },
  { date: '2026-02-16', name: '설날 전날', nameEn: "Seollal (Lunar New Year's Eve)", kind: 'lunar' },
  { date: '2026-02-17', name: '설날', nameEn: 'Seollal (Lunar New Year)', kind: 'lunar' },
  { date: '2026-02-18', name: '설날 다음날', nameEn: 'Seollal (day after)', kind: 'lunar' },
  { date: '2026-03-01', name: '삼일절', nameEn: 'Independence Movement Day', kind: 'national' },
  { date: '2026-03-02', name: '대체공휴일 (삼일절)', nameEn: 'Substitute holiday (Independence Movement Day)', kind: 'substitute' },
  { date: '2026-05-05', name: '어린이날', nameEn: "Children's Day", kind: 'national' },
  { date: '2026-05-24', name: '부처님오신날', nameEn: "Buddha's Birthday", kind: 'lunar' },
  { date: '2026-05-25', name: '대체공휴일 (부처님오신날)', nameEn: "Substitute holiday (Buddha's Birthday)", kind: 'substitute' },
  { date: '2026-06-03', name: '제9회 전국동시지방선거', nameEn: '9th nationwide local elections', kind: 'election' },
  { date: '2026-06-06', name: '현충일', nameEn: 'Memorial Day', kind: 'national' },
  { date: '2026-07-17', name: '제헌절', nameEn: 'Constitution Day', kind: 'national' },
  { date: '2026-08-15', name: '광복절', nameEn: 'Liberation Day', kind: 'national' },
  { date: '2026-08-17', name: '대체공휴일 (광복절)', nameEn: 'Substitute holiday (Liberation Day)', kind: 'substitute' },
  { date: '2026-09-24', name: '추석 전날', nameEn: 'Chuseok (eve)', kind: 'lunar' },
  { date: '2026-09-25', name: '추석', nameEn: 'Chuseok', kind: 'lunar' },
  { date: '2026-09-26', name: '추석 다음날', nameEn: 'Chuseok (day after)', kind: 'lunar' },
  { date: '2026-10-03', name: '개천절', nameEn: 'National Foundation Day', kind: 'national' },
  { date: '2026-10-05', name: '대체공휴일 (개천절)', nameEn: 'Substitute holiday (National Foundation Day)', kind: 'substitute' },
  { date: '2026-10-09', name: '한글날', nameEn: 'Hangul Day', kind: 'national' },
  { date: '2026-12-25', name: '성탄절', nameEn: 'Christmas Day', kind: 'national' },
];

/*
 * 2027 (no national election is scheduled: the next general election is in 2028)
 * - 신정 Fri 1/1. 설날 is 2/7 (Sun) in Korea: span Sat 2/6 – Mon 2/8; the Sunday overlap →
 *   substitute Tue 2/9.
 * - 삼일절 Mon 3/1. 어린이날 Wed 5/5. 부처님오신날 (lunar 4/8) Thu 5/13.
 * - 현충일 falls on Sun 6/6: no substitute by rule.
 * - 제헌절 falls on Sat 7/17 → substitute Mon 7/19.
 * - 광복절 falls on Sun 8/15 → substitute Mon 8/16.
 * - 추석 is 9/15 (Wed): span Tue 9/14 – Thu 9/16, no substitute.
 * - 개천절 falls on Sun 10/3 → Mon 10/4. 한글날 falls on Sat 10/9 → Mon 10/11.
 * - 성탄절 falls on Sat 12/25 → substitute Mon 12/27.
 */
const Y2027: KoreanHoliday[] = [
  { date: '2027-01-01', name: '신정', nameEn: "New Year's Day", kind: 'national' },
  { date: '2027-02-06', name: '설날 전날', nameEn: "Seollal (Lunar New Year's Eve)", kind: 'lunar' },
  { date: '2027-02-07', name: '설날', nameEn: 'Seollal (Lunar New Year)', kind: 'lunar' },
  { date: '2027-02-08', name: '설날 다음날', nameEn: 'Seollal (day after)', kind: 'lunar' },
  { date: '2027-02-09', name: '대체공휴일 (설날)', nameEn: 'Substitute holiday (Seollal)', kind: 'substitute' },
  { date: '2027-03-01', name: '삼일절', nameEn: 'Independence Movement Day', kind: 'national' },
  { date: '2027-05-05', name: '어린이날', nameEn: "Children's Day", kind: 'national' },
  { date: '2027-05-13', name: '부처님오신날', nameEn: "Buddha's Birthday", kind: 'lunar' },
  { date: '2027-06-06', name: '현충일', nameEn: 'Memorial Day', kind: 'national' },
  { date: '2027-07-17', name: '제헌절', nameEn: 'Constitution Day', kind: 'national' },
  { date: '2027-07-19', name: '대체공휴일 (제헌절)', nameEn: 'Substitute holiday (Constitution Day)', kind: 'substitute' },
  { date: '2027-08-15', name: '광복절', nameEn: 'Liberation Day', kind: 'national' },
  { date: '2027-08-16', name: '대체공휴일 (광복절)', nameEn: 'Substitute holiday (Liberation Day)', kind: 'substitute' },
  { date: '2027-09-14', name: '추석 전날', nameEn: 'Chuseok (eve)', kind: 'lunar' },
  { date: '2027-09-15', name: '추석', nameEn: 'Chuseok', kind: 'lunar' },
  { date: '2027-09-16', name: '추석 다음날', nameEn: 'Chuseok (day after)', kind: 'lunar' },
  { date: '2027-10-03', name: '개천절', nameEn: 'National Foundation Day', kind: 'national' },
  { date: '2027-10-04', name: '대체공휴일 (개천절)', nameEn: 'Substitute holiday (National Foundation Day)', kind: 'substitute' },
  { date: '2027-10-09', name: '한글날', nameEn: 'Hangul Day', kind: 'national' },
  { date: '2027-10-11', name: '대체공휴일 (한글날)', nameEn: 'Substitute holiday (Hangul Day)', kind: 'substitute' },
  { date: '2027-12-25', name: '성탄절', nameEn: 'Christmas Day', kind: 'national' },
  { date: '2027-12-27', name: '대체공휴일 (성탄절)', nameEn: 'Substitute holiday (Christmas Day)', kind: 'substitute' },
];

/** Sorted by date; a date appears twice when two holidays coincide (2025-05-05). */
export const KOREAN_PUBLIC_HOLIDAYS: readonly KoreanHoliday[] = Object.freeze([...Y2025, ...Y2026, ...Y2027].map((holiday) => Object.freeze(holiday)));

/** The distinct dates, sorted: what a BusinessCalendar's `holidays` wants. */
export function koreanHolidayDates(holidays: readonly KoreanHoliday[] = KOREAN_PUBLIC_HOLIDAYS): string[] {
  return [...new Set(holidays.map((holiday) => holiday.date))].sort();
}

/** "어린이날·부처님오신날" for a date with two holidays; undefined for an ordinary day. */
export function koreanHolidayName(date: string, holidays: readonly KoreanHoliday[] = KOREAN_PUBLIC_HOLIDAYS): string | undefined {
  const names = holidays.filter((holiday) => holiday.date === date).map((holiday) => holiday.name);
  return names.length > 0 ? names.join('·') : undefined;
}
