import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, data } from '../../api/client';
import { Field } from '../../components/field';
import { useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { BatchForm } from './batch-form';
import { complaints, FormAlert } from './parts';
import { LINE_TYPES, type ProvisionRequest } from './types';

/** Provisioning (개통 신청): one line, or a batch of them (?mode=batch). */
export function NewLinePage() {
  const { t } = useI18n();
  const { get, set } = useUrlState();
  const batch = get('mode') === 'batch';
  return (
    <main>
      <p>
        <Link to="/lines">{`← ${t('ln_inventory')}`}</Link>
      </p>
      <h1>{t('ln_newLine')}</h1>
      <nav className="views" aria-label={t('ln_mode')}>
        <button type="button" aria-pressed={!batch} onClick={() => set('mode', '')}>
          {t('ln_single')}
        </button>
        <button type="button" aria-pressed={batch} onClick={() => set('mode', 'batch')}>
          {t('ln_batch')}
        </button>
      </nav>
      {batch ? <BatchForm /> : <SingleForm />}
    </main>
  );
}

const EMPTY = {
  center: '',
  dn: '',
  displayName: '',
  lineType: 'extension' as ProvisionRequest['lineType'],
  customerContact: '',
  routeTo: '',
  trunkUri: '',
  withAgent: false,
  loginId: '',
  agentName: '',
  team: '',
  skills: '',
  queues: '',
  withPhone: false,
  ip: '',
  mac: '',
  model: '',
};

/** "상담:3, 영어:2" → skills; a part without a proficiency is sent as it is, for the API to name. */
function skillsOf(text: string): Array<{ name: string; proficiency: number }> {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const at = s.lastIndexOf(':');
      return at < 0 ? { name: s, proficiency: Number.NaN } : { name: s.slice(0, at).trim(), proficiency: Number(s.slice(at + 1).trim()) };
    });
}

