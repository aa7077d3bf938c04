import type { CtiState, SkillRecord, UserRecord } from './state';

/** JSON shapes several resources share, named after the SDK models they follow. */

/** Genesys `Division` as embedded in other entities; the home division unless the entity has its own. */
export function divisionRef(state: CtiState, divisionId = state.division.id) {
  const division = state.divisions.get(divisionId) ?? state.division;
  return { id: division.id, name: division.name, selfUri: `/api/v2/authorization/divisions/${division.id}` };
}

/** Genesys `User` (the fields the emulator keeps). */
export function userView(state: CtiState, user: UserRecord) {
  return {
    id: user.id,
    name: user.name,
    division: divisionRef(state),
    chat: { jabberId: `${user.id}@butler-emulator.orgspan.com` },
    department: user.department,
    email: user.email,
    primaryContactInfo: [{ address: user.email, mediaType: 'EMAIL', type: 'PRIMARY' }],
    addresses: [],
    state: user.state,
    title: user.title,
    username: user.email,
    version: user.version,
    acdAutoAnswer: false,
    selfUri: `/api/v2/users/${user.id}`,
  };
}

/** Genesys `RoutingSkill`. */
export function skillView(state: CtiState, skill: SkillRecord) {
  return {
    id: skill.id,
    name: skill.name,
    division: divisionRef(state),
    dateModified: skill.dateModified,
    state: 'active',
    version: '1',
    selfUri: `/api/v2/routing/skills/${skill.id}`,
  };
}

/** Genesys `UserReference`. */
export function userRef(id: string) {
  return { id, selfUri: `/api/v2/users/${id}` };
}
