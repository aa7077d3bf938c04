import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { api, data } from '../../api/client';
import { columnsOf, DataTable, type Columns } from '../../components/data-table';
import { Field } from '../../components/field';
import { problemsByField } from '../../components/problems';
import { useUrlState } from '../../components/use-url-state';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan } from '../../me';
import { ConfirmButton, LoadError, PageTop, Unplaced } from './parts';
import type { Audience, Contact, ContactBody, DutyHours } from './types';

const AUDIENCES: readonly Audience[] = ['spm', 'customer', 'oncall', 'engineer', 'admin'];
const HOURS: readonly DutyHours[] = ['business', 'after-hours', 'always'];
const FORM_FIELDS = ['name', 'email', 'webhookUrl', 'audience', 'hours', 'center', 'active'] as const;
const column = columnsOf<Contact>();

/** The notification roster: who hears about what, in and out of business hours; filters in the URL. */
export function ContactsPage() {
  const { t } = useI18n();
  const { get, set } = useUrlState();
  const can = useCan();
  const [notice, setNotice] = useState('');
  const contacts = useQuery({ queryKey: ['contacts'], queryFn: () => data(api.GET('/api/v1/contacts')) });
  const audience = AUDIENCES.find((a) => a === get('audience'));
  const hours = HOURS.find((h) => h === get('hours'));
  const rows = (contacts.data?.items ?? []).filter((c) => (!audience || c.audience === audience) && (!hours || c.hours === hours));
  const queries = useQueryClient();
  const canDelete = can('deleteContactsById');
  const remove = useMutation({
    mutationFn: (id: number) => data(api.DELETE('/api/v1/contacts/{id}', { params: { path: { id } } })),
    onSuccess: (_r, id) => setNotice(`${t('adm_contactRemoved')}: #${id}`),
    onSettled: () => queries.invalidateQueries({ queryKey: ['contacts'] }),
  });
  const columns = useMemo<Columns<Contact>>(
    () => [
      column.accessor('name', { header: t('adm_colName') }),
      column.accessor('audience', { header: t('adm_colAudience'), cell: ({ row }) => t(`adm_audience_${row.original.audience}` as MessageKey) }),
      column.accessor('hours', { header: t('adm_colHours'), cell: ({ row }) => t(`adm_hours_${row.original.hours}` as MessageKey) }),
      column.accessor('center', { header: t('adm_colCenter'), cell: ({ row }) => row.original.center ?? t('adm_allCenters') }),
      column.accessor('email', { header: t('adm_colEmail'), cell: ({ row }) => row.original.email ?? '—' }),
      column.accessor('webhookUrl', { header: t('adm_colWebhook'), cell: ({ row }) => row.original.webhookUrl ?? '—' }),
      column.accessor('active', { header: t('adm_colActive'), cell: ({ row }) => (row.original.active ? t('adm_yes') : t('adm_no')) }),
      ...(canDelete
        ? [
            column.display({
              id: 'actions',
              header: t('adm_colActions'),
              cell: ({ row }) => (
                <ConfirmButton
                  action={t('adm_delete')}
                  confirm={t('adm_confirmYes')}
                  question={t('adm_confirmDelete')}
                  label={row.original.name}
                  busy={remove.isPending}
                  onConfirm={() => remove.mutate(row.original.id)}
                />
              ),
            }),
          ]
        : []),
    ],
    [t, canDelete, remove],
  );
  return (
    <main>
      <PageTop title={t('adm_contacts')}>
        <p>{t('adm_contactsIntro')}</p>
      </PageTop>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Choice
          label={t('adm_filterAudience')}
          value={audience ?? ''}
          options={AUDIENCES}
          name={(a) => t(`adm_audience_${a}` as MessageKey)}
          onChange={(v) => set('audience', v)}
        />
        <Choice
          label={t('adm_filterHours')}
          value={hours ?? ''}
          options={HOURS}
          name={(h) => t(`adm_hours_${h}` as MessageKey)}
          onChange={(v) => set('hours', v)}
        />
      </form>
      {notice && (
        <p role="status" className="saved">
          {notice}
        </p>
      )}
      {remove.isError && <p role="alert">{`${t('loadFailed')}: ${remove.error.message}`}</p>}
      <section aria-labelledby="roster-title">
        <h2 id="roster-title">{t('adm_roster')}</h2>
        {contacts.isPending && <p>{t('loading')}</p>}
        {contacts.isError && <LoadError error={contacts.error} />}
        {contacts.data &&
          (rows.length === 0 ? (
            <p>{t('adm_noContacts')}</p>
          ) : (
            <DataTable className="admin-table contacts" rows={rows} columns={columns} rowId={(c) => String(c.id)} />
          ))}
      </section>
      {can('postContacts') && <ContactForm onAdded={(c) => setNotice(`${t('adm_contactAdded')}: ${c.name}`)} />}
    </main>
  );
}

