import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deriveComponentSlug } from './component-slug.js';
import { parsePubliccode } from './publiccode-parser.js';
import type { ComponentDraft, ComponentExport, ComponentMaintainer, PubliccodeParseResult } from './publiccode-types.js';
import { validatePubliccode } from './publiccode-validator.js';
import { publiccodeCategories } from './publiccode-vocabularies.js';
import { toPubliccodeYaml } from './publiccode-writer.js';

const fixtureDirectory = new URL('../../../../test/fixtures/publiccode/', import.meta.url);

function imported(result: PubliccodeParseResult): ComponentDraft {
  if (!result.ok) throw new Error(`expected the file to import, got ${JSON.stringify(result.errors)}`);
  return result.component;
}

function exportOf(component: ComponentDraft): ComponentExport {
  const { raw: _raw, ...rest } = component;
  return rest;
}

describe('toPubliccodeYaml', () => {
  it.each(['amsterdam-signals-frontend.publiccode.yml', 'comune-milano-whistleblowing.publiccode.yml', 'unknown-fields.publiccode.yml'])(
    'keeps name, description, licence and maintainers through import, export and import again (%s)',
    (fileName) => {
      const first = imported(parsePubliccode(readFileSync(new URL(fileName, fixtureDirectory), 'utf8')));
      const written = toPubliccodeYaml(exportOf(first));
      const result = parsePubliccode(written);
      const second = imported(result);

      for (const field of [
        'name',
        'summary',
        'description',
        'descriptionLanguage',
        'licence',
        'maintainers',
        'features',
        'developmentStatus',
        'releaseDate',
        'softwareVersion',
      ] as const) {
        expect(second[field], field).toEqual(first[field]);
      }
      expect(second.publiccodeVersion).toBe('0.4');
      // A written file is a valid 0.4 file: no errors and no warnings at all.
      expect(result.ok && result.warnings).toEqual([]);
    },
  );

  it('writes the fields publiccode.yml 0.4 requires, with dates and versions quoted as text', () => {
    const component = imported(
      parsePubliccode(readFileSync(new URL('amsterdam-signals-frontend.publiccode.yml', fixtureDirectory), 'utf8')),
    );
    const written = toPubliccodeYaml(exportOf(component));

    expect(written).toMatch(/^publiccodeYmlVersion: "0\.4"$/m);
    expect(written).toMatch(/^releaseDate: "2021-05-20"$/m);
    expect(parse(written)).toMatchObject({
      name: 'Signalen frontend',
      url: 'https://github.com/Amsterdam/signals-frontend',
      platforms: ['web'],
      developmentStatus: 'stable',
      softwareType: 'standalone/web',
      legal: { license: 'MPL-2.0', mainCopyrightOwner: 'Signalen', repoOwner: 'Gemeente Amsterdam' },
      maintenance: { type: 'community', contacts: [{ name: 'Amy van Someren' }, { name: 'René van Sprang' }] },
      localisation: { localisationReady: false, availableLanguages: ['nl'] },
    });
  });

  it('places maintainers entered without a role by their kind', () => {
    const written = parse(
      toPubliccodeYaml({
        name: 'Made Here',
        summary: 'Entered in the catalogue by hand.',
        description: 'No publiccode.yml existed.',
        serviceAreas: [],
        licence: 'MIT',
        codeRepositoryUrl: 'https://github.com/example/made-here',
        documentationUrl: null,
        landingUrl: null,
        developmentStatus: null,
        hostingOptions: [],
        maintainers: [
          { name: 'Example Council', kind: 'organisation', roles: [] },
          { name: 'Ada Lovelace', email: 'ada@example.gov.uk', kind: 'person', roles: [] },
        ],
        releaseDate: null,
        softwareVersion: null,
        logoUrl: null,
        features: [],
        platforms: [],
        usedBy: [],
      }),
    ) as unknown;
    expect(written).toMatchObject({
      softwareType: 'standalone/other',
      description: { en: { shortDescription: 'Entered in the catalogue by hand.' } },
      legal: { license: 'MIT', repoOwner: 'Example Council' },
      maintenance: { type: 'community', contacts: [{ name: 'Ada Lovelace', email: 'ada@example.gov.uk' }] },
      // Mandatory keys the catalogue did not know get the plainest values the standard allows.
      platforms: ['other'],
      categories: ['digital-citizenship'],
      developmentStatus: 'development',
    });
  });

  it('round-trips any text a council might type in the name and descriptions', () => {
    const text = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
      .filter((value) => value.trim() === value && value.trim() !== '');
    // The standard asks for a long description of at least 150 characters: any text a council types, then enough prose.
    const filler =
      'It is kept by the councils that use it, who share the cost of each new feature and the work of keeping it secure and up to date. Anyone may reuse it.';
    const multiline = fc.array(text, { minLength: 1, maxLength: 4 }).map((lines) => `${lines.join('\n')}\n${filler}`);
    fc.assert(
      fc.property(text, text, multiline, (name, summary, description) => {
        const written = toPubliccodeYaml({
          ...handEntered,
          name,
          summary,
          description,
          maintainers: [{ name, kind: 'organisation', roles: ['repository-owner'] }],
        });
        const again = imported(parsePubliccode(written));
        expect(again.name).toBe(name);
        expect(again.summary).toBe(summary);
        expect(again.description).toBe(description);
        expect(again.maintainers[0]?.name).toBe(name);
      }),
      { numRuns: 60 },
    );
  });

  it('writes a file that passes the validator with no errors and no warnings, whatever the component holds', () => {
    const anyText = fc.string({ unit: 'grapheme', maxLength: 400 });
    // fast-check's own webUrl() is slow to generate; addresses of this shape are enough here.
    const webUrl = fc
      .tuple(
        fc.constantFrom('https', 'http'),
        fc.stringMatching(/^[a-z0-9-]{1,12}\.(org|gov\.uk|com)$/),
        fc.stringMatching(/^(\/[a-z0-9._-]{0,10}){0,3}$/),
      )
      .map(([scheme, host, path]) => `${scheme}://${host}${path}`);
    const maintainer: fc.Arbitrary<ComponentMaintainer> = fc.record(
      {
        name: fc.string({ minLength: 1, maxLength: 40 }),
        kind: fc.constantFrom('organisation' as const, 'person' as const),
        roles: fc.subarray(['copyright-owner', 'repository-owner', 'contractor', 'contact'] as const).map((roles) => [...roles]),
        email: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 20 })),
        until: fc.oneof(fc.constant('2027-03-31'), fc.string({ maxLength: 12 })),
        website: fc.oneof(webUrl, fc.string({ maxLength: 20 })),
        phone: fc.string({ maxLength: 20 }),
      },
      { requiredKeys: ['name', 'kind', 'roles'] },
    );
    const component: fc.Arbitrary<ComponentExport> = fc.record({
      name: fc.string({ minLength: 1, maxLength: 80 }).filter((name) => name.trim() !== ''),
      summary: anyText,
      description: fc.oneof(
        anyText,
        fc.integer({ min: 9_990, max: 10_050 }).map((length) => 'é'.repeat(length)),
      ),
      serviceAreas: fc.array(fc.oneof(fc.constantFrom(...publiccodeCategories), fc.string({ maxLength: 20 })), { maxLength: 4 }),
      licence: fc.oneof(
        fc.constant(null),
        fc.constantFrom('MIT', 'EUPL-1.2', 'GPL-3.0-or-later OR MIT', 'Open Government Licence v3'),
        fc.string({ maxLength: 30 }),
      ),
      codeRepositoryUrl: webUrl,
      documentationUrl: fc.oneof(fc.constant(null), webUrl, fc.string({ maxLength: 20 })),
      apiDocumentationUrl: fc.oneof(fc.constant(null), webUrl),
      landingUrl: fc.oneof(fc.constant(null), webUrl, fc.string({ maxLength: 20 })),
      developmentStatus: fc.constantFrom(null, 'concept', 'development', 'beta', 'stable', 'obsolete'),
      softwareType: fc.constantFrom(null, 'standalone/web', 'library', 'standalone', 'mainframe'),
      hostingOptions: fc.subarray(['self-hosted', 'saas'] as const).map((options) => [...options]),
      maintenanceType: fc.constantFrom(null, 'internal', 'contract', 'community', 'none'),
      maintainers: fc.array(maintainer, { maxLength: 4 }),
      releaseDate: fc.oneof(fc.constant(null), fc.constant('2024-02-29'), fc.string({ maxLength: 12 })),
      softwareVersion: fc.oneof(fc.constant(null), fc.constantFrom('1.10', 'yes', 'v2', '')),
      logoUrl: fc.oneof(fc.constant(null), fc.constant('https://example.org/logo.svg'), webUrl),
      features: fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }),
      platforms: fc.array(fc.constantFrom('web', 'android', 'Raspberry Pi'), { maxLength: 2 }),
      usedBy: fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }),
      descriptionLanguage: fc.constantFrom('en', 'en-GB', 'nl', 'not a language'),
      localisation: fc.oneof(
        fc.constant(null),
        fc.record({ ready: fc.boolean(), languages: fc.array(fc.constantFrom('en', 'cy', 'english', 'en_GB'), { maxLength: 3 }) }),
      ),
    });
    fc.assert(
      fc.property(component, (candidate) => {
        const result = validatePubliccode(toPubliccodeYaml(candidate));
        expect(result.errors).toEqual([]);
        expect(result.warnings).toEqual([]);
      }),
      { numRuns: 100, endOnFailure: true },
    );
  });
});

