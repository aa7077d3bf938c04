import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ApiError, data } from '../../api/client';
import { Field } from '../../components/field';
import { problemsByField } from '../../components/problems';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan } from '../../me';
import { useLabels } from './parts';
import { fromSeoulLocal, seoulLocal } from '../../seoul';
import { CHANGE_TYPES, type ChangeRequest, type ChangeType } from './types';

/** How each parameter of a change type is typed in the form; the API's schema decides what is valid. */
type ParamKind = 'text' | 'number' | 'list' | 'skills' | 'date' | 'state' | 'boolean';
interface ParamSpec {
  name: string;
  kind: ParamKind;
}
const PARAMS: Record<ChangeType, ParamSpec[]> = {
  'dn-change': [{ name: 'newDn', kind: 'text' }],
  'ip-change': [{ name: 'ip', kind: 'text' }],
  dialplan: [
    { name: 'match', kind: 'text' },
    { name: 'substitute', kind: 'text' },
    { name: 'replace', kind: 'text' },
    { name: 'priority', kind: 'number' },
  ],
  trunk: [
    { name: 'uri', kind: 'text' },
    { name: 'description', kind: 'text' },
  ],
  'cti-team-add': [{ name: 'loginIds', kind: 'list' }],
  'cti-team-remove': [{ name: 'loginIds', kind: 'list' }],
  skillset: [{ name: 'skills', kind: 'skills' }],
  'agent-account': [
    { name: 'name', kind: 'text' },
    { name: 'state', kind: 'state' },
  ],
  'ivr-holidays': [
    { name: 'from', kind: 'date' },
    { name: 'to', kind: 'date' },
  ],
  'rec-account': [{ name: 'enabled', kind: 'boolean' }],
  'line-plan': [
    { name: 'plan', kind: 'text' },
    { name: 'monthlyFee', kind: 'number' },
  ],
  'trunk-channels': [{ name: 'channels', kind: 'number' }],
};

/** A parameter as the API takes it; an empty optional one is left out (the API names what is missing). */
function paramValue(kind: ParamKind, raw: string): unknown {
  const text = raw.trim();
  switch (kind) {
    case 'boolean':
      return raw === 'true';
    case 'number':
      return text === '' ? undefined : Number(text);
    case 'list':
      return text === '' ? [] : text.split(/[\s,]+/).filter(Boolean);
    case 'skills':
      // One skill a line: "name:proficiency".
      return text === ''
        ? []
        : text.split('\n').flatMap((line) => {
            if (!line.trim()) return [];
            const at = line.lastIndexOf(':');
            return [at < 0 ? { name: line.trim(), proficiency: NaN } : { name: line.slice(0, at).trim(), proficiency: Number(line.slice(at + 1).trim()) }];
          });
    default:
      return text === '' ? undefined : text;
  }
}

/** The window offered first: from the next full hour, for an hour (Asia/Seoul). */
function firstWindow(): { start: string; end: string } {
  const start = Math.ceil((Date.now() + 60_000) / 3_600_000) * 3_600_000;
  return { start: seoulLocal(start), end: seoulLocal(start + 3_600_000) };
}

/** What the API said about a field and everything under it (params.skills.1.name shows by the skills). */
function errorUnder(problems: Map<string, string>, path: string): string | undefined {
  const found = [...problems].filter(([p]) => p === path || p.startsWith(`${path}.`)).map(([p, m]) => (p === path ? m : `${p.slice(path.length + 1)}: ${m}`));
  return found.length ? found.join('; ') : undefined;
}

