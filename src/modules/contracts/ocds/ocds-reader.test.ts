import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsonStream, JsonStreamError } from './json-stream.js';
import { describeIssue } from './ocds-issues.js';
import { parseOcds, readOcds } from './ocds-reader.js';
import type { ContractDraft, OcdsIssue, OcdsParseResult } from './ocds-types.js';

const fixtureDirectory = new URL('../../../../test/fixtures/ocds/', import.meta.url);

function readFixture(name: string): string {
  return readFileSync(new URL(name, fixtureDirectory), 'utf8');
}

type Accepted = Extract<OcdsParseResult, { ok: true }>;

function accepted(result: OcdsParseResult): Accepted {
  if (!result.ok) throw new Error(`expected the file to be read, got ${JSON.stringify(result.errors)}`);
  return result;
}

function refused(result: OcdsParseResult): OcdsIssue[] {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.errors;
}

/** Each grouped problem as "message: paths", the way people read them. */
function described(issues: readonly OcdsIssue[]): string[] {
  return issues.map(describeIssue);
}

function onlyContract(result: Accepted): ContractDraft {
  expect(result.contracts).toHaveLength(1);
  return result.contracts[0] as ContractDraft;
}

/*
 * Counts for the real Contracts Finder packages were checked independently of this parser with python3:
 *   d = json.load(open(f)); rs = d['releases']
 *   len(rs), sum(len(r.get('awards', [])) for r in rs), sum(len(r.get('contracts', [])) for r in rs)
 * which gives 1 release, 0 awards and 0 contracts in each file, so each yields one draft from its tender.
 * Titles, minValue, CPV ids, buyer identifier and package uri were read the same way (r['tender'][...], d['uri']).
 */
describe('OCDS reader with real Contracts Finder release packages', () => {
  it('reads Kent’s 2014 package: valid against the 1.1 schema, 1 release, no awards, 1 tender draft', async () => {
    const result = accepted(await parseOcds(readFixture('cf-2014-kent-release-package.json')));

    expect(result.shapes).toEqual(['release-package']);
    expect(result.errors).toEqual([]);
    expect(result.releases).toHaveLength(1);
    expect(result.releases[0]).toMatchObject({ awardCount: 0, contractCount: 0, tags: ['tender'], buyerName: 'Kent County Council' });
    expect(onlyContract(result)).toEqual({
      identityKey: 'ocds-b5fd17-2d13960d-adc8-11e6-9901-0019b9f3037b/tender',
      source: 'tender',
      ocid: 'ocds-b5fd17-2d13960d-adc8-11e6-9901-0019b9f3037b',
      releaseId: 'ocds-b5fd17-2d13960d-adc8-11e6-9901-0019b9f3037b-kent-9rfl-2qgfaf',
      releaseDate: '2014-12-17T16:45:11Z',
      awardId: null,
      contractId: null,
      title: 'SS1464 - Strategic Transformation Partner',
      description: expect.stringMatching(/^The Opportunity\nLike local authorities across the UK/) as string,
      buyerName: 'Kent County Council',
      // Contracts Finder wrote the buyer identifier with an empty scheme and id.
      buyerIdentifier: null,
      suppliers: [],
      // tender.value.amount is null; only the minimum (578229) is stated.
      valuePence: null,
      minimumValuePence: 57_822_900,
      currency: 'GBP',
      // The "Contract start/end" milestones have null due dates; tenderPeriod is not a contract period.
      startDate: null,
      endDate: null,
      status: 'unsuccessful',
      sourceUrl: 'https://www.contractsfinder.service.gov.uk/Published/Notice/releases/e82b0182-332b-47ba-9bff-e8e02cfb6d58.json',
      cpvCodes: ['15000000'],
    });
    // Checked by hand in the file: four empty strings in the buyer, and no version field (OCDS 1.0 had none).
    expect(described(result.warnings)).toEqual([
      'telephone is empty: leave out a field that has no value: $.releases[0].buyer.contactPoint.telephone',
      'scheme is empty: leave out a field that has no value: $.releases[0].buyer.identifier.scheme',
      'id is empty: leave out a field that has no value: $.releases[0].buyer.identifier.id',
      'locality is empty: leave out a field that has no value: $.releases[0].buyer.address.locality',
      'version is missing, so the package was read as OCDS 1.0 (as the standard says) against the 1.1 schema: $.version',
    ]);
  });

  it('reads Derby City’s package: 1 release, no awards, 1 tender draft', async () => {
    const result = accepted(await parseOcds(readFixture('cf-derbycity-release-package.json')));

    expect(result.shapes).toEqual(['release-package']);
    expect(result.releases).toHaveLength(1);
    expect(onlyContract(result)).toMatchObject({
      ocid: 'ocds-b5fd17-2ceb8792-adc8-11e6-9901-0019b9f3037b',
      releaseId: 'ocds-b5fd17-2ceb8792-adc8-11e6-9901-0019b9f3037b-derbscity-9rdl-5ei06y',
      title: 'TD0886 - Provision of Alternative Education',
      buyerName: 'Derby City Council',
      buyerIdentifier: null,
      valuePence: null,
      minimumValuePence: 12_975_000,
      status: 'unsuccessful',
      cpvCodes: ['80000000'],
      sourceUrl: 'https://www.contractsfinder.service.gov.uk/Published/Notice/releases/81450800-ba57-4744-ad5f-64f31a3c2a0c.json',
    });
  });

  it('gives the same identity keys when the same package is read again', async () => {
    const keys = async (): Promise<string[]> =>
      accepted(await parseOcds(readFixture('cf-derbycity-release-package.json'))).contracts.map((draft) => draft.identityKey);
    expect(await keys()).toEqual(await keys());
  });
});

