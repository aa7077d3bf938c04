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
};

/** A comment line now and then keeps proxies and the browser from taking a quiet stream for a dead one. */
const HEARTBEAT_MS = 15_000;

export function eventRoutes({ events }: { events: ReadModelEvents }): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/events',
      summary:
        'Server-sent events: each change of an incident, line, batch, change, inspection or QSR as it is written ({kind, id, status, version}), ' +
        'only the kinds the role may read. Read the row itself through its GET route.',
      tag: 'session',
      roles: ALL_ROLES,
      success: { status: 200, contentType: 'text/event-stream', description: 'an endless stream of `event: <kind>` / `data: {json}` messages' },
      handle: async ({ actor, req, res }) => {
        const role = actor.role as Role;
        let stop: (() => void) | undefined;
        try {
          stop = await events.subscribe((event) => {
            if (!READERS[event.kind].includes(role)) return;
            res.write(`event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
          });
        } catch (err) {
          throw unavailable('the event stream cannot listen to the database now; retry', err);
        }
        res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
        res.flushHeaders();
        // The browser's EventSource waits this long before it reconnects.
        res.write('retry: 2000\n\n');
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        await new Promise<void>((resolve) => req.on('close', resolve));
        clearInterval(heartbeat);
        stop();
      },
    }),
  ];
}
