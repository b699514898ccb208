import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { moduleDatabase } from '../../app/database-schema.js';
import type { Services } from '../../app/services.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { countAuditEvents } from '../../../test/support/factories.js';
import { buildTestApp } from '../../../test/support/test-app.js';
import { insertSyntheticPayments } from '../spend/index.js';
import { runImportOcdsCommand } from './contracts.cli.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/ocds/', import.meta.url));
const read = (name: string) => readFileSync(`${fixtures}${name}`, 'utf8');

describeEachEngine('contracts: OCDS import and the register', ({ database }) => {
  let services: Services;

  beforeAll(async () => {
    ({ services } = await buildTestApp(database()));
  });

  const countContracts = async () =>
    (await sql<{ n: number }>`select count(*)::int8 as n from contracts`.execute(database().db)).rows[0]?.n;

  it('imports the two real Contracts Finder packages, linked to their councils, and updates rather than duplicates on re-import', async () => {
    const outcomes = [];
    for (const file of ['cf-2014-kent-release-package.json', 'cf-derbycity-release-package.json']) {
      outcomes.push(await services.contractsService.importOcdsFile(`${fixtures}${file}`));
    }
    expect(outcomes.map(({ status, releases, contracts, created }) => ({ status, releases, contracts, created }))).toEqual([
      { status: 'imported', releases: 1, contracts: 1, created: 1 },
      { status: 'imported', releases: 1, contracts: 1, created: 1 },
    ]);
    const kent = await services.contractsService.listContracts({ organisation: 'E10000016', page: 1, pageSize: 10 });
    expect(kent.items.map((item) => [item.title, item.minimumValuePence, item.categoryName])).toEqual([
      ['SS1464 - Strategic Transformation Partner', 57_822_900, 'Food and drink'],
    ]);
    const before = await countContracts();
    const again = await services.contractsService.importOcdsFile(`${fixtures}cf-2014-kent-release-package.json`);
    expect(again).toMatchObject({ status: 'imported', created: 0, updated: 1 });
    expect(await countContracts()).toBe(before);
  });

  it('reads bare releases, lists and record packages, and links suppliers to spend suppliers by company number then name', async () => {
    const db = database().db;
    const oxford = (await db.selectFrom('organisations').select('id').where('gss_code', '=', 'E07000178').executeTakeFirstOrThrow()).id;
    const { suppliers } = await insertSyntheticPayments(moduleDatabase(db), [
      { organisationId: oxford, supplier: 'Bins Software (Trading) Ltd', companyNumber: '01234567', date: '2024-05-01', pence: 100_000 },
      { organisationId: oxford, supplier: 'A SOLE TRADER', date: '2024-05-02', pence: 50_000 },
    ]);
    const outcome = await services.contractsService.importOcds({
      text: read('bare-release.json'),
      fileName: 'bare-release.json',
      actor: null,
    });
    expect(outcome.status).toBe('imported');
    const { items } = await services.contractsService.listContracts({ q: 'ocds-test-0001', page: 1, pageSize: 10 });
    const contract = items.find((item) => item.suppliers.length === 2);
    expect(contract?.suppliers.map((supplier) => supplier.supplierId)).toEqual([
      suppliers.get('Bins Software (Trading) Ltd'),
      suppliers.get('A SOLE TRADER'),
    ]);
    // It ends 2027-03-31, within 18 months of the test date (2026-06-01).
    const timeline = await services.contractsService.getExpiryTimeline({});
    expect(timeline.months.map((month) => month.month)).toContain('2027-03');

    for (const file of ['release-list.json', 'record-package.json', 'bare-record.json']) {
      expect((await services.contractsService.importOcds({ text: read(file), fileName: file, actor: null })).status, file).toBe('imported');
    }
  });

  it('refuses a malformed package with the JSON path of each problem, and writes nothing', async () => {
    const [contracts, audits] = [await countContracts(), await countAuditEvents(database().db)];
    const outcome = await services.contractsService.importOcds({
      text: read('wrong-structure.json'),
      fileName: 'wrong-structure.json',
      actor: null,
    });
    expect(outcome.status).toBe('rejected');
    expect(outcome.errors.some((error) => error.startsWith('$.releases[1]'))).toBe(true);
    expect(outcome.errors.some((error) => error.startsWith('$.releases[2].tender.value.amount'))).toBe(true);
    const broken = await services.contractsService.importOcds({
      text: read('broken-syntax.json'),
      fileName: 'broken-syntax.json',
      actor: null,
    });
    expect(broken.errors[0]).toMatch(/^\$: .*line \d+, column \d+/);
    expect(await countContracts()).toBe(contracts);
    expect(await countAuditEvents(database().db)).toBe(audits);
  });

  it('answers the CLI with one JSON object per file and a non-zero exit when any file is refused', async () => {
    let out = '';
    const code = await runImportOcdsCommand(['--json', `${fixtures}cf-derbycity-release-package.json`, `${fixtures}wrong-structure.json`], {
      contractsService: services.contractsService,
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: () => undefined },
    });
    expect(code).toBe(1);
    const lines = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line.file, line.status, line.releases, line.contracts])).toEqual([
      ['cf-derbycity-release-package.json', 'imported', 1, 1],
      ['wrong-structure.json', 'rejected', 0, 0],
    ]);
    expect(Object.keys(lines[0] ?? {})).toEqual(expect.arrayContaining(['file', 'status', 'releases', 'contracts', 'errors']));
  });
});
