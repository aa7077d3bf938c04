import http from 'node:http';
import https from 'node:https';
import { pinnedLookup, type VettedUrl } from '../../system/outbound-url';
import { messageOf, WebhookDeliveryError } from '../delivery-errors';

const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * The webhook channel: one JSON POST to one target, with the notification's key as its
 * idempotency key, sent to the address the URL was vetted at (system/outbound-url.ts) and never
 * following a redirect (which could lead anywhere). Resolves when the target answered 2xx;
 * otherwise throws a WebhookDeliveryError naming only the target's origin and the status: what
 * the target answered is not kept (it may echo anything). Which targets are still owed is kept by
 * the caller (activities/notify-webhooks.ts), not here.
 */
export async function postWebhook(vetted: VettedUrl, body: string, key: string): Promise<void> {
  const target = vetted.url.origin;
  const status = await new Promise<number>((resolve, reject) => {
    // A deadline for the whole exchange: the socket's idle timeout alone lets a target trickle bytes forever.
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`)), WEBHOOK_TIMEOUT_MS);
    const request = (vetted.url.protocol === 'https:' ? https : http).request(
      vetted.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': key },
        lookup: pinnedLookup(vetted) as never,
        // A connection of its own each time: a pooled one was opened to whatever address an earlier vetting pinned.
        agent: false,
        timeout: WEBHOOK_TIMEOUT_MS,
      },
      (response) => {
        // The status is all that is kept: the answer's body is not read, and the connection (its own) is closed.
        clearTimeout(deadline);
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`)));
    request.on('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    request.end(body);
  }).catch((e: unknown) => {
    throw new WebhookDeliveryError(`webhook ${target} unreachable: ${messageOf(e)}`, target, undefined, { cause: e });
  });
  if (status < 200 || status > 299) throw new WebhookDeliveryError(`webhook ${target} answered ${status}`, target, status);
}