describe('OCDS reader: drafts from a release', () => {
  it('reads a bare release: one draft per contract, plus awards not yet contracted', async () => {
    const result = accepted(await parseOcds(readFixture('bare-release.json')));

    expect(result.shapes).toEqual(['release']);
    expect(result.releases).toEqual([expect.objectContaining({ ocid: 'ocds-test-0001', awardCount: 2, contractCount: 1, path: '$' })]);
    expect(result.contracts.map((draft) => draft.identityKey)).toEqual([
      'ocds-test-0001/contract/contract-1',
      'ocds-test-0001/award/award-2',
    ]);

    const [contract, award] = result.contracts;
    expect(contract).toMatchObject({
      source: 'contract',
      awardId: 'award-1',
      contractId: 'contract-1',
      // The contract has no title, so the award's is used before the tender's.
      title: 'Scheduling software award',
      status: 'active',
      valuePence: 8_499_999,
      currency: 'GBP',
      startDate: '2024-04-01T00:00:00Z',
      endDate: '2027-03-31T23:59:59Z',
      buyerName: 'Example Unitary Council',
      buyerIdentifier: { scheme: 'GB-GOR', id: 'E06000001' },
      suppliers: [
        { name: 'Bins Software Ltd', scheme: 'GB-COH', id: '01234567' },
        { name: 'A Sole Trader', scheme: null, id: null },
      ],
      cpvCodes: ['72000000', '48000000'],
      // No package, so the first document of the release is the source.
      sourceUrl: 'https://example.gov.uk/notices/1',
    });
    expect(award).toMatchObject({
      source: 'award',
      status: 'pending',
      // The award states no value, so the tender's stands.
      valuePence: 9_000_000,
      suppliers: [{ name: 'Support Co', scheme: 'GB-COH', id: '07654321' }],
    });
  });
});

