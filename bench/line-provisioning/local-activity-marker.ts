/** complete_time of a local activity marker (JSON; a timestamp as an RFC 3339 string or {seconds, nanos}). */
export function localActivityCompleteTime(data: Uint8Array | null | undefined): number | undefined {
  if (!data) return undefined;
  try {
    const marker = JSON.parse(Buffer.from(data).toString('utf8')) as { complete_time?: unknown; completeTime?: unknown };
    const t = marker.complete_time ?? marker.completeTime;
    if (typeof t === 'string') return Date.parse(t);
    if (t && typeof t === 'object' && 'seconds' in t) {
      const { seconds, nanos } = t as { seconds: number | string; nanos?: number };
      return Number(seconds) * 1000 + (nanos ?? 0) / 1e6;
    }
  } catch {
    // Not JSON: no split of that workflow task.
  }
  return undefined;
}
