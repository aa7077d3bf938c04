import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, data } from '../../api/client';
import { everyOf } from '../../api/types';
import { Field } from '../../components/field';
import { problemsByField } from '../../components/problems';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import type { OpenIncidentBody } from './types';

const SEVERITIES = everyOf<OpenIncidentBody['severity']>()(['P1', 'P2', 'P3', 'P4']);
const COMPLEXITIES = everyOf<OpenIncidentBody['complexity']>()(['simple', 'complex']);
const SYSTEMS = everyOf<OpenIncidentBody['system']>()(['PBX', 'CTI', 'IVR', 'REC', 'ERS', 'NET', 'OTHER']);
const SOURCES = everyOf<OpenIncidentBody['source']>()(['customer', 'monitoring', 'internal']);

/**
 * 장애 접수: the form posts what was typed and the API decides (the browser's own checks are off,
 * so there is one set of rules); each complaint shows beside its field. One Idempotency-Key per
 * form, so a double click or a retry after a lost answer opens one incident, not two.
 */
export function NewIncidentPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [form, setForm] = useState({
    title: '',
    description: '',
    severity: 'P3' as OpenIncidentBody['severity'],
    complexity: 'simple' as OpenIncidentBody['complexity'],
    system: 'PBX' as OpenIncidentBody['system'],
    center: '',
    source: 'customer' as OpenIncidentBody['source'],
  });
  const open = useMutation({
    mutationFn: () => {
      const { center, ...rest } = form;
      const body: OpenIncidentBody = { ...rest, ...(center.trim() ? { center: center.trim() } : {}) };
      return data(api.POST('/api/v1/incidents', { body, headers: { 'Idempotency-Key': idempotencyKey } }));
    },
    onSuccess: (incident) => void navigate(`/incidents/${incident.id}`),
  });
  const problems = problemsByField(open.error);
  const unplaced = [...problems].filter(([path]) => !(path in form));
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm((f) => ({ ...f, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    open.mutate();
  };

  return (
    <main>
      <h1>{t('newIncident')}</h1>
      {open.isError && (
        <p role="alert" className="error">
          {unplaced.length ? unplaced.map(([path, message]) => `${path}: ${message}`).join(' · ') : problems.size ? t('fixFields') : open.error.message}
        </p>
      )}
      <form className="form" noValidate onSubmit={submit}>
        <Field label={t('colTitle')} error={problems.get('title')}>
          <input value={form.title} maxLength={200} onChange={(e) => set('title', e.target.value)} />
        </Field>
        <Field label={t('description')} error={problems.get('description')}>
          <textarea rows={6} value={form.description} onChange={(e) => set('description', e.target.value)} />
        </Field>
        <Field label={t('colSeverity')} error={problems.get('severity')}>
          <select value={form.severity} onChange={(e) => set('severity', e.target.value as OpenIncidentBody['severity'])}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('complexity')} error={problems.get('complexity')}>
          <select value={form.complexity} onChange={(e) => set('complexity', e.target.value as OpenIncidentBody['complexity'])}>
            {COMPLEXITIES.map((c) => (
              <option key={c} value={c}>
                {t(`complexity_${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('colSystem')} error={problems.get('system')}>
          <select value={form.system} onChange={(e) => set('system', e.target.value as OpenIncidentBody['system'])}>
            {SYSTEMS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('colCenter')} error={problems.get('center')}>
          <input value={form.center} onChange={(e) => set('center', e.target.value)} />
        </Field>
        <Field label={t('source')} error={problems.get('source')}>
          <select value={form.source} onChange={(e) => set('source', e.target.value as OpenIncidentBody['source'])}>
            {SOURCES.map((s) => (
              <option key={s} value={s}>
                {t(`source_${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        <div>
          <button type="submit" disabled={open.isPending}>
            {t('openIncident')}
          </button>
        </div>
      </form>
    </main>
  );
}
