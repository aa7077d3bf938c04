import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useI18n } from '../../i18n';
import { AuditLogPage } from './log';
import { SlaProofPage } from './sla-proof';
import { VerifyPage } from './verify';
import { WorkflowPage } from './workflow';
import { WorkflowsPage } from './workflows';
import './audit.css';

/**
 * The audit pages (감사), read-only but for exporting a running workflow's history: archived
 * workflows by business key, each one's timeline, exact history and audit-trail PDF, an incident's
 * SLA proof, the verification of the audit chain and the audit log.
 */
export default function AuditArea() {
  const { t } = useI18n();
  return (
    <>
      <nav className="audit-nav" aria-label={t('audit_nav')}>
        <NavLink to="/audit" end>
          {t('audit_navWorkflows')}
        </NavLink>
        <NavLink to="/audit/verify">{t('audit_navVerify')}</NavLink>
        <NavLink to="/audit/log">{t('audit_navLog')}</NavLink>
      </nav>
      <Routes>
        <Route index element={<WorkflowsPage />} />
        <Route path="workflows/:workflowId" element={<WorkflowPage />} />
        <Route path="incidents/:id/sla" element={<SlaProofPage />} />
        <Route path="verify" element={<VerifyPage />} />
        <Route path="log" element={<AuditLogPage />} />
        <Route path="*" element={<Navigate to="/audit" replace />} />
      </Routes>
    </>
  );
}