// Small documents written for these tests; each states only what the case needs.
const release = (ocid: string, id: string, extra: Record<string, unknown> = {}) => ({
  ocid,
  id,
  date: '2024-01-01T00:00:00Z',
  tag: ['tender'],
  initiationType: 'tender',
  tender: { id: 't', title: `Tender ${id}` },
  ...extra,
});
const packageMetadata = {
  uri: 'https://example.gov.uk/p.json',
  version: '1.1',
  publisher: { name: 'P' },
  publishedDate: '2024-01-01T00:00:00Z',
};
const releasePackage = (releases: unknown[]) => ({ ...packageMetadata, releases });
const recordPackage = (records: unknown[]) => ({ ...packageMetadata, records });
const linked = (extra: Record<string, unknown> = {}) => ({
  url: 'https://example.gov.uk/p.json#a',
  date: '2024-01-01T00:00:00Z',
  tag: ['tender'],
  ...extra,
});
const json = (value: unknown) => JSON.stringify(value);

describe('OCDS reader: every shape', () => {
  it('reads a record package, preferring the compiled release and else the latest embedded release', async () => {
    const result = accepted(await parseOcds(readFixture('record-package.json')));

    expect(result.shapes).toEqual(['record', 'compiled-release', 'record-package']);
    expect(result.releases.map((summary) => summary.path)).toEqual(['$.records[0].compiledRelease', '$.records[1].releases[1]']);
    expect(result.contracts).toEqual([
      expect.objectContaining({
        identityKey: 'ocds-test-0100/award/a1',
        title: 'Highways maintenance',
        valuePence: 25_000_000,
        suppliers: [{ name: 'Roads Ltd', scheme: 'GB-COH', id: '00000042', scale: null }],
        sourceUrl: 'https://example.gov.uk/ocds/records/package-1.json',
      }),
      expect.objectContaining({ identityKey: 'ocds-test-0200/tender', title: 'Library self-service kiosks', releaseId: '0200-2' }),
    ]);
    expect(described(result.warnings)).toContain(
      'records item has no compiled release, so its latest embedded release was imported: $.records[1]',
    );
  });

  it('reads a bare record through its compiled release', async () => {
    const result = accepted(await parseOcds(readFixture('bare-record.json')));
    expect(result.shapes).toEqual(['record', 'compiled-release']);
    expect(onlyContract(result)).toMatchObject({ ocid: 'ocds-test-0300', title: 'Parking permits platform' });
  });

  it('reads a bare compiled release', async () => {
    const result = accepted(await parseOcds(json(release('ocds-abc123-1', 'compiled-1', { tag: ['compiled'] }))));
    expect(result.shapes).toEqual(['compiled-release']);
    expect(onlyContract(result).identityKey).toBe('ocds-abc123-1/tender');
  });

  it('refuses a versioned release with a message that says what it is', async () => {
    const versioned = {
      ocid: 'ocds-abc123-1',
      initiationType: [{ releaseID: 'r1', releaseDate: '2024-01-01T00:00:00Z', releaseTag: ['tender'], value: 'tender' }],
      tender: { id: [{ releaseID: 'r1', releaseDate: '2024-01-01T00:00:00Z', value: 't' }] },
    };
    const result = await parseOcds(json(versioned));
    expect(result.shapes).toEqual(['versioned-release']);
    expect(refused(result)).toEqual([
      expect.objectContaining({ paths: ['$'], message: expect.stringMatching(/^is a versioned release/) as string }),
    ]);
  });

  it('reads a JSON list of release packages as packages, not as releases', async () => {
    const text = json([
      releasePackage([release('ocds-abc123-1', 'a')]),
      releasePackage([release('ocds-abc123-2', 'a'), release('ocds-abc123-3', 'a')]),
    ]);
    const result = accepted(await parseOcds(text));
    expect(result.shapes).toEqual(['release-package']);
    expect(result.layout).toBe('list');
    expect(result.releases.map((summary) => summary.path)).toEqual(['$[0].releases[0]', '$[1].releases[0]', '$[1].releases[1]']);
  });

  it('reads a list of releases, checking each element for what it is', async () => {
    const result = await parseOcds(json([release('ocds-abc123-1', 'a'), 42, { hello: 'world' }]));
    expect(described(refused(result))).toEqual([
      'is not OCDS data: expected a release package, record package, release or record, not number 42: $[1]',
      'is not OCDS data: it has none of ocid, releases or records (expected a release package, record package, release or record): $[2]',
    ]);
  });

  it('reads concatenated JSON and JSON Lines, one unit per value', async () => {
    const lines = `${json(releasePackage([release('ocds-abc123-1', 'a')]))}\n${json(releasePackage([release('ocds-abc123-2', 'a')]))}\n`;
    const fromLines = accepted(await parseOcds(lines));
    expect(fromLines.layout).toBe('sequence');
    expect(fromLines.releases.map((summary) => summary.path)).toEqual(['$[0].releases[0]', '$[1].releases[0]']);

    const concatenated = accepted(await parseOcds(`${json(release('ocds-abc123-1', 'a'))}${json(release('ocds-abc123-1', 'b'))}`));
    expect(concatenated.shapes).toEqual(['release']);
    expect(concatenated.releases.map((summary) => [summary.path, summary.releaseId])).toEqual([
      ['$[0]', 'a'],
      ['$[1]', 'b'],
    ]);
  });

  it('refuses an empty package, saying it is empty', async () => {
    expect(described(refused(await parseOcds(json(releasePackage([])))))).toEqual([
      'releases must have at least 1 item: the package is empty (it holds no releases): $.releases',
    ]);
    expect(described(refused(await parseOcds(json(recordPackage([])))))).toEqual([
      'records must have at least 1 item: the package is empty (it holds no records): $.records',
    ]);
  });

  it.each([
    ['true', 'not boolean true'],
    ['12', 'not number 12'],
    ['null', 'not null'],
    ['"text"', 'not text'],
    ['[]', 'is an empty list'],
    ['{}', 'is an empty object'],
  ])('refuses %s, which is not OCDS, at $', async (text, words) => {
    const [error, ...others] = refused(await parseOcds(text));
    expect(others).toEqual([]);
    expect(error?.paths).toEqual(['$']);
    expect(error?.message).toContain(words);
  });

  it('tells a package from a record whatever the order of their members', async () => {
    // Contracts Finder writes "releases" before "uri"; a record may state its ocid last.
    const late = `{"publisher": {"name": "P"}, "releases": [${json(release('ocds-abc123-1', 'a'))}], "publishedDate": "2024-01-01T00:00:00Z", "version": "1.1", "uri": "https://example.gov.uk/p"}`;
    expect(accepted(await parseOcds(late)).shapes).toEqual(['release-package']);
    const record = `{"releases": [${json(release('ocds-abc123-1', 'a'))}], "ocid": "ocds-abc123-1"}`;
    expect(accepted(await parseOcds(record)).shapes).toEqual(['record']);
  });

  it('refuses a package that holds both releases and records', async () => {
    const both = { ...recordPackage([{ ocid: 'ocds-abc123-1', releases: [linked()] }]), releases: [release('ocds-abc123-1', 'a')] };
    expect(described(refused(await parseOcds(json(both))))).toContain('has both releases and records: a package holds one or the other: $');
  });
});