/** A filter whose options are named in the page's language; "all" is the empty value. */
function Choice<T extends string>({
  label,
  value,
  options,
  name,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly T[];
  name: (v: T) => string;
  onChange: (v: string) => void;
}) {
  const { t } = useI18n();
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('adm_all')}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {name(o)}
          </option>
        ))}
      </select>
    </label>
  );
}

function ContactForm({ onAdded }: { onAdded: (c: Contact) => void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const empty = { name: '', email: '', webhookUrl: '', center: '' };
  const [text, setText] = useState(empty);
  const [audience, setAudience] = useState<Audience>('oncall');
  const [hours, setHours] = useState<DutyHours>('after-hours');
  const [active, setActive] = useState(true);
  const add = useMutation({
    mutationFn: (body: ContactBody) => data(api.POST('/api/v1/contacts', { body })),
    onSuccess: (c) => {
      setText(empty);
      onAdded(c);
    },
    onSettled: () => queries.invalidateQueries({ queryKey: ['contacts'] }),
  });
  const problems = problemsByField(add.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // An optional field left empty is not sent (the API reads it as "none").
    const optional = (v: string) => (v.trim() === '' ? undefined : v);
    add.mutate({ name: text.name, email: optional(text.email), webhookUrl: optional(text.webhookUrl), center: optional(text.center), audience, hours, active });
  };
  const input = (key: keyof typeof empty, type = 'text') => (
    <input name={key} type={type} value={text[key]} onChange={(e) => setText({ ...text, [key]: e.target.value })} />
  );
  return (
    <section aria-labelledby="contact-form-title" className="panel">
      <h2 id="contact-form-title">{t('adm_addContact')}</h2>
      <p className="hint">{t('adm_contactHint')}</p>
      <form className="admin-form" onSubmit={submit} noValidate>
        <Unplaced problems={problems} fields={FORM_FIELDS} error={add.error} />
        <Field label={t('adm_fieldName')} error={problems.get('name')}>
          {input('name')}
        </Field>
        <Field label={t('adm_fieldEmail')} error={problems.get('email')}>
          {input('email', 'email')}
        </Field>
        <Field label={t('adm_fieldWebhook')} error={problems.get('webhookUrl')}>
          {input('webhookUrl', 'url')}
        </Field>
        <Field label={t('adm_fieldAudience')} error={problems.get('audience')}>
          <select name="audience" value={audience} onChange={(e) => setAudience(e.target.value as Audience)}>
            {AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {t(`adm_audience_${a}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('adm_fieldHours')} error={problems.get('hours')}>
          <select name="hours" value={hours} onChange={(e) => setHours(e.target.value as DutyHours)}>
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {t(`adm_hours_${h}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('adm_fieldCenter')} error={problems.get('center')}>
          {input('center')}
        </Field>
        <Field label={t('adm_fieldActive')} error={problems.get('active')}>
          <input name="active" type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
        </Field>
        <div className="form-actions">
          <button type="submit" disabled={add.isPending}>
            {t('adm_addContact')}
          </button>
        </div>
      </form>
    </section>
  );
}
