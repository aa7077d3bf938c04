import { useQuery } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { formatInstant } from '../../time';
import { LoadError, Sha } from './parts';
import type { ChainVerdict } from './types';

/**
 * /audit/verify — the hash-chained audit log re-walked from its first entry, each time the page
 * opens (or on "verify again"): intact with how many entries, or the first entry that does not follow and why.
 */
/** What the chain was checked with: the audit key, where sealing began, and the latest anchor to compare with the one mailed. */
function SealFacts({ v }: { v: ChainVerdict }) {
  const { t, locale } = useI18n();
  const latest = v.anchors.latest;
  return (
    <>
      <dt>{t('audit_keyId')}</dt>
      <dd className="key-id">{v.keyId}</dd>
      <dt>{t('audit_sealedFrom')}</dt>
      <dd>{v.sealedFrom === null ? t('audit_notSealed') : `#${v.sealedFrom}`}</dd>
      <dt>{t('audit_latestAnchor')}</dt>
      <dd className="latest-anchor">
        {latest ? (
          <>
            {`#${latest.no} · seq ${latest.seq} · ${formatInstant(latest.signedAt, locale)} · `}
            <Sha value={latest.hash} full />
          </>
        ) : (
          t('audit_noAnchor')
        )}
      </dd>
    </>
  );
}

export function VerifyPage() {
  const { t, locale } = useI18n();
  const verdict = useQuery({
    queryKey: ['audit-verify'],
    queryFn: () => data(api.GET('/api/v1/audit/verify')),
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  const v = verdict.data;
  return (
    <main>
      <h1>{t('audit_verifyTitle')}</h1>
      <p className="hint">{t('audit_verifyHint')}</p>
      <button type="button" disabled={verdict.isFetching} onClick={() => void verdict.refetch()}>
        {verdict.isFetching ? t('audit_verifying') : t('audit_verifyAgain')}
      </button>
      {verdict.isError && <LoadError error={verdict.error} />}
      {v && (
        <section aria-labelledby="audit-verdict-title" className={`chain-verdict ${v.ok ? 'ok' : 'broken'}`} aria-busy={verdict.isFetching}>
          {v.ok ? (
            <div role="status">
              <h2 id="audit-verdict-title">{`✔ ${t('audit_intact')}`}</h2>
              <p>{`${t('audit_intactDetail')} (${v.checked.toLocaleString(locale)}${t('cases')})`}</p>
              <dl className="facts">
                <dt>{t('audit_checked')}</dt>
                <dd className="checked">{v.checked}</dd>
                <dt>{t('audit_lastHash')}</dt>
                <dd>
                  <Sha value={v.lastHash} full />
                </dd>
                <dt>{t('audit_verifiedAt')}</dt>
                <dd>{formatInstant(new Date(verdict.dataUpdatedAt).toISOString(), locale)}</dd>
                <SealFacts v={v} />
              </dl>
            </div>
          ) : (
            <div role="alert">
              <h2 id="audit-verdict-title">{`✘ ${t('audit_broken')}`}</h2>
              <dl className="facts">
                <dt>{t('audit_brokenAt')}</dt>
                <dd className="broken-at">{`#${v.brokenAt}`}</dd>
                <dt>{t('audit_brokenCause')}</dt>
                <dd className="broken-cause">{t(`audit_cause_${v.cause.replace('-', '_')}` as MessageKey)}</dd>
                {v.range && (
                  <>
                    <dt>{t('audit_range')}</dt>
                    <dd className="broken-range">{`#${v.range.from} – #${v.range.to}`}</dd>
                  </>
                )}
                <dt>{t('audit_checkedBefore')}</dt>
                <dd>{v.checked}</dd>
                <dt>{t('audit_serverReason')}</dt>
                <dd>{v.reason}</dd>
                <dt>{t('audit_verifiedAt')}</dt>
                <dd>{formatInstant(new Date(verdict.dataUpdatedAt).toISOString(), locale)}</dd>
                <SealFacts v={v} />
              </dl>
            </div>
          )}
        </section>
      )}
      {verdict.isPending && <p>{t('audit_verifying')}</p>}
    </main>
  );
}
