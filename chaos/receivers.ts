import http from 'node:http';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../system/ports';

/**
 * Real receivers on localhost that record everything Butler sends them: an SMTP
 * server and an HTTP endpoint for webhooks. The notification tests and the chaos
 * suite both use them.
 */

export interface ReceivedMail {
  /** RCPT TO addresses, i.e. who the SMTP server was asked to deliver to. */
  envelopeTo: string[];
  parsed: ParsedMail;
}

/**
 * `refuse`: asked per RCPT TO; true answers 550, the way a server refuses an unknown mailbox.
 * `beforeAccept`: awaited after a message is received and before the server answers 250 to it.
 */
export async function startSmtpReceiver({
  refuse = () => false,
  beforeAccept = async () => undefined,
}: { refuse?: (address: string) => boolean; beforeAccept?: () => Promise<void> } = {}): Promise<{
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
        .then(async (parsed) => {
          mails.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed });
          await beforeAccept();
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

/** Answers 200 unless a status was queued with `answerNext`; `beforeAnswer` is awaited before each answer. */
export async function startWebhookReceiver({ beforeAnswer = async () => undefined }: { beforeAnswer?: () => Promise<void> } = {}): Promise<{
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
      void beforeAnswer().finally(() => res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver is down'));
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
