import { paymentReminderPlan, remindersToSend } from '../../../domain/billing/lifecycle';

test('payment reminders fall at 09:00 Seoul seven days and one day before the due date, and the day after it', () => {
  expect(paymentReminderPlan('2026-11-25')).toEqual([
    { kind: 'D-7', at: '2026-11-18T00:00:00.000Z' },
    { kind: 'D-1', at: '2026-11-24T00:00:00.000Z' },
    { kind: 'overdue', at: '2026-11-26T00:00:00.000Z' },
  ]);
  // Across a month's end and a year's.
  expect(paymentReminderPlan('2027-01-03').map((r) => r.at)).toEqual(['2026-12-27T00:00:00.000Z', '2027-01-02T00:00:00.000Z', '2027-01-04T00:00:00.000Z']);
});

test('a bill taken in late gets only the latest reminder already due, at once, then the rest', () => {
  const plan = (nowIso: string) => remindersToSend('2026-11-25', Date.parse(nowIso)).map((r) => r.kind);
  expect(plan('2026-11-01T00:00:00Z')).toEqual(['D-7', 'D-1', 'overdue']);
  expect(plan('2026-11-20T00:00:00Z')).toEqual(['D-7', 'D-1', 'overdue']);
  expect(plan('2026-11-24T03:00:00Z')).toEqual(['D-1', 'overdue']);
  expect(plan('2026-12-01T00:00:00Z')).toEqual(['overdue']);
});
