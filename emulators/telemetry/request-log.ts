/**
 * What reached the TELEMETRY SIMULATOR's /v1 routes, in order, so a test can
 * prove which devices a collector asked for, how often, and which faults fired.
 */

export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  center?: string;
  deviceIds: string[];
  /** Final status; absent while in flight, for a hang, or when the client gave up first. */
  status?: number;
  /** Kinds of the fault rules that fired, in order. */
  faults: Array<'error' | 'latency' | 'hang'>;
}

export interface RequestLog {
  start(entry: Omit<LoggedRequest, 'seq' | 'at' | 'faults'>): LoggedRequest;
  list(filter?: { path?: string; deviceId?: string }): LoggedRequest[];
  clear(): void;
}

export function createRequestLog(limit = 10_000): RequestLog {
  let entries: LoggedRequest[] = [];
  let seq = 0;
  return {
    start(entry) {
      const logged: LoggedRequest = { ...entry, seq: ++seq, at: new Date().toISOString(), faults: [] };
      entries.push(logged);
      if (entries.length > limit) entries = entries.slice(-limit);
      return logged;
    },
    list: (filter = {}) =>
      structuredClone(entries.filter((e) => (!filter.path || e.path.startsWith(filter.path)) && (!filter.deviceId || e.deviceIds.includes(filter.deviceId)))),
    clear() {
      entries = [];
    },
  };
}
