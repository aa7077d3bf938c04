import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Runtime, Worker, type ReplayResult, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflows } from './workflow-bundle';

/**
 * Replays workflow histories against the current workflow code (the bundle the
 * worker runs) and gives one verdict per history, in the order they come. A history
 * found unusable before replay (unreadable, or failing its archive hash) is a failure
 * of its own and does not stop the others.
 */

type History = temporal.api.history.v1.IHistory;

/** One history to replay, or (`problem`) one found unusable where it was read. */
export type HistorySource = { workflowId: string; runId?: string; origin: string } & ({ history: unknown } | { problem: string });

export type Verdict = 'ok' | 'non-deterministic' | 'failed';

export interface ReplayOutcome {
  workflowId: string;
  runId?: string;
  /** Where the history was read: a file, `archive`, `temporal`. */
  origin: string;
  verdict: Verdict;
  reason?: string;
}

export async function* replayHistories(
  sources: AsyncIterable<HistorySource> | Iterable<HistorySource>,
  opts: { workflowBundle?: WorkflowBundleWithSourceMap } = {},
): AsyncGenerator<ReplayOutcome> {
  const unusable: ReplayOutcome[] = [];
  let current: HistorySource | undefined;
  const feed = replayable(sources, unusable, (s) => (current = s));
  // Bundling takes seconds: only once there is something to replay.
  const first = await feed.next();
  if (first.done) {
    yield* unusable;
    return;
  }
  const workflowBundle = opts.workflowBundle ?? (await bundleWorkflows(Runtime.instance().logger));
  const all = async function* () {
    yield first.value;
    yield* feed;
  };
  try {
    // The replayer takes the next history only after its verdict on the previous one, so `current` is the one judged.
    for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'butler-replay' }, all())) {
      yield* unusable.splice(0);
      yield judge(current!, result);
    }
  } catch (err) {
    // The replayer itself broke, not one history: what was not yet replayed must not pass silently.
    throw new Error(`replay stopped at ${current?.origin ?? 'the start'}: ${message(err)}`);
  }
  yield* unusable.splice(0);
}

/** The histories fit to replay, parsed; the others become failures in `unusable`. */
async function* replayable(
  sources: AsyncIterable<HistorySource> | Iterable<HistorySource>,
  unusable: ReplayOutcome[],
  taking: (s: HistorySource) => void,
): AsyncGenerator<{ workflowId: string; history: History }> {
  for await (const source of sources) {
    const { workflowId, runId, origin } = source;
    if ('problem' in source) {
      unusable.push({ workflowId, runId, origin, verdict: 'failed', reason: source.problem });
      continue;
    }
    let history: History;
    try {
      history = toHistory(source.history);
    } catch (err) {
      unusable.push({ workflowId, runId, origin, verdict: 'failed', reason: `unreadable history: ${message(err)}` });
      continue;
    }
    taking(source);
    yield { workflowId, history };
  }
}

/** JSON text, the exported JSON object, or a history fetched from Temporal; checked here because a malformed one would stop the replayer. */
function toHistory(raw: unknown): History {
  const value: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const events = (value as { events?: unknown } | null)?.events;
  if (!Array.isArray(events) || events.length === 0) throw new Error('no events');
  const first = events[0] as { eventId?: unknown; workflowExecutionStartedEventAttributes?: unknown };
  if (!first.workflowExecutionStartedEventAttributes) throw new Error('the first event is not WorkflowExecutionStarted');
  // Exported JSON carries event ids as strings; a fetched history is already protobuf.
  return typeof first.eventId === 'string' ? historyFromJSON(value) : (value as History);
}

function judge(source: HistorySource, result: ReplayResult): ReplayOutcome {
  const base = { workflowId: source.workflowId, runId: source.runId ?? (result.runId || undefined), origin: source.origin };
  if (!result.error) return { ...base, verdict: 'ok' };
  // The SDK wraps Core's reason in advice and a debug dump of the failure; its message is what a reader needs.
  const text = message(result.error);
  const reason = /message: "((?:[^"\\]|\\.)*)"/.exec(text)?.[1] ?? text.replace(/^.*?Details: /, '');
  return { ...base, verdict: result.error instanceof DeterminismViolationError ? 'non-deterministic' : 'failed', reason };
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
}
