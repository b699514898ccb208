import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxFault, positionOfOffset } from './json-syntax-position.js';
import { parseOcds } from './ocds-parser.js';
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
describe('parseOcds with real Contracts Finder release packages', () => {
  it('reads Kent’s 2014 package: 1 release, no awards, 1 tender draft', () => {
    const result = accepted(parseOcds(readFixture('cf-2014-kent-release-package.json'), 'cf-2014-kent-release-package.json'));

    expect(result.packageKind).toBe('release-package');
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
    expect(result.warnings).toEqual([]);
  });

  it('reads Derby City’s package: 1 release, no awards, 1 tender draft', () => {
    const result = accepted(parseOcds(readFixture('cf-derbycity-release-package.json')));

    expect(result.packageKind).toBe('release-package');
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

  it('gives the same identity keys when the same package is read again', () => {
    const keys = (): string[] =>
      accepted(parseOcds(readFixture('cf-derbycity-release-package.json'))).contracts.map((draft) => draft.identityKey);
    expect(keys()).toEqual(keys());
  });
});

describe('parseOcds with other shapes publishers use', () => {
  it('reads a bare release: one draft per contract, plus awards not yet contracted', () => {
    const result = accepted(parseOcds(readFixture('bare-release.json')));

    expect(result.packageKind).toBe('release');
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

  it('reads a list of bare releases, including numeric release ids and releases with no tender', () => {
    const result = accepted(parseOcds(readFixture('release-list.json')));

    expect(result.packageKind).toBe('release-list');
    expect(result.releases.map((release) => [release.path, release.releaseId])).toEqual([
      ['$[0]', 'r1'],
      ['$[1]', '17'],
    ]);
    // The planning release has no tender, award or contract, so it gives no contract draft.
    expect(result.contracts.map((draft) => draft.identityKey)).toEqual(['ocds-test-0002/tender']);
  });

  it('reads a record package, preferring the compiled release and else the latest release', () => {
    const result = accepted(parseOcds(readFixture('record-package.json')));

    expect(result.packageKind).toBe('record-package');
    expect(result.releases.map((release) => release.path)).toEqual(['$.records[0].compiledRelease', '$.records[1].releases[1]']);
    expect(result.contracts).toEqual([
      expect.objectContaining({
        identityKey: 'ocds-test-0100/award/a1',
        title: 'Highways maintenance',
        valuePence: 25_000_000,
        startDate: '2024-06-01',
        endDate: '2026-05-31',
        suppliers: [{ name: 'Roads Ltd', scheme: 'GB-COH', id: '00000042' }],
        sourceUrl: 'https://example.gov.uk/ocds/records/package-1.json',
      }),
      expect.objectContaining({ identityKey: 'ocds-test-0200/tender', title: 'Library self-service kiosks', releaseId: '0200-2' }),
    ]);
    expect(result.warnings).toEqual([expect.stringContaining('$.records[1]: the record has no compiled release')]);
  });

  it('reads a bare record whose compiled release leaves the ocid to the record', () => {
    const result = accepted(parseOcds(readFixture('bare-record.json')));
    expect(result.packageKind).toBe('record');
    expect(onlyContract(result)).toMatchObject({
      ocid: 'ocds-test-0300',
      title: 'Parking permits platform',
      identityKey: 'ocds-test-0300/tender',
    });
  });
});

describe('parseOcds refusing bad files', () => {
  it('refuses wrong structure, naming each fault by JSON path', () => {
    const errors = refused(parseOcds(readFixture('wrong-structure.json'), 'wrong-structure.json'));

    expect(errors.map((error) => error.path)).toEqual(['$.releases[1].ocid', '$.releases[2].tender.value.amount', '$.releases[3].awards']);
    expect(errors[1]?.message).toBe('wrong-structure.json: must be a number, not "12,000.00"');
  });

  it('refuses a package whose releases are not a list', () => {
    expect(refused(parseOcds('{"uri": "x", "releases": {"ocid": "a"}}'))).toEqual([
      { path: '$.releases', message: 'must be a list, not an object' },
    ]);
  });

  it('refuses JSON that is not OCDS at all', () => {
    expect(refused(parseOcds('{"hello": "world"}'))[0]?.path).toBe('$');
    expect(refused(parseOcds('42'))[0]?.path).toBe('$');
  });

  it('refuses malformed JSON with the line and column of the fault', () => {
    // Checked by hand: the stray "}" after a trailing comma is on line 4, column 45 of broken-syntax.json.
    const errors = refused(parseOcds(readFixture('broken-syntax.json'), 'broken-syntax.json'));
    expect(errors).toEqual([
      {
        path: '$',
        line: 4,
        column: 45,
        message:
          'broken-syntax.json: the file is not valid JSON at line 4, column 45: a comma before "}" (trailing commas are not allowed in JSON)',
      },
    ]);
  });

  it('reports a file cut short at its end', () => {
    expect(refused(parseOcds('{\n  "releases": [\n'))[0]).toMatchObject({
      line: 3,
      column: 1,
      message: expect.stringContaining('ends too soon') as string,
    });
  });
});

describe('findJsonSyntaxFault', () => {
  it('accepts exactly what JSON.parse accepts', () => {
    const isValidJson = (text: string): boolean => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    };
    const damaged = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\n', '0', '-', '\\'))
      .map(([text, at, insert]) => {
        const position = at % (text.length + 1);
        return text.slice(0, position) + insert + text.slice(position);
      });
    fc.assert(fc.property(fc.oneof(fc.json(), damaged), (text) => (findJsonSyntaxFault(text) === null) === isValidJson(text)));
  });

  it('counts lines across \\n, \\r\\n and \\r', () => {
    expect(positionOfOffset('a\r\nb\rc\nd', 7)).toEqual({ line: 4, column: 1 });
  });
});
