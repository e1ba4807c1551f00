import { describe, expect, it } from 'vitest';
import { ClientAddressResolver } from '../../src/http/client-ip.js';

describe('client address', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    const resolver = new ClientAddressResolver([]);
    expect(resolver.resolve('203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For sent by an untrusted peer', () => {
    const resolver = new ClientAddressResolver(['10.0.0.0/8']);
    expect(resolver.resolve('203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
  });

  it('believes a trusted proxy and takes the first untrusted hop from the right', () => {
    const resolver = new ClientAddressResolver(['127.0.0.1', '10.0.0.0/8']);
    expect(resolver.resolve('127.0.0.1', '6.6.6.6, 198.51.100.7, 10.1.2.3')).toBe('198.51.100.7');
  });

  it('writes IPv4-mapped IPv6 peers as IPv4 and supports IPv6 ranges', () => {
    const resolver = new ClientAddressResolver(['fd00::/8']);
    expect(resolver.resolve('::ffff:192.0.2.1', undefined)).toBe('192.0.2.1');
    expect(resolver.resolve('fd00::1', '2001:db8::5')).toBe('2001:db8::5');
  });

  it('stops at a hop that is not an address', () => {
    const resolver = new ClientAddressResolver(['127.0.0.1']);
    expect(resolver.resolve('127.0.0.1', 'garbage')).toBe('127.0.0.1');
  });

  it('refuses a configuration entry that is not an address', () => {
    expect(() => new ClientAddressResolver(['not-an-ip'])).toThrow(/ABS_TRUST_PROXY/);
    expect(() => new ClientAddressResolver(['10.0.0.0/33'])).toThrow(/prefix/);
  });
});