/** /changes/new — the change request (변경 요청서): type, target and its parameters, the window in Asia/Seoul, the reason, emergency. */
export function NewChangePage() {
  const { t } = useI18n();
  const labels = useLabels();
  const can = useCan();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [type, setType] = useState<ChangeType>('dn-change');
  const [target, setTarget] = useState('');
  const [params, setParams] = useState<Record<string, string>>({});
  const [span, setSpan] = useState(firstWindow);
  const [reason, setReason] = useState('');
  const [emergency, setEmergency] = useState(false);

  const submit = useMutation({
    mutationFn: () => {
      const specs = PARAMS[type];
      const body = {
        type,
        target: target.trim(),
        params: Object.fromEntries(specs.map((p) => [p.name, paramValue(p.kind, params[p.name] ?? '')]).filter(([, v]) => v !== undefined)),
        window: { start: fromSeoulLocal(span.start), end: fromSeoulLocal(span.end) },
        reason: reason.trim(),
        ...(emergency ? { emergency: true } : {}),
      } as ChangeRequest;
      return data(api.POST('/api/v1/changes', { body }));
    },
    onSuccess: (change) => {
      void queries.invalidateQueries({ queryKey: ['changes'] });
      void navigate(`/changes/${change.id}`);
    },
  });

  if (!can('postChanges')) {
    return (
      <main>
        <h1>{t('changeNew')}</h1>
        <p role="alert">{t('changeMayNotRequest')}</p>
      </main>
    );
  }

  const problems = problemsByField(submit.error);
  const fields = ['type', 'target', 'window', 'window.start', 'window.end', 'reason', 'emergency', ...PARAMS[type].map((p) => `params.${p.name}`)];
  // `params` itself (a rule across its fields) is shown under the parameters; its fields by theirs.
  const elsewhere = [...problems].filter(([p]) => p !== 'params' && !fields.some((f) => p === f || p.startsWith(`${f}.`)));
  const error = submit.error;
  const setParam = (name: string, value: string) => setParams((current) => ({ ...current, [name]: value }));

  return (
    <main>
      <p>
        <Link to="/changes">{`← ${t('navTitle_changes')}`}</Link>
      </p>
      <h1>{t('changeNew')}</h1>
      <form
        className="change-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit.mutate();
        }}
      >
        {error && (problems.size === 0 || elsewhere.length > 0) && (
          <div role="alert" className="form-error">
            <strong>{error instanceof ApiError && error.status === 400 ? t('changeInvalid') : t('changeRefused')}</strong>
            <p>{error instanceof ApiError ? `${error.message} (${error.code})` : error.message}</p>
            {elsewhere.length > 0 && (
              <ul>
                {elsewhere.map(([p, m]) => (
                  <li key={p}>{`${p}: ${m}`}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {error && problems.size > 0 && elsewhere.length === 0 && (
          <p role="alert" className="form-error">
            {t('changeSeeFields')}
          </p>
        )}
        <Field label={t('changeType')} error={problems.get('type')}>
          <select name="type" value={type} onChange={(e) => setType(e.target.value as ChangeType)}>
            {CHANGE_TYPES.map((ct) => (
              <option key={ct} value={ct}>
                {`${labels.type(ct)} (${ct})`}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t(`changeTargetOf_${type}` as MessageKey)} error={errorUnder(problems, 'target')}>
          <input name="target" value={target} onChange={(e) => setTarget(e.target.value)} />
        </Field>
        <fieldset>
          <legend>{t('changeParams')}</legend>
          {PARAMS[type].map((p) => (
            <ParamField
              key={`${type}.${p.name}`}
              spec={p}
              value={params[p.name] ?? ''}
              error={errorUnder(problems, `params.${p.name}`)}
              onChange={(v) => setParam(p.name, v)}
            />
          ))}
          {problems.has('params') && (
            <p className="field-error" role="alert">
              {problems.get('params')}
            </p>
          )}
        </fieldset>
        <fieldset>
          <legend>{t('changeWindowSeoul')}</legend>
          <Field label={t('changeWindowStart')} error={[problems.get('window'), problems.get('window.start')].filter(Boolean).join('; ') || undefined}>
            <input name="window.start" type="datetime-local" step={1} value={span.start} onChange={(e) => setSpan((w) => ({ ...w, start: e.target.value }))} />
          </Field>
          <Field label={t('changeWindowEnd')} error={problems.get('window.end')}>
            <input name="window.end" type="datetime-local" step={1} value={span.end} onChange={(e) => setSpan((w) => ({ ...w, end: e.target.value }))} />
          </Field>
        </fieldset>
        <Field label={t('changeReason')} error={problems.get('reason')}>
          <textarea name="reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <Field label={t('changeEmergencyAsk')} error={problems.get('emergency')}>
          <input name="emergency" type="checkbox" checked={emergency} onChange={(e) => setEmergency(e.target.checked)} />
        </Field>
        <p className="hint">{t('changeEmergencyHint')}</p>
        <button type="submit" disabled={submit.isPending}>
          {t('changeSubmit')}
        </button>
      </form>
    </main>
  );
}

function ParamField({ spec, value, error, onChange }: { spec: ParamSpec; value: string; error?: string; onChange: (v: string) => void }) {
  const { t } = useI18n();
  const label = t(`changeParam_${spec.name}` as MessageKey);
  const name = `params.${spec.name}`;
  switch (spec.kind) {
    case 'boolean':
      return (
        <Field label={label} error={error}>
          <input name={name} type="checkbox" checked={value === 'true'} onChange={(e) => onChange(e.target.checked ? 'true' : 'false')} />
        </Field>
      );
    case 'state':
      return (
        <Field label={label} error={error}>
          <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">{t('changeUnchanged')}</option>
            <option value="active">{t('changeStateActive')}</option>
            <option value="inactive">{t('changeStateInactive')}</option>
          </select>
        </Field>
      );
    case 'list':
    case 'skills':
      return (
        <Field label={label} error={error}>
          <textarea name={name} rows={3} value={value} onChange={(e) => onChange(e.target.value)} />
        </Field>
      );
    default:
      return (
        <Field label={label} error={error}>
          <input
            name={name}
            type={spec.kind === 'date' ? 'date' : spec.kind === 'number' ? 'number' : 'text'}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        </Field>
      );
  }
}
