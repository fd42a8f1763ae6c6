import ipaddr from 'ipaddr.js';

/** IPv6 ranges that carry an IPv4 address: the embedded address decides. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const bytes = address.toByteArray();
  const v4 = (offset: number) => new ipaddr.IPv4(bytes.slice(offset, offset + 4));
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  // NAT64 (64:ff9b::/96, RFC 6052) and SIIT's IPv4-translated ::ffff:0:a.b.c.d (RFC 6145): the last 32 bits.
  if (address.match(ipaddr.IPv6.parse('64:ff9b::'), 96) || address.match(ipaddr.IPv6.parse('::ffff:0:0:0'), 96)) return v4(12);
  // 6to4 (2002::/16): bits 16-48.
  if (address.match(ipaddr.IPv6.parse('2002::'), 16)) return v4(2);
  return null;
}

/**
 * Whether an IP address is global unicast, the only kind Herald connects to
 * unless told otherwise. Refuses private, loopback, link-local (the cloud
 * metadata address 169.254.169.254 among them), CGNAT, unspecified,
 * unique-local, multicast, broadcast, reserved and documentation ranges,
 * Teredo, and any IPv6 form that embeds such an IPv4 address (mapped, NAT64,
 * 6to4). Anything that does not parse is not public.
 */
export function isPublicAddress(ip: string): boolean {
  const literal = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(literal)) return false;
  const address = ipaddr.parse(literal);
  if (address.kind() === 'ipv4') {
    // Only dotted quads: inet_aton forms (`0x7f.1`, `2130706433`) mean different things to different parsers.
    return ipaddr.IPv4.isValidFourPartDecimal(literal) && address.range() === 'unicast';
  }
  const v6 = address as ipaddr.IPv6;
  // ::/96 holds ::, ::1 and the deprecated IPv4-compatible addresses.
  if (v6.match(ipaddr.IPv6.parse('::'), 96)) return false;
  // Local-use NAT64 (64:ff9b:1::/48, RFC 8215) reaches the operator's own network, wherever the IPv4 sits in the suffix.
  if (v6.match(ipaddr.IPv6.parse('64:ff9b:1::'), 48)) return false;
  const embedded = embeddedIPv4(v6);
  if (embedded) return embedded.range() === 'unicast';
  return v6.range() === 'unicast';
}
