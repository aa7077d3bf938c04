import type { Rca, TimelineEvent, TimelineEventType } from '../domain/incident/contracts';
import type { IncidentView } from '../domain/incident/view';
import type { EmergencyChangeEntry } from '../domain/change/emergency';
import { label, type ReportLocale } from './helpers';
import { emergencySection } from './report-parts';
import type { ReportInput } from './render-report';

/**
 * The incident report (장애 보고서) as report data: a pure function of the
 * incident view (SLA clocks computed "as of" by the caller) and its RCA, so the
 * stored input re-renders to the same PDF. Numbers and dates stay raw here; the
 * template formats them in the report's locale.
 */

export interface IncidentReportData {
  /** Built with `incidentView(state, now, { explain: true })`: the report prints the explanation. */
  incident: IncidentView;
  rca: Rca | null;
  /** Emergency changes applied while the incident was open (absent in inputs built before they were reported). */
  emergencyChanges?: EmergencyChangeEntry[];
}

type ClockView = IncidentView['sla']['response'];

const EVENT_LABELS: Record<TimelineEventType, string> = {
  opened: 'evOpened',
  assigned: 'evAssigned',
  started: 'evStarted',
  pended: 'evPended',
  resumed: 'evResumed',
  resolved: 'evResolved',
  reopened: 'evReopened',
  closed: 'evClosed',
  cancelled: 'evCancelled',
  escalated: 'evEscalated',
  note: 'evNote',
  'sla-warning': 'evSlaWarning',
  'sla-breached': 'evSlaBreached',
  'status-report': 'evStatusReport',
  'rca-recorded': 'evRcaRecorded',
  'report-published': 'evReportPublished',
  alert: 'evAlert',
};

/** Detail keys the workflow writes, in the order a reader wants them; others follow by name. */
const DETAIL_LABELS: Record<string, string> = {
  assignee: 'assignee',
  reason: 'reason',
  resolution: 'resolution',
  text: 'noteText',
  note: 'note',
  clock: 'slaClock',
  percent: 'slaReached',
  status: 'status',
  level: 'supportLevel',
  dueAt: 'dueAt',
};

/** One "label: value" of a timeline row; exactly one of text/num/ratio/instant is set, so the template picks the helper. */
export interface DetailPart {
  label: string;
  text: string | null;
  num: number | null;
  ratio: number | null;
  instant: string | null;
}

type DetailValue = Omit<DetailPart, 'label'>;
const NO_VALUE: DetailValue = { text: null, num: null, ratio: null, instant: null };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function detailValue(event: TimelineEvent, key: string, value: unknown, locale: ReportLocale): DetailValue {
  if (key === 'clock' && (value === 'response' || value === 'restore')) return { ...NO_VALUE, text: label(`clock_${value}`, locale) };
  if (event.type === 'pended' && key === 'reason' && (value === 'customer' || value === 'vendor')) {
    return { ...NO_VALUE, text: label(`pend_${value}`, locale) };
  }
  // sla-warning carries the threshold as a whole percent (50/75/90); the template prints ratios.
  if (key === 'percent' && typeof value === 'number') return { ...NO_VALUE, ratio: value / 100 };
  if (typeof value === 'number') return { ...NO_VALUE, num: value };
  if (typeof value === 'string') return ISO_INSTANT.test(value) ? { ...NO_VALUE, instant: value } : { ...NO_VALUE, text: value };
  return { ...NO_VALUE, text: JSON.stringify(value) ?? String(value) };
}

function detailParts(event: TimelineEvent, locale: ReportLocale): DetailPart[] {
  const details = { ...(event.details ?? {}) };
  const parts: DetailPart[] = [];
  // An escalation reads as one step, "L1 → L2", rather than two fields.
  if (typeof details.fromLevel === 'string' && typeof details.toLevel === 'string') {
    parts.push({ ...NO_VALUE, label: label('supportLevel', locale), text: `${details.fromLevel} → ${details.toLevel}` });
    delete details.fromLevel;
    delete details.toLevel;
  }
  const known = Object.keys(DETAIL_LABELS).filter((k) => k in details);
  const others = Object.keys(details)
    .filter((k) => !Object.hasOwn(DETAIL_LABELS, k))
    .sort();
  for (const key of [...known, ...others]) {
    if (details[key] === undefined || details[key] === null) continue;
    const name = Object.hasOwn(DETAIL_LABELS, key) ? label(DETAIL_LABELS[key]!, locale) : key;
    parts.push({ label: name, ...detailValue(event, key, details[key], locale) });
  }
  return parts;
}

function clockResult(clock: ClockView): string {
  if (clock.breached) return 'slaBreached';
  if (clock.met) return 'slaMet';
  if (clock.paused) return 'slaPaused';
  if (clock.running) return 'slaRunning';
  return 'slaNotApplicable'; // stopped without meeting it: the incident was cancelled
}

function clockRow(name: 'response' | 'restore', clock: ClockView, locale: ReportLocale) {
  return {
    name: label(`clock_${name}`, locale),
    targetMs: clock.targetSeconds * 1000,
    elapsedMs: clock.elapsedSeconds * 1000,
    used: clock.targetSeconds > 0 ? clock.elapsedSeconds / clock.targetSeconds : null,
    dueAt: clock.dueAt,
    result: label(clockResult(clock), locale),
    breached: clock.breached,
    met: clock.met,
  };
}

export function incidentReportInput(data: IncidentReportData, { locale, documentDate }: { locale: ReportLocale; documentDate: Date }): ReportInput {
  const { incident, rca } = data;
  const { explanation } = incident.sla;
  // The report promises the reader why the SLA figures are what they are; without the lines it would silently drop that.
  if (!explanation) throw new Error(`incident ${incident.id}: build the view with { explain: true } for the report`);
  const t = (k: string) => label(k, locale);
  return {
    template: 'incident/report',
    locale,
    documentDate,
    title: `${t('incidentReport')} ${incident.id}`,
    data: {
      incident: {
        id: incident.id,
        title: incident.title,
        description: incident.description,
        severity: incident.severity,
        complexity: t(`complexity_${incident.complexity}`),
        system: incident.system,
        center: incident.center,
        status: incident.status,
        level: incident.level,
        assignee: incident.assignee,
        openedAt: incident.openedAt,
        openedBy: incident.openedBy.id,
        resolvedAt: incident.resolvedAt,
        closedAt: incident.closedAt,
      },
      timeline: [...incident.timeline]
        .sort((a, b) => a.seq - b.seq)
        .map((event) => ({
          seq: event.seq,
          at: event.at,
          event: t(EVENT_LABELS[event.type]),
          actor: `${event.actor.id} (${event.actor.role})`,
          from: event.from ?? null,
          to: event.to ?? null,
          detail: detailParts(event, locale),
        })),
      sla: {
        clock: t(`clockKind_${incident.sla.clock}`),
        calendarVersion: incident.sla.policy.calendarVersion,
        clocks: [clockRow('response', incident.sla.response, locale), clockRow('restore', incident.sla.restore, locale)],
        explanation,
      },
      ...(data.emergencyChanges ? { emergencyChanges: emergencySection(data.emergencyChanges, locale) } : {}),
      rca: rca && {
        revision: rca.revision,
        recordedBy: rca.recordedBy.id,
        recordedAt: rca.recordedAt,
        cause: rca.cause,
        actions: rca.actions,
        prevention: rca.prevention.map((p, i) => ({ no: i + 1, item: p.item, owner: p.owner, dueDate: p.dueDate })),
      },
    },
  };
}
