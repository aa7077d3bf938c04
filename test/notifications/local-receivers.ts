import http from 'node:http';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../support/free-port';

/** Real receivers on localhost for the notification tests: an SMTP server and an HTTP endpoint. */

export interface ReceivedMail {
  /** RCPT TO addresses, i.e. who the SMTP server was asked to deliver to. */
  envelopeTo: string[];
  parsed: ParsedMail;
}

/** `refuse`: asked per RCPT TO; true answers 550, the way a server refuses an unknown mailbox. */
export async function startSmtpReceiver({ refuse = () => false }: { refuse?: (address: string) => boolean } = {}): Promise<{
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    onRcptTo(address, _session, callback) {
      if (!refuse(address.address)) return callback();
      const error = Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: 550 });
      callback(error);
    },
    // Plain SMTP on localhost: STARTTLS with the server's self-signed default certificate would be refused by the client.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed });
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedPost {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** Answers 200 unless a status was queued with `answerNext`. */
export async function startWebhookReceiver(): Promise<{
  baseUrl: string;
  posts: ReceivedPost[];
  answerNext(status: number): void;
  close(): Promise<void>;
}> {
  const posts: ReceivedPost[] = [];
  const queuedStatuses: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const status = queuedStatuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver is down');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    posts,
    answerNext: (status) => void queuedStatuses.push(status),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

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
