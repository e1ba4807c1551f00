import { BlockList, isIP } from 'node:net';

/**
 * Decides which address a request came from. `X-Forwarded-For` is read right to left and
 * believed only while each hop is one of the configured trusted proxies, so a client cannot pick
 * its own address (and so its own rate-limit budget) by sending the header itself.
 */
export class ClientAddressResolver {
  private trusted = new BlockList();
  private any = false;

  constructor(trustProxy: string[]) {
    for (const entry of trustProxy) this.add(entry);
  }

  resolve(peer: string | undefined, forwardedFor: string | undefined): string {
    let client = normalize(peer ?? '') || 'unknown';
    if (!this.any || !forwardedFor || !this.isTrusted(client)) return client;
    const hops = forwardedFor
      .split(',')
      .map((h) => normalize(h.trim()))
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (!isIP(hop)) return client;
      client = hop;
      if (!this.isTrusted(hop)) return hop;
    }
    return client;
  }

  private isTrusted(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }

  private add(entry: string): void {
    const [address, prefix] = entry.split('/');
    const family = isIP(address ?? '');
    if (!address || family === 0) throw new Error(`ABS_TRUST_PROXY: "${entry}" is not an address`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) this.trusted.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) {
        throw new Error(`ABS_TRUST_PROXY: "${entry}" has a bad prefix length`);
      }
      this.trusted.addSubnet(address, bits, type);
    }
    this.any = true;
  }
}

/** Writes IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) as plain IPv4. */
function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}
