import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, data } from '../../api/client';
import { bareColumnId, columnsOf, DataTable } from '../../components/data-table';
import { UnreadPage } from '../../components/unread-page';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { useCan } from '../../me';
import { formatInstant } from '../../time';
import { ContractForm } from './contract-form';
import { Section, StatusBadge, useKrw } from './parts';
import type { LineBatch } from './types';

type BatchLine = LineBatch['lines'][number];
const column = columnsOf<BatchLine>();

/** A batch of lines (일괄 개통): its status, lines per status, each line linked; the contract for all while it waits. */
export function BatchPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const can = useCan();
  const krw = useKrw();
  const queries = useQueryClient();
  const batch = useQuery({
    queryKey: ['line-batch', id],
    queryFn: () => data(api.GET('/api/v1/line-batches/{id}', { params: { path: { id } } })),
    // The event stream refreshes on change (live.ts); this only catches what it missed.
    refetchInterval: 60_000,
  });
  if (batch.isPending || batch.isError) return <UnreadPage error={batch.error} />;
  const b = batch.data;
  const columns = [
    column.accessor('lineId', { header: t('ln_colId'), cell: (c) => <Link to={`/lines/${c.getValue()}`}>{c.getValue()}</Link> }),
    column.accessor('dn', { header: t('ln_colDn') }),
    column.accessor('status', { header: t('ln_colStatus'), cell: (c) => <StatusBadge status={c.getValue()} /> }),
    column.accessor('step', { header: t('ln_colStep') }),
    column.accessor('contract', {
      header: t('ln_contractOutcome'),
      cell: (c) => (c.getValue() === 'recorded' ? t('ln_contract_recorded') : (c.getValue() ?? '—')),
    }),
    column.accessor((l) => (l.failure ? `${l.failure.type}: ${l.failure.cause}` : ''), { id: 'failure', header: t('ln_failure') }),
  ];
  const waiting = (b.counts.PENDING_CONTRACT ?? 0) > 0;
  return (
    <main>
      <p>
        <Link to="/lines">{`← ${t('ln_inventory')}`}</Link>
      </p>
      <h1>{`${t('ln_lineBatch')} ${b.id}`}</h1>
      <dl className="facts overview">
        <dt>{t('ln_colStatus')}</dt>
        <dd className="batch-status" data-status={b.status}>
          {t(`ln_batchStatus_${b.status}` as MessageKey)}
        </dd>
        <dt>{t('ln_colStep')}</dt>
        <dd>{b.step}</dd>
        <dt>{t('ln_colCenter')}</dt>
        <dd>{b.center}</dd>
        <dt>{t('ln_agentTeam')}</dt>
        <dd>{b.team ?? '—'}</dd>
        <dt>{t('ln_requestedBy')}</dt>
        <dd>{`${b.requestedBy.id} · ${formatInstant(b.requestedAt, locale)}`}</dd>
        <dt>{t('ln_contract')}</dt>
        <dd>{b.contract ? `${b.contract.carrier} ${b.contract.contractNo} · ${krw(b.contract.monthlyFee)} × ${b.contract.termMonths}` : '—'}</dd>
      </dl>
      <Section id="counts-title" title={t('ln_counts')}>
        <table className="counts">
          <thead>
            <tr>
              <th scope="col">{t('ln_colStatus')}</th>
              <th scope="col">{t('ln_count')}</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(b.counts).map(([status, n]) => (
              <tr key={status} data-status={status}>
                <th scope="row">{t(`ln_status_${status}` as MessageKey)}</th>
                <td>{n}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('ln_total')}</th>
              <td>{b.total}</td>
            </tr>
          </tbody>
        </table>
      </Section>
      {b.status === 'RUNNING' && !b.contract && waiting && can('postLineBatchesByIdContract') && (
        <Section id="batch-contract-title" title={t('ln_actions')}>
          <ContractForm
            title={t('ln_batchContract')}
            hint={t('ln_batchContractHint')}
            submit={(body) => data(api.POST('/api/v1/line-batches/{id}/contract', { params: { path: { id } }, body }))}
            done={(answer) => {
              queries.setQueryData(['line-batch', id], answer);
              void queries.invalidateQueries({ queryKey: ['lines'] });
            }}
          />
        </Section>
      )}
      <Section id="batch-lines-title" title={t('ln_batchRows')}>
        <DataTable className="batch-lines" cellClass={bareColumnId} rows={b.lines} columns={columns} rowId={(l) => l.lineId} />
      </Section>
    </main>
  );
}