describe('OCDS reader: duplicates, required fields and records', () => {
  it('reports releases that repeat an ocid and id in a release package, naming each repeat', async () => {
    const text = json(
      releasePackage([
        release('ocds-abc123-1', 'a'),
        release('ocds-abc123-1', 'b'),
        release('ocds-abc123-1', 'a'),
        release('ocds-abc123-2', 'a'),
        release('ocds-abc123-1', 'a'),
      ]),
    );
    expect(described(refused(await parseOcds(text)))).toEqual([
      'releases item has the same ocid and id as an earlier release (each release must have its own): $.releases[2], $.releases[4]',
    ]);
  });

  it('reports records that repeat an ocid in a record package', async () => {
    const record = { ocid: 'ocds-abc123-1', releases: [linked()], compiledRelease: release('ocds-abc123-1', 'c', { tag: ['compiled'] }) };
    const text = json(recordPackage([record, { ...record, ocid: 'ocds-abc123-2' }, record]));
    expect(described(refused(await parseOcds(text)))).toEqual([
      'ocid is the ocid of an earlier record (each record must have its own): $.records[2].ocid',
    ]);
  });

  it.each(['date', 'tag', 'initiationType', 'ocid', 'id'])('reports a release without %s, grouped with the path of each', async (field) => {
    const without = (id: string) => Object.fromEntries(Object.entries(release(`ocds-abc123-${id}`, id)).filter(([key]) => key !== field));
    const errors = refused(await parseOcds(json(releasePackage([without('1'), release('ocds-abc123-2', '2'), without('3')]))));
    expect(described(errors)).toEqual([`${field} is missing but required: $.releases[0].${field}, $.releases[2].${field}`]);
  });

  it('reports a linked release without its url, and a package without its metadata', async () => {
    const record = { ocid: 'ocds-abc123-1', releases: [linked({ url: undefined })], compiledRelease: release('ocds-abc123-1', 'c') };
    expect(described(refused(await parseOcds(json(recordPackage([record])))))).toEqual([
      'url is missing but required: $.records[0].releases[0].url',
    ]);
    expect(described(refused(await parseOcds(json({ releases: [release('ocds-abc123-1', 'a')] })))).slice(0, 3)).toEqual([
      'uri is missing but required: $.uri',
      'publisher is missing but required: $.publisher',
      'publishedDate is missing but required: $.publishedDate',
    ]);
  });

  it('refuses a record that mixes linked and embedded releases, as the standard allows one kind or the other', async () => {
    const mixed = {
      ocid: 'ocds-abc123-1',
      releases: [linked(), release('ocds-abc123-1', 'a')],
      compiledRelease: release('ocds-abc123-1', 'c'),
    };
    expect(described(refused(await parseOcds(json(recordPackage([mixed])))))).toEqual([
      'releases mixes linked releases (url, date and tag only) with embedded releases: the standard allows a list of one kind or the other: $.records[0].releases',
    ]);
  });

  it('imports nothing from a record of linked releases without a compiled release, and says so', async () => {
    const result = accepted(await parseOcds(json(recordPackage([{ ocid: 'ocds-abc123-1', releases: [linked()] }]))));
    expect(result.contracts).toEqual([]);
    expect(described(result.warnings)).toEqual([
      'records item has no compiled release and only linked releases, so nothing was imported from it: $.records[0]',
    ]);
  });

  it('checks values against the schema: codelists, types and formats', async () => {
    const bad = release('ocds-abc123-1', 'a', {
      tag: ['tendered'],
      date: '1 May 2024',
      tender: { id: 't', status: 'open', value: { amount: '12,000.00', currency: 'GBX' }, documents: [{ id: 'd', url: 'not a uri' }] },
    });
    expect(described(refused(await parseOcds(json(releasePackage([bad])))))).toEqual([
      'date is not a date and time as the standard asks (RFC 3339, such as 2024-05-01T00:00:00Z): $.releases[0].date',
      expect.stringMatching(/^tag item is not in the allowed values: planning, .*: \$\.releases\[0\]\.tag\[0\]$/),
      'status is not in the closed tenderStatus codelist: planning, planned, active, cancelled, unsuccessful, complete, withdrawn: $.releases[0].tender.status',
      'amount must be number or null: $.releases[0].tender.value.amount',
      'currency is not in the closed currency codelist: $.releases[0].tender.value.currency',
      'url is not a full URI (such as https://example.gov.uk/notice/1): $.releases[0].tender.documents[0].url',
    ]);
  });

  it('keeps the first paths of a large group and counts the rest', async () => {
    const releases = Array.from({ length: 60 }, (_, index) => ({ ...release(`ocds-abc123-${index}`, 'a'), date: undefined }));
    const [error] = refused(await parseOcds(json(releasePackage(releases))));
    expect(error).toMatchObject({ message: 'date is missing but required', count: 60 });
    expect(error?.paths).toHaveLength(50);
    expect(describeIssue(error as OcdsIssue)).toMatch(/\$\.releases\[49\]\.date and 10 more$/);
  });

  it('warns about empty fields and OCIDs without a registered prefix, and still imports', async () => {
    const result = accepted(await parseOcds(json(releasePackage([release('my-council-1', 'a', { language: '', parties: [] })]))));
    expect(described(result.warnings)).toEqual([
      'language is empty: leave out a field that has no value: $.releases[0].language',
      'parties is empty: leave out a field that has no value: $.releases[0].parties',
      'ocid does not start with a registered OCID prefix ("ocds-" and six letters or digits): $.releases[0].ocid',
    ]);
  });

  it('reads a package without a version as OCDS 1.0, and refuses another major version', async () => {
    const { version: _version, ...unversioned } = releasePackage([release('ocds-abc123-1', 'a')]);
    expect(described(accepted(await parseOcds(json(unversioned))).warnings)).toEqual([
      'version is missing, so the package was read as OCDS 1.0 (as the standard says) against the 1.1 schema: $.version',
    ]);
    const future = { ...releasePackage([release('ocds-abc123-1', 'a')]), version: '2.0' };
    expect(described(refused(await parseOcds(json(future))))).toEqual([
      'version is not a version of OCDS 1 (1.0 or 1.1), which is what this importer reads: $.version',
    ]);
  });
});

