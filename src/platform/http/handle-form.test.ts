import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { registerFlashMessages } from './flash.js';
import { handleForm } from './handle-form.js';

const schema = z.object({ name: z.string().trim().min(1, 'Enter a name'), size: z.coerce.number().int('Size must be a whole number') });

/** A small app with one form: the action refuses the name "taken", and fails outright for "broken". */
async function buildApp(): Promise<{ app: FastifyInstance; acted: { name: string; size: number }[] }> {
  const app = Fastify();
  const flash = registerFlashMessages(app, { secret: 'a test secret of enough length', secureCookies: false });
  const acted: { name: string; size: number }[] = [];
  app.post('/things', async (request, reply) =>
    handleForm(reply, {
      input: request.body,
      schema,
      act: async (values) => {
        if (values.name === 'broken') throw new Error('the database is down');
        if (values.name === 'taken') throw new InputError('There is a problem', [{ field: 'name', message: 'That name is taken' }]);
        acted.push(values);
        return Promise.resolve({ id: acted.length });
      },
      confirm: (thing) => ({ flash: { heading: `Thing ${thing.id} is saved` }, redirect: `/things/${thing.id}` }),
      rerender: (formReply, problem, input) => formReply.send({ form: 'things', problem, input }),
    }),
  );
  app.get('/things/:id', async (request, reply) => reply.send({ flash: flash.take(request, reply) }));
  await app.ready();
  return { app, acted };
}

describe('handleForm', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => app?.close());

  it('acts on valid input, then redirects with 303 to the confirmation with a success banner', async () => {
    const built = await buildApp();
    app = built.app;
    const response = await app.inject({ method: 'POST', url: '/things', payload: { name: ' Kettle ', size: '3' } });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/things/1');
    expect(built.acted).toEqual([{ name: 'Kettle', size: 3 }]);
    const cookie = [response.headers['set-cookie'] ?? []].flat().find((value) => value.startsWith('commons_flash='));
    expect(cookie).toBeDefined();
    const landed = await app.inject({ url: '/things/1', headers: { cookie: String(cookie).split(';')[0] } });
    expect(landed.json()).toEqual({ flash: { heading: 'Thing 1 is saved' } });
  });

  it('re-renders with 400, every refused field named for the error summary and the input kept, without acting', async () => {
    const built = await buildApp();
    app = built.app;
    const payload = { name: '  ', size: '2.5' };
    const response = await app.inject({ method: 'POST', url: '/things', payload });
    expect(response.statusCode).toBe(400);
    expect(built.acted).toEqual([]);
    const body = response.json<{ problem: { errorSummary: unknown; errors: unknown }; input: unknown }>();
    expect(body.problem.errorSummary).toEqual([
      { text: 'Enter a name', href: '#name' },
      { text: 'Size must be a whole number', href: '#size' },
    ]);
    expect(body.problem.errors).toEqual({ name: { text: 'Enter a name' }, size: { text: 'Size must be a whole number' } });
    expect(body.input).toEqual(payload);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('re-renders with 400 when the action refuses the input, with the action’s own problems', async () => {
    const built = await buildApp();
    app = built.app;
    const response = await app.inject({ method: 'POST', url: '/things', payload: { name: 'taken', size: '1' } });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ problem: { errorSummary: unknown }; input: unknown }>();
    expect(body.problem.errorSummary).toEqual([{ text: 'That name is taken', href: '#name' }]);
    expect(body.input).toEqual({ name: 'taken', size: '1' });
  });

  it('lets any other error through to the error handler, with no banner and no redirect', async () => {
    const built = await buildApp();
    app = built.app;
    const response = await app.inject({ method: 'POST', url: '/things', payload: { name: 'broken', size: '1' } });
    expect(response.statusCode).toBe(500);
    expect(response.headers.location).toBeUndefined();
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});
