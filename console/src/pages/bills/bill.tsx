import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, data } from '../../api/client';
import { columnsOf, DataTable } from '../../components/data-table';
import { HistoryTable } from '../../components/history-table';
import { UnreadPage } from '../../components/unread-page';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import { BillActions, SettleForms } from './actions';
import { describeDetails, StatusBadge, useKrw, useLabels } from './parts';
import { isRecoverable, OFFERED_FROM, type Bill, type Finding } from './types';

const column = columnsOf<Finding>();

/** /bills/:id — the bill: its facts, its findings (chosen here to dispute), its disputes, the SPM's actions valid now, its history. */
export function BillPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const krw = useKrw();
  const labels = useLabels();
  const bill = useQuery({
    queryKey: ['bill', id],
    queryFn: () => data(api.GET('/api/v1/bills/{id}', { params: { path: { id } } })),
    // The event stream refreshes on change (live.ts); this only catches what it missed.
    refetchInterval: 60_000,
  });
  if (bill.isPending || bill.isError) return <UnreadPage error={bill.error} />;
  const b = bill.data;
  const who = (a: { id: string; role: string }) => `${a.id} (${a.role})`;
  return (
    <main className="bill">
      <p>
        <Link to="/bills">{`← ${t('navTitle_bills')}`}</Link>
      </p>
      <h1>{`${b.id} ${b.carrier} ${b.month}`}</h1>
      <dl className="facts">
        <dt>{t('bill_status')}</dt>
        <dd>
          <StatusBadge status={b.status} />
        </dd>
        <dt>{t('bill_step')}</dt>
        <dd className="bill-step">{b.step}</dd>
        <dt>{t('bill_dueDate')}</dt>
        <dd className="due-date">{b.dueDate}</dd>
        <dt>{t('bill_lines')}</dt>
        <dd>{b.lines.toLocaleString(locale)}</dd>
        <dt>{t('bill_total')}</dt>
        <dd className="total">{krw(b.totalKrw)}</dd>
        <dt>{t('bill_findings')}</dt>
        <dd className="findings">{b.findings ? `${b.findings.count}${t('bill_findingsCount')}` : t('bill_notReconciled')}</dd>
        <dt>{t('bill_atStake')}</dt>
        <dd className="at-stake">{b.findings ? krw(b.findings.amountAtStake) : '—'}</dd>
        <dt>{t('bill_approval')}</dt>
        <dd className="approval">
          {b.approval
            ? `${krw(b.approval.amountKrw)} · ${who(b.approval.actor)} · ${formatInstant(b.approval.at, locale)}${b.approval.comment ? ` · ${b.approval.comment}` : ''}`
            : t('bill_noneYet')}
        </dd>
        <dt>{t('bill_payment')}</dt>
        <dd className="payment">
          {b.payment
            ? `${b.payment.paidOn} · ${krw(b.payment.amountKrw)}${b.payment.reference ? ` · ${b.payment.reference}` : ''} · ${who(b.payment.actor)}`
            : t('bill_noneYet')}
        </dd>
        <dt>{t('bill_reminders')}</dt>
        <dd className="reminders">
          {b.reminders.length ? b.reminders.map((r) => `${labels.reminder(r.kind)} (${formatInstant(r.at, locale)})`).join(', ') : t('bill_noneYet')}
        </dd>
        <dt>{t('bill_file')}</dt>
        <dd>{b.fileName ?? '—'}</dd>
        <dt>{t('bill_requestedBy')}</dt>
        <dd>{`${who(b.requestedBy)} · ${formatInstant(b.requestedAt, locale)}`}</dd>
        {b.failure && (
          <>
            <dt>{t('bill_failure')}</dt>
            <dd className="failure">{`${b.failure.step}: ${b.failure.cause}`}</dd>
          </>
        )}
      </dl>
      <FindingsAndActions bill={b} />
      <Disputes bill={b} />
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('bill_history')}</h2>
        <HistoryTable className="timeline bill-history" events={b.history} details={(e) => describeDetails(e.details)} />
      </section>
    </main>
  );
}

