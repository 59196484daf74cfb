import ipaddr from 'ipaddr.js';

/** Answers whether a peer address falls in the configured proxy ranges (IPv4-mapped IPv6 included). */
export function proxyMatcher(ranges: string[]): (address: string | undefined) => boolean {
  const parsed = ranges.map((range) =>
    range.includes('/')
      ? ipaddr.parseCIDR(range)
      : ((a) => [a, a.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number])(ipaddr.parse(range)),
  );
  return (address) => {
    if (!address || !ipaddr.isValid(address)) return false;
    let ip = ipaddr.parse(address);
    if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
    return parsed.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
  };
}

/** A username as a proxy sends it; anything else is ignored rather than trusted. */
export function cleanHeaderUsername(value: string | string[] | undefined): string | null {
  const raw = Array.isArray(value) ? value[0] : value;
  const username = raw?.trim().toLowerCase();
  return username && /^[a-z0-9._@-]{1,100}$/.test(username) ? username : null;
}
