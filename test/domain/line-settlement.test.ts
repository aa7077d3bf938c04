import { addMonths, monthsStarted, settle } from '../../domain/line/settlement';

const contract = { monthlyFee: 33_000, termMonths: 36, signedAt: '2025-03-15' };

describe('early-termination settlement', () => {
  test('months left in the term, a started month counting whole, × fee × 30 %, rounded down to 10 KRW', () => {
    // Term ends 2028-03-15. From 2026-11-23: 15 whole months reach 2028-02-23, and a 16th is started.
    const s = settle(contract, '2026-11-23');
    expect(s.termEndDate).toBe('2028-03-15');
    expect(s.remainingMonths).toBe(16);
    expect(s.earlyTerminationFee).toBe(Math.floor((33_000 * 16 * 0.3) / 10) * 10); // 158,400
    expect(s.earlyTerminationFee).toBe(158_400);
  });

  test('rounding down to 10 KRW', () => {
    expect(settle({ monthlyFee: 12_345, termMonths: 12, signedAt: '2026-01-01' }, '2026-12-01').earlyTerminationFee).toBe(3_700); // 3,703.5
  });

  test('on or after the end of the term there is no fee', () => {
    expect(settle(contract, '2028-03-15')).toMatchObject({ remainingMonths: 0, earlyTerminationFee: 0 });
    expect(settle(contract, '2029-01-01').earlyTerminationFee).toBe(0);
  });

  test('the day before the end of the term is one started month', () => {
    expect(settle(contract, '2028-03-14')).toMatchObject({ remainingMonths: 1, earlyTerminationFee: 9_900 });
  });

  test('no contract: nothing to settle', () => {
    expect(settle(undefined, '2026-11-23')).toMatchObject({ termEndDate: null, earlyTerminationFee: 0 });
  });

  test('the rate is a parameter', () => {
    expect(settle(contract, '2028-02-15', 1).earlyTerminationFee).toBe(33_000);
  });
});

describe('calendar months', () => {
  test.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-05-10', -5, '2025-12-10'],
    ['2025-03-15', 36, '2028-03-15'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });

  test('months started between two dates', () => {
    expect(monthsStarted('2026-01-15', '2026-01-15')).toBe(0);
    expect(monthsStarted('2026-01-15', '2026-01-16')).toBe(1);
    expect(monthsStarted('2026-01-15', '2026-02-15')).toBe(1);
    expect(monthsStarted('2026-01-15', '2026-02-16')).toBe(2);
  });
});
