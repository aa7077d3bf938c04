import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, data } from '../../api/client';
import { everyOf, type IncidentQuery, type IncidentRow, type Me } from '../../api/types';
import { Pager, Select, TextFilter } from '../../components/filters';
import { offsetOf, useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan, useMe } from '../../me';
import { useNow } from '../../time';
import { statusLabel } from './labels';
import { QueueTable } from './queue-table';

/** The queue's views, each a query of GET /api/v1/incidents. */
const VIEWS = ['mine', 'unassigned', 'open', 'breached', 'all'] as const;
type View = (typeof VIEWS)[number];
const PAGE = 50;
const SEVERITIES = everyOf<IncidentRow['severity']>()(['P1', 'P2', 'P3', 'P4']);
const SYSTEMS = everyOf<IncidentRow['system']>()(['PBX', 'CTI', 'IVR', 'REC', 'ERS', 'NET', 'OTHER']);
const STATUSES = everyOf<IncidentRow['status']>()(['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'PENDING', 'RESOLVED', 'CLOSED', 'CANCELLED']);

function queryOf(view: View, me: Me | undefined, params: URLSearchParams): IncidentQuery {
  // The URL is typed by people too: what the API would refuse (a negative offset, a blank search) is dropped here.
  const offset = offsetOf(params);
  const filters: IncidentQuery = { sort: view === 'all' ? 'opened' : 'restoreDue', limit: PAGE, offset };
  const severity = params.get('severity');
  const system = params.get('system');
  const status = params.get('status');
  const center = params.get('center')?.trim().slice(0, 100);
  const q = params.get('q')?.trim().slice(0, 200);
  if (severity && (SEVERITIES as readonly string[]).includes(severity)) filters.severity = severity as IncidentQuery['severity'];
  if (system && (SYSTEMS as readonly string[]).includes(system)) filters.system = system as IncidentQuery['system'];
  if (status && (STATUSES as readonly string[]).includes(status)) filters.status = status as IncidentQuery['status'];
  if (center) filters.center = center;
  if (q) filters.q = q;
  if (view !== 'all') filters.open = 'true';
  if (view === 'mine' && me) filters.assignee = me.id;
  if (view === 'unassigned') filters.assignee = '-';
  if (view === 'breached') filters.breached = 'true';
  return filters;
}

/** The home page: open incidents by time to restore-breach, countdowns ticking in the browser; filters live in the URL. */
export function QueuePage() {
  const { t } = useI18n();
  const { params, get, set, setOffset } = useUrlState();
  const me = useMe().data;
  const now = useNow();
  const view: View = (VIEWS as readonly string[]).includes(get('view')) ? (get('view') as View) : 'open';
  const query = queryOf(view, me, params);
  const list = useQuery({
    queryKey: ['incidents', query],
    queryFn: () => data(api.GET('/api/v1/incidents', { params: { query } })),
    enabled: view !== 'mine' || me !== undefined,
    placeholderData: keepPreviousData,
    // The event stream refreshes on change (live.ts); this only catches what it missed.
    refetchInterval: 60_000,
  });
  const breachedCount = useIncidentCount({ open: 'true', breached: 'true' });
  const openP1 = useIncidentCount({ open: 'true', severity: 'P1' });
  // Counted by the server over every open incident, not just this page: due within the next 30 minutes, not yet breached.
  const minute = Math.floor(now / 60_000) * 60_000;
  const atRisk = useIncidentCount({
    open: 'true',
    restoreDueAfter: new Date(minute).toISOString(),
    restoreDueBefore: new Date(minute + 30 * 60_000).toISOString(),
  });
  // To the minute, so the tile's query is not a new one every second.
  const dayAgo = new Date(minute - 24 * 3600_000).toISOString();
  const stale = useIncidentCount({ open: 'true', updatedBefore: dayAgo });

  const can = useCan();
  const canAssign = can('postIncidentsByIdAssign');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // A selection is of rows on screen: another view, filter or page starts a new one.
  const queryKey = JSON.stringify(query);
  useEffect(() => setSelected(new Set()), [queryKey]);
  const onSelect = useCallback(
    (ids: string[], on: boolean) =>
      setSelected((current) => {
        const next = new Set(current);
        for (const id of ids)
          if (on) next.add(id);
          else next.delete(id);
        return next;
      }),
    [],
  );

  return (
    <main>
      <div className="page-head">
        <h1>{t('navQueue')}</h1>
        {can('postIncidents') && (
          <Link className="button" to="/incidents/new">
            {t('newIncident')}
          </Link>
        )}
      </div>
      <section className="tiles" aria-label={t('navQueue')}>
        <Tile label={t('tileBreached')} value={breachedCount} tone="breached" />
        <Tile label={t('tileAtRisk')} value={atRisk} tone="critical" />
        <Tile label={t('tileOpenP1')} value={openP1} tone="soon" />
        <Tile label={t('tileStale')} value={stale} tone="stale" />
      </section>
      <nav className="views" aria-label={t('filterStatus')}>
        {VIEWS.map((v) => (
          <button key={v} type="button" aria-pressed={v === view} onClick={() => set('view', v === 'open' ? '' : v)}>
            {t(`view_${v}` as MessageKey)}
          </button>
        ))}
      </nav>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Select label={t('filterSeverity')} value={get('severity')} options={SEVERITIES} onChange={(v) => set('severity', v)} any={t('any')} />
        <Select label={t('filterSystem')} value={get('system')} options={SYSTEMS} onChange={(v) => set('system', v)} any={t('any')} />
        <Select
          label={t('filterStatus')}
          value={get('status')}
          options={STATUSES}
          onChange={(v) => set('status', v)}
          any={t('any')}
          labelOf={(s) => t(statusLabel(s as IncidentRow['status']))}
        />
        <TextFilter label={t('filterCenter')} value={get('center')} onChange={(v) => set('center', v, { replace: true })} />
        <TextFilter label={t('filterText')} type="search" value={get('q')} onChange={(v) => set('q', v, { replace: true })} />
      </form>
      {list.isError && <p role="alert">{`${t('loadFailed')}: ${(list.error as Error).message}`}</p>}
      {list.data && (
        <>
          <p className="meta">{`${t('total')} ${list.data.total}${t('cases')}`}</p>
          {canAssign && selected.size > 0 && <BulkAssign ids={[...selected]} me={me} onDone={() => setSelected(new Set())} />}
          {list.data.items.length === 0 ? (
            <p>{t('noIncidents')}</p>
          ) : (
            <QueueTable rows={list.data.items} me={me} canAssign={canAssign} selected={selected} onSelect={onSelect} />
          )}
          <Pager total={list.data.total} offset={query.offset ?? 0} page={PAGE} onOffset={setOffset} />
        </>
      )}
      {list.isPending && <p>{t('loading')}</p>}
    </main>
  );
}

/** How many incidents a query matches (a tile). */
function useIncidentCount(query: IncidentQuery): number | undefined {
  return useQuery({
    queryKey: ['incident-count', query],
    queryFn: async () => (await data(api.GET('/api/v1/incidents', { params: { query: { ...query, limit: 1 } } }))).total,
    // The event stream refreshes on change (live.ts); this only catches what it missed.
    refetchInterval: 60_000,
  }).data;
}

function Tile({ label, value, tone }: { label: string; value: number | undefined; tone: string }) {
  return (
    <div className={`tile ${tone}`}>
      <span className="tile-value">{value ?? '…'}</span>
      <span className="tile-label">{label}</span>
    </div>
  );
}

/**
 * Assigns every selected incident to one person: one call per incident (each is its own workflow
 * Update), so one refused (closed meanwhile) does not stop the others; the tally says which.
 */
function BulkAssign({ ids, me, onDone }: { ids: string[]; me: Me | undefined; onDone: () => void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [assignee, setAssignee] = useState(me?.id ?? '');
  const run = useMutation({
    mutationFn: async () => {
      const results = await Promise.allSettled(
        ids.map((id) => data(api.POST('/api/v1/incidents/{id}/assign', { params: { path: { id } }, body: { assignee: assignee.trim() } }))),
      );
      const failed = results.flatMap((r, n) => (r.status === 'rejected' ? [`${ids[n]}: ${(r.reason as Error).message}`] : []));
      return { done: results.length - failed.length, failed };
    },
    onSuccess: async ({ failed }) => {
      await queries.invalidateQueries({ queryKey: ['incidents'] });
      if (failed.length === 0) onDone();
    },
  });
  return (
    <form
      className="inline-form bulk"
      aria-label={t('bulkAssign')}
      onSubmit={(e) => {
        e.preventDefault();
        run.mutate();
      }}
    >
      <span>{`${ids.length}${t('selected')}`}</span>
      <label>
        {t('bulkAssignee')}
        <input value={assignee} onChange={(e) => setAssignee(e.target.value)} />
      </label>
      <button type="submit" disabled={run.isPending || !assignee.trim()}>
        {t('bulkAssign')}
      </button>
      {run.data && (
        <span role="status">
          {`${run.data.done}${t('bulkDone')}`}
          {run.data.failed.length > 0 && ` · ${run.data.failed.length}${t('bulkFailed')}: ${run.data.failed.join('; ')}`}
        </span>
      )}
    </form>
  );
}
