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
  /** The first address checked, and its family; `addresses` has every one (all checked), for a client's fallback. */
  address: string;
  family: 4 | 6;
  addresses: Array<{ address: string; family: 4 | 6 }>;
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
  const checked = addresses.map(({ address, family }) => ({ address, family: family === 6 ? (6 as const) : (4 as const) }));
  return { url, address: checked[0]!.address, family: checked[0]!.family, addresses: checked };
}

/** A `lookup` for http(s).request that answers only the vetted addresses: the request goes where the check looked. */
export function pinnedLookup(vetted: VettedUrl) {
  return (_host: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void): void => {
    const wanted = options.family === 4 || options.family === 6 ? vetted.addresses.filter((a) => a.family === options.family) : vetted.addresses;
    if (wanted.length === 0) return callback(Object.assign(new Error(`no vetted IPv${options.family} address`), { code: 'ENOTFOUND' }));
    if (options.all) callback(null, wanted);
    else callback(null, wanted[0]!.address, wanted[0]!.family);
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
      ['fec0::', 10, 'ipv6'],
    ],
  ],
  // IPv4 carried inside IPv6: NAT64, 6to4, Teredo and the old IPv4-compatible form can all lead to an internal IPv4 address.
  [
    'IPv4-in-IPv6 translation',
    [
      ['64:ff9b::', 96, 'ipv6'],
      ['64:ff9b:1::', 48, 'ipv6'],
      ['2002::', 16, 'ipv6'],
      ['2001::', 32, 'ipv6'],
      ['::', 96, 'ipv6'],
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
