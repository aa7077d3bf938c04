import type { Role } from '../domain/actor';
import { unavailable } from './temporal-calls';
import { ALL_ROLES, route, type AnyRoute } from './route';
import type { ReadModelEvent, ReadModelEvents } from './read-model-events';

/** Who may read each kind: the roles of its GET routes (every role reads them today). */
const READERS: Record<ReadModelEvent['kind'], readonly Role[]> = {
  incident: ALL_ROLES,
  line: ALL_ROLES,
  'line-batch': ALL_ROLES,
  change: ALL_ROLES,
  inspection: ALL_ROLES,
  qsr: ALL_ROLES,
  bill: ALL_ROLES,
};

/** A comment line now and then keeps proxies and the browser from taking a quiet stream for a dead one. */
const HEARTBEAT_MS = 15_000;
/** A stream is authorized when it opens; ending it now and then makes the browser reconnect, and its token is checked again. */
const STREAM_LIFETIME_MS = 10 * 60_000;

export function eventRoutes({ events }: { events: ReadModelEvents }): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/events',
      summary:
        'Server-sent events: each change of an incident, line, batch, change, inspection or QSR as it is written ({kind, id, status, version}), ' +
        'only the kinds the role may read. Read the row itself through its GET route. A stream ends after 10 minutes (or when the server ' +
        'loses its database listener): reconnect, and read anew what you show.',
      tag: 'session',
      roles: ALL_ROLES,
      success: { status: 200, contentType: 'text/event-stream', description: 'a stream of `event: <kind>` / `data: {json}` messages' },
      handle: async ({ actor, res }) => {
        const role = actor.role as Role;
        // Listened for before anything is awaited: a browser gone during the set-up is not left subscribed.
        let ended = false;
        let finish = () => {};
        const done = new Promise<void>((resolve) => (finish = resolve));
        const end = () => {
          ended = true;
          finish();
        };
        res.once('close', end);
        let open = false;
        let stop: (() => void) | undefined;
        try {
          stop = await events.subscribe({
            event: (event) => {
              if (open && READERS[event.kind].includes(role)) res.write(`event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
            },
            lost: end,
          });
        } catch (err) {
          res.off('close', end);
          throw unavailable('the event stream cannot listen to the database now; retry', err);
        }
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        const lifetime = setTimeout(end, STREAM_LIFETIME_MS);
        try {
          if (ended) return;
          res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
          res.flushHeaders();
          open = true;
          // The browser's EventSource waits this long before it reconnects.
          res.write('retry: 2000\n\n');
          await done;
        } finally {
          clearInterval(heartbeat);
          clearTimeout(lifetime);
          stop();
          if (!res.writableEnded) res.end();
        }
      },
    }),
  ];
}
