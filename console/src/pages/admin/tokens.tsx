import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, data } from '../../api/client';
import { columnsOf, DataTable, type Columns } from '../../components/data-table';
import { Field } from '../../components/field';
import { problemsByField } from '../../components/problems';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import { ConfirmButton, LoadError, PageTop, Unplaced } from './parts';
import type { ApiToken, IssuedToken, TokenRole } from './types';

const ROLES: readonly TokenRole[] = ['admin', 'spm', 'engineer', 'auditor', 'automation'];
const FORM_FIELDS = ['name', 'role'] as const;
const column = columnsOf<ApiToken>();

/** API tokens: who holds which, issued and revoked by whom; issue one (its secret shown once) or revoke one. */
export function TokensPage() {
  const { t, locale } = useI18n();
  const can = useCan();
  const queries = useQueryClient();
  const [notice, setNotice] = useState('');
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => data(api.GET('/api/v1/tokens')) });
  const canRevoke = can('deleteTokensById');
  const revoke = useMutation({
    mutationFn: (id: string) => data(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } })),
    onSuccess: (r) => setNotice(`${t('adm_tokenRevoked')}: ${r.id} (${r.name})`),
    onSettled: () => queries.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const columns = useMemo<Columns<ApiToken>>(
    () => [
      column.accessor('id', { header: t('adm_colTokenId'), cell: ({ row }) => <code>{row.original.id}</code> }),
      column.accessor('name', { header: t('adm_colHolder') }),
      column.accessor('role', { header: t('adm_colRole'), cell: ({ row }) => t(`role_${row.original.role}` as MessageKey) }),
      column.accessor('createdAt', {
        header: t('adm_colIssued'),
        cell: ({ row }) => `${formatInstant(row.original.createdAt, locale)} · ${t('adm_by')} ${row.original.createdBy}`,
      }),
      column.accessor('lastUsedAt', { header: t('adm_colLastUsed'), cell: ({ row }) => formatInstant(row.original.lastUsedAt, locale) }),
      column.accessor('revokedAt', {
        header: t('adm_colRevoked'),
        cell: ({ row }) =>
          row.original.revokedAt ? (
            <span className="revoked">{`${formatInstant(row.original.revokedAt, locale)} · ${t('adm_revokedBy')} ${row.original.revokedBy ?? ''}`}</span>
          ) : (
            t('adm_active')
          ),
      }),
      ...(canRevoke
        ? [
            column.display({
              id: 'actions',
              header: t('adm_colActions'),
              cell: ({ row }) =>
                row.original.revokedAt ? null : (
                  <ConfirmButton
                    action={t('adm_revoke')}
                    confirm={t('adm_confirmRevokeYes')}
                    question={t('adm_confirmRevoke')}
                    label={`${row.original.id} (${row.original.name})`}
                    busy={revoke.isPending}
                    onConfirm={() => revoke.mutate(row.original.id)}
                  />
                ),
            }),
          ]
        : []),
    ],
    [t, locale, canRevoke, revoke],
  );
  return (
    <main>
      <PageTop title={t('adm_tokens')}>
        <p>{t('adm_tokensIntro')}</p>
      </PageTop>
      {notice && (
        <p role="status" className="saved">
          {notice}
        </p>
      )}
      {revoke.isError && <p role="alert">{`${t('loadFailed')}: ${revoke.error.message}`}</p>}
      {issued && <IssuedSecret issued={issued} onDismiss={() => setIssued(null)} />}
      <section aria-labelledby="token-list-title">
        <h2 id="token-list-title">{t('adm_tokenList')}</h2>
        {tokens.isPending && <p>{t('loading')}</p>}
        {tokens.isError && <LoadError error={tokens.error} />}
        {tokens.data &&
          (tokens.data.items.length === 0 ? (
            <p>{t('adm_noTokens')}</p>
          ) : (
            <DataTable className="admin-table tokens" rows={tokens.data.items} columns={columns} rowId={(tok) => tok.id} />
          ))}
      </section>
      {can('postTokens') && (
        <IssueForm
          onIssued={(tok) => {
            setNotice('');
            setIssued(tok);
          }}
        />
      )}
    </main>
  );
}

/**
 * The secret of a token just issued: shown here once (kept only in this page's memory, never in the
 * URL or storage), with a copy button and the warning that it will not be shown again.
 */
function IssuedSecret({ issued, onDismiss }: { issued: IssuedToken; onDismiss: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'' | 'copied' | 'failed'>('');
  const copyIt = () => {
    field.current?.select();
    navigator.clipboard.writeText(issued.token).then(
      () => setCopy('copied'),
      () => setCopy('failed'),
    );
  };
  return (
    <section className="issued-secret panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{`${t('adm_issuedTitle')}: ${issued.name} (${t(`role_${issued.role}` as MessageKey)}) · ${issued.id}`}</h2>
      <p className="warning" role="alert">
        <strong>{`⚠ ${t('adm_issuedWarning')}`}</strong>
      </p>
      <label htmlFor={`${id}-secret`}>{t('adm_secret')}</label>
      <div className="secret-row">
        <input id={`${id}-secret`} ref={field} className="secret" type="text" readOnly value={issued.token} onFocus={(e) => e.target.select()} />
        <button type="button" onClick={copyIt}>
          {t('adm_copy')}
        </button>
      </div>
      <p role="status">{copy === 'copied' ? t('adm_copied') : copy === 'failed' ? t('adm_copyFailed') : ''}</p>
      <button type="button" onClick={onDismiss}>
        {t('adm_dismiss')}
      </button>
    </section>
  );
}

function IssueForm({ onIssued }: { onIssued: (issued: IssuedToken) => void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<TokenRole>('engineer');
  const issue = useMutation({
    mutationFn: () => data(api.POST('/api/v1/tokens', { body: { name, role } })),
    // The secret lives in the page's state alone (IssuedSecret), not in the mutation cache after it is handed over.
    gcTime: 0,
    onSuccess: (tok) => {
      setName('');
      onIssued(tok);
      issue.reset();
    },
    onSettled: () => queries.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const problems = problemsByField(issue.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    issue.mutate();
  };
  return (
    <section aria-labelledby="issue-title" className="panel">
      <h2 id="issue-title">{t('adm_issueToken')}</h2>
      <p className="hint">{t('adm_issueHint')}</p>
      <form className="admin-form" onSubmit={submit} noValidate>
        <Unplaced problems={problems} fields={FORM_FIELDS} error={issue.error} />
        <Field label={t('adm_fieldHolder')} error={problems.get('name')}>
          <input name="name" type="text" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('adm_fieldRole')} error={problems.get('role')}>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as TokenRole)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role_${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit" disabled={issue.isPending}>
            {t('adm_issue')}
          </button>
        </div>
      </form>
    </section>
  );
}
