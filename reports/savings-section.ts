import type { SavingProposal } from '../domain/billing/savings';
import { formatKrw } from '../domain/billing/money';
import { label, type ReportLocale } from './helpers';
import { byKeys } from './report-parts';

/**
 * The savings proposals as the `savings` partial prints them, in the line cost analysis and the QSR:
 * largest saving first, each with what it is about and its sentence, and the monthly total.
 */
export function savingsSection(
  savings: { asOf: string; proposals: readonly SavingProposal[] },
  carrierName: (carrier: string) => string,
  locale: ReportLocale,
) {
  return {
    asOf: savings.asOf,
    total: formatKrw(savings.proposals.reduce((sum, p) => sum + p.monthlySavingKrw, 0)),
    rows: [...savings.proposals]
      .sort(
        byKeys(
          (p) => -p.monthlySavingKrw,
          (p) => p.key,
        ),
      )
      .map((p) => savingRow(p, carrierName, locale)),
  };
}

function savingRow(p: SavingProposal, carrierName: (c: string) => string, locale: ReportLocale) {
  const subject = p.trunk !== null ? `${label('subjectTrunk', locale)} ${p.trunk}` : `${label('subjectLine', locale)} ${p.lineId ?? '—'}`;
  return {
    kind: label(`savingKind_${p.kind}`, locale),
    subject,
    dn: p.dn ?? '—',
    center: p.center ?? '—',
    carrier: p.carrier === null ? '—' : carrierName(p.carrier),
    monthlySaving: formatKrw(p.monthlySavingKrw),
    detail: p.detail,
  };
}
