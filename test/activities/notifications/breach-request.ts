import type { NotificationRequest } from '../../../domain/notification/contracts';

/** A restore-breach notification about the incident the key names, to the SPM and on-call unless overridden. */
export function breachRequest(key: string, overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  return {
    key,
    about: key.split(':')[0]!,
    kind: 'sla-breached',
    audience: ['spm', 'oncall'],
    subject: '[P1] SLA 위반 (restore)',
    text: 'restore target breached',
    data: { clock: 'restore' },
    duringBusinessHours: false,
    ...overrides,
  };
}