const handEntered: ComponentExport = {
  name: 'Made Here',
  summary: 'Entered in the catalogue by hand.',
  description: 'No publiccode.yml existed.',
  serviceAreas: [],
  licence: 'EUPL-1.2',
  codeRepositoryUrl: 'https://example.org/repository',
  documentationUrl: null,
  landingUrl: null,
  developmentStatus: 'beta',
  hostingOptions: [],
  maintainers: [],
  releaseDate: null,
  softwareVersion: null,
  logoUrl: null,
  features: [],
  platforms: ['web'],
  usedBy: [],
};

describe('deriveComponentSlug', () => {
  it('makes kebab-case ASCII from any name', () => {
    expect(deriveComponentSlug('Signalen frontend')).toBe('signalen-frontend');
    expect(deriveComponentSlug("Gemeente 's-Hertogenbosch")).toBe('gemeente-s-hertogenbosch');
    expect(deriveComponentSlug('Straße für Bürger')).toBe('strasse-fur-burger');
    expect(deriveComponentSlug('Città — Segnalazioni 2.0')).toBe('citta-segnalazioni-2-0');
    expect(deriveComponentSlug('数据')).toBe('component');
    fc.assert(fc.property(fc.string(), (name) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(deriveComponentSlug(name))));
  });
});
