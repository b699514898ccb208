import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { PostWebhook } from './webhooks.service.js';

/**
 * Webhook deliveries go only to public addresses: a receiver's address must not point the server at itself, at its
 * private network or at a cloud metadata service (server-side request forgery). The check is made when a webhook is
 * registered and again on the very connection of each delivery (the address the name resolves to then), so a name
 * that later resolves elsewhere gains nothing. Networks named in the allow-list (WEBHOOK_ALLOWED_NETWORKS, for
 * example loopback for a receiver on the same machine) are let through.
 */

/** Ranges that are not public: this network, private, shared (CGNAT), loopback, link-local, reserved and multicast. */
const NOT_PUBLIC: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (::ffff:10.0.0.1), else the address itself. */
function unmapped(address: string): string {
  const match = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (match?.[1]) return match[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex?.[1] && hex[2]) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return address;
}

function blockListOf(ranges: readonly [string, number, 'ipv4' | 'ipv6'][]): net.BlockList {
  const list = new net.BlockList();
  for (const [address, prefix, family] of ranges) list.addSubnet(address, prefix, family);
  return list;
}

/** Parses `127.0.0.0/8,::1/128` (an address alone is a range of one); throws on anything else. */
export function parseNetworks(text: string): [string, number, 'ipv4' | 'ipv6'][] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [address = '', prefixText] = part.split('/');
      const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
      const prefix = prefixText === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefixText);
      if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128))
        throw new Error(`${part} is not an address or a CIDR range`);
      return [address, prefix, family];
    });
}

export interface AddressGuard {
  /** Null when deliveries may go to the address; otherwise why not. */
  refusal(address: string): string | null;
}

/** A guard refusing every address that is not public, except in the allowed networks (CIDR ranges). */
export function createAddressGuard(allowedNetworks: readonly string[] = []): AddressGuard {
  const notPublic = blockListOf(NOT_PUBLIC);
  const allowed = blockListOf(parseNetworks(allowedNetworks.join(',')));
  return {
    refusal(address: string): string | null {
      const plain = unmapped(address);
      const family = net.isIPv4(plain) ? 'ipv4' : net.isIPv6(plain) ? 'ipv6' : null;
      if (!family) return `${address} is not an IP address`;
      if (allowed.check(plain, family) || !notPublic.check(plain, family)) return null;
      return `${address} is a private, local or reserved address, and webhooks are sent only to public addresses`;
    },
  };
}

/** The host of a URL without IPv6 brackets. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Why a webhook's address is refused at registration, or null. A name that cannot be looked up now is accepted: the
 * check that matters is made on each delivery's connection.
 */
export async function refusalOfWebhookUrl(url: URL, guard: AddressGuard): Promise<string | null> {
  const host = hostOf(url);
  if (net.isIP(host)) return guard.refusal(host);
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    return null;
  }
  for (const { address } of addresses) {
    const refusal = guard.refusal(address);
    if (refusal) return `${host} points to ${refusal}`;
  }
  return null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that fails for names resolving to a refused address (the connection is then never made). */
function guardedLookup(guard: AddressGuard) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '');
      for (const { address } of addresses) {
        const refusal = guard.refusal(address);
        if (refusal) return callback(Object.assign(new Error(`${hostname} points to ${refusal}`), { code: 'EADDRREFUSED' }), '');
      }
      const first = addresses[0];
      if (options.all) return callback(null, addresses);
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

/** Sends one delivery over HTTP(S) to public addresses only: no redirects followed, ten seconds at most. */
export function createGuardedPost(guard: AddressGuard): PostWebhook {
  return async (target, init) => {
    const url = new URL(target);
    const host = hostOf(url);
    if (net.isIP(host)) {
      const refusal = guard.refusal(host);
      if (refusal) throw new Error(refusal);
    }
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: 'POST',
          headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
          lookup: guardedLookup(guard),
          timeout: 10_000,
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error('The receiver did not answer within 10 seconds')));
      request.on('error', reject);
      request.end(init.body);
    });
  };
}
