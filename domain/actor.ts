import { z } from 'zod';

/** Who may do what: the one list of roles. API tokens, routes and actors all derive from it. */
export const ROLES = ['admin', 'spm', 'engineer', 'auditor', 'automation'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** An actor is a person or machine holding a role, or Butler itself (`system`). */
export const ActorRole = z.enum([...ROLES, 'system']);
export const Actor = z.object({ id: z.string().min(1), role: ActorRole });
export type Actor = z.infer<typeof Actor>;

/** The system itself acts for timers (breach escalation, auto-close). */
export const SYSTEM_ACTOR: Actor = { id: 'butler', role: 'system' };

/** An API token and whom it stands for. */
export interface TokenGrant {
  token: string;
  role: Role;
  /** Who the actor is in timelines and audit records. */
  subject: string;
}
