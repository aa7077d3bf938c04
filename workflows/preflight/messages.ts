import type { PreflightInput } from '../../domain/preflight';

/** The id of a request's preflight: one per request body (`digest`: its hash), so two identical requests at once share one run. */
export function preflightWorkflowId(kind: PreflightInput['kind'], digest: string): string {
  return `preflight-${kind}-${digest}`;
}