const listOf = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function SingleForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [f, setF] = useState(EMPTY);
  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) => setF({ ...f, [key]: e.target.value });
  const toggle = (key: 'withAgent' | 'withPhone') => (e: { target: { checked: boolean } }) => setF({ ...f, [key]: e.target.checked });
  const pri = f.lineType === 'pri';
  const did = f.lineType === 'did';
  const agent = f.withAgent && !pri;

  const body: ProvisionRequest = {
    center: f.center,
    dn: f.dn.trim(),
    displayName: f.displayName,
    lineType: f.lineType,
    ...(f.customerContact.trim() ? { customerContact: f.customerContact.trim() } : {}),
    ...(did && f.routeTo.trim() ? { routeTo: f.routeTo.trim() } : {}),
    ...(pri ? { trunk: { uri: f.trunkUri.trim() } } : {}),
    ...(agent
      ? {
          agent: {
            loginId: f.loginId.trim(),
            name: f.agentName,
            team: f.team,
            skills: skillsOf(f.skills),
            ...(f.queues.trim() ? { queues: listOf(f.queues) } : {}),
          },
        }
      : {}),
    ...(f.withPhone
      ? { phone: { ip: f.ip.trim(), ...(f.mac.trim() ? { mac: f.mac.trim() } : {}), ...(f.model.trim() ? { model: f.model.trim() } : {}) } }
      : {}),
  };
  const submit = useMutation({
    mutationFn: () => data(api.POST('/api/v1/lines/provisioning', { body })),
    onSuccess: (line) => {
      void queries.invalidateQueries({ queryKey: ['lines'] });
      void navigate(`/lines/${line.id}`);
    },
  });
  const fields = [
    'center',
    'dn',
    'displayName',
    'lineType',
    'customerContact',
    ...(did ? ['routeTo'] : []),
    ...(pri ? ['trunk'] : ['agent']),
    ...(agent ? ['agent.loginId', 'agent.name', 'agent.team', 'agent.skills', 'agent.queues'] : []),
    'phone',
    ...(f.withPhone ? ['phone.ip', 'phone.mac', 'phone.model'] : []),
  ];
  const c = complaints(submit.error, fields);

  return (
    <form
      className="line-form"
      aria-label={t('ln_single')}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        submit.mutate();
      }}
    >
      <FormAlert messages={c.rest} />
      <div className="form-grid">
        <Field label={t('ln_colCenter')} error={c.at('center')}>
          <input name="center" value={f.center} onChange={set('center')} required />
        </Field>
        <Field label={t('ln_colDn')} error={c.at('dn')}>
          <input name="dn" value={f.dn} onChange={set('dn')} inputMode="numeric" required />
        </Field>
        <Field label={t('ln_colName')} error={c.at('displayName')}>
          <input name="displayName" value={f.displayName} onChange={set('displayName')} required />
        </Field>
        <Field label={t('ln_colType')} error={c.at('lineType')}>
          <select name="lineType" value={f.lineType} onChange={set('lineType')}>
            {LINE_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`ln_type_${type}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('ln_customerContact')} error={c.at('customerContact')}>
          <input name="customerContact" type="email" value={f.customerContact} onChange={set('customerContact')} />
        </Field>
        {did && (
          <Field label={t('ln_routeTo')} error={c.at('routeTo')}>
            <input name="routeTo" value={f.routeTo} onChange={set('routeTo')} inputMode="numeric" />
          </Field>
        )}
        {pri && (
          <Field label={t('ln_trunkUri')} error={c.at('trunk')}>
            <input name="trunk.uri" value={f.trunkUri} onChange={set('trunkUri')} placeholder="sip:10.0.0.1:5060" />
          </Field>
        )}
      </div>
      {!pri && (
        <fieldset>
          <legend>{t('ln_agent')}</legend>
          <Field label={t('ln_withAgent')} error={c.at('agent')}>
            <input name="withAgent" type="checkbox" checked={f.withAgent} onChange={toggle('withAgent')} />
          </Field>
          {agent && (
            <div className="form-grid">
              <Field label={t('ln_agentLogin')} error={c.at('agent.loginId')}>
                <input name="agent.loginId" type="email" value={f.loginId} onChange={set('loginId')} required />
              </Field>
              <Field label={t('ln_agentName')} error={c.at('agent.name')}>
                <input name="agent.name" value={f.agentName} onChange={set('agentName')} required />
              </Field>
              <Field label={t('ln_agentTeam')} error={c.at('agent.team')}>
                <input name="agent.team" value={f.team} onChange={set('team')} required />
              </Field>
              <Field label={`${t('ln_agentSkills')} — ${t('ln_agentSkillsHint')}`} error={c.at('agent.skills')}>
                <input name="agent.skills" value={f.skills} onChange={set('skills')} />
              </Field>
              <Field label={`${t('ln_agentQueues')} — ${t('ln_agentQueuesHint')}`} error={c.at('agent.queues')}>
                <input name="agent.queues" value={f.queues} onChange={set('queues')} />
              </Field>
            </div>
          )}
        </fieldset>
      )}
      <fieldset>
        <legend>{t('ln_phone')}</legend>
        <Field label={t('ln_withPhone')} error={c.at('phone')}>
          <input name="withPhone" type="checkbox" checked={f.withPhone} onChange={toggle('withPhone')} />
        </Field>
        {f.withPhone && (
          <div className="form-grid">
            <Field label={t('ln_phoneIp')} error={c.at('phone.ip')}>
              <input name="phone.ip" value={f.ip} onChange={set('ip')} required />
            </Field>
            <Field label={t('ln_phoneMac')} error={c.at('phone.mac')}>
              <input name="phone.mac" value={f.mac} onChange={set('mac')} placeholder="00:11:22:33:44:55" />
            </Field>
            <Field label={t('ln_phoneModel')} error={c.at('phone.model')}>
              <input name="phone.model" value={f.model} onChange={set('model')} />
            </Field>
          </div>
        )}
      </fieldset>
      <button type="submit" disabled={submit.isPending}>
        {t('ln_newLine')}
      </button>
    </form>
  );
}
