import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, data } from '../../api/client';
import { Field } from '../../components/field';
import { problemsByField } from '../../components/problems';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { seoulToday } from '../../seoul';
import { amountOf, FormAlert, useKrw, useLabels } from './parts';
import { OFFERED_FROM, type Bill, type Dispute, type Finding } from './types';

/**
 * The SPM's actions on a bill, each shown when the role may take it (/api/v1/me) and the bill is where it
 * can be taken: dispute the chosen findings, approve, record the payment. The workflow decides; the API's
 * complaint about a field shows beside it.
 */

/** After an action: the bill as answered, then read anew with its findings and the lists. */
function useSettled(id: string) {
  const queries = useQueryClient();
  return (next: Bill | undefined) => {
    if (next) queries.setQueryData(['bill', id], next);
    void queries.invalidateQueries({ queryKey: ['bill', id] });
    void queries.invalidateQueries({ queryKey: ['bills'] });
  };
}

const offered = (action: keyof typeof OFFERED_FROM, b: Bill) => (OFFERED_FROM[action] as readonly string[]).includes(b.status);

export function BillActions({ bill: b, chosen, onDisputed, mayDispute }: { bill: Bill; chosen: Finding[]; onDisputed: () => void; mayDispute: boolean }) {
  const { t } = useI18n();
  const can = useCan();
  const mayApprove = can('postBillsByIdApprove') && offered('approve', b);
  const mayPay = can('postBillsByIdPay') && offered('pay', b);
  if (!mayDispute && !mayApprove && !mayPay) return null;
  return (
    <section aria-labelledby="bill-actions-title" className="bill-actions">
      <h2 id="bill-actions-title">{t('bill_actions')}</h2>
      {mayDispute && <DisputeForm bill={b} chosen={chosen} onDisputed={onDisputed} />}
      {mayApprove && <ApproveForm bill={b} />}
      {mayPay && <PayForm bill={b} />}
    </section>
  );
}

function DisputeForm({ bill: b, chosen, onDisputed }: { bill: Bill; chosen: Finding[]; onDisputed: () => void }) {
  const { t } = useI18n();
  const krw = useKrw();
  const labels = useLabels();
  const settled = useSettled(b.id);
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [days, setDays] = useState('7');
  const dispute = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/bills/{id}/dispute', {
          params: { path: { id: b.id } },
          body: {
            findingIds: chosen.map((f) => f.id),
            carrierReference: reference.trim(),
            note: note.trim() || undefined,
            followUpDays: amountOf(days),
          },
        }),
      ),
    onSuccess: (next) => {
      setReference('');
      setNote('');
      onDisputed();
      settled(next);
    },
    onError: () => settled(undefined),
  });
  const problems = problemsByField(dispute.error);
  const fields = ['findingIds', 'carrierReference', 'note', 'followUpDays'];
  const firstOf = (prefix: string) => [...problems].find(([p]) => p === prefix || p.startsWith(`${prefix}.`))?.[1];
  return (
    <form
      className="bill-dispute"
      aria-labelledby="bill-dispute-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        dispute.mutate();
      }}
    >
      <h3 id="bill-dispute-title">{t('bill_disputeForm')}</h3>
      <FormAlert error={dispute.error} problems={problems} fields={fields} />
      <div className="selected-findings">
        <strong>{t('bill_selected')}</strong>
        {chosen.length === 0 ? (
          <p className="hint">{t('bill_selectedNone')}</p>
        ) : (
          <ul>
            {chosen.map((f) => (
              <li key={f.id}>{`${labels.kind(f.kind)} ${f.number} · ${krw(f.amountAtStake)}`}</li>
            ))}
          </ul>
        )}
        {firstOf('findingIds') && (
          <p role="alert" className="field-error">
            {firstOf('findingIds')}
          </p>
        )}
      </div>
      <Field label={t('bill_carrierReference')} error={problems.get('carrierReference')}>
        <input name="carrierReference" value={reference} onChange={(e) => setReference(e.target.value)} />
      </Field>
      <Field label={t('bill_note')} error={problems.get('note')}>
        <textarea name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <Field label={t('bill_followUpDays')} error={problems.get('followUpDays')}>
        <input name="followUpDays" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} />
      </Field>
      <div className="buttons">
        <button type="submit" className="dispute" disabled={dispute.isPending}>
          {t('bill_dispute')}
        </button>
      </div>
    </form>
  );
}

