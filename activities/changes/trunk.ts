import { VendorNotFoundError } from '../../adapters/vendor-errors';
import { check, verification, type Check } from './checks';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf } from './handler';
import { restoreTrunk, trunkSnapshot, type TrunkSnapshot } from './pbx-snapshots';

/**
 * A trunk change points a PRI at another carrier gateway (or renames it).
 * Verified in the configuration and in what the running PBX dispatches to,
 * since a trunk the dispatcher did not reload still sends calls to the old URI.
 */

type TrunkChange = ChangeOf<'trunk'>;

export type TrunkChangeSnapshot = { trunk: TrunkSnapshot };

export function trunkHandler({ pbx }: ChangeHandlerDeps): ChangeHandler<TrunkChange, TrunkChangeSnapshot> {
  return {
    async snapshot({ target: id }) {
      const trunk = await pbx.getTrunk(id);
      if (!trunk) throw new VendorNotFoundError('pbx', `trunk ${id} does not exist`);
      return { trunk: trunkSnapshot(trunk) };
    },

    async apply({ target: id, params }, _snapshot, keys) {
      const current = await pbx.getTrunk(id);
      if (!current) throw new VendorNotFoundError('pbx', `trunk ${id} was removed after the change was approved`);
      const differs =
        (params.uri !== undefined && params.uri !== current.uri) || (params.description !== undefined && params.description !== current.description);
      if (differs) await pbx.updateTrunk(id, { uri: params.uri, description: params.description }, keys('trunk'));
    },

    async verify({ target: id, params }) {
      const [trunk, live] = await Promise.all([pbx.getTrunk(id), pbx.trunkStatus()]);
      if (!trunk) return verification([check(`trunk ${id}`, 'present', 'absent')]);
      const checks: Check[] = [];
      if (params.uri !== undefined) checks.push(check(`uri of trunk ${id}`, params.uri, trunk.uri));
      if (params.description !== undefined) checks.push(check(`description of trunk ${id}`, params.description, trunk.description));
      const dispatched = live.find((t) => t.id === id);
      // The live state (probing, inactive…) depends on the carrier answering OPTIONS; reported, not judged.
      checks.push({
        what: `trunk ${id} in the PBX's dispatcher list`,
        expected: { uri: params.uri ?? trunk.uri },
        observed: dispatched ? { uri: dispatched.uri, state: dispatched.state } : 'not listed',
        ok: dispatched?.uri === (params.uri ?? trunk.uri),
      });
      return verification(checks);
    },

    async restore(_req, snapshot, keys) {
      await restoreTrunk(pbx, snapshot.trunk, keys);
    },
  };
}
