import { postWebhook } from '../../adapters/webhook/post-webhook';
import { OutboundUrlRefusedError, specialAddress, STRICT_OUTBOUND, vetOutboundUrl, type OutboundPolicy } from '../../system/outbound-url';
import { startWebhookReceiver } from '../activities/notifications/local-receivers';

/** Where a configured webhook may go (issue 17): https only outside the embedded default, an allowlist or public addresses only, the request pinned to the address checked. */

const EMBEDDED: OutboundPolicy = { httpsOnly: false, allowedHosts: null };
/** A resolver that answers as a DNS server under someone else's control might. */
const resolving = (answers: Record<string, string[]>) => async (host: string) => {
  const addresses = answers[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('special addresses', () => {
  test.each([
    ['169.254.169.254', 'metadata-service'],
    ['100.100.100.200', 'metadata-service'],
    ['fd00:ec2::254', 'metadata-service'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.0.10', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['224.0.0.1', 'multicast or reserved'],
    ['64:ff9b::a00:1', 'IPv4-in-IPv6 translation'],
    ['2002:7f00:1::1', 'IPv4-in-IPv6 translation'],
    ['2001:0:4136:e378::1', 'IPv4-in-IPv6 translation'],
    ['::7f00:1', 'IPv4-in-IPv6 translation'],
    ['::ffff:7f00:1', 'loopback'],
  ])('%s is %s', (address, kind) => {
    expect(specialAddress(address)).toBe(kind);
  });
  test.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(specialAddress(address)).toBeUndefined();
  });
});

describe('vetOutboundUrl', () => {
  const dns = resolving({
    'hooks.example.com': ['203.0.113.10'],
    'rebind.example.com': ['203.0.113.11', '10.0.0.7'],
    'metadata.example.com': ['169.254.169.254'],
  });

  test('https to a host whose every address is public passes, pinned to the first', async () => {
    await expect(vetOutboundUrl('https://hooks.example.com/butler?t=1', STRICT_OUTBOUND, dns)).resolves.toMatchObject({ address: '203.0.113.10', family: 4 });
  });

  test.each([
    ['http://hooks.example.com/butler', STRICT_OUTBOUND, 'must be https'],
    ['ftp://hooks.example.com/butler', EMBEDDED, 'must be http or https'],
    ['not a url', STRICT_OUTBOUND, 'is not a URL'],
    ['https://metadata.example.com/latest', STRICT_OUTBOUND, 'resolves to 169.254.169.254, a metadata-service address'],
    // One bad address among good ones is enough: a client may fall back to it.
    ['https://rebind.example.com/', STRICT_OUTBOUND, 'resolves to 10.0.0.7, a private address'],
    ['https://127.0.0.1:8443/', STRICT_OUTBOUND, 'resolves to 127.0.0.1, a loopback address'],
    ['https://[::1]/', STRICT_OUTBOUND, 'resolves to ::1, a loopback address'],
    ['http://192.168.1.20/hook', EMBEDDED, 'a private address'],
    ['https://nowhere.example.com/', STRICT_OUTBOUND, 'does not resolve'],
    ['https://evil.example.net/', { httpsOnly: true, allowedHosts: ['hooks.example.com'] }, 'host evil.example.net is not in NOTIFY_ALLOWED_HOSTS'],
  ] as const)('%s is refused: %s', async (url, policy, reason) => {
    const refusal = vetOutboundUrl(url, policy, dns);
    await expect(refusal).rejects.toBeInstanceOf(OutboundUrlRefusedError);
    await expect(refusal).rejects.toThrow(reason);
  });

  test('localhost, as this machine resolves it, is loopback', async () => {
    await expect(vetOutboundUrl('http://localhost:3000/hook', EMBEDDED)).rejects.toThrow(/loopback address/);
  });

  test('an allowlisted host may be anywhere, even this machine (the operator said so)', async () => {
    await expect(vetOutboundUrl('http://LOCALHOST:3000/hook', { httpsOnly: false, allowedHosts: ['localhost'] })).resolves.toMatchObject({
      address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/),
    });
  });
});

test('the POST goes to the address that was checked, not to whatever the name resolves to later; only the status of a failure is kept', async () => {
  const receiver = await startWebhookReceiver();
  try {
    const port = new URL(receiver.baseUrl).port;
    // A name no DNS server knows: only the vetted address can carry the request.
    const vetted = await vetOutboundUrl(
      `http://pinned.butler.invalid:${port}/ops`,
      { httpsOnly: false, allowedHosts: ['pinned.butler.invalid'] },
      resolving({ 'pinned.butler.invalid': ['127.0.0.1'] }),
    );
    await postWebhook(vetted, JSON.stringify({ key: 'k-1' }), 'k-1');
    expect(receiver.posts.map((p) => p.body)).toEqual([{ key: 'k-1' }]);

    receiver.answerNext(500);
    const failure = await postWebhook(vetted, JSON.stringify({ key: 'k-2' }), 'k-2').catch((e: unknown) => e as Error);
    expect(failure).toMatchObject({ name: 'WebhookDeliveryError', status: 500, message: `webhook http://pinned.butler.invalid:${port} answered 500` });
  } finally {
    await receiver.close();
  }
});
