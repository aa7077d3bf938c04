/** The id of a request's preflight: one per request body (`digest`: its hash), so two identical requests at once share one run. */
export function preflightWorkflowId(kind: 'line' | 'change', digest: string): string {
  return `preflight-${kind}-${digest}`;
}