describe('OCDS reader: numbers and limits on untrusted input', () => {
  it.each([
    ['1e308', 'amount is too large to store: amounts up to 90 trillion are kept exactly'],
    ['-1e308', 'amount is too large to store: amounts up to 90 trillion are kept exactly'],
    ['1e400', 'amount is a number too large to hold'],
  ])('refuses an amount of %s with its path, never crashing', async (amount, message) => {
    const text = json(releasePackage([release('ocds-abc123-1', 'a')])).replace(
      '"title":"Tender a"',
      `"title":"Tender a","value":{"amount":${amount},"currency":"GBP"}`,
    );
    expect(described(refused(await parseOcds(text)))).toEqual([`${message}: $.releases[0].tender.value.amount`]);
  });

  it.each(['Infinity', 'NaN', '-Infinity'])('refuses %s, which JSON does not have, with its line and column', async (word) => {
    const [error] = refused(await parseOcds(`{\n  "ocid": ${word}\n}`));
    expect(error).toMatchObject({ paths: ['$'], line: 2, column: 11 });
  });

  it('refuses nesting deeper than the limit, before any parsing that could exhaust the stack', async () => {
    const deep = `{"ocid": "ocds-abc123-1", "tender": ${'['.repeat(100_000)}`;
    const [error] = refused(await parseOcds(deep));
    expect(error?.message).toBe('the file is not valid JSON: the JSON is nested more than 64 levels deep');
    expect(error).toMatchObject({ line: 1, column: 100 });
  });

  it('refuses a single value larger than the size limit', async () => {
    const text = json(releasePackage([release('ocds-abc123-1', 'a', { tender: { id: 't', description: 'x'.repeat(5000) } })]));
    const [error] = refused(await parseOcds(text, { limits: { maxPieceChars: 1000 } }));
    expect(error?.message).toMatch(/one value is larger than the limit/);
  });

  it('refuses malformed JSON with the line and column of the fault', async () => {
    // Checked by hand: the stray "}" after a trailing comma is on line 4, column 45 of broken-syntax.json.
    expect(refused(await parseOcds(readFixture('broken-syntax.json')))).toEqual([
      {
        message: 'the file is not valid JSON: a comma before "}" (trailing commas are not allowed in JSON)',
        paths: ['$'],
        count: 1,
        line: 4,
        column: 45,
      },
    ]);
    expect(refused(await parseOcds('{\n  "releases": [\n'))[0]?.message).toContain('ends too soon');
  });
});

