import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, data } from '../../api/client';
import { HistoryTable } from '../../components/history-table';
import { UnreadPage } from '../../components/unread-page';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';
import { formatInstant } from '../../time';
import { LineActions } from './actions';
import { describeDetails, Section, StatusBadge, useKrw } from './parts';
import { SettlementFacts } from './settlement';
import type { InstalledItem, Line } from './types';

/** One line: status and step, what it holds on the PBX and the CTI, its acceptance record, contract, settlement, history; the actions valid now. */
export function LinePage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const line = useQuery({
    queryKey: ['line', id],
    queryFn: () => data(api.GET('/api/v1/lines/{id}', { params: { path: { id } } })),
    // The event stream refreshes on change (live.ts); this only catches what it missed.
    refetchInterval: 60_000,
  });
  if (line.isPending || line.isError) return <UnreadPage error={line.error} />;
  const l = line.data;
  return (
    <main className="line-page">
      <p>
        <Link to="/lines">{`← ${t('ln_inventory')}`}</Link>
      </p>
      <h1>{`${l.id} · ${l.dn} ${l.displayName}`}</h1>
      <dl className="facts overview">
        <dt>{t('ln_colStatus')}</dt>
        <dd>
          <StatusBadge status={l.status} />
        </dd>
        <dt>{t('ln_colStep')}</dt>
        <dd className="step">{l.step}</dd>
        <dt>{t('ln_colType')}</dt>
        <dd>{t(`ln_type_${l.lineType}` as MessageKey)}</dd>
        <dt>{t('ln_colCenter')}</dt>
        <dd>{l.center}</dd>
        <dt>{t('ln_requestedBy')}</dt>
        <dd>{`${l.requestedBy.id} · ${formatInstant(l.requestedAt, locale)}`}</dd>
        {l.routeTo && (
          <>
            <dt>{t('ln_routeTo')}</dt>
            <dd>{l.routeTo}</dd>
          </>
        )}
        {l.customerContact && (
          <>
            <dt>{t('ln_customerContact')}</dt>
            <dd>{l.customerContact}</dd>
          </>
        )}
      </dl>
      {l.failure && (
        <p className="failure" role="status">
          <strong>{`${t('ln_failure')}: `}</strong>
          {`${l.failure.step} — ${l.failure.type}: ${l.failure.cause}`}
        </p>
      )}
      <LineActions line={l} />
      <Requested line={l} />
      <Section id="installed-title" title={t('ln_installed')}>
        <Installed items={l.installed} />
      </Section>
      <Section id="acceptance-title" title={t('ln_acceptance')}>
        {l.acceptance ? (
          <dl className="facts acceptance">
            <dt>{t('ln_acceptanceCalled')}</dt>
            <dd>{l.acceptance.calledNumber}</dd>
            <dt>{t('ln_acceptanceRegister')}</dt>
            <dd>{l.acceptance.register}</dd>
            <dt>{t('ln_acceptanceCall')}</dt>
            <dd>{l.acceptance.call}</dd>
            <dt>{t('ln_acceptanceAt')}</dt>
            <dd>{formatInstant(l.acceptance.at, locale)}</dd>
            {l.acceptance.source && (
              <>
                <dt>{t('ln_acceptanceSource')}</dt>
                <dd>{t(`ln_source_${l.acceptance.source}` as MessageKey)}</dd>
              </>
            )}
          </dl>
        ) : (
          <p>{t('ln_acceptanceNone')}</p>
        )}
      </Section>
      <Section id="contract-title" title={t('ln_contract')}>
        <ContractFacts line={l} />
      </Section>
      {(l.termination || l.settlement) && (
        <Section id="termination-title" title={t('ln_termination')}>
          <Termination line={l} />
        </Section>
      )}
      {l.cancellation && (
        <Section id="cancellation-title" title={t('ln_cancellation')}>
          <p>{`${l.cancellation.reason} — ${l.cancellation.cancelledBy.id} · ${formatInstant(l.cancellation.cancelledAt, locale)}`}</p>
        </Section>
      )}
      <Section id="history-title" title={t('ln_history')}>
        <HistoryTable
          className="history"
          events={l.history}
          details={(e) => describeDetails(e.details)}
          headers={['ln_at', 'ln_event', 'ln_actor', 'ln_details']}
        />
      </Section>
    </main>
  );
}

