import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerResponseCache } from './response-cache.js';

/** An app with one cached page that reads `page` and `sort`, one that reads nothing, and a count of renders. */
async function buildApp() {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerResponseCache(app, { ttlMs: 60_000, maxEntries: 100, isPersonal: () => false });
  const renders = { list: 0, plain: 0 };
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/list',
    {
      config: { publicCache: true },
      schema: { querystring: z.object({ page: z.coerce.number().optional(), sort: z.string().optional() }) },
    },
    async (request, reply) => {
      renders.list++;
      return reply.type('text/html').send(`page ${request.query.page ?? 1} sorted by ${request.query.sort ?? 'name'}`);
    },
  );
  api.get('/plain', { config: { publicCache: true } }, async (_request, reply) => {
    renders.plain++;
    return reply.type('text/html').send('plain');
  });
  await app.ready();
  return { app, renders };
}

describe('the response cache', () => {
  it('serves requests that differ only in parameters a page does not read from one answer', async () => {
    const { app, renders } = await buildApp();
    const first = await app.inject('/list?page=2&utm_source=a');
    const second = await app.inject('/list?utm_source=b&page=2&x=%00');
    expect(first.body).toBe('page 2 sorted by name');
    expect(second.body).toBe('page 2 sorted by name');
    expect(second.headers['x-cache']).toBe('hit');
    expect(renders.list).toBe(1);

    await app.inject('/plain?anything=1');
    const plain = await app.inject('/plain?anything=2&more=3');
    expect(plain.headers['x-cache']).toBe('hit');
    expect(renders.plain).toBe(1);
    await app.close();
  });

  it('keeps answers apart when a parameter the page reads differs, whatever the order of parameters', async () => {
    const { app, renders } = await buildApp();
    await app.inject('/list?page=2&sort=total');
    const reordered = await app.inject('/list?sort=total&page=2');
    expect(reordered.headers['x-cache']).toBe('hit');
    const other = await app.inject('/list?page=3&sort=total');
    expect(other.body).toBe('page 3 sorted by total');
    expect(other.headers['x-cache']).toBeUndefined();
    expect(renders.list).toBe(2);
    await app.close();
  });
});
