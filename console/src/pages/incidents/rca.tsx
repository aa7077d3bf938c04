import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, data } from '../../api/client';
import type { Incident } from '../../api/types';
import { Field } from '../../components/field';
import { problemsByField } from '../../components/problems';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import type { RcaBody } from './types';

type Prevention = RcaBody['prevention'][number];
const blankItem = (): Prevention => ({ item: '', owner: '', dueDate: '' });

/**
 * 근본 원인 분석: the recorded RCA, and the form that records or revises it (cause, actions taken,
 * prevention items each with an owner and a due date) while the incident allows it.
 */
export function RcaSection({ incident }: { incident: Incident }) {
  const { t, locale } = useI18n();
  const can = useCan();
  const editable = incident.actions.includes('rca') && can('postIncidentsByIdRca');
  const [editing, setEditing] = useState(false);
  const rca = incident.rca;
  return (
    <section aria-labelledby="rca-title">
      <h2 id="rca-title">{t('rca')}</h2>
      {rca ? (
        <div className="rca">
          <p className="meta">{`${t('revision')} ${rca.revision} · ${rca.recordedBy.id} · ${formatInstant(rca.recordedAt, locale)}`}</p>
          <h3>{t('rcaCause')}</h3>
          <p className="text-block">{rca.cause}</p>
          <h3>{t('rcaActions')}</h3>
          <p className="text-block">{rca.actions}</p>
          <h3>{t('rcaPrevention')}</h3>
          <ul>
            {rca.prevention.map((p, n) => (
              <li key={n}>{`${p.item} — ${p.owner}, ${p.dueDate}`}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p>{t('noRca')}</p>
      )}
      {editable && !editing && (
        <button type="button" onClick={() => setEditing(true)}>
          {rca ? t('reviseRca') : t('writeRca')}
        </button>
      )}
      {editable && editing && <RcaForm incident={incident} onDone={() => setEditing(false)} />}
    </section>
  );
}

function RcaForm({ incident, onDone }: { incident: Incident; onDone: () => void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [cause, setCause] = useState(incident.rca?.cause ?? '');
  const [actions, setActions] = useState(incident.rca?.actions ?? '');
  const [prevention, setPrevention] = useState<Prevention[]>(() => (incident.rca?.prevention.length ? incident.rca.prevention : [blankItem()]));
  const save = useMutation({
    mutationFn: () => data(api.POST('/api/v1/incidents/{id}/rca', { params: { path: { id: incident.id } }, body: { cause, actions, prevention } })),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['incident', incident.id] });
      onDone();
    },
  });
  const problems = problemsByField(save.error);
  const setItem = (n: number, patch: Partial<Prevention>) => setPrevention((list) => list.map((p, i) => (i === n ? { ...p, ...patch } : p)));
  const placed = (path: string) => ['cause', 'actions', 'prevention'].includes(path) || /^prevention\.\d+\.(item|owner|dueDate)$/.test(path);
  const unplaced = [...problems].filter(([path]) => !placed(path));
  return (
    <form
      className="form"
      noValidate
      aria-label={t('rca')}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      {save.isError && (
        <p role="alert" className="error">
          {unplaced.length ? unplaced.map(([, m]) => m).join(' · ') : problems.size ? t('fixFields') : save.error.message}
        </p>
      )}
      <Field label={t('rcaCause')} error={problems.get('cause')}>
        <textarea rows={4} value={cause} onChange={(e) => setCause(e.target.value)} />
      </Field>
      <Field label={t('rcaActions')} error={problems.get('actions')}>
        <textarea rows={4} value={actions} onChange={(e) => setActions(e.target.value)} />
      </Field>
      <fieldset>
        <legend>{t('rcaPrevention')}</legend>
        {problems.get('prevention') && <p className="field-error">{problems.get('prevention')}</p>}
        {prevention.map((p, n) => (
          <div key={n} className="prevention-row">
            <Field label={`${t('preventionItem')} ${n + 1}`} error={problems.get(`prevention.${n}.item`)}>
              <input value={p.item} onChange={(e) => setItem(n, { item: e.target.value })} />
            </Field>
            <Field label={t('preventionOwner')} error={problems.get(`prevention.${n}.owner`)}>
              <input value={p.owner} onChange={(e) => setItem(n, { owner: e.target.value })} />
            </Field>
            <Field label={t('preventionDue')} error={problems.get(`prevention.${n}.dueDate`)}>
              <input type="date" value={p.dueDate} onChange={(e) => setItem(n, { dueDate: e.target.value })} />
            </Field>
            {prevention.length > 1 && (
              <button type="button" onClick={() => setPrevention((list) => list.filter((_, i) => i !== n))}>
                {t('removeItem')}
              </button>
            )}
          </div>
        ))}
        <button type="button" onClick={() => setPrevention((list) => [...list, blankItem()])}>
          {t('addItem')}
        </button>
      </fieldset>
      <div className="action-buttons">
        <button type="submit" disabled={save.isPending}>
          {t('saveRca')}
        </button>
        <button type="button" onClick={onDone}>
          {t('cancelForm')}
        </button>
      </div>
    </form>
  );
}
