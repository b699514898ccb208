import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { moduleDatabase } from '../../app/database-schema.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { buildTestApp, fixedClock } from '../../../test/support/test-app.js';
import { createSpendRepository } from './spend.repository.js';
import { createSpendService, type SpendService } from './spend.service.js';
import type { SpendTables } from './spend.tables.js';

const CSV = [
  'Date,Supplier,Amount,Expense Type',
  '01/02/2020,Acme Widgets Ltd,100.00,Stationery',
  '02/02/2020,ACME WIDGETS LIMITED,not money,Stationery',
  '03/03/2020,Beta Services,75.25,Cleaning',
  '04/03/2020,REDACTED PERSONAL DATA,600.00,Care',
].join('\r\n');

describeEachEngine('spend API', ({ database }) => {
  let app: FastifyInstance;
  let service: SpendService;
  let filesDirectory: string;
  let fileId: number;

  beforeAll(async () => {
    let services;
    ({ app, services } = await buildTestApp(database()));
    filesDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-spend-routes-'));
    service = createSpendService({
      spendRepository: createSpendRepository(moduleDatabase(database().db)),
      organisationsService: services.organisationsService,
      clock: fixedClock,
      filesDirectory,
    });
    const oxford = await services.organisationsService.getOrganisation('E07000178');
    const outcome = await service.importSpendFile({
      organisationId: oxford.id,
      stream: Readable.from([Buffer.from(CSV)]),
      fileName: 'small.csv',
    });
    fileId = outcome.fileId ?? 0;
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(filesDirectory, { recursive: true, force: true });
  });

  it('summarises an organisation’s spend by GSS code', async () => {
    const response = await app.inject('/api/v1/spend/organisations/E07000178/summary');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      transactions: 3,
      totalPence: 77525,
      dateFrom: '2020-02-01',
      dateTo: '2020-03-04',
      suppliers: 2,
      files: 1,
    });
  });

  it('answers an organisation with no spend with zeros, and an unknown code with a problem', async () => {
    expect((await app.inject('/api/v1/spend/organisations/E08000009/summary')).json()).toMatchObject({ transactions: 0, files: 0 });
    const unknown = await app.inject('/api/v1/spend/organisations/E99999999/summary');
    expect(unknown.statusCode).toBe(404);
  });

  it('describes an imported file', async () => {
    const response = await app.inject(`/api/v1/spend/files/${fileId}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: fileId, fileName: 'small.csv', status: 'imported', rowsImported: 3, rowsRejected: 1 });
    expect((await app.inject('/api/v1/spend/files/999999')).statusCode).toBe(404);
  });

  it('lists a file’s rejected rows as JSON and CSV', async () => {
    const json = await app.inject(`/api/v1/spend/files/${fileId}/rejects`);
    expect(json.json()).toMatchObject({ total: 1, items: [{ line: 3, column: 'Amount' }] });
    const csv = await app.inject(`/api/v1/spend/files/${fileId}/rejects?format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe('line,column,reason,raw');
  });

  it('appears in the OpenAPI document', async () => {
    const document = (await app.inject('/api/v1/openapi.json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/spend/organisations/{gssCode}/summary',
        '/api/v1/spend/files/{id}',
        '/api/v1/spend/files/{id}/rejects',
      ]),
    );
  });

  it('lets an admin merge suppliers and split them again, keeping roll-ups equal to transactions', async () => {
    const db = moduleDatabase<SpendTables>(database().db);
    const suppliers = await db.selectFrom('suppliers').select(['id', 'normalised_name']).orderBy('id').execute();
    const acme = suppliers.find((supplier) => supplier.normalised_name === 'ACME WIDGETS');
    const beta = suppliers.find((supplier) => supplier.normalised_name === 'BETA SERVICES');
    if (!acme || !beta) throw new Error('suppliers missing');
    await service.mergeSuppliers({ from: [beta.id], into: acme.id });
    expect((await service.getSupplier(acme.id)).aliases.map((alias) => alias.alias)).toEqual(['ACME WIDGETS', 'BETA SERVICES']);
    expect((await app.inject('/api/v1/spend/organisations/E07000178/summary')).json()).toMatchObject({ suppliers: 1, totalPence: 77525 });
    const rollup = await db
      .selectFrom('spend_monthly_rollups')
      .select(['supplier_id', 'total_pence'])
      .where('supplier_id', '=', acme.id)
      .execute();
    expect(rollup.reduce((sum, row) => sum + row.total_pence, 0)).toBe(17525);

    const betaAgain = await service.splitSupplier({ supplierId: acme.id, aliases: ['Beta Services'], name: 'Beta Services' });
    expect((await service.getSupplier(betaAgain)).aliases).toEqual([{ alias: 'BETA SERVICES', source: 'manual' }]);
    const paid = await db
      .selectFrom('spend_transactions')
      .select(['supplier_name', 'supplier_id'])
      .where('supplier_name', '=', 'Beta Services')
      .execute();
    expect(paid).toEqual([{ supplier_name: 'Beta Services', supplier_id: betaAgain }]);
    expect((await app.inject('/api/v1/spend/organisations/E07000178/summary')).json()).toMatchObject({ suppliers: 2, totalPence: 77525 });
    await expect(service.splitSupplier({ supplierId: acme.id, aliases: ['Nobody'], name: 'X' })).rejects.toThrow('has no alias NOBODY');
  });
});
