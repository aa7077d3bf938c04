import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../genesys-errors';
import { agentCallsKey, callVolumeKey, liveUsers, sameName, type AgentCallsPin, type CallVolumePin, type CtiState, type StateHolder } from '../state';
import { parseInput } from '../validate';

/**
 * Emulator-only (never Genesys; under /__emulator, no token): fix the calls
 * of some queue-days so a test knows exactly what the analytics will say,
 * e.g. a planted anomaly.
 * - `PUT /__emulator/call-volume` with `[{ queueId | queueName, date, offered, answered }]`
 *   replaces every pin (`[]` clears them) → `{ pins }`; `date` is a local date in Asia/Seoul;
 * - `GET` → `{ pins }`; `DELETE` clears them. A reset clears them too.
 * Days without a pin keep their synthetic volume (analytics/synthetic-volume.ts).
 *
 * The same for an agent's day (what tTalkComplete by userId reports, analytics/agent-legs.ts):
 * `PUT /__emulator/agent-calls` with `[{ userId | email, date, inboundCalls, inboundTalkSeconds,
 * outboundCalls, outboundTalkSeconds }]` replaces every agent pin → `{ pins }`; `GET`, `DELETE` alike.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const pinInput = z
  .object({
    queueId: z.string().min(1).optional(),
    queueName: z.string().min(1).optional(),
    date: z.string().refine(isCalendarDate, 'expected a calendar date YYYY-MM-DD'),
    offered: z.number().int().min(0),
    answered: z.number().int().min(0),
  })
  .strict()
  .refine((p) => (p.queueId === undefined) !== (p.queueName === undefined), 'give exactly one of queueId and queueName')
  .refine((p) => p.answered <= p.offered, 'answered cannot exceed offered');

const agentPinInput = z
  .object({
    userId: z.string().min(1).optional(),
    email: z.string().min(1).optional(),
    date: z.string().refine(isCalendarDate, 'expected a calendar date YYYY-MM-DD'),
    inboundCalls: z.number().int().min(0),
    inboundTalkSeconds: z.number().int().min(0),
    outboundCalls: z.number().int().min(0),
    outboundTalkSeconds: z.number().int().min(0),
  })
  .strict()
  .refine((p) => (p.userId === undefined) !== (p.email === undefined), 'give exactly one of userId and email')
  .refine((p) => (p.inboundCalls > 0 || p.inboundTalkSeconds === 0) && (p.outboundCalls > 0 || p.outboundTalkSeconds === 0), 'talk time needs calls');

export function callVolumeControlRoutes(holder: StateHolder): Router {
  const router = Router();
  const agentPins = () => [...holder.state.agentCallsPins.values()];

  router.get('/agent-calls', (_req, res) => {
    res.json({ pins: agentPins() });
  });

  router.put('/agent-calls', (req, res) => {
    const { state } = holder;
    const inputs = parseInput(z.array(agentPinInput).max(10_000), req.body);
    // Resolve every agent first, so a bad entry changes nothing.
    const pins = inputs.map(({ email, ...p }): AgentCallsPin => ({ ...p, userId: userIdOf(state, { userId: p.userId, email }) }));
    state.agentCallsPins = new Map(pins.map((p) => [agentCallsKey(p.userId, p.date), p]));
    res.json({ pins: agentPins() });
  });

  router.delete('/agent-calls', (_req, res) => {
    holder.state.agentCallsPins.clear();
    res.status(204).end();
  });

  const list = () => [...holder.state.callVolumePins.values()].map((p) => pinView(holder.state, p));

  router.get('/call-volume', (_req, res) => {
    res.json({ pins: list() });
  });

  router.put('/call-volume', (req, res) => {
    const { state } = holder;
    const inputs = parseInput(z.array(pinInput).max(10_000), req.body);
    // Resolve every queue first, so a bad entry changes nothing.
    const pins = inputs.map((p): CallVolumePin => ({ queueId: queueIdOf(state, p), date: p.date, offered: p.offered, answered: p.answered }));
    state.callVolumePins = new Map(pins.map((p) => [callVolumeKey(p.queueId, p.date), p]));
    res.json({ pins: list() });
  });

  router.delete('/call-volume', (_req, res) => {
    holder.state.callVolumePins.clear();
    res.status(204).end();
  });

  return router;
}

function isCalendarDate(text: string): boolean {
  const at = Date.parse(`${text}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March: only a date that reads back the same is real.
  return DATE.test(text) && !Number.isNaN(at) && new Date(at).toISOString().startsWith(text);
}

function queueIdOf(state: CtiState, p: { queueId?: string; queueName?: string }): string {
  if (p.queueId !== undefined) {
    if (!state.queues.has(p.queueId)) throw notFound('Queue', p.queueId);
    return p.queueId;
  }
  const queue = [...state.queues.values()].find((q) => sameName(q.name, p.queueName ?? ''));
  if (!queue) throw notFound('Queue named', p.queueName ?? '');
  return queue.id;
}

/** By id any user, deleted ones included (their past days are history); by e-mail the live one. */
function userIdOf(state: CtiState, p: { userId?: string; email?: string }): string {
  const user = p.userId !== undefined ? state.users.get(p.userId) : liveUsers(state).find((u) => u.email.toLowerCase() === (p.email ?? '').toLowerCase());
  if (!user) throw notFound('User', p.userId ?? p.email ?? '');
  return user.id;
}

function pinView(state: CtiState, p: CallVolumePin) {
  return { queueId: p.queueId, queueName: state.queues.get(p.queueId)?.name, date: p.date, offered: p.offered, answered: p.answered };
}
