/** The incident's workflow id: the API, the inspection's incidents and the archive all find an incident's run by it. */
export function incidentWorkflowId(incidentId: string): string {
  return `incident-${incidentId}`;
}
