import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { NavLink } from 'react-router';
import { api, data } from '../../api/client';
import { Field } from '../../components/field';
import { FormAlert as SharedFormAlert } from '../../components/form-alert';
import { problemsByField } from '../../components/problems';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import { REVIEW_STATUSES, type Inspection, type Qsr, type ReviewStatus } from './types';

/** What the reviews pages share: the area's links, statuses in words, a form's general complaint, the review panel. */

export function AreaNav() {
  const { t } = useI18n();
  const can = useCan();
  return (
    <nav className="area-nav" aria-label={t('navTitle_reviews')}>
      <NavLink to="/reviews" end>
        {t('rv_reviewLists')}
      </NavLink>
      <NavLink to="/reviews/kpis">{t('rv_kpis')}</NavLink>
      {can('postSlaWhatIf') && <NavLink to="/reviews/what-if">{t('rv_whatIf')}</NavLink>}
    </nav>
  );
}

export function useStatusLabel(): (status: string) => string {
  const { t } = useI18n();
  return (status) => ((REVIEW_STATUSES as readonly string[]).includes(status) ? t(`rv_reviewStatus_${status}` as MessageKey) : status);
}

/** A status in words (with its code for those who search by it), never by colour alone. */
export function StatusText({ status }: { status: ReviewStatus }) {
  const label = useStatusLabel();
  return <span className={`review-status ${status}`}>{label(status)}</span>;
}

export function StatusSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useI18n();
  const label = useStatusLabel();
  return (
    <label>
      {t('filterStatus')}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('any')}</option>
        {REVIEW_STATUSES.map((s) => (
          <option key={s} value={s}>
            {label(s)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Above a form: what the API said that names none of its fields (a conflict, a refusal), or why the call failed. */
export function FormAlert(props: { error: Error | null; problems: Map<string, string>; fields: string[] }) {
  const { t } = useI18n();
  return <SharedFormAlert {...props} refused={t('rv_refused')} failed={t('rv_actionFailed')} />;
}

export type Reviewed = { kind: 'inspection'; state: Inspection } | { kind: 'qsr'; state: Qsr };

/**
 * The SPM's review of a report: the decision once made; while it awaits review, approve (comments
 * optional: the report goes to the customer) or send back (comments required: what to fix), for the
 * roles the API allows. The API's complaint about the comments shows beside them.
 */
export function ReviewPanel(props: Reviewed) {
  const { t, locale } = useI18n();
  const can = useCan();
  const queries = useQueryClient();
  const [comments, setComments] = useState('');
  const [action, setAction] = useState<'approve' | 'return'>('approve');
  const { kind, state } = props;
  const id = state.id;
  const mayApprove = can(kind === 'inspection' ? 'postInspectionsByIdApprove' : 'postQsrByIdApprove');
  const mayReturn = can(kind === 'inspection' ? 'postInspectionsByIdReturn' : 'postQsrByIdReturn');
  const decide = useMutation({
    mutationFn: async (chosen: 'approve' | 'return') => {
      const text = comments.trim();
      const path = { params: { path: { id } } };
      if (chosen === 'approve') {
        const body = text ? { comments: text } : {};
        return kind === 'inspection'
          ? data(api.POST('/api/v1/inspections/{id}/approve', { ...path, body }))
          : data(api.POST('/api/v1/qsr/{id}/approve', { ...path, body }));
      }
      // Sent as typed: the API says what is missing, and the page shows it beside the field.
      const body = { comments: text };
      return kind === 'inspection'
        ? data(api.POST('/api/v1/inspections/{id}/return', { ...path, body }))
        : data(api.POST('/api/v1/qsr/{id}/return', { ...path, body }));
    },
    onSuccess: (next) => {
      queries.setQueryData([kind, id], next);
      void queries.invalidateQueries({ queryKey: [kind === 'inspection' ? 'inspections' : 'qsrs'] });
    },
  });
  const problems = problemsByField(decide.error);
  const commentsError =
    problems.get('comments') && (action === 'return' ? `${t('rv_returnNeedsComments')} (${problems.get('comments')})` : problems.get('comments'));
  const review = state.review;
  return (
    <section aria-labelledby="review-title" className="review-panel">
      <h2 id="review-title">{t('rv_review')}</h2>
      {review ? (
        <dl className="facts review-decision">
          <dt>{t('rv_decision')}</dt>
          <dd>{review.decision === 'approved' ? t('rv_decisionApproved') : t('rv_decisionReturned')}</dd>
          <dt>{t('rv_reviewer')}</dt>
          <dd>{`${review.by.id} (${review.by.role})`}</dd>
          <dt>{t('at')}</dt>
          <dd>{formatInstant(review.at, locale)}</dd>
          <dt>{t('rv_comments')}</dt>
          <dd className="text-block">{review.comments ?? '—'}</dd>
          {state.deliveredAt && (
            <>
              <dt>{t('rv_deliveredAt')}</dt>
              <dd>{formatInstant(state.deliveredAt, locale)}</dd>
            </>
          )}
        </dl>
      ) : state.status !== 'AWAITING_REVIEW' ? (
        <p>{state.status === 'RUNNING' ? t('rv_reviewAfterRun') : t('rv_noReview')}</p>
      ) : mayApprove || mayReturn ? (
        <form
          className="review-form"
          onSubmit={(e) => {
            e.preventDefault();
            // The button pressed says which decision.
            const chosen = (e.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'return' ? 'return' : 'approve';
            setAction(chosen);
            decide.mutate(chosen);
          }}
        >
          <FormAlert error={decide.error} problems={problems} fields={['comments']} />
          <Field label={t('rv_reviewComments')} error={commentsError}>
            <textarea rows={4} value={comments} onChange={(e) => setComments(e.target.value)} />
          </Field>
          <p className="hint">{t('rv_reviewCommentsHint')}</p>
          <div className="buttons">
            {mayApprove && (
              <button type="submit" value="approve" className="approve" disabled={decide.isPending}>
                {t('rv_approve')}
              </button>
            )}
            {mayReturn && (
              <button type="submit" value="return" className="return" disabled={decide.isPending}>
                {t('rv_sendBack')}
              </button>
            )}
          </div>
        </form>
      ) : (
        <p>{t('rv_awaitingReview')}</p>
      )}
    </section>
  );
}
