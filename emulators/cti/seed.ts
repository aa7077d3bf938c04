import { randomUUID } from 'node:crypto';
import { emptyState, nowIso, type CtiState, type DivisionRecord, type LicenceRecord, type RoleRecord } from './state';

/** The role whose holders have a recording-system (quality management) account. */
export const RECORDING_ROLE_NAME = 'Recording Administrator';
export const DEFAULT_ROLE_NAME = 'employee';

export const SEED_LICENCES: ReadonlyArray<Omit<LicenceRecord, 'permissions'>> = [
  { id: 'genesys-cloud-cx-3', description: 'Genesys Cloud CX 3', prepayQuantity: 50, partNumber: 'PC-170-NV-CX3' },
  { id: 'wem-add-on-ii', description: 'WEM Add-on II', prepayQuantity: 10, partNumber: 'PC-170-NV-WEM2' },
];

/** Centers are divisions, each with its queues; every seeded queue takes calls (analytics/synthetic-volume.ts). */
export const SEED_CENTERS: Readonly<Record<string, readonly string[]>> = {
  상담1센터: ['대표번호', '카드분실신고'],
  상담2센터: ['VIP 상담', '해외결제문의'],
};

/** A small contact center: what a fresh emulator starts with (Korean names on purpose). */
export function seededState(): CtiState {
  const state = emptyState();
  const at = nowIso();
  for (const name of ['상담', '영어', 'VIP']) {
    const id = randomUUID();
    state.skills.set(id, { id, name, dateModified: at });
  }
  for (const name of ['상담1팀', '상담2팀']) {
    const id = randomUUID();
    state.teams.set(id, { id, name, dateCreated: at, dateModified: at, memberIds: new Set() });
  }
  for (const [center, queues] of Object.entries(SEED_CENTERS)) {
    const division: DivisionRecord = { id: randomUUID(), name: center, description: `${center} (contact center)` };
    state.divisions.set(division.id, division);
    for (const name of queues) {
      const id = randomUUID();
      state.queues.set(id, { id, name, divisionId: division.id, dateCreated: at, dateModified: at, memberIds: new Set() });
    }
  }
  for (const licence of SEED_LICENCES) {
    state.licences.set(licence.id, { ...licence, permissions: [] });
  }
  addRole(state, {
    name: DEFAULT_ROLE_NAME,
    description: 'Default role given to every new user',
    permissions: ['directory:user:view'],
    isDefault: true,
    baseLicense: 'genesys-cloud-cx-3',
    addonLicenses: [],
  });
  addRole(state, {
    name: RECORDING_ROLE_NAME,
    description: 'Holders have an account on the recording (quality management) system',
    permissions: ['recording:recording:view', 'quality:evaluation:view'],
    isDefault: false,
    addonLicenses: ['wem-add-on-ii'],
  });
  return state;
}

function addRole(state: CtiState, role: Omit<RoleRecord, 'id' | 'userIds'>): void {
  const id = randomUUID();
  state.roles.set(id, { ...role, id, userIds: new Set() });
}
