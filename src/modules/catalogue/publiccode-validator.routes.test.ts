import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Services } from '../../app/services.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../platform/http/csrf.js';
import { formBody } from '../../../test/support/authorisation.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { countAuditEvents } from '../../../test/support/factories.js';
import { buildTestApp, TEST_SECRET } from '../../../test/support/test-app.js';
import { seedCatalogueDemo } from './catalogue.seed.js';
import { validatePubliccode } from './publiccode/index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/publiccode');
const readFixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

describeEachEngine('the publiccode.yml checker', ({ database }) => {
  let app: FastifyInstance;
  let services: Services;
  // Anyone may check a file: the form needs only the CSRF cookie and token every visitor gets.
  const csrfCookie = crypto.randomBytes(32).toString('base64url');
  const csrf = csrfTokenFor(TEST_SECRET, csrfCookie);

  beforeAll(async () => {
    ({ app, services } = await buildTestApp(database()));
    await seedCatalogueDemo(services);
  });
  afterAll(async () => {
    await app.close();
  });

  const paste = (yaml: string) =>
    app.inject({
      method: 'POST',
      url: '/components/publiccode/validate',
      headers: { cookie: `${CSRF_COOKIE}=${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ yaml, _csrf: csrf }),
    });

  /** Uploads a file as the page's form does: the form token first (unless `token` is false), then the file. */
  const upload = (fileName: string, content: Buffer | string, token = true) => {
    const boundary = '----commons-checker-boundary';
    const field = token ? `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` : '';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/x-yaml\r\n\r\n`;
    return app.inject({
      method: 'POST',
      url: '/components/publiccode/validate',
      headers: { cookie: `${CSRF_COOKIE}=${csrfCookie}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([Buffer.from(field + head), Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    });
  };

  it('is linked from the components list and the import page, and works without signing in', async () => {
    expect((await app.inject('/components')).body).toContain('href="/components/publiccode/validate"');
    const page = await app.inject('/components/publiccode/validate');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Check a publiccode.yml file');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('reports a pasted file’s errors in a GOV.UK error summary and grouped by key, with line and column, saving nothing', async () => {
    const events = await countAuditEvents(database().db);
    const response = await paste(
      readFixture('unknown-fields.publiccode.yml').replace('developmentStatus: stable', 'developmentStatus: finished'),
    );
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toMatch(/<a href="#issue-1">developmentStatus, line 4, column 1: &quot;finished&quot; is not allowed/);
    expect(response.body).toContain('<code>maintainance</code>');
    expect(response.body).toMatch(
      /Line 19, column 1:<\/span> is not a key publiccode.yml 0.4 defines here; did you mean &quot;maintenance&quot;\?/,
    );
    // The pasted text comes back in the box, to be corrected.
    expect(response.body).toContain('name: Council Tax Helper');
    expect(await countAuditEvents(database().db)).toBe(events);
  });

  it('confirms an uploaded valid file with a panel, listing its warnings', async () => {
    expect((await upload('amsterdam.publiccode.yml', readFixture('amsterdam-signals-frontend.publiccode.yml'), false)).statusCode).toBe(
      403,
    );
    const response = await upload('amsterdam.publiccode.yml', readFixture('amsterdam-signals-frontend.publiccode.yml'));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('govuk-panel');
    expect(response.body).toContain('This publiccode.yml is valid');
    expect(response.body).toContain('(amsterdam.publiccode.yml) has no errors, and 2 warnings');
    expect(response.body).toContain('<code>description.nl.genericName</code>');
    expect(response.body).not.toContain('govuk-error-summary');
  });

  it('asks for a file when none is given, and refuses a file that is not UTF-8', async () => {
    const empty = await paste('   ');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Choose a publiccode.yml file, or paste the contents of one');
    const latin1 = await upload('latin1.yml', Buffer.from('name: Caf\xe9\n', 'latin1'));
    expect(latin1.statusCode).toBe(400);
    expect(latin1.body).toContain('is not UTF-8 text');
  });

  it('answers a nested-alias bomb with a clear refusal, not an error page', async () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (const [name, previous] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map(
      (letter, index) => [letter, 'abcdefgh'.charAt(index)] as const,
    )) {
      bomb += `${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]\n`;
    }
    const page = await paste(bomb);
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('more than 100 YAML aliases');
    const api = await app.inject({ method: 'POST', url: '/api/v1/publiccode/validate', payload: { yaml: 'a: &x [*x]\n' } });
    expect(api.statusCode).toBe(422);
    expect(api.json()).toMatchObject({ valid: false, errors: [{ field: '', line: 1, column: 8 }] });
  });

  it('gives the same report as JSON to anyone through the API, and documents it', async () => {
    const valid = await app.inject({
      method: 'POST',
      url: '/api/v1/publiccode/validate',
      payload: { yaml: readFixture('comune-milano-whistleblowing.publiccode.yml') },
    });
    expect(valid.statusCode).toBe(200);
    expect(valid.json()).toEqual({
      valid: true,
      version: '0.3',
      errors: [],
      warnings: [{ field: 'publiccodeYmlVersion', line: 1, column: 1, message: expect.stringContaining('read as 0.4') as string }],
    });
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/v1/publiccode/validate',
      payload: { yaml: 'publiccodeYmlVersion: "0.4"\nname: []\n' },
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json<{ errors: { field: string }[] }>().errors.find((error) => error.field === 'name')).toEqual({
      field: 'name',
      line: 2,
      column: 1,
      message: 'must be text, not a list',
    });
    const document = (await app.inject('/api/v1/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(document.paths['/api/v1/publiccode/validate']?.post).toBeDefined();
  });

  it('passes every demo component’s exported publiccode.yml with no errors and no warnings', async () => {
    const { items } = await services.catalogueService.listComponents({ page: 1, pageSize: 100 });
    expect(items.length).toBeGreaterThan(5);
    for (const component of items) {
      const result = validatePubliccode(await services.catalogueService.exportPubliccode(component.slug));
      expect({ slug: component.slug, errors: result.errors, warnings: result.warnings }).toEqual({
        slug: component.slug,
        errors: [],
        warnings: [],
      });
    }
  });
});
