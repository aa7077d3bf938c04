import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where Butler may send a request a user configured (a webhook): https only outside the embedded
 * default, and either a host on the allowlist (NOTIFY_ALLOWED_HOSTS) or, without one, a host whose
 * every address is public: not loopback, private, link-local, a cloud's metadata service or
 * otherwise special. The check is on the addresses DNS gives now, and the request is then pinned to
 * the address checked (`lookup` below), so a name that resolves elsewhere a moment later (DNS
 * rebinding) cannot take it inside.
 */

export interface OutboundPolicy {
  httpsOnly: boolean;
  /** Host names (or literal addresses) allowed, exactly, case-insensitive; null: any public host. */
  allowedHosts: readonly string[] | null;
}

/** The policy outside the embedded default when nothing is configured: the strictest. */
export const STRICT_OUTBOUND: OutboundPolicy = { httpsOnly: true, allowedHosts: null };

export class OutboundUrlRefusedError extends Error {
  override name = 'OutboundUrlRefused';
}

export interface VettedUrl {
  url: URL;
  /** The address the request must go to, and its family. */
  address: string;
  family: 4 | 6;
}

type Resolve = (host: string) => Promise<Array<{ address: string; family: number }>>;
const resolveAll: Resolve = (host) => dnsLookup(host, { all: true, verbatim: true });

export async function vetOutboundUrl(text: string, policy: OutboundPolicy, resolve: Resolve = resolveAll): Promise<VettedUrl> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OutboundUrlRefusedError('is not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !policy.httpsOnly)) {
    throw new OutboundUrlRefusedError(policy.httpsOnly ? 'must be https' : 'must be http or https');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const allowed = policy.allowedHosts?.map((h) => h.toLowerCase());
  if (allowed && !allowed.includes(host)) throw new OutboundUrlRefusedError(`host ${host} is not in NOTIFY_ALLOWED_HOSTS`);

  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
  } catch (cause) {
    throw new OutboundUrlRefusedError(`host ${host} does not resolve`, { cause });
  }
  if (addresses.length === 0) throw new OutboundUrlRefusedError(`host ${host} does not resolve`);
  if (!allowed) {
    for (const { address } of addresses) {
      const kind = specialAddress(address);
      // Every address, not just the first: a client may fall back to any of them.
      if (kind) throw new OutboundUrlRefusedError(`host ${host} resolves to ${address}, a ${kind} address`);
    }
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** A `lookup` for http(s).request that answers only the vetted address: the request goes where the check looked. */
export function pinnedLookup(vetted: VettedUrl) {
  return (_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void): void => {
    if (options.all) callback(null, [{ address: vetted.address, family: vetted.family }]);
    else callback(null, vetted.address, vetted.family);
  };
}

const SPECIAL: Array<[kind: string, subnets: Array<[string, number, 'ipv4' | 'ipv6']>]> = [
  [
    'metadata-service',
    [
      ['169.254.169.254', 32, 'ipv4'],
      ['100.100.100.200', 32, 'ipv4'],
      ['168.63.129.16', 32, 'ipv4'],
      ['fd00:ec2::254', 128, 'ipv6'],
    ],
  ],
  [
    'loopback',
    [
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ],
  ],
  [
    'private',
    [
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
    ],
  ],
  [
    'link-local',
    [
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ],
  ],
  [
    'unspecified',
    [
      ['0.0.0.0', 8, 'ipv4'],
      ['::', 128, 'ipv6'],
    ],
  ],
  ['shared (carrier-grade NAT)', [['100.64.0.0', 10, 'ipv4']]],
  [
    'multicast or reserved',
    [
      ['224.0.0.0', 3, 'ipv4'],
      ['ff00::', 8, 'ipv6'],
    ],
  ],
  ['benchmarking', [['198.18.0.0', 15, 'ipv4']]],
];
const LISTS = SPECIAL.map(([kind, subnets]) => {
  const list = new BlockList();
  for (const [network, prefix, type] of subnets) list.addSubnet(network, prefix, type);
  return [kind, list] as const;
});

/** What kind of special address this is, or undefined for a public one. IPv4 inside IPv6 (::ffff:a.b.c.d) is judged as IPv4. */
export function specialAddress(address: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const [text, type] = mapped ? [mapped, 'ipv4' as const] : [address, isIP(address) === 6 ? ('ipv6' as const) : ('ipv4' as const)];
  for (const [kind, list] of LISTS) if (list.check(text, type)) return kind;
  return undefined;
}
