import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressGuard, createGuardedPost, parseNetworks, refusalOfWebhookUrl } from './webhook-addresses.js';

describe('webhook addresses', () => {
  const guard = createAddressGuard();

  it('refuses private, loopback, link-local and reserved addresses, IPv4 and IPv6, and lets public ones through', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe',
    ])
      expect(guard.refusal(address), address).toMatch(/private, local or reserved/);
    for (const address of ['8.8.8.8', '81.2.69.160', '2a00:1450:4009:81f::200e']) expect(guard.refusal(address), address).toBeNull();
  });

  it('lets the allowed networks through and nothing else private', () => {
    const loopback = createAddressGuard(['127.0.0.0/8', '::1/128']);
    expect(loopback.refusal('127.0.0.1')).toBeNull();
    expect(loopback.refusal('::1')).toBeNull();
    expect(loopback.refusal('10.0.0.1')).not.toBeNull();
    expect(() => parseNetworks('10.0.0.0/33')).toThrow(/not an address or a CIDR range/);
    expect(parseNetworks('192.168.0.7, fd00::/8')).toEqual([
      ['192.168.0.7', 32, 'ipv4'],
      ['fd00::', 8, 'ipv6'],
    ]);
  });

  it('refuses a webhook address by its literal address or by what its name resolves to', async () => {
    expect(await refusalOfWebhookUrl(new URL('http://169.254.169.254/latest/meta-data'), guard)).toMatch(/169\.254\.169\.254/);
    expect(await refusalOfWebhookUrl(new URL('http://[::1]:8080/hook'), guard)).toMatch(/::1/);
    expect(await refusalOfWebhookUrl(new URL('http://localhost:8080/hook'), guard)).toMatch(/^localhost points to/);
    expect(await refusalOfWebhookUrl(new URL('http://localhost:8080/hook'), createAddressGuard(['127.0.0.0/8', '::1/128']))).toBeNull();
  });

  describe('on delivery', () => {
    let server: http.Server;
    let port = 0;
    let received = 0;
    beforeAll(async () => {
      server = http.createServer((request, response) => {
        received += 1;
        request.resume();
        request.on('end', () => response.writeHead(204).end());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const send = (post: ReturnType<typeof createGuardedPost>, host: string) =>
      post(`http://${host}:${port}/hook`, { headers: { 'content-type': 'application/json' }, body: '{}' });

    it('connects only where the guard allows, checking the address the name resolves to at that moment', async () => {
      const strict = createGuardedPost(createAddressGuard());
      await expect(send(strict, '127.0.0.1')).rejects.toThrow(/private, local or reserved/);
      await expect(send(strict, 'localhost')).rejects.toThrow(/localhost points to/);
      expect(received).toBe(0);
      const loopback = createGuardedPost(createAddressGuard(['127.0.0.0/8', '::1/128']));
      expect(await send(loopback, '127.0.0.1')).toEqual({ status: 204 });
      expect(received).toBe(1);
    });
  });
});
