import type { Pool } from 'pg';
import { createAuditAnchorActivities } from './audit-anchor';
import { createBillingActivities } from './billing';
import { createBillingReportActivities } from './billing-report';
import { createChangeActivities } from './changes';
import { createChangeRecordActivities } from './change-records';
import type { CtiClient } from '../adapters/cti/cti-client';
import { createIncidentProjectionActivities } from './incident-projection';
import { createCollectors } from './inspection/collectors';
import { createInspectionActivities } from './inspection/inspection-activities';
import { createInspectionReportActivities } from './inspection/inspection-report-activity';
import type { TelemetryClient } from '../adapters/telemetry/telemetry-client';
import { createLineActivities } from './line-installation';
import { createLineBatchActivities } from './line-batch';
import { createNotificationActivities } from './notifications';
import { createPreflightActivities } from './preflight';
import type { LineAcceptance } from '../adapters/pbx/line-acceptance';
import type { AcceptancePlan } from '../adapters/pbx/line-routing';
import type { PbxClient } from '../adapters/pbx/pbx-client';
import type { SimulatedVendors } from '../domain/data-source';
import { createQsrActivities } from './qsr/qsr-activities';
import type { BrowserPool } from '../reports/browser-pool';
import { createAuditTrailActivities } from './reports/audit-trail-activity';
import { createSlaWhatIfActivities } from './reports/sla-what-if-activity';
import { createIncidentReportActivities } from './reports/incident-report-activity';
import { createReportRenderer } from '../reports/render-report';
import { createReportStore } from '../reports/report-store';

import type { OutboundPolicy } from '../system/outbound-url';
import type { AuditSigner } from '../domain/audit/seal';

export interface ActivityDeps {
  pool: Pool;
  /** Seals the audit entries the activities append and signs the chain's anchors. */
  auditSigner: AuditSigner;
  mail: { smtpUrl?: string; from: string };
  webhookUrl?: string;
  /** Where webhooks may go (system/outbound-url.ts); the strictest if not given. */
  outbound?: OutboundPolicy;
  pbx: PbxClient;
  cti: CtiClient;
  telemetry: TelemetryClient;
  acceptance: LineAcceptance;
  acceptancePlan: AcceptancePlan;
  /** Which of pbx, cti, telemetry is a stand-in: what is derived from its data is marked simulated. */
  simulated: SimulatedVendors;
  /** The worker's one long-lived Chromium for PDF reports. */
  browser: BrowserPool;
}

/** Every activity the worker hosts, built over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  const renderAndStore = createReportStore({ pool: deps.pool, renderer: createReportRenderer({ browser: deps.browser }) });
  const collectors = createCollectors(deps);
  return {
    ...createIncidentProjectionActivities(deps),
    ...createNotificationActivities(deps),
    ...createLineActivities(deps),
    ...createLineBatchActivities(deps),
    ...createPreflightActivities(deps),
    ...createChangeRecordActivities(deps),
    ...createBillingActivities(deps),
    ...createChangeActivities(deps),
    ...createIncidentReportActivities({ pool: deps.pool, auditSigner: deps.auditSigner, renderAndStore }),
    ...createAuditTrailActivities({ pool: deps.pool, renderAndStore }),
    ...createSlaWhatIfActivities({ pool: deps.pool, auditSigner: deps.auditSigner, renderAndStore }),
    ...createInspectionActivities({ pool: deps.pool, collectors }),
    ...createInspectionReportActivities({ pool: deps.pool, auditSigner: deps.auditSigner, renderAndStore }),
    ...createQsrActivities({
      pool: deps.pool,
      auditSigner: deps.auditSigner,
      cti: deps.cti,
      ctiSimulated: deps.simulated.cti,
      pbx: deps.pbx,
      pbxSimulated: deps.simulated.pbx,
      renderAndStore,
    }),
    ...createAuditAnchorActivities(deps),
    ...createBillingReportActivities({ pool: deps.pool, auditSigner: deps.auditSigner, renderAndStore }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
