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
   * A change whose run fails before anything was touched (the snapshot step failed, e.g. its target
   * is gone) ends FAILED; ROLLED_BACK now means something was applied and the snapshot restored
   * (issue 13). Histories recorded before end ROLLED_BACK "nothing was changed".
   */
  changeFailedBeforeTouching: 'change-failed-before-touching',
  /**
   * The inventory follows every change (issue 13): a COMPLETED dn-change, ip-change,
   * skillset or agent-account change records itself on the line it altered
   * (`recordLineChange`: the line row's fields and a `changed-by:<change id>` entry),
   * and the change's history says which line, or why none (change/workflow.ts).
   */
  inventoryFollowsChanges: 'inventory-follows-changes',
  /**
   * Termination honours its effective date (line/termination.ts): before 00:00 Asia/Seoul of
   * that day the line is TERMINATION_SCHEDULED, in service, and a `cancelTermination` Update
   * returns it to ACTIVE; a timer to that instant, then the process as before. The equipment
   * deadline counts from when the termination goes ahead.
   */
  terminationEffectiveDate: 'termination-effective-date',
  /**
   * Termination removes what exists (line/termination.ts): `reconcileLine` asks the PBX and the
   * CTI what the line has before removal (what it did not list is removed too) and after;
   * removal retries a bounded number of times (DEPROVISIONING, not untilDone), and anything
   * left or failed ends TERMINATION_FAILED, which a `retryTermination` Update runs again.
   */
  terminationReconciles: 'termination-reconciles',
  /**
   * A line's provisioning can be cancelled before its contract (the `cancel` Update): the contract
   * wait wakes on it, the line becomes CANCELLED, what was installed is undone, the SPM is told.
   * No earlier history can hold a cancel Update (one without a handler is refused before it enters
   * history), so the wider wake-up condition changes nothing when they replay; the cancel handler
   * records this marker so the runs that took the path can be told apart (and the path retired).
   */
  provisioningCancel: 'provisioning-cancel',
  /**
   * Emergency changes (issue 13, change/workflow.ts): a request with `emergency: true` needs the SPM's
   * approval alone, may be approved until its window ends and applies at once; once it ended COMPLETED or
   * ROLLED_BACK the run waits (timer, reminders) for the customer's approval afterwards, and flags the change
   * when it does not come. Histories recorded before never carry the flag; the marker is taken only by an
   * emergency change, at its start.
   */
  emergencyChanges: 'emergency-changes',
  /**
   * A line's request is checked again after its contract, before anything is installed (issue 13:
   * the same checks as at submission, activities/preflight.ts, since the PBX and the CTI may have
   * changed while the contract was awaited): a problem ends the line FAILED at step `preflight`,
   * naming the field, with nothing to undo, and the SPM told. Histories recorded before go straight
   * from the contract to installation.
   */
  preflightAtInstall: 'preflight-at-install',
  /**
   * A batch's request is answered once every line's workflow has started (line/batch.ts), not when
   * the batch was first written: from the 201 on, a line's own routes (cancel, contract) find its
   * workflow. Before, a cancel sent right after the 201 could reach a line whose workflow had not
   * started yet and was refused 409. Histories recorded before answer after the first projection.
   */
  batchAnswersOnceLinesRun: 'batch-answers-once-lines-run',
  /**
   * An agent's line may name CTI queues (`agent.queues`): after its skills the agent joins each
   * (`cti-queue-member` items, undone and removed like team memberships). No earlier request could
   * name one, so earlier histories never reach the step; the marker tells the runs that did apart.
   */
  agentQueues: 'agent-queues',
  /**
   * The inventory follows team changes too (change/workflow.ts): a COMPLETED `cti-team-add` makes the
   * team the agent's on every line of the logins it names (`agent.team`, a `cti-team-member` item with the
   * team's id from the snapshot), a `cti-team-remove` takes it away (`agent.team` null, the item gone).
   * Earlier histories of team changes never took the `recordLineChange` step.
   */
  teamChangesFollowed: 'team-changes-followed',
  /**
   * The QSR takes its quarter's trunk usage from the PBX's call records before its indicators
   * (issue 15: peak utilization per trunk per day in the report). Earlier histories have no such step.
   */
  qsrTrunkUsage: 'qsr-trunk-usage',
  /**
   * The monthly inspection passes references, not its state (issue 18: 10,000 devices, no activity
   * input or result over 256 KB): collectors store their findings and return counts
   * (`inspectSystem`), a failed collector's finding is stored (`recordCollectorFailure`), the
   * critical findings' incidents are opened by one activity from the stored findings
   * (`openFindingIncidents`, workflows of their own rather than children, returning how many), the
   * projection fills the read model's findings and incidents from the database, and the report is
   * rendered from the read model by the inspection's id. The workflow's own state (its query, its
   * result) keeps counts, not the lists. Earlier histories keep their findings in the state.
   */
  inspectionByReference: 'inspection-by-reference',
  /**
   * A line request the API accepted before its check against the PBX and the CTI answered (issue 18:
   * 200 requests at once, a saturated worker) carries `checks: 'deferred'`: its run checks it first,
   * before waiting for the contract, and a problem ends it FAILED at step preflight, nothing
   * installed. No earlier input carries the flag; the marker tells the runs that took the path apart.
   */
  deferredChecks: 'deferred-checks',
} as const;
