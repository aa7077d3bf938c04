/** The activities that call the PBX, the CTI or SIPp: their run time is "in adapters". */
export const ADAPTER_ACTIVITIES = [
  'installExtension',
  'installPhone',
  'installTrunk',
  'installDialplanRule',
  'createCtiAgent',
  'joinCtiTeam',
  'assignCtiSkills',
  'acceptLine',
  'removeInstalledItem',
];

/** Milliseconds inside [contract recorded, ACTIVE] of one line, by where they were spent. */
export interface Breakdown {
  window: number;
  adapters: number;
  activityDispatch: number;
  retries: number;
  /** WorkflowTaskScheduled → Started: waiting for a workflow task slot of the worker. */
  workflowTaskQueue: number;
  /** WorkflowTaskStarted → Completed, less the projections run inside it. */
  workflowTaskRun: number;
  projections: number;
}

export interface ActivityRun {
  type: string;
  /** ActivityTaskScheduled → ActivityTaskStarted (the last attempt's start). */
  queueMs: number;
  /** ActivityTaskStarted → closed (the last attempt). */
  runMs: number;
  attempt: number;
  outcome: 'completed' | 'failed' | 'timed out' | 'open';
}

/** What one line's workflow history says. */
export interface Analysis {
  breakdown?: Breakdown;
  activities: ActivityRun[];
  /** Event times (epoch ms) of the start: what POST /lines/provisioning waited for. */
  start?: { workflowStarted: number; firstTaskScheduled: number; firstTaskStarted?: number; firstTaskClosed?: number };
}
