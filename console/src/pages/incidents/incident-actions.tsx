import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, data } from '../../api/client';
import type { OperationId } from '../../api/types';
import type { paths } from '../../api/schema';
import { Field } from '../../components/field';
import { problemsByField } from '../../components/problems';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan, useMe } from '../../me';
import type { IncidentAction, PendReason, Transition } from './types';

/** What each transition asks for; the API's schema decides what is valid, this only lays out the form. */
type Input = { name: string; kind: 'text' | 'textarea' | 'pendReason'; optional?: boolean };
const INPUTS: Record<Transition, Input[]> = {
  assign: [
    { name: 'assignee', kind: 'text' },
    { name: 'note', kind: 'textarea', optional: true },
  ],
  start: [{ name: 'note', kind: 'textarea', optional: true }],
  pend: [
    { name: 'reason', kind: 'pendReason' },
    { name: 'note', kind: 'textarea', optional: true },
  ],
  resume: [{ name: 'note', kind: 'textarea', optional: true }],
  resolve: [{ name: 'resolution', kind: 'textarea' }],
  reopen: [{ name: 'reason', kind: 'textarea' }],
  close: [{ name: 'note', kind: 'textarea', optional: true }],
  cancel: [{ name: 'reason', kind: 'textarea' }],
  escalate: [{ name: 'reason', kind: 'textarea' }],
};
const TRANSITIONS = Object.keys(INPUTS) as Transition[];
const PEND_REASONS = ['customer', 'vendor'] as const satisfies readonly PendReason[];

/** The operation and path of a transition, as the API's route table names them. */
const operationOf = (action: Transition | 'notes') => `postIncidentsById${action[0]!.toUpperCase()}${action.slice(1)}` as OperationId;
const pathOf = (action: Transition | 'notes') => `/api/v1/incidents/{id}/${action}` as const;

/**
 * The buttons for the transitions valid now — those the incident's status allows (the API lists
 * them) and the signed-in role may call — each opening its short form.
 */
export function IncidentActions({ id, actions }: { id: string; actions: readonly IncidentAction[] }) {
  const { t } = useI18n();
  const can = useCan();
  const [open, setOpen] = useState<Transition | null>(null);
  const offered = TRANSITIONS.filter((a) => actions.includes(a) && can(operationOf(a)));
  if (offered.length === 0) return null;
  return (
    <section aria-labelledby="actions-title" className="actions">
      <h2 id="actions-title">{t('actions')}</h2>
      <div className="action-buttons">
        {offered.map((a) => (
          <button key={a} type="button" aria-expanded={open === a} onClick={() => setOpen(open === a ? null : a)}>
            {t(`action_${a}` as MessageKey)}
          </button>
        ))}
      </div>
      {open && <TransitionForm key={open} id={id} action={open} onDone={() => setOpen(null)} />}
    </section>
  );
}

function TransitionForm({ id, action, onDone }: { id: string; action: Transition; onDone: () => void }) {
  const { t } = useI18n();
  const me = useMe().data;
  const queries = useQueryClient();
  const inputs = INPUTS[action];
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(inputs.map((i) => [i.name, i.name === 'assignee' ? (me?.id ?? '') : i.kind === 'pendReason' ? 'customer' : ''])),
  );
  const run = useMutation({
    mutationFn: () => {
      // Optional fields left blank are not sent (the API refuses an empty note).
      const body = Object.fromEntries(Object.entries(values).filter(([name, v]) => v.trim() !== '' || !inputs.find((i) => i.name === name)?.optional));
      // One path per action in the typed client; the body's type is the action's (checked by the API).
      return data(api.POST(pathOf(action) as '/api/v1/incidents/{id}/assign', { params: { path: { id } }, body: body as never }));
    },
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['incident', id] });
      onDone();
    },
  });
  const problems = problemsByField(run.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  const unplaced = [...problems].filter(([path]) => !inputs.some((i) => i.name === path));
  return (
    <form className="form" noValidate onSubmit={submit} aria-label={t(`action_${action}` as MessageKey)}>
      {run.isError && (
        <p role="alert" className="error">
          {unplaced.length ? unplaced.map(([, m]) => m).join(' · ') : problems.size ? t('fixFields') : run.error.message}
        </p>
      )}
      {inputs.map((input) => (
        <Field key={input.name} label={t(`field_${input.name}` as MessageKey)} error={problems.get(input.name)}>
          {input.kind === 'pendReason' ? (
            <select value={values[input.name]} onChange={(e) => setValues((v) => ({ ...v, [input.name]: e.target.value }))}>
              {PEND_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`pendReason_${r}` as MessageKey)}
                </option>
              ))}
            </select>
          ) : input.kind === 'textarea' ? (
            <textarea rows={3} value={values[input.name]} onChange={(e) => setValues((v) => ({ ...v, [input.name]: e.target.value }))} />
          ) : (
            <input value={values[input.name]} onChange={(e) => setValues((v) => ({ ...v, [input.name]: e.target.value }))} />
          )}
        </Field>
      ))}
      <div className="action-buttons">
        <button type="submit" disabled={run.isPending}>
          {t(`action_${action}` as MessageKey)}
        </button>
        <button type="button" onClick={onDone}>
          {t('cancelForm')}
        </button>
      </div>
    </form>
  );
}

/** 메모: a note on the timeline, while the incident takes notes and the role may write them. */
export function NoteForm({ id, actions }: { id: string; actions: readonly IncidentAction[] }) {
  const { t } = useI18n();
  const can = useCan();
  const queries = useQueryClient();
  const [text, setText] = useState('');
  const note = useMutation({
    mutationFn: () => data(api.POST(pathOf('notes') satisfies keyof paths, { params: { path: { id } }, body: { text } })),
    onSuccess: async () => {
      setText('');
      await queries.invalidateQueries({ queryKey: ['incident', id] });
    },
  });
  if (!actions.includes('notes') || !can(operationOf('notes'))) return null;
  const problems = problemsByField(note.error);
  return (
    <form
      className="form"
      noValidate
      aria-label={t('addNote')}
      onSubmit={(e) => {
        e.preventDefault();
        note.mutate();
      }}
    >
      <Field label={t('addNote')} error={problems.get('text') ?? (note.isError && !problems.size ? note.error.message : undefined)}>
        <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </Field>
      <div>
        <button type="submit" disabled={note.isPending}>
          {t('saveNote')}
        </button>
      </div>
    </form>
  );
}
