import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/engines.js';
import { useSpendServices } from '../../../test/support/spend.js';
import type { SpendService } from './spend.service.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/spend/', import.meta.url));

describeEachEngine('a spend file for the right council', ({ database }) => {
  const { organisationId, spendService } = useSpendServices(database);
  let service: SpendService;
  beforeAll(() => {
    service = spendService();
  });

  const importFor = async (gss: string, file: string, accept = false) =>
    service.importSpendFile({
      organisationId: await organisationId(gss),
      organisationCode: gss,
      path: FIXTURES + file,
      fileName: file.split('/').at(-1) ?? file,
      ...(accept ? { organisationMismatch: 'accept' as const } : {}),
    });

  it('refuses a Devon file for Oxford, naming both, unless the mismatch is accepted', async () => {
    const refused = await importFor('E07000178', 'devon/DCCSpendingOver500_201101.csv');
    expect(refused.status).toBe('rejected');
    expect(refused.errors.join()).toMatch(
      /names its body as "Devon County Council", which is Devon \(E10000008\), not Oxford \(E07000178\).*--organisation-mismatch=accept/,
    );
    const accepted = await importFor('E07000178', 'devon/DCCSpendingOver500_201101.csv', true);
    expect(accepted).toMatchObject({ status: 'imported', rowsImported: 7012 });
  });

  it('accepts files that name their own council by name, URI, initials or title row', async () => {
    // Body "http://statistics.data.gov.uk/id/local-authority/00BU" and body name "Trafford ".
    expect((await importFor('E08000009', 'more/trafford/201407-3.csv')).status).toBe('imported');
    // "Organisation Name,Barnsley Metropolitan Borough Council" in the metadata rows above the header.
    expect((await importFor('E08000016', 'more/barnsley/exp-ex-500-aug-23.csv')).status).toBe('imported');
    // Body Name "SMBC": initials the register cannot place never refuse a file.
    expect((await importFor('E08000007', 'more/stockport/Stockport September 2014.xls')).status).toBe('imported');
  });

  it('refuses a file whose title rows name another council', async () => {
    const refused = await importFor('E08000035', 'more/barnsley/exp-ex-500-aug-23.csv');
    expect(refused.errors.join()).toMatch(/which is Barnsley \(E08000016\), not Leeds \(E08000035\)/);
  });
});
