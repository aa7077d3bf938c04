import type { CallRecord, PbxClient } from './pbx-client';
import type { KamailioContext } from './kamailio-context';

/**
 * Call records: Kamailio's acc module writes one acc_cdrs row per answered call (cdr_enable, with
 * the dialog module), with the trunk, caller, callee and Call-ID Butler's configuration adds
 * (cdr_extra). Its timestamps have no zone: Butler's Kamailio runs with TZ=UTC, so they are UTC (an
 * external Kamailio must run so too). Calls that overlap [from, to) are returned: the start_time
 * index narrows them, and a call up at midnight belongs to both days.
 * A PBX without the table (acc not loaded) has no records to give.
 */
export function kamailioCallRecords(ctx: KamailioContext): Pick<PbxClient, 'callRecords'> {
  return {
    callRecords: ({ from, to }) =>
      ctx.run(async (pool) => {
        const exists = await pool.query<{ t: string | null }>(`SELECT to_regclass('acc_cdrs')::text AS t`);
        if (!exists.rows[0]?.t) return [];
        const { rows } = await pool.query<{
          call_id: string;
          started_at: Date;
          ended_at: Date;
          duration: number;
          caller: string;
          callee: string;
          trunk: string;
        }>(
          `SELECT call_id, start_time AT TIME ZONE 'UTC' AS started_at, end_time AT TIME ZONE 'UTC' AS ended_at, duration, caller, callee, trunk
             FROM acc_cdrs
            WHERE start_time < ($2::timestamptz AT TIME ZONE 'UTC') AND end_time >= ($1::timestamptz AT TIME ZONE 'UTC')
            ORDER BY start_time, id`,
          [from, to],
        );
        return rows.map((r): CallRecord => ({
          callId: r.call_id,
          startedAt: r.started_at.toISOString(),
          endedAt: r.ended_at.toISOString(),
          durationSeconds: Number(r.duration),
          caller: r.caller,
          callee: r.callee,
          trunk: r.trunk,
        }));
      }),
  };
}
