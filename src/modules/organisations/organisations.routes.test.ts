import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildTestApp } from '../../../test/support/test-app.js';

describeEachEngine('organisations pages and API', ({ database }) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildTestApp(database()));
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists current English principal councils: 317', async () => {
    const response = await app.inject('/api/v1/organisations?nation=England&kind=principal&current=true');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ total: number; page: number; pageSize: number; items: { gssCode: string; name: string }[] }>();
    expect(body.total).toBe(317);
    expect(body.items).toHaveLength(50);
    expect(body.items[0]).toMatchObject({ gssCode: 'E07000223', name: 'Adur' });
  });

  it('pages through a list with page and pageSize', async () => {
    const response = await app.inject('/api/v1/organisations?nation=Wales&kind=principal&current=true&page=3&pageSize=10');
    const body = response.json<{ total: number; items: unknown[] }>();
    expect(body.total).toBe(22);
    expect(body.items).toHaveLength(2);
  });

  it('answers CSV for format=csv and for Accept: text/csv, with every matching row', async () => {
    const byFormat = await app.inject('/api/v1/organisations?nation=Scotland&kind=principal&format=csv');
    expect(byFormat.headers['content-type']).toMatch(/^text\/csv/);
    const lines = byFormat.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^gss_code,registry_code,name,official_name,kind/);
    expect(lines).toHaveLength(33);
    const byAccept = await app.inject({ url: '/api/v1/organisations?nation=Scotland&kind=principal', headers: { accept: 'text/csv' } });
    expect(byAccept.body).toBe(byFormat.body);
  });

  it('gives one organisation by GSS code, with its successor', async () => {
    const response = await app.inject('/api/v1/organisations/E07000026');
    expect(response.json()).toMatchObject({
      name: 'Allerdale',
      current: false,
      endDate: '2023-04-01',
      successors: [{ name: 'Cumberland', gssCode: 'E06000063' }],
    });
  });

  it('answers an unknown code with a JSON problem', async () => {
    const response = await app.inject('/api/v1/organisations/E99999999');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 404, detail: 'No organisation has the code E99999999' });
  });

  it('says which parameter is wrong', async () => {
    const response = await app.inject('/api/v1/organisations?pageSize=0');
    expect(response.statusCode).toBe(400);
    expect(response.json<{ detail: string }>().detail).toMatch(/pageSize/);
  });

  it('shows the filtered list page with a count and filters kept', async () => {
    const response = await app.inject('/organisations?nation=Northern+Ireland&kind=principal&status=current');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('of <strong>11</strong> organisations');
    expect(response.body).toMatch(/<option value="Northern Ireland" selected>/);
    expect(response.body).toContain('format=csv');
  });

  it('accepts the empty fields an HTML filter form sends', async () => {
    const response = await app.inject('/organisations?q=&nation=Wales&region=&type=&kind=&status=&sort=');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('of <strong>22</strong> organisations');
  });

  it('shows an empty state when nothing matches', async () => {
    const response = await app.inject('/organisations?q=zzzzzzzzzzqqq');
    expect(response.body).toContain('No organisations match these filters.');
  });

  it('shows a former council as former, linking its successor', async () => {
    const response = await app.inject('/organisations/E07000026');
    expect(response.body).toContain('Former');
    expect(response.body).toMatch(/It was replaced by\s*<a class="govuk-link" href="\/organisations\/E06000063">Cumberland<\/a>/);
  });

  it('shows a GOV.UK-styled 404 page for people', async () => {
    const response = await app.inject('/no-such-page');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
  });
});
