import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, data } from '../../api/client';
import { Field } from '../../components/field';
import { HistoryTable } from '../../components/history-table';
import { problemsByField } from '../../components/problems';
import { UnreadPage } from '../../components/unread-page';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import { EmergencyMark, RetroMark, StatusBadge, useLabels, Value, windowText } from './parts';
import type { Approver, Change } from './types';

/** /changes/:id — the change: status and step, approvals, snapshot, verification, rollback, history; the actions valid now for the role. */
export function ChangePage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const labels = useLabels();
  const change = useQuery({
    queryKey: ['change', id],
    queryFn: () => data(api.GET('/api/v1/changes/{id}', { params: { path: { id } } })),
    // The event stream refreshes on change (live.ts); this only catches what it missed.
    refetchInterval: 60_000,
  });
  if (change.isPending || change.isError) return <UnreadPage error={change.error} />;
  const c = change.data;
  return (
    <main className="change">
      <p>
        <Link to="/changes">{`← ${t('navTitle_changes')}`}</Link>
      </p>
      <h1>{`${c.id} ${labels.type(c.type)} · ${c.target}`}</h1>
      <dl className="facts">
        <dt>{t('changeColStatus')}</dt>
        <dd>
          <StatusBadge status={c.status} /> <EmergencyMark emergency={c.emergency} />
        </dd>
        <dt>{t('changeColStep')}</dt>
        <dd className="change-step">{c.step}</dd>
        <dt>{t('changeType')}</dt>
        <dd>{`${labels.type(c.type)} (${c.type})`}</dd>
        <dt>{t('changeTarget')}</dt>
        <dd>{c.target}</dd>
        <dt>{t('changeColWindow')}</dt>
        <dd>{windowText(c.window, locale)}</dd>
        <dt>{t('changeParams')}</dt>
        <dd>
          <Value value={c.params} />
        </dd>
        <dt>{t('changeReason')}</dt>
        <dd className="text-block">{c.reason}</dd>
        <dt>{t('changeRequestedBy')}</dt>
        <dd>{`${c.requestedBy.id} (${c.requestedBy.role}) · ${formatInstant(c.requestedAt, locale)}`}</dd>
      </dl>
      <Actions change={c} />
      <Approvals change={c} />
      <section aria-labelledby="snapshot-title">
        <h2 id="snapshot-title">{t('changeSnapshot')}</h2>
        {c.snapshot === undefined ? <p>{t('changeNoSnapshot')}</p> : <Value value={c.snapshot} />}
      </section>
      <Verification change={c} />
      <Rollback change={c} />
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('changeHistory')}</h2>
        <HistoryTable className="timeline change-history" events={c.history} details={(e) => (e.details ? <Value value={e.details} /> : '')} />
      </section>
    </main>
  );
}

