import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/ko';

/** Small pieces the audit pages share. */

/** The workflow types Butler runs (the archive's `workflowType`), each with its name in the catalogue. */
export const WORKFLOW_TYPES = [
  'incidentWorkflow',
  'lineProvisioningWorkflow',
  'lineProvisioningBatchWorkflow',
  'lineTerminationWorkflow',
  'changeRequestWorkflow',
  'inspectionWorkflow',
  'qsrWorkflow',
  'auditTrailWorkflow',
  'preflightWorkflow',
] as const;

export const FINAL_STATUSES = ['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'] as const;

export function useTypeName(): (type: string) => string {
  const { t } = useI18n();
  return (type) => ((WORKFLOW_TYPES as readonly string[]).includes(type) ? t(`audit_type_${type}` as MessageKey) : type);
}

/** The incident a workflow is the lifecycle of (incident-INC-000001 → INC-000001), if it is one. */
export function incidentOf(workflowId: string): string | null {
  return /^incident-(INC-\d+)$/.exec(workflowId)?.[1] ?? null;
}

/** A hash shown short, the whole of it in the title and for copying. */
export function Sha({ value, full = false }: { value: string; full?: boolean }) {
  return (
    <code className="sha" title={value}>
      {full ? value : `${value.slice(0, 12)}…`}
    </code>
  );
}

/** A select whose options have names (the filters' `Select` shows raw values). */
export function NamedSelect({
  label,
  value,
  options,
  onChange,
  any,
}: {
  label: string;
  value: string;
  options: ReadonlyArray<{ value: string; name: string }>;
  onChange: (v: string) => void;
  any?: string;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {any !== undefined && <option value="">{any}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A failed read as a sentence: not found in the page's words, anything else with the API's message. */
export function LoadError({ error, notFound }: { error: Error; notFound?: ReactNode }) {
  const { t } = useI18n();
  if (error instanceof ApiError && error.status === 404 && notFound) return <>{notFound}</>;
  return <p role="alert">{`${t('loadFailed')}: ${error.message}`}</p>;
}
