import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, data } from '../../api/client';
import { useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import { StatusBadge, useLabels } from './parts';
import { addDays, addMonths, daysOf, isMonth, seoulMonth, startOfSeoulDay } from '../../seoul';
import type { ChangeList } from './types';

type Row = ChangeList['items'][number];
const PAGE = 200;

/** Every change whose window overlaps the month (in Asia/Seoul), earliest window first, read page by page. */
async function windowsOf(month: string): Promise<Row[]> {
  const from = startOfSeoulDay(`${month}-01`);
  const to = startOfSeoulDay(`${addMonths(month, 1)}-01`);
  const rows: Row[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await data(api.GET('/api/v1/changes', { params: { query: { from, to, sort: 'window', limit: PAGE, offset } } }));
    rows.push(...page.items);
    if (page.items.length < PAGE || rows.length >= page.total) return rows;
  }
}

/** The weeks of a month, Sunday first, each day as YYYY-MM-DD (null outside the month). */
function weeksOf(month: string): Array<Array<string | null>> {
  const first = `${month}-01`;
  const lead = new Date(`${first}T00:00:00Z`).getUTCDay();
  const weeks: Array<Array<string | null>> = [];
  let week: Array<string | null> = Array<string | null>(lead).fill(null);
  for (let day = first; day.startsWith(month); day = addDays(day, 1)) {
    week.push(day);
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length) weeks.push([...week, ...Array<string | null>(7 - week.length).fill(null)]);
  return weeks;
}

/** /changes/calendar?month=YYYY-MM: the month's change windows on their days in Asia/Seoul, each linked to its change. */
export function ChangeCalendarPage() {
  const { t, locale } = useI18n();
  const labels = useLabels();
  const { params, set } = useUrlState();
  const asked = params.get('month');
  const month = isMonth(asked) ? asked : seoulMonth(Date.now());
  const windows = useQuery({
    queryKey: ['changes', 'calendar', month],
    queryFn: () => windowsOf(month),
    // The event stream refreshes on change (live.ts); this only catches what it missed.
    refetchInterval: 60_000,
  });

  const byDay = new Map<string, Row[]>();
  for (const c of windows.data ?? []) for (const day of daysOf(c.window)) byDay.set(day, [...(byDay.get(day) ?? []), c]);

  const monthTitle = new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Seoul', year: 'numeric', month: 'long' }).format(
    new Date(startOfSeoulDay(`${month}-01`)),
  );
  // 2026-11-01 was a Sunday: the weekday names from it, in the page's language.
  const weekdays = Array.from({ length: 7 }, (_, n) =>
    new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' }).format(new Date(Date.UTC(2026, 10, 1 + n))),
  );
  const time = new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Seoul', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const go = (to: string) => set('month', to);

  return (
    <main>
      <p>
        <Link to="/changes">{`← ${t('navTitle_changes')}`}</Link>
      </p>
      <h1>{`${t('changeCalendar')} · ${monthTitle}`}</h1>
      <nav className="month-nav" aria-label={t('changeMonthNav')}>
        <button type="button" onClick={() => go(addMonths(month, -1))}>
          {`← ${t('changePrevMonth')}`}
        </button>
        <button type="button" onClick={() => go(seoulMonth(Date.now()))}>
          {t('changeThisMonth')}
        </button>
        <button type="button" onClick={() => go(addMonths(month, 1))}>
          {`${t('changeNextMonth')} →`}
        </button>
      </nav>
      {windows.isError && <p role="alert">{`${t('loadFailed')}: ${windows.error.message}`}</p>}
      {windows.isPending && <p>{t('loading')}</p>}
      <p className="meta">{t('changeCalendarZone')}</p>
      <table className="change-calendar" aria-busy={windows.isPending}>
        <caption>{monthTitle}</caption>
        <thead>
          <tr>
            {weekdays.map((w) => (
              <th key={w} scope="col">
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeksOf(month).map((week) => (
            <tr key={week.find((d) => d) ?? ''}>
              {week.map((day, n) =>
                day ? (
                  <td key={day} data-day={day}>
                    <span className="day-number">{Number(day.slice(8))}</span>
                    {(byDay.get(day) ?? []).length > 0 && (
                      <ul>
                        {byDay.get(day)!.map((c) => (
                          <li key={c.id}>
                            <Link to={`/changes/${c.id}`}>
                              <span className="change-window-time">{`${time.format(new Date(c.window.start))}–${time.format(new Date(c.window.end))}`}</span>{' '}
                              {`${c.id} ${labels.type(c.type)} · ${c.target}`}
                            </Link>{' '}
                            <StatusBadge status={c.status} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                ) : (
                  <td key={`empty-${n}`} className="outside" />
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
