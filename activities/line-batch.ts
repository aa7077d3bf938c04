import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, isGrpcServiceError } from '@temporalio/client';
import type { Pool } from 'pg';
import { saveLineBatch } from '../db/line-batches.repo';
import type { Actor } from '../domain/actor';
import { RECORD_CONTRACT_UPDATE, type LineBatchState } from '../domain/line/batch';
import type { ContractRequest, LineState } from '../domain/line/contracts';

/**
 * The batch's activities: its read model, and the batch's contract handed to each
 * line through that line's own contract Update, so the line's validator decides
 * as it does for POST /lines/:id/contract.
 */
export function createLineBatchActivities({ pool }: { pool: Pool }) {
  return {
    async projectLineBatch(state: LineBatchState): Promise<void> {
      await saveLineBatch(pool, state);
    },

    /**
     * Records the batch's contract on one line. The Update id is the batch's and the line's,
     * so a retried activity is the same Update and applies once. A line that refuses (it has
     * a contract of its own, it was cancelled, its provisioning ended) says why.
     */
    async forwardLineContract(args: {
      batchId: string;
      lineId: string;
      workflowId: string;
      contract: ContractRequest;
      actor: Actor;
    }): Promise<{ recorded: boolean; reason?: string }> {
      const handle = Context.current().client.workflow.getHandle(args.workflowId);
      try {
        await handle.executeUpdate<LineState, [{ body: ContractRequest; actor: Actor }]>(RECORD_CONTRACT_UPDATE, {
          args: [{ body: args.contract, actor: args.actor }],
          updateId: `${args.batchId}:contract:${args.lineId}`,
        });
        return { recorded: true };
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) return { recorded: false, reason: err.cause?.message ?? err.message };
        // Updates to a closed run come back as gRPC NOT_FOUND.
        if (err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === 5)) {
          return { recorded: false, reason: 'the line’s provisioning had ended' };
        }
        throw err;
      }
    },
  };
}
