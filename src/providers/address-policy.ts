import { BlockList, isIP, isIPv4 } from 'node:net';

/**
 * Which IP addresses a provider key may be sent to. A user-supplied endpoint must not let anyone aim
 * our worker (and the key it carries) at our own network, a cloud metadata service or a tunnel into
 * one, so everything that is not plainly public unicast is refused, with a reason a person can read.
 */
export type AddressVerdict = { readonly isPublic: true } | { readonly isPublic: false; readonly reason: string };

interface Range {
  readonly network: string;
  readonly prefix: number;
  readonly reason: string;
}

const METADATA = 'a cloud metadata service';

// Order matters: the first matching range names the reason, so the narrow ones come first.
const IPV4_RANGES: readonly Range[] = [
  { network: '169.254.169.254', prefix: 32, reason: METADATA },
  { network: '100.100.100.200', prefix: 32, reason: METADATA },
  { network: '0.0.0.0', prefix: 8, reason: '"this network" (0.0.0.0/8), which reaches the local host' },
  { network: '10.0.0.0', prefix: 8, reason: 'a private network (10.0.0.0/8)' },
  { network: '100.64.0.0', prefix: 10, reason: 'carrier-grade NAT space (100.64.0.0/10)' },
  { network: '127.0.0.0', prefix: 8, reason: 'loopback' },
  { network: '169.254.0.0', prefix: 16, reason: 'link-local' },
  { network: '172.16.0.0', prefix: 12, reason: 'a private network (172.16.0.0/12)' },
  { network: '192.0.0.0', prefix: 24, reason: 'IETF protocol assignments (192.0.0.0/24)' },
  { network: '192.0.2.0', prefix: 24, reason: 'documentation (192.0.2.0/24)' },
  { network: '192.88.99.0', prefix: 24, reason: 'the retired 6to4 relay range (192.88.99.0/24)' },
  { network: '192.168.0.0', prefix: 16, reason: 'a private network (192.168.0.0/16)' },
  { network: '198.18.0.0', prefix: 15, reason: 'benchmarking (198.18.0.0/15)' },
  { network: '198.51.100.0', prefix: 24, reason: 'documentation (198.51.100.0/24)' },
  { network: '203.0.113.0', prefix: 24, reason: 'documentation (203.0.113.0/24)' },
  { network: '224.0.0.0', prefix: 4, reason: 'multicast' },
  { network: '255.255.255.255', prefix: 32, reason: 'broadcast' },
  { network: '240.0.0.0', prefix: 4, reason: 'reserved (240.0.0.0/4)' },
];

const IPV6_RANGES: readonly Range[] = [
  { network: 'fd00:ec2::254', prefix: 128, reason: METADATA },
  { network: '::', prefix: 128, reason: 'the unspecified address (::)' },
  { network: '::1', prefix: 128, reason: 'loopback' },
  { network: '::', prefix: 96, reason: 'a deprecated IPv4-compatible address (::/96)' },
  { network: '64:ff9b:1::', prefix: 48, reason: 'local-use NAT64 (64:ff9b:1::/48)' },
  { network: '100::', prefix: 64, reason: 'the discard prefix (100::/64)' },
  { network: '2001::', prefix: 32, reason: 'a Teredo tunnel (2001::/32)' },
  { network: '2001:2::', prefix: 48, reason: 'benchmarking (2001:2::/48)' },
  { network: '2001:10::', prefix: 28, reason: 'ORCHID (2001:10::/28)' },
  { network: '2001:20::', prefix: 28, reason: 'ORCHIDv2 (2001:20::/28)' },
  { network: '2001:db8::', prefix: 32, reason: 'documentation (2001:db8::/32)' },
  { network: '3fff::', prefix: 20, reason: 'documentation (3fff::/20)' },
  { network: 'fc00::', prefix: 7, reason: 'unique-local (fc00::/7)' },
  { network: 'fe80::', prefix: 10, reason: 'link-local (fe80::/10)' },
  { network: 'fec0::', prefix: 10, reason: 'deprecated site-local (fec0::/10)' },
  { network: 'ff00::', prefix: 8, reason: 'multicast' },
];

/** Only 2000::/3 is global unicast; anything outside it is not an address a public API lives on. */
const IPV6_GLOBAL_UNICAST = blockListOf([{ network: '2000::', prefix: 3, reason: '' }], 'ipv6');

const ipv4Lists = IPV4_RANGES.map((range) => ({ range, list: blockListOf([range], 'ipv4') }));
const ipv6Lists = IPV6_RANGES.map((range) => ({ range, list: blockListOf([range], 'ipv6') }));

function blockListOf(ranges: readonly Range[], family: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const { network, prefix } of ranges) list.addSubnet(network, prefix, family);
  return list;
}

/** Judges one literal address (IPv4 dotted, or IPv6 with or without brackets and zone). */
export function judgeAddress(address: string): AddressVerdict {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare)) return judgeIpv4(bare);
  const groups = isIP(bare) === 6 ? ipv6Groups(bare) : undefined;
  if (!groups) return { isPublic: false, reason: 'not an IP address' };
  return judgeIpv6(groups);
}

export function isPublicAddress(address: string): boolean {
  return judgeAddress(address).isPublic;
}

function judgeIpv4(address: string): AddressVerdict {
  const match = ipv4Lists.find(({ list }) => list.check(address, 'ipv4'));
  return match ? { isPublic: false, reason: match.range.reason } : { isPublic: true };
}

function judgeIpv6(groups: readonly number[]): AddressVerdict {
  const embedded = embeddedIpv4(groups);
  if (embedded) {
    // A wrapper around an IPv4 address reaches wherever that address does, so judge the inner one.
    const inner = judgeIpv4(embedded.address);
    return inner.isPublic ? inner : { isPublic: false, reason: `${embedded.wrapper} of ${embedded.address}, ${inner.reason}` };
  }
  const canonical = groups.map((group) => group.toString(16)).join(':');
  const match = ipv6Lists.find(({ list }) => list.check(canonical, 'ipv6'));
  if (match) return { isPublic: false, reason: match.range.reason };
  if (!IPV6_GLOBAL_UNICAST.check(canonical, 'ipv6')) return { isPublic: false, reason: 'outside IPv6 global unicast (2000::/3)' };
  return { isPublic: true };
}

function embeddedIpv4(groups: readonly number[]): { wrapper: string; address: string } | undefined {
  const leadingZeros = (count: number) => groups.slice(0, count).every((group) => group === 0);
  if (leadingZeros(5) && groups[5] === 0xffff) return { wrapper: 'an IPv4-mapped address', address: dotted(groups[6], groups[7]) };
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0)) {
    return { wrapper: 'a NAT64 address', address: dotted(groups[6], groups[7]) };
  }
  if (groups[0] === 0x2002) return { wrapper: 'a 6to4 address', address: dotted(groups[1], groups[2]) };
  return undefined;
}

function dotted(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Expands a valid IPv6 literal (any `::` compression, optional dotted tail) into eight 16-bit groups. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dottedTail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dottedTail) {
    const bytes = dottedTail[1].split('.').map(Number);
    text = `${text.slice(0, -dottedTail[1].length)}${((bytes[0] << 8) | bytes[1]).toString(16)}:${((bytes[2] << 8) | bytes[3]).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  const missing = 8 - front.length - back.length;
  const groups = tail === undefined ? front : [...front, ...new Array<number>(missing).fill(0), ...back];
  return groups.length === 8 && groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? groups : undefined;
}