/** Who must approve, who did (and when, with what comment); an emergency change's approval afterwards. */
function Approvals({ change: c }: { change: Change }) {
  const { t, locale } = useI18n();
  const labels = useLabels();
  const rejected = c.status === 'REJECTED' ? c.history.find((e) => e.type === 'status:REJECTED') : undefined;
  const retro = c.retroApproval;
  return (
    <section aria-labelledby="approvals-title">
      <h2 id="approvals-title">{t('changeApprovals')}</h2>
      <table className="approvals">
        <thead>
          <tr>
            <th scope="col">{t('changeApprover')}</th>
            <th scope="col">{t('changeDecision')}</th>
            <th scope="col">{t('actor')}</th>
            <th scope="col">{t('at')}</th>
            <th scope="col">{t('changeComment')}</th>
          </tr>
        </thead>
        <tbody>
          {c.requiredApprovals.map((a) => {
            const given = c.approvals.find((g) => g.approver === a);
            const refused = rejected?.details?.approver === a ? rejected : undefined;
            return (
              <tr key={a} data-approver={a}>
                <th scope="row">{labels.approver(a)}</th>
                <td>{given ? `✓ ${t('changeApproved')}` : refused ? `✗ ${t('changeRejected')}` : t('changeAwaited')}</td>
                <td>{given ? `${given.actor.id} (${given.actor.role})` : refused ? `${refused.actor.id} (${refused.actor.role})` : '—'}</td>
                <td>{formatInstant(given?.at ?? refused?.at, locale)}</td>
                <td>{given?.comment ?? (typeof refused?.details?.comment === 'string' ? refused.details.comment : '') ?? ''}</td>
              </tr>
            );
          })}
          {c.emergency && (
            <tr data-approver="customer-retro">
              <th scope="row">{t('changeRetroRow')}</th>
              <td>{retro ? <RetroMark change={c} /> : t('changeRetroLater')}</td>
              <td>{retro?.actor ? `${retro.actor.id} (${retro.actor.role})` : '—'}</td>
              <td>{formatInstant(retro?.at, locale)}</td>
              <td>{retro?.comment ?? ''}</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function Verification({ change: c }: { change: Change }) {
  const { t } = useI18n();
  const v = c.verification;
  return (
    <section aria-labelledby="verification-title">
      <h2 id="verification-title">{t('changeVerification')}</h2>
      {!v ? (
        <p>{t('changeNotVerified')}</p>
      ) : (
        <>
          <p className={v.ok ? 'check-ok' : 'check-failed'}>{v.ok ? `✓ ${t('changeChecksPassed')}` : `✗ ${t('changeChecksFailed')}`}</p>
          <table className="checks">
            <thead>
              <tr>
                <th scope="col">{t('changeCheck')}</th>
                <th scope="col">{t('changeExpected')}</th>
                <th scope="col">{t('changeObserved')}</th>
                <th scope="col">{t('changeResult')}</th>
              </tr>
            </thead>
            <tbody>
              {v.checks.map((check, n) => (
                <tr key={n}>
                  <th scope="row">{check.what}</th>
                  <td>
                    <Value value={check.expected} />
                  </td>
                  <td>
                    <Value value={check.observed} />
                  </td>
                  <td className={check.ok ? 'check-ok' : 'check-failed'}>{check.ok ? `✓ ${t('changeCheckOk')}` : `✗ ${t('changeCheckFailed')}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** Why it failed and what was put back: the failure, and the restore of the snapshot when something had been applied. */
function Rollback({ change: c }: { change: Change }) {
  const { t, locale } = useI18n();
  const restored = c.history.find((e) => e.type === 'restored');
  return (
    <section aria-labelledby="rollback-title">
      <h2 id="rollback-title">{t('changeRollback')}</h2>
      {!c.failure ? (
        <p>{t('changeNoRollback')}</p>
      ) : (
        <dl className="facts">
          <dt>{t('changeFailedStep')}</dt>
          <dd>{c.failure.step}</dd>
          <dt>{t('changeFailureType')}</dt>
          <dd>{c.failure.type}</dd>
          <dt>{t('changeFailureCause')}</dt>
          <dd>{c.failure.cause}</dd>
          <dt>{t('changeRestored')}</dt>
          <dd>
            {restored
              ? formatInstant(restored.at, locale)
              : c.status === 'ROLLED_BACK' || c.status === 'FAILED'
                ? t('changeNothingToRestore')
                : t('changeRestoring')}
          </dd>
        </dl>
      )}
    </section>
  );
}

/**
 * The approver a decision is for, as the change stands: after an emergency change only the customer's is
 * awaited; before it, the SPM's; otherwise those still missing. The workflow decides; this only offers.
 */
function approversNow(c: Change): Approver[] {
  if (c.retroApproval?.status === 'pending') return ['customer'];
  if (c.status !== 'PENDING_APPROVAL') return [];
  return c.requiredApprovals.filter((a) => !c.approvals.some((g) => g.approver === a));
}

/** Approve, reject (with a comment) and cancel (with a reason), each shown when the role may and the change is where it can be taken. */
function Actions({ change: c }: { change: Change }) {
  const { t } = useI18n();
  const labels = useLabels();
  const can = useCan();
  const queries = useQueryClient();
  const approvers = approversNow(c);
  const [approver, setApprover] = useState<Approver | ''>('');
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const chosen: Approver | undefined = approver && approvers.includes(approver) ? approver : approvers[0];
  const settled = (next: Change | undefined) => {
    if (next) queries.setQueryData(['change', c.id], next);
    void queries.invalidateQueries({ queryKey: ['change', c.id] });
    void queries.invalidateQueries({ queryKey: ['changes'] });
  };
  const decide = useMutation({
    mutationFn: (action: 'approve' | 'reject') => {
      const path = { id: c.id };
      const text = comment.trim() || undefined;
      return action === 'approve'
        ? data(api.POST('/api/v1/changes/{id}/approve', { params: { path }, body: { approver: chosen, comment: text } }))
        : data(api.POST('/api/v1/changes/{id}/reject', { params: { path }, body: { approver: chosen, comment: text as string } }));
    },
    onSuccess: (next) => {
      setComment('');
      settled(next);
    },
    onError: () => settled(undefined),
  });
  const cancel = useMutation({
    mutationFn: () => data(api.POST('/api/v1/changes/{id}/cancel', { params: { path: { id: c.id } }, body: { reason: reason.trim() } })),
    onSuccess: (next) => {
      setReason('');
      settled(next);
    },
    onError: () => settled(undefined),
  });

  const mayDecide = approvers.length > 0 && (can('postChangesByIdApprove') || can('postChangesByIdReject'));
  const mayCancel = (c.status === 'PENDING_APPROVAL' || c.status === 'SCHEDULED') && can('postChangesByIdCancel');
  // A refusal stays in view even when the change, read anew, no longer offers the action.
  if (!mayDecide && !mayCancel && !decide.error && !cancel.error) return null;
  const decideProblems = problemsByField(decide.error);
  const cancelProblems = problemsByField(cancel.error);
  return (
    <section aria-labelledby="actions-title" className="change-actions">
      <h2 id="actions-title">{t('changeActions')}</h2>
      {decide.error && <ActionError error={decide.error} fields={['approver', 'comment']} />}
      {cancel.error && <ActionError error={cancel.error} fields={['reason']} />}
      {mayDecide && (
        <form className="change-decide" noValidate onSubmit={(e) => e.preventDefault()}>
          <Field label={t('changeApprover')} error={decideProblems.get('approver')}>
            <select value={chosen ?? ''} onChange={(e) => setApprover(e.target.value as Approver)}>
              {approvers.map((a) => (
                <option key={a} value={a}>
                  {labels.approver(a)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('changeCommentHint')} error={decideProblems.get('comment')}>
            <textarea name="comment" value={comment} onChange={(e) => setComment(e.target.value)} rows={2} />
          </Field>
          <div className="buttons">
            {can('postChangesByIdApprove') && (
              <button type="button" className="approve" disabled={decide.isPending} onClick={() => decide.mutate('approve')}>
                {t('changeApprove')}
              </button>
            )}
            {can('postChangesByIdReject') && (
              <button type="button" className="reject" disabled={decide.isPending} onClick={() => decide.mutate('reject')}>
                {t('changeReject')}
              </button>
            )}
          </div>
        </form>
      )}
      {mayCancel && (
        <form className="change-cancel" noValidate onSubmit={(e) => e.preventDefault()}>
          <Field label={t('changeCancelReason')} error={cancelProblems.get('reason')}>
            <textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
          </Field>
          <div className="buttons">
            <button type="button" className="cancel" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
              {t('changeCancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** An action's refusal in words: a 409 INVALID_TRANSITION says the change has moved on (and why); field problems sit by their fields. */
function ActionError({ error, fields }: { error: Error; fields: string[] }) {
  const { t } = useI18n();
  if (!(error instanceof ApiError)) return <p role="alert">{`${t('changeActionFailed')}: ${error.message}`}</p>;
  const problems = problemsByField(error);
  if (error.status === 400 && [...problems.keys()].every((k) => fields.includes(k))) return null;
  const headline =
    error.code === 'INVALID_TRANSITION'
      ? t('changeInvalidTransition')
      : error.status === 403
        ? t('changeForbidden')
        : error.status === 409
          ? t('changeConflict')
          : t('changeActionFailed');
  return (
    <div role="alert" className="action-error" data-code={error.code}>
      <strong>{headline}</strong>
      <p>{`${error.message} (${error.code})`}</p>
    </div>
  );
}