function ApproveForm({ bill: b }: { bill: Bill }) {
  const { t } = useI18n();
  const settled = useSettled(b.id);
  const [comment, setComment] = useState('');
  const [amount, setAmount] = useState('');
  const approve = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/bills/{id}/approve', {
          params: { path: { id: b.id } },
          body: { amountKrw: amountOf(amount), comment: comment.trim() || undefined },
        }),
      ),
    onSuccess: (next) => {
      setComment('');
      setAmount('');
      settled(next);
    },
    onError: () => settled(undefined),
  });
  const problems = problemsByField(approve.error);
  return (
    <form
      className="bill-approve"
      aria-labelledby="bill-approve-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        approve.mutate();
      }}
    >
      <h3 id="bill-approve-title">{t('bill_approveForm')}</h3>
      <FormAlert error={approve.error} problems={problems} fields={['amountKrw', 'comment']} />
      <Field label={t('bill_approveAmount')} error={problems.get('amountKrw')}>
        <input name="amountKrw" inputMode="numeric" value={amount} placeholder={String(defaultApproval(b))} onChange={(e) => setAmount(e.target.value)} />
      </Field>
      <p className="hint">{t('bill_approveAmountHint')}</p>
      <Field label={t('bill_comment')} error={problems.get('comment')}>
        <textarea name="comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </Field>
      <div className="buttons">
        <button type="submit" className="approve" disabled={approve.isPending}>
          {t('bill_approve')}
        </button>
      </div>
    </form>
  );
}

/** What approving pays by default, as the workflow reckons it: the total less what open disputes hold back. */
function defaultApproval(b: Bill): number {
  return Math.max(0, b.totalKrw - b.disputes.filter((d) => d.status === 'OPEN').reduce((s, d) => s + d.amountKrw, 0));
}

function PayForm({ bill: b }: { bill: Bill }) {
  const { t } = useI18n();
  const settled = useSettled(b.id);
  const [paidOn, setPaidOn] = useState(seoulToday);
  const [amount, setAmount] = useState(() => String(b.approval?.amountKrw ?? b.totalKrw));
  const [reference, setReference] = useState('');
  const pay = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/bills/{id}/pay', {
          params: { path: { id: b.id } },
          body: { paidOn, amountKrw: amountOf(amount) as number, reference: reference.trim() || undefined },
        }),
      ),
    onSuccess: settled,
    onError: () => settled(undefined),
  });
  const problems = problemsByField(pay.error);
  return (
    <form
      className="bill-pay"
      aria-labelledby="bill-pay-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        pay.mutate();
      }}
    >
      <h3 id="bill-pay-title">{t('bill_payForm')}</h3>
      <FormAlert error={pay.error} problems={problems} fields={['paidOn', 'amountKrw', 'reference']} />
      <Field label={t('bill_paidOn')} error={problems.get('paidOn')}>
        <input name="paidOn" type="date" value={paidOn} onChange={(e) => setPaidOn(e.target.value)} />
      </Field>
      <Field label={t('bill_payAmount')} error={problems.get('amountKrw')}>
        <input name="amountKrw" inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </Field>
      <Field label={t('bill_reference')} error={problems.get('reference')}>
        <input name="reference" value={reference} onChange={(e) => setReference(e.target.value)} />
      </Field>
      <div className="buttons">
        <button type="submit" className="pay" disabled={pay.isPending}>
          {t('bill_pay')}
        </button>
      </div>
    </form>
  );
}

/** A settle form for each open dispute, when the role may settle and the bill still takes settlements. */
export function SettleForms({ bill: b }: { bill: Bill }) {
  const can = useCan();
  if (!can('postBillsByIdSettle') || !offered('settle', b)) return null;
  const open = b.disputes.filter((d) => d.status === 'OPEN');
  if (open.length === 0) return null;
  return (
    <div className="bill-actions">
      {open.map((d) => (
        <SettleForm key={d.id} bill={b} dispute={d} />
      ))}
    </div>
  );
}

function SettleForm({ bill: b, dispute: d }: { bill: Bill; dispute: Dispute }) {
  const { t } = useI18n();
  const settled = useSettled(b.id);
  const [credit, setCredit] = useState(() => String(d.amountKrw));
  const [note, setNote] = useState('');
  const settle = useMutation({
    mutationFn: () =>
      data(
        api.POST('/api/v1/bills/{id}/settle', {
          params: { path: { id: b.id } },
          body: { disputeId: d.id, creditKrw: amountOf(credit) as number, note: note.trim() || undefined },
        }),
      ),
    onSuccess: settled,
    onError: () => settled(undefined),
  });
  const problems = problemsByField(settle.error);
  const titleId = `bill-settle-${d.id}`;
  return (
    <form
      className="bill-settle"
      data-dispute={d.id}
      aria-labelledby={titleId}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        settle.mutate();
      }}
    >
      <h3 id={titleId}>{`${t('bill_settleForm')} ${d.id}`}</h3>
      <FormAlert error={settle.error} problems={problems} fields={['creditKrw', 'note']} />
      <Field label={t('bill_creditKrw')} error={problems.get('creditKrw')}>
        <input name="creditKrw" inputMode="numeric" value={credit} onChange={(e) => setCredit(e.target.value)} />
      </Field>
      <Field label={t('bill_note')} error={problems.get('note')}>
        <textarea name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <div className="buttons">
        <button type="submit" className="settle" disabled={settle.isPending}>
          {t('bill_settle')}
        </button>
      </div>
    </form>
  );
}
