import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { session } from './session';

/** One message of GET /api/v1/events: which read-model row changed. */
interface ReadModelEvent {
  kind: string;
  id: string;
  status: string;
  version: number;
}

/**
 * What a change of each kind makes stale: the lists that show rows of that kind (query keys by
 * prefix) and the row's own page (`[key, id]`). The query keys are the pages' own names.
 */
const STALE: Record<string, { lists: string[]; page: string }> = {
  // The KPIs are computed from incidents.
  incident: { lists: ['incidents', 'incident-count', 'kpis'], page: 'incident' },
  // A batch page shows its lines' statuses, so a line's change refreshes it too.
  line: { lists: ['lines', 'line-batch', 'line-settlement'], page: 'line' },
  'line-batch': { lists: ['line-batch'], page: 'line-batch' },
  // The lists and the calendar.
  change: { lists: ['changes'], page: 'change' },
  inspection: { lists: ['inspections'], page: 'inspection' },
  qsr: { lists: ['qsrs'], page: 'qsr' },
  // A bill's page also holds its findings (['bill', id, 'findings']), refreshed with it.
  bill: { lists: ['bills'], page: 'bill' },
};

/** Invalidates what changes make stale; a burst (a batch of lines, a busy hour) is gathered for half a second and read once. */
function refresher(queries: QueryClient): (event: ReadModelEvent) => void {
  const changed = new Map<string, Set<string>>();
  let timer: number | undefined;
  const flush = () => {
    timer = undefined;
    const lists = new Set<string>();
    for (const [kind, ids] of changed) {
      const stale = STALE[kind]!;
      stale.lists.forEach((l) => lists.add(l));
      for (const id of ids) void queries.invalidateQueries({ queryKey: [stale.page, id] });
    }
    for (const list of lists) void queries.invalidateQueries({ queryKey: [list] });
    changed.clear();
  };
  return (event) => {
    if (!STALE[event.kind]) return;
    changed.set(event.kind, (changed.get(event.kind) ?? new Set()).add(event.id));
    timer ??= window.setTimeout(flush, 500);
  };
}

/**
 * Keeps the pages live: the server's event stream (read with fetch, since EventSource cannot send
 * the bearer token) invalidates what a change makes stale, so a breach or someone else's transition
 * shows without a reload. A dropped stream is opened again after a pause.
 */
export function useLiveEvents(): void {
  const queries = useQueryClient();
  useEffect(() => {
    const controller = new AbortController();
    const refresh = refresher(queries);
    let stopped = false;

    async function stream(): Promise<void> {
      const token = session.token();
      if (!token) return;
      const res = await fetch('/api/v1/events', { headers: { Authorization: `Bearer ${token}` }, signal: controller.signal });
      if (res.status === 401) {
        // Retrying a token the server no longer takes would go on forever.
        stopped = true;
        session.expired();
        return;
      }
      if (!res.ok || !res.body) throw new Error(`event stream: ${res.status}`);
      // What changed while the stream was down is read anew.
      void queries.invalidateQueries();
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = /^data: (.+)$/m.exec(buffer.slice(0, end))?.[1];
          buffer = buffer.slice(end + 2);
          if (data) refresh(JSON.parse(data) as ReadModelEvent);
        }
      }
    }

    void (async () => {
      while (!stopped) {
        await stream().catch(() => undefined);
        if (!stopped) await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    return () => {
      stopped = true;
      controller.abort();
    };
  }, [queries]);
}
