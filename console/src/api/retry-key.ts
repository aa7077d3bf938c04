import type { Middleware } from 'openapi-fetch';

/**
 * Every POST goes out with an `Idempotency-Key`, and the same request sent again after an answer
 * that settled nothing (a 5xx such as the API's 503 "Temporal did not answer", or no answer at all)
 * carries the same key, so the server joins the first attempt instead of acting twice: a person
 * pressing the button again after a timeout does not add a second note or a second line. Once the
 * server has answered with a result (2xx) or a refusal (4xx, which keeps no key), the next identical
 * request is a new one. A call that brings its own key keeps it.
 */
export function retryKeys(newKey: () => string = () => crypto.randomUUID()): Middleware {
  /** Request (method, URL, body) → the key of its unsettled attempt. */
  const unsettled = new Map<string, string>();
  const sent = new WeakMap<Request, string>();
  return {
    async onRequest({ request }) {
      if (request.method !== 'POST' || request.headers.has('Idempotency-Key')) return request;
      const what = `${request.url}\n${await request.clone().text()}`;
      const key = unsettled.get(what) ?? newKey();
      unsettled.set(what, key);
      request.headers.set('Idempotency-Key', key);
      sent.set(request, what);
      return request;
    },
    onResponse({ request, response }) {
      const what = sent.get(request);
      if (what !== undefined && response.status < 500) unsettled.delete(what);
      return response;
    },
  };
}
