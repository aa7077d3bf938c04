import type { ReceivedMail, ReceivedPost } from '../receivers';
import { count, emptyResult, type CheckResult } from './violation';

/**
 * Exactly-once delivery as the receivers saw it: one e-mail per notification key
 * and recipient, one webhook post per key and target.
 */

export interface Delivery {
  key: string;
  /** A recipient address (e-mail) or the target path (webhook). */
  to: string;
}

export function mailDeliveries(mails: readonly ReceivedMail[]): Delivery[] {
  return mails.flatMap((m) => {
    const key = String(m.parsed.headers.get('x-butler-notification-key') ?? '(no key)');
    return m.envelopeTo.map((to) => ({ key, to: to.toLowerCase() }));
  });
}

export function webhookDeliveries(posts: readonly ReceivedPost[]): Delivery[] {
  return posts.map((p) => ({ key: String(p.headers['idempotency-key'] ?? '(no key)'), to: p.path }));
}

export function checkDuplicates(mail: readonly Delivery[], webhooks: readonly Delivery[]): CheckResult {
  const result = emptyResult();
  for (const [invariant, deliveries, noun] of [
    ['no-duplicate-email', mail, 'e-mail'],
    ['no-duplicate-webhook', webhooks, 'webhook'],
  ] as const) {
    const seen = new Map<string, number>();
    for (const d of deliveries) seen.set(`${d.key}\u0000${d.to}`, (seen.get(`${d.key}\u0000${d.to}`) ?? 0) + 1);
    count(result, invariant, seen.size);
    for (const [k, n] of seen) {
      if (n < 2) continue;
      const [key, to] = k.split('\u0000');
      result.violations.push({ invariant, subject: key!, detail: `${noun} with notification key ${key} delivered ${n} times to ${to}` });
    }
  }
  return result;
}
