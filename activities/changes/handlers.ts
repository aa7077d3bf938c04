import type { ChangeRequest, ChangeType } from '../../domain/change/contracts';
import { agentAccountHandler } from './agent-account';
import { teamAddHandler, teamRemoveHandler } from './cti-team';
import { dialplanHandler } from './dialplan';
import { dnChangeHandler } from './dn-change';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf, Snapshot } from './handler';
import { ipChangeHandler } from './ip-change';
import { ivrHolidaysHandler } from './ivr-holidays';
import { recAccountHandler } from './rec-account';
import { skillsetHandler } from './skillset';
import { trunkHandler } from './trunk';
import { trunkChannelsHandler } from './trunk-channels';
import { linePlanHandler } from './line-plan';

/** The handler of every change type; a new type without one does not compile. */
export type ChangeHandlers = { [T in ChangeType]: ChangeHandler<ChangeOf<T>, Snapshot> };

export function createChangeHandlers(deps: ChangeHandlerDeps): ChangeHandlers {
  return {
    'dn-change': erase(dnChangeHandler(deps)),
    'ip-change': erase(ipChangeHandler(deps)),
    dialplan: erase(dialplanHandler(deps)),
    trunk: erase(trunkHandler(deps)),
    'cti-team-add': erase(teamAddHandler(deps)),
    'cti-team-remove': erase(teamRemoveHandler(deps)),
    skillset: erase(skillsetHandler(deps)),
    'agent-account': erase(agentAccountHandler(deps)),
    'ivr-holidays': erase(ivrHolidaysHandler(deps)),
    'rec-account': erase(recAccountHandler(deps)),
    'line-plan': erase(linePlanHandler(deps)),
    'trunk-channels': erase(trunkChannelsHandler(deps)),
  };
}

/**
 * The workflow hands back whatever snapshot this handler produced (via its
 * history), so the handler may read it as its own snapshot type again.
 */
function erase<R extends ChangeRequest, S extends Snapshot>(handler: ChangeHandler<R, S>): ChangeHandler<R, Snapshot> {
  return {
    snapshot: (req) => handler.snapshot(req),
    apply: (req, snapshot, keys) => handler.apply(req, snapshot as S, keys),
    verify: (req) => handler.verify(req),
    restore: (req, snapshot, keys) => handler.restore(req, snapshot as S, keys),
  };
}

export function handlerFor<R extends ChangeRequest>(handlers: ChangeHandlers, change: R): ChangeHandler<R, Snapshot> {
  return handlers[change.type] as unknown as ChangeHandler<R, Snapshot>;
}
