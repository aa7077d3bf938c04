/**
 * Every patch id the workflows use, with the change it guards. A patch id stays
 * here for as long as a history that predates it may still replay (running
 * workflows, the archive, the committed fixtures): renaming or dropping one makes
 * those histories take the new path and fail replay.
 */
export const PATCHES = {
  /**
   * The read model (and the change window hold) is written by a regular activity,
   * not a local one. Local activities outstanding at once, or one outstanding while
   * an Update or a timer arrives, were resolved in other activations on replay than
   * when recorded, and the replay failed (issue 11: an incident froze after a note
   * landed in the task of a fired SLA timer).
   */
  projectionActivity: 'projection-as-activity',
  /**
   * A decision (a change's final approval) that awaits before it is recorded is
   * re-checked after the await: a change cancelled meanwhile gives its window back
   * and the approval is refused, instead of both being told "accepted".
   */
  decideBeforeAwait: 'decide-before-await',
  /** An incident pending on the customer sends the customer no status reports (deadlines.ts). */
  statusReportsPauseOnCustomer: 'status-reports-pause-on-customer',
  /** A long-lived incident continues as new, carrying its whole state (incident/workflow.ts). */
  continueAsNew: 'incident-continue-as-new',
  /** A line awaiting its contract or equipment, a change awaiting approval, continue as new when their history grows long (handover.ts). */
  waitsContinueAsNew: 'waits-continue-as-new',
  /** A line's acceptance record says whether SIP went through a real PBX or the PBX simulator decided (`source`). */
  acceptanceSource: 'acceptance-source',
  /**
   * A line's provisioning can be cancelled before its contract (the `cancel` Update): the contract
   * wait wakes on it, the line becomes CANCELLED, what was installed is undone, the SPM is told.
   * No earlier history can hold a cancel Update (one without a handler is refused before it enters
   * history), so the wider wake-up condition changes nothing when they replay; the cancel handler
   * records this marker so the runs that took the path can be told apart (and the path retired).
   */
  provisioningCancel: 'provisioning-cancel',
} as const;
