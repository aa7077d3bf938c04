import { startSmtpReceiver, type ReceivedMail } from '../../../chaos/receivers';

/** Real receivers on localhost for the notification tests (they live in chaos/receivers.ts, shared with the chaos suite). */
export { startSmtpReceiver, startWebhookReceiver, type ReceivedMail, type ReceivedPost } from '../../../chaos/receivers';

/** The mail Butler sent with this notification key, waited for; the error lists the keys that did arrive. */
export async function mailWithKey(mails: readonly ReceivedMail[], key: string, timeoutMs = 30_000): Promise<ReceivedMail> {
  const keyOf = (m: ReceivedMail) => m.parsed.headers.get('x-butler-notification-key');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = mails.find((m) => keyOf(m) === key);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no e-mail with key ${key}; received: ${mails.map(keyOf).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A local SMTP receiver for one test file. Call it before `useHarness`: its beforeAll
 * then runs first and fills in `mail.smtpUrl`, which the harness reads in its own.
 */
export function useSmtpReceiver(from = 'Butler <butler@butler.example>') {
  const mail: { smtpUrl?: string; from: string } = { from };
  let receiver: Awaited<ReturnType<typeof startSmtpReceiver>> | undefined;
  beforeAll(async () => {
    receiver = await startSmtpReceiver();
    mail.smtpUrl = receiver.url;
  });
  afterAll(async () => {
    await receiver?.close();
  });
  return {
    mail,
    get mails(): ReceivedMail[] {
      return receiver!.mails;
    },
  };
}
