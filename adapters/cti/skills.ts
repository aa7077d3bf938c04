import type { SkillSpec } from '../../domain/line/contracts';
import { VendorNotFoundError } from '../vendor-errors';
import type { CtiClient } from './cti-client';

/** Skill names → the CTI's skill ids; a skill the CTI does not know is a permanent failure, not a silent skip. */
export async function resolveSkills(cti: CtiClient, skills: SkillSpec[]): Promise<Array<{ skillId: string; proficiency: number }>> {
  return Promise.all(
    skills.map(async (s) => {
      const skill = await cti.findSkillByName(s.name);
      if (!skill) throw new VendorNotFoundError('cti', `skill "${s.name}" does not exist`);
      return { skillId: skill.id, proficiency: s.proficiency };
    }),
  );
}
