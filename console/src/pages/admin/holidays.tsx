import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, data } from '../../api/client';
import { columnsOf, DataTable, type Columns } from '../../components/data-table';
import { Field } from '../../components/field';
import { problemsByField } from '../../components/problems';
import { useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan } from '../../me';
import { seoulToday } from '../../seoul';
import { ConfirmButton, LoadError, PageTop, Unplaced } from './parts';
import type { Holiday, HolidayKind } from './types';

const KINDS: readonly HolidayKind[] = ['national', 'lunar', 'substitute', 'election', 'temporary', 'company'];
const FORM_FIELDS = ['params.date', 'name', 'kind'] as const;
const column = columnsOf<Holiday>();

/** The year in the URL (?year=2026), within what the API speaks for; this year in Seoul otherwise. */
function yearOf(params: URLSearchParams): number {
  const asked = Number(params.get('year'));
  if (Number.isInteger(asked) && asked >= 2000 && asked <= 2100) return asked;
  return Number(seoulToday().slice(0, 4));
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m + 1)}-${pad(d)}`;

/** The holiday calendar, a year at a time: twelve month grids with the holidays named, the list, and the admin's form. */
export function HolidaysPage() {
  const { t } = useI18n();
  const { params, set } = useUrlState();
  const year = yearOf(params);
  const can = useCan();
  const canPut = can('putCalendarHolidaysByDate');
  const canDelete = can('deleteCalendarHolidaysByDate');
  // What the form starts from: a day picked in the grid or the list (a holiday's name and kind with it); a new pick starts it afresh.
  const [pick, setPick] = useState({ n: 0, date: '' });
  const [notice, setNotice] = useState('');
  const holidays = useQuery({
    queryKey: ['holidays', year],
    queryFn: () => data(api.GET('/api/v1/calendar/holidays', { params: { query: { year } } })),
  });
  const byDate = useMemo(() => new Map((holidays.data?.items ?? []).map((h) => [h.date, h])), [holidays.data]);
  const goTo = (y: number) => set('year', String(y));
  const onPick = useCallback((date: string) => setPick((p) => ({ n: p.n + 1, date })), []);
  const picked = byDate.get(pick.date);

  return (
    <main>
      <PageTop title={`${t('adm_holidays')} ${year}`}>
        <p>{t('adm_holidaysIntro')}</p>
        <p className="note" role="note">
          {t('adm_appliesLater')}
        </p>
      </PageTop>
      <nav className="year-nav" aria-label={t('adm_year')}>
        <Link to={`?year=${year - 1}`}>{`← ${t('adm_prevYear')} (${year - 1})`}</Link>
        <label>
          {t('adm_year')}
          <select value={year} onChange={(e) => goTo(Number(e.target.value))}>
            {Array.from({ length: 101 }, (_, i) => 2000 + i).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <Link to={`?year=${year + 1}`}>{`${t('adm_nextYear')} (${year + 1}) →`}</Link>
      </nav>
      {notice && (
        <p role="status" className="saved">
          {notice}
        </p>
      )}
      {holidays.isPending && <p>{t('loading')}</p>}
      {holidays.isError && <LoadError error={holidays.error} />}
      {holidays.data && (
        <>
          <section aria-labelledby="year-view-title">
            <h2 id="year-view-title">{t('adm_yearView')}</h2>
            <Legend />
            <div className="year-view">
              {Array.from({ length: 12 }, (_, m) => (
                <MonthGrid key={m} year={year} month={m} byDate={byDate} onPick={canPut ? onPick : undefined} />
              ))}
            </div>
          </section>
          <section aria-labelledby="holiday-list-title">
            <h2 id="holiday-list-title">{t('adm_holidayList')}</h2>
            <HolidayList items={holidays.data.items} canPut={canPut} canDelete={canDelete} onPick={onPick} onNotice={setNotice} />
          </section>
        </>
      )}
      {canPut && (
        <HolidayForm
          key={pick.n}
          initial={{ date: pick.date, name: picked?.name ?? '', kind: picked?.kind ?? 'company' }}
          onDone={(text) => {
            setNotice(text);
            setPick((p) => ({ n: p.n + 1, date: '' }));
          }}
        />
      )}
    </main>
  );
}

function Legend() {
  const { t } = useI18n();
  return (
    <ul className="legend" aria-label={t('adm_legend')}>
      <li>
        <span className="day holiday sample">
          <span className="mark" aria-hidden="true">
            ●
          </span>
          1
        </span>
        {t('adm_legendHoliday')}
      </li>
      <li>
        <span className="day weekend sample">1</span>
        {t('adm_legendWeekend')}
      </li>
    </ul>
  );
}

/** One month as a table: weekdays as column headers (Sunday first, as Korean calendars run); weekends and holidays marked in words too. */
function MonthGrid({ year, month, byDate, onPick }: { year: number; month: number; byDate: Map<string, Holiday>; onPick?: (date: string) => void }) {
  const { t, locale } = useI18n();
  const monthName = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(year, month, 1));
  // 2023-01-01 was a Sunday: the weekday names from Sunday on.
  const weekdays = Array.from({ length: 7 }, (_, i) => ({
    short: new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2023, 0, 1 + i)),
    long: new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2023, 0, 1 + i)),
  }));
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const cells: Array<number | null> = [...Array<null>(first).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const full = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' });
  return (
    <table className="month" data-month={month + 1}>
      <caption>{monthName}</caption>
      <thead>
        <tr>
          {weekdays.map((w, i) => (
            <th key={i} scope="col" className={i === 0 || i === 6 ? 'weekend' : undefined}>
              <abbr title={w.long}>{w.short}</abbr>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week, w) => (
          <tr key={w}>
            {week.map((day, i) => {
              if (day === null) return <td key={i} className="empty" />;
              const date = isoDate(year, month, day);
              const holiday = byDate.get(date);
              const weekend = i === 0 || i === 6;
              const kinds = [weekend ? t('adm_weekend') : null, holiday ? `${t('adm_holiday')}: ${holiday.name}` : null].filter(Boolean).join(', ');
              const label = `${full.format(Date.UTC(year, month, day))}${kinds ? ` (${kinds})` : ''}`;
              return (
                <td key={i} className={['day', weekend ? 'weekend' : '', holiday ? 'holiday' : ''].join(' ').trim()} data-date={date}>
                  {onPick ? (
                    <button type="button" className="day-pick" onClick={() => onPick(date)}>
                      {holiday && (
                        <span className="mark" aria-hidden="true">
                          ●
                        </span>
                      )}
                      {day}
                      <span className="admin-sr-only">{` ${label} — ${t('adm_pickDay')}`}</span>
                    </button>
                  ) : (
                    <>
                      <span aria-hidden="true">
                        {holiday && <span className="mark">●</span>}
                        {day}
                      </span>
                      <span className="admin-sr-only">{label}</span>
                    </>
                  )}
                  {holiday && (
                    <span className="holiday-name" aria-hidden="true">
                      {holiday.name}
                    </span>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function HolidayList({
  items,
  canPut,
  canDelete,
  onPick,
  onNotice,
}: {
  items: Holiday[];
  canPut: boolean;
  canDelete: boolean;
  onPick: (date: string) => void;
  onNotice: (text: string) => void;
}) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: (date: string) => data(api.DELETE('/api/v1/calendar/holidays/{date}', { params: { path: { date } } })),
    onSuccess: (_r, date) => onNotice(`${t('adm_holidayRemoved')}: ${date}`),
    onSettled: () => queries.invalidateQueries({ queryKey: ['holidays'] }),
  });
  const columns = useMemo<Columns<Holiday>>(
    () => [
      column.accessor('date', { header: t('adm_colDate') }),
      column.accessor('name', { header: t('adm_colName') }),
      column.accessor('kind', { header: t('adm_colKind'), cell: ({ row }) => t(`adm_kind_${row.original.kind}` as MessageKey) }),
      column.accessor('source', { header: t('adm_colSource'), cell: ({ row }) => t(`adm_source_${row.original.source}` as MessageKey) }),
      column.accessor('updatedBy', { header: t('adm_colUpdatedBy'), cell: ({ row }) => row.original.updatedBy ?? '—' }),
      ...(canPut || canDelete
        ? [
            column.display({
              id: 'actions',
              header: t('adm_colActions'),
              cell: ({ row }) => (
                <span className="row-actions">
                  {canPut && (
                    <button type="button" aria-label={`${t('adm_edit')}: ${row.original.date} ${row.original.name}`} onClick={() => onPick(row.original.date)}>
                      {t('adm_edit')}
                    </button>
                  )}
                  {canDelete && (
                    <ConfirmButton
                      action={t('adm_delete')}
                      confirm={t('adm_confirmYes')}
                      question={t('adm_confirmDelete')}
                      label={`${row.original.date} ${row.original.name}`}
                      busy={remove.isPending}
                      onConfirm={() => remove.mutate(row.original.date)}
                    />
                  )}
                </span>
              ),
            }),
          ]
        : []),
    ],
    [t, canPut, canDelete, onPick, remove],
  );
  return (
    <>
      {remove.isError && <p role="alert">{`${t('loadFailed')}: ${remove.error.message}`}</p>}
      {items.length === 0 ? <p>{t('adm_noHolidays')}</p> : <DataTable className="admin-table holidays" rows={items} columns={columns} rowId={(h) => h.date} />}
    </>
  );
}

/** Add or correct: the date picked in the grid or the list lands here; the API's complaint beside its field. */
function HolidayForm({ initial, onDone }: { initial: { date: string; name: string; kind: HolidayKind }; onDone: (text: string) => void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [date, setDate] = useState(initial.date);
  const [name, setName] = useState(initial.name);
  const [kind, setKind] = useState<HolidayKind>(initial.kind);
  const [missingDate, setMissingDate] = useState(false);
  const save = useMutation({
    mutationFn: () => data(api.PUT('/api/v1/calendar/holidays/{date}', { params: { path: { date } }, body: { name, kind } })),
    onSuccess: (h) => onDone(`${t('adm_holidayAdded')}: ${h.date} ${h.name}`),
    onSettled: () => queries.invalidateQueries({ queryKey: ['holidays'] }),
  });
  const problems = problemsByField(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The date is the address of the holiday: without one there is nothing to send.
    setMissingDate(!date);
    if (date) save.mutate();
  };
  return (
    <section aria-labelledby="holiday-form-title" className="panel">
      <h2 id="holiday-form-title">{t('adm_holidayForm')}</h2>
      <p className="hint">{t('adm_holidayFormHint')}</p>
      <form className="admin-form" onSubmit={submit} noValidate>
        <Unplaced problems={problems} fields={FORM_FIELDS} error={save.error} />
        <Field label={t('adm_fieldDate')} error={missingDate ? t('adm_dateRequired') : problems.get('params.date')}>
          <input name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </Field>
        <Field label={t('adm_fieldName')} error={problems.get('name')}>
          <input name="name" type="text" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('adm_fieldKind')} error={problems.get('kind')}>
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as HolidayKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`adm_kind_${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit" disabled={save.isPending}>
            {t('adm_save')}
          </button>
        </div>
      </form>
    </section>
  );
}
