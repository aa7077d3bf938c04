import { VendorNotFoundError } from '../../adapters/vendor-errors';
import { listTrunkCapacities, saveTrunkCapacity } from '../../db/trunks.repo';
import type { TrunkCapacityView } from '../../domain/line/trunk-capacity';
import { check, verification } from './checks';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf } from './handler';

/**
 * Fewer (or more) channels on a trunk (issue 16's savings): the carrier re-provisions the trunk,
 * approved by the carrier and the customer; Butler's inventory takes the new capacity, so
 * monitoring's 80 % and the savings are judged against it.
 */

type TrunkChannelsChange = ChangeOf<'trunk-channels'>;
export type TrunkChannelsSnapshot = { channels: number; warnAtPercent: number; criticalAtPercent: number; center: string | null; description: string | null };

export function trunkChannelsHandler({ pool }: ChangeHandlerDeps): ChangeHandler<TrunkChannelsChange, TrunkChannelsSnapshot> {
  const read = async (trunk: string): Promise<TrunkCapacityView | undefined> => (await listTrunkCapacities(pool)).find((t) => t.trunk === trunk);
  const save = (trunk: string, s: TrunkChannelsSnapshot, by: string) =>
    saveTrunkCapacity(
      pool,
      trunk,
      {
        channels: s.channels,
        warnAtPercent: s.warnAtPercent,
        criticalAtPercent: s.criticalAtPercent,
        center: s.center ?? undefined,
        description: s.description ?? undefined,
      },
      by,
    );
  return {
    async snapshot({ target }) {
      const trunk = await read(target);
      if (!trunk) throw new VendorNotFoundError('pbx', `trunk ${target} has no capacity in the inventory`);
      const { channels, warnAtPercent, criticalAtPercent, center, description } = trunk;
      return { channels, warnAtPercent, criticalAtPercent, center, description };
    },
    async apply({ target, params }, snapshot, keys) {
      await save(target, { ...snapshot, channels: params.channels }, keys('capacity').key);
    },
    async verify({ target, params }) {
      const trunk = await read(target);
      return verification([check(`channels of trunk ${target}`, params.channels, trunk?.channels ?? 'absent')]);
    },
    async restore({ target }, snapshot, keys) {
      await save(target, snapshot, keys('capacity').key);
    },
  };
}
