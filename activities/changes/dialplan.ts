import { VendorNotFoundError } from '../../adapters/vendor-errors';
import { check, verification } from './checks';
import type { ChangeHandler, ChangeHandlerDeps, ChangeOf } from './handler';
import { restoreRule, ruleSnapshot, type RuleSnapshot } from './pbx-snapshots';

/** A dial-plan change rewrites the named fields of one rule; the others stay as they are. */

type DialplanChange = ChangeOf<'dialplan'>;

export type DialplanSnapshot = { rule: RuleSnapshot };

export function dialplanHandler({ pbx }: ChangeHandlerDeps): ChangeHandler<DialplanChange, DialplanSnapshot> {
  return {
    async snapshot({ target: id }) {
      const rule = await pbx.getDialplanRule(id);
      if (!rule) throw new VendorNotFoundError('pbx', `dial-plan rule ${id} does not exist`);
      return { rule: ruleSnapshot(rule) };
    },

    async apply({ target: id, params }, _snapshot, keys) {
      const current = await pbx.getDialplanRule(id);
      if (!current) throw new VendorNotFoundError('pbx', `dial-plan rule ${id} was removed after the change was approved`);
      if (fieldsOf(params).some(([field, value]) => current[field] !== value)) await pbx.updateDialplanRule(id, params, keys('rule'));
    },

    async verify({ target: id, params }) {
      const rule = await pbx.getDialplanRule(id);
      if (!rule) return verification([check(`dial-plan rule ${id}`, 'present', 'absent')]);
      return verification(fieldsOf(params).map(([field, value]) => check(`${field} of dial-plan rule ${id}`, value, rule[field])));
    },

    async restore(_req, snapshot, keys) {
      await restoreRule(pbx, snapshot.rule, keys);
    },
  };
}

function fieldsOf(params: DialplanChange['params']): Array<[keyof DialplanChange['params'], string | number]> {
  return (Object.keys(params) as Array<keyof DialplanChange['params']>).flatMap((field) => {
    const value = params[field];
    return value === undefined ? [] : [[field, value]];
  });
}
