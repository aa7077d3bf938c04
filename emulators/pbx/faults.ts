import { z } from 'zod';

/**
 * Injected failures of the PBX SIMULATOR, to prove the adapter copes with a
 * misbehaving Kamailio. `failRpc` answers the next `count` JSON-RPC calls (of
 * `methods` only, when given) with a JSON-RPC error, as Kamailio answers a
 * command it ran and refused; `rejectRegistration` makes the simulated
 * REGISTER of line acceptance fail whatever the credentials.
 */
export const pbxFaultsSchema = z
  .object({
    failRpc: z
      .object({
        count: z.number().int().min(0),
        /** JSON-RPC error code; Kamailio uses 500 for nearly everything. */
        code: z.number().int().optional(),
        /** e.g. ['dialplan.reload']; every method when absent. */
        methods: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    rejectRegistration: z.boolean().optional(),
  })
  .strict();

export type PbxFaults = z.infer<typeof pbxFaultsSchema>;

export interface InjectedRpcFailure {
  code: number;
  message: string;
}

export interface PbxFaultController {
  /** Replaces every fault with these; throws a ZodError for a malformed input. */
  set(faults: PbxFaults): PbxFaults;
  /** As they stand: `failRpc.count` goes down as failures are spent. */
  current(): PbxFaults;
  reset(): void;
}

export interface PbxFaultInjector extends PbxFaultController {
  /** Spends one injected failure for `method`, if one applies. */
  takeRpcFailure(method: string): InjectedRpcFailure | undefined;
  registrationRejected(): boolean;
}

export function createPbxFaults(): PbxFaultInjector {
  let faults: PbxFaults = {};
  return {
    set: (input) => (faults = pbxFaultsSchema.parse(input)),
    current: () => structuredClone(faults),
    reset: () => {
      faults = {};
    },
    takeRpcFailure(method) {
      const rule = faults.failRpc;
      if (!rule || rule.count <= 0 || (rule.methods && !rule.methods.includes(method))) return undefined;
      rule.count -= 1;
      return { code: rule.code ?? 500, message: 'Injected failure (PBX SIMULATOR fault)' };
    },
    registrationRejected: () => faults.rejectRegistration === true,
  };
}
