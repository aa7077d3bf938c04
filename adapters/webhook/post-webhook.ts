import { messageOf, WebhookDeliveryError } from '../delivery-errors';

const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * The webhook channel: one JSON POST to one target, with the notification's key as its
 * idempotency key. Resolves when the target answered 2xx; otherwise throws a
 * WebhookDeliveryError naming only the target's origin. Which targets are still owed is
 * kept by the caller (activities/notify-webhooks.ts), not here.
 */
export async function postWebhook(url: string, body: string, key: string): Promise<void> {
  const target = new URL(url).origin;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
  } catch (e) {
    throw new WebhookDeliveryError(`webhook ${target} unreachable: ${messageOf(e)}`, target, undefined, { cause: e });
  }
  // Read the body either way so the connection is released.
  const answer = await response.text().catch(() => '');
  if (!response.ok) {
    throw new WebhookDeliveryError(`webhook ${target} answered ${response.status} ${answer.slice(0, 200)}`.trim(), target, response.status);
  }
}
