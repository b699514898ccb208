import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headAsGetServer } from './server.js';

describe('HEAD answered as GET without its body', () => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    app = Fastify({ serverFactory: headAsGetServer, exposeHeadRoutes: false });
    app.get('/page', async (_request, reply) => reply.type('text/html; charset=utf-8').header('x-page', 'yes').send('<p>hello</p>'));
    app.get('/stream', async (_request, reply) => reply.type('text/plain').send(Readable.from(['one ', 'two'])));
    app.post('/form', async () => 'posted');
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it('gives the status and headers of GET, and no body', async () => {
    const get = await fetch(`${base}/page`);
    const head = await fetch(`${base}/page`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('x-page')).toBe('yes');
    expect(head.headers.get('content-length')).toBe(String((await get.text()).length));
    expect(await head.text()).toBe('');
  });

  it('sends no body for a streamed answer either', async () => {
    const head = await fetch(`${base}/stream`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(await (await fetch(`${base}/stream`)).text()).toBe('one two');
  });

  it('answers HEAD only where GET is answered', async () => {
    expect((await fetch(`${base}/form`, { method: 'HEAD' })).status).toBe(404);
    expect((await fetch(`${base}/nowhere`, { method: 'HEAD' })).status).toBe(404);
    expect(app.printRoutes({ method: 'HEAD' }).trim()).toBe('(empty tree)');
  });
});
