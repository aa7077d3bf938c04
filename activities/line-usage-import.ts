import type { Pool } from 'pg';
import type { CtiClient } from '../adapters/cti/cti-client';
import { SEOUL_TIME_ZONE } from '../domain/calendar/seoul';
import type { DataSource } from '../domain/data-source';
import { mergeLineUsage } from '../domain/line/line-usage-merge';
import { lineDailyUsage, type AnsweredCall } from '../domain/line/trunk-usage';
import { ctiDuring, usageOriginOn } from '../domain/line/usage-sources';
import { lineUsageSourceVersions } from '../db/line-usage-sources.repo';
import { agentLineSpans } from '../db/lines.repo';
import { replaceLineUsage } from '../db/trunk-usage.repo';

/**
 * Each line's usage over Seoul days [fromDate, toDate), stored for GET /api/v1/lines/usage, the
 * savings proposals and the reports: from the PBX's call records, and on the days a center's usage
 * came from the CTI (line-usage-sources, the version in force that day), from its lines' agents'
 * talk in the CTI's call statistics (domain/line/line-usage-merge.ts). The one place both the
 * monthly inspection and the QSR take line usage from. The CTI is asked only when some center was
 * the CTI's, and before anything is written: a CTI that does not answer leaves the stored days as
 * they were.
 */
export async function importLineUsage(
  deps: { pool: Pool; cti: CtiClient; pbxSource: DataSource; ctiSource: DataSource },
  span: { fromDate: string; toDate: string },
  pbxRecords: readonly AnsweredCall[],
): Promise<{ pbxDays: number; ctiDays: number }> {
  const versions = await lineUsageSourceVersions(deps.pool);
  const [agentLines, agentDays] = ctiDuring(versions, span.fromDate, span.toDate)
    ? await Promise.all([agentLineSpans(deps.pool), deps.cti.agentTalk({ from: span.fromDate, to: span.toDate, timeZone: SEOUL_TIME_ZONE })])
    : [[], []];
  const days = mergeLineUsage({
    pbxDays: lineDailyUsage(pbxRecords),
    agentDays,
    agentLines,
    originOn: (center, date) => usageOriginOn(versions, center, date),
  });
  await replaceLineUsage(
    deps.pool,
    span.fromDate,
    span.toDate,
    days.map((d) => ({ ...d, source: d.origin === 'cti' ? deps.ctiSource : deps.pbxSource })),
  );
  const inSpan = days.filter((d) => d.date >= span.fromDate && d.date < span.toDate);
  return { pbxDays: inSpan.filter((d) => d.origin === 'pbx').length, ctiDays: inSpan.filter((d) => d.origin === 'cti').length };
}