describe('OCDS reader: streaming', () => {
  const acceptsAsOneValue = (text: string, cuts: number[]): boolean => {
    const stream = createJsonStream(
      {
        unitStart: () => undefined,
        member: () => undefined,
        listStart: () => undefined,
        item: () => undefined,
        unitEnd: () => undefined,
        topArrayEnd: () => undefined,
      },
      { maxDepth: 1000, maxPieceChars: 1e9 },
    );
    try {
      let start = 0;
      for (const cut of [...cuts.map((at) => at % (text.length + 1))].sort((a, b) => a - b)) {
        stream.write(text.slice(start, cut));
        start = cut;
      }
      stream.write(text.slice(start));
      return stream.end().topLevelValues === 1;
    } catch (error) {
      if (error instanceof JsonStreamError) return false;
      throw error;
    }
  };

  it('accepts exactly what JSON.parse accepts, however the text is cut into chunks', () => {
    const isValidJson = (text: string): boolean => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    };
    const damaged = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\n', '0', '-', '\\', '{', '['))
      .map(([text, at, insert]) => {
        const position = at % (text.length + 1);
        return text.slice(0, position) + insert + text.slice(position);
      });
    fc.assert(
      fc.property(
        fc.oneof(fc.json(), damaged),
        fc.array(fc.nat(), { maxLength: 5 }),
        (text, cuts) => acceptsAsOneValue(text, cuts) === isValidJson(text),
      ),
      { numRuns: 500 },
    );
  });

  it('reads the same releases whatever the chunk size', async () => {
    const text =
      readFixture('record-package.json') + '\n' + json(releasePackage([release('ocds-abc123-1', 'a'), release('ocds-abc123-2', 'b')]));
    const pathsWith = async (size: number) => {
      const paths: string[] = [];
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, index) => text.slice(index * size, (index + 1) * size));
      const result = await readOcds(chunks, { onRelease: ({ summary }) => paths.push(summary.path) });
      return { paths, errors: result.errors };
    };
    const whole = await pathsWith(text.length);
    expect(whole.paths).toHaveLength(4);
    for (const size of [1, 2, 7, 64, 1000]) expect(await pathsWith(size)).toEqual(whole);
  });
});