/** What was asked for: the agent, the phone, the trunk. */
function Requested({ line }: { line: Line }) {
  const { t } = useI18n();
  const { agent, phone, trunk } = line;
  if (!agent && !phone && !trunk) return null;
  return (
    <>
      {agent && (
        <Section id="agent-title" title={t('ln_agent')}>
          <dl className="facts agent">
            <dt>{t('ln_agentLogin')}</dt>
            <dd>{agent.loginId}</dd>
            <dt>{t('ln_agentName')}</dt>
            <dd>{agent.name}</dd>
            <dt>{t('ln_agentTeam')}</dt>
            <dd>{agent.team ?? '—'}</dd>
            <dt>{t('ln_agentSkills')}</dt>
            <dd>{agent.skills.length ? agent.skills.map((s) => `${s.name} (${s.proficiency})`).join(', ') : '—'}</dd>
            <dt>{t('ln_agentQueues')}</dt>
            <dd>{agent.queues?.length ? agent.queues.join(', ') : '—'}</dd>
          </dl>
        </Section>
      )}
      {phone && (
        <Section id="phone-title" title={t('ln_phone')}>
          <dl className="facts phone">
            <dt>{t('ln_phoneIp')}</dt>
            <dd>{phone.ip}</dd>
            <dt>{t('ln_phoneMac')}</dt>
            <dd>{phone.mac ?? '—'}</dd>
            <dt>{t('ln_phoneModel')}</dt>
            <dd>{phone.model ?? '—'}</dd>
          </dl>
        </Section>
      )}
      {trunk && (
        <Section id="trunk-title" title={t('ln_trunk')}>
          <p>{trunk.description ? `${trunk.uri} — ${trunk.description}` : trunk.uri}</p>
        </Section>
      )}
    </>
  );
}

function itemObject(item: InstalledItem): string {
  switch (item.kind) {
    case 'pbx-extension':
    case 'pbx-phone':
      return `DN ${item.dn}`;
    case 'pbx-trunk':
      return item.trunkId;
    case 'pbx-dialplan':
      return item.ruleId;
    case 'cti-agent':
      return `${item.loginId} (${item.agentId})`;
    case 'cti-team-member':
      return `${item.team} (${item.teamId})`;
    case 'cti-queue-member':
      return `${item.queue} (${item.queueId})`;
    case 'cti-skills':
      return item.agentId;
  }
}

function Installed({ items }: { items: InstalledItem[] }) {
  const { t } = useI18n();
  if (!items.length) return <p>{t('ln_installedNone')}</p>;
  return (
    <table className="installed">
      <thead>
        <tr>
          <th scope="col">{t('ln_itemKind')}</th>
          <th scope="col">{t('ln_itemWhat')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item, n) => (
          <tr key={n} data-kind={item.kind}>
            <td>{t(`ln_item_${item.kind.replace(/-/g, '_')}` as MessageKey)}</td>
            <td>{'origin' in item && item.origin === 'adopted' ? `${itemObject(item)} — ${t('ln_origin_adopted')}` : itemObject(item)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ContractFacts({ line }: { line: Line }) {
  const { t, locale } = useI18n();
  const krw = useKrw();
  const c = line.contract;
  if (!c) return <p>{t('ln_contractNone')}</p>;
  return (
    <dl className="facts contract">
      <dt>{t('ln_contractNo')}</dt>
      <dd>{c.contractNo}</dd>
      <dt>{t('ln_carrier')}</dt>
      <dd>{c.carrier}</dd>
      <dt>{t('ln_monthlyFee')}</dt>
      <dd>{krw(c.monthlyFee)}</dd>
      <dt>{t('ln_termMonths')}</dt>
      <dd>{c.termMonths}</dd>
      <dt>{t('ln_signedAt')}</dt>
      <dd>{c.signedAt}</dd>
      <dt>{t('ln_recordedBy')}</dt>
      <dd>{`${c.recordedBy.id} · ${formatInstant(c.recordedAt, locale)}`}</dd>
    </dl>
  );
}

function Termination({ line }: { line: Line }) {
  const { t, locale } = useI18n();
  const term = line.termination;
  return (
    <>
      {term && (
        <dl className="facts termination">
          <dt>{t('ln_terminationReason')}</dt>
          <dd>{term.reason}</dd>
          <dt>{t('ln_requestedBy')}</dt>
          <dd>{`${term.requestedBy.id} · ${formatInstant(term.requestedAt, locale)}`}</dd>
          {term.effectiveDate && (
            <>
              <dt>{t('ln_effectiveDate')}</dt>
              <dd>{term.effectiveDate}</dd>
            </>
          )}
          <dt>{t('ln_equipmentReturnedAt')}</dt>
          <dd>{formatInstant(term.equipmentReturnedAt, locale)}</dd>
          {term.equipmentNote && (
            <>
              <dt>{t('ln_equipmentNote')}</dt>
              <dd>{term.equipmentNote}</dd>
            </>
          )}
        </dl>
      )}
      {line.settlement && <SettlementFacts settlement={line.settlement} />}
    </>
  );
}