/** The findings, each selectable (when the role may dispute and the bill still takes disputes), and the actions that use the choice. */
function FindingsAndActions({ bill: b }: { bill: Bill }) {
  const { t, lang } = useI18n();
  const krw = useKrw();
  const labels = useLabels();
  const can = useCan();
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const findings = useQuery({
    queryKey: ['bill', b.id, 'findings'],
    queryFn: () => data(api.GET('/api/v1/bills/{id}/findings', { params: { path: { id: b.id }, query: { limit: 1000 } } })),
    enabled: b.findings !== null,
  });
  const mayDispute = can('postBillsByIdDispute') && (OFFERED_FROM.dispute as readonly string[]).includes(b.status);
  const selectable = (f: Finding) => mayDispute && isRecoverable(f) && f.disputeId === null;
  const toggle = (id: number, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const columns = useMemo(
    () =>
      column.columns([
        ...(mayDispute
          ? [
              column.display({
                id: 'select',
                header: t('bill_select'),
                cell: (c) => {
                  const f = c.row.original;
                  return selectable(f) ? (
                    <input
                      type="checkbox"
                      value={f.id}
                      aria-label={`${t('bill_selectFinding')}: ${labels.kind(f.kind)} ${f.number}`}
                      checked={selected.has(f.id)}
                      onChange={(e) => toggle(f.id, e.target.checked)}
                    />
                  ) : null;
                },
              }),
            ]
          : []),
        column.accessor('kind', { header: t('bill_kind'), cell: (c) => <span data-kind={c.getValue()}>{labels.kind(c.getValue())}</span> }),
        column.accessor('number', { header: t('bill_number') }),
        column.accessor((f) => f.rows.join(', '), { id: 'rows', header: t('bill_rows') }),
        column.accessor('amountAtStake', { id: 'amount', header: t('bill_atStake'), cell: (c) => krw(c.getValue()) }),
        column.accessor('detail', { header: t('bill_detail') }),
        column.accessor((f) => f.disputeId ?? '', { id: 'dispute', header: t('bill_disputeId') }),
      ]),
    // The cells read the language, the role's choice and what is selected.
    [lang, mayDispute, selected],
  );

  const items = findings.data?.items ?? [];
  // A finding disputed meanwhile (here or by someone else) is no longer chosen.
  const chosen = items.filter((f) => selected.has(f.id) && selectable(f));
  return (
    <>
      <section aria-labelledby="findings-title">
        <h2 id="findings-title">{t('bill_findingsTitle')}</h2>
        {b.findings === null ? (
          <p>{t('bill_notReconciled')}</p>
        ) : findings.isError ? (
          <p role="alert">{`${t('loadFailed')}: ${findings.error.message}`}</p>
        ) : findings.isPending ? (
          <p>{t('loading')}</p>
        ) : items.length === 0 ? (
          <p>{t('bill_noFindings')}</p>
        ) : (
          <DataTable className="bill-findings" caption={t('bill_findingsTitle')} rows={items} columns={columns} rowId={(f) => String(f.id)} />
        )}
      </section>
      <BillActions bill={b} chosen={chosen} onDisputed={() => setSelected(new Set())} mayDispute={mayDispute} />
    </>
  );
}

/** The disputes opened on the bill: the claim, who opened it, its follow-ups and its settlement; a settle form per open one. */
function Disputes({ bill: b }: { bill: Bill }) {
  const { t, locale } = useI18n();
  const krw = useKrw();
  const labels = useLabels();
  return (
    <section aria-labelledby="disputes-title">
      <h2 id="disputes-title">{t('bill_disputesTitle')}</h2>
      {b.disputes.length === 0 ? (
        <p>{t('bill_noDisputes')}</p>
      ) : (
        <table className="bill-disputes">
          <thead>
            <tr>
              <th scope="col">{t('bill_disputeId')}</th>
              <th scope="col">{t('bill_disputeStatus')}</th>
              <th scope="col">{t('bill_amount')}</th>
              <th scope="col">{t('bill_carrierReference')}</th>
              <th scope="col">{t('bill_findings')}</th>
              <th scope="col">{t('bill_openedBy')}</th>
              <th scope="col">{t('bill_nextFollowUp')}</th>
              <th scope="col">{t('bill_followUps')}</th>
              <th scope="col">{t('bill_credit')}</th>
              <th scope="col">{t('bill_note')}</th>
            </tr>
          </thead>
          <tbody>
            {b.disputes.map((d) => (
              <tr key={d.id} data-id={d.id}>
                <th scope="row">{d.id}</th>
                <td data-status={d.status}>{labels.dispute(d.status)}</td>
                <td className="amount">{krw(d.amountKrw)}</td>
                <td>{d.carrierReference}</td>
                <td>{d.findingIds.join(', ')}</td>
                <td>{`${d.openedBy.id} (${d.openedBy.role}) · ${formatInstant(d.openedAt, locale)}`}</td>
                <td>{formatInstant(d.followUpAt, locale)}</td>
                <td>{d.followUps}</td>
                <td className="amount">{d.settlement ? krw(d.settlement.creditKrw) : '—'}</td>
                <td>{[d.note, d.settlement?.note].filter(Boolean).join(' / ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SettleForms bill={b} />
    </section>
  );
}