describe('OCDS reader: fuzzed input', () => {
  const realPackage = readFixture('cf-2014-kent-release-package.json');

  /** Never throws; a refusal always says where, by a JSON path from the file's root. */
  const readsSafely = async (text: string): Promise<void> => {
    const result = await parseOcds(text, { limits: { maxDepth: 40, maxPieceChars: 100_000 } });
    for (const issue of [...result.errors, ...result.warnings]) {
      expect(issue.paths.length).toBeGreaterThan(0);
      for (const path of issue.paths) expect(path).toMatch(/^\$/);
    }
    if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
  };

  it('reads any JSON value without throwing, refusing with a path', async () => {
    await fc.assert(fc.asyncProperty(fc.json({ depthSize: 'medium' }), readsSafely), { numRuns: 300 });
  });

  it('reads a real package cut, spliced and sprinkled with stray characters without throwing', async () => {
    const mutated = fc
      .tuple(fc.nat(realPackage.length), fc.nat(40), fc.constantFrom('', '{', '}', '[', ']', ',', '"', '1e400', '-', 'null', '\\u12'))
      .map(([at, cut, insert]) => realPackage.slice(0, at) + insert + realPackage.slice(Math.min(realPackage.length, at + cut)));
    await fc.assert(fc.asyncProperty(mutated, readsSafely), { numRuns: 300 });
  });

  it('reads real releases with their values replaced by random JSON without throwing', async () => {
    const document = JSON.parse(realPackage) as { releases: Record<string, unknown>[] };
    const release = document.releases[0] ?? {};
    const keys = Object.keys(release);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), fc.jsonValue(), async (key, value) => {
        await readsSafely(JSON.stringify({ ...document, releases: [{ ...release, [key]: value }] }));
      }),
      { numRuns: 300 },
    );
  });
});
