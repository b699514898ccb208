import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deriveComponentSlug } from './component-slug.js';
import { parsePubliccode } from './publiccode-parser.js';
import type { ComponentDraft, ComponentExport, PubliccodeParseResult } from './publiccode-types.js';
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
  it.each(['amsterdam-signals-frontend.publiccode.yml', 'comune-milano-whistleblowing.publiccode.yml', 'legacy-0-2-style.publiccode.yml'])(
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
      // A written file must not trip the reader's own unknown-field check.
      if (result.ok) expect(result.warnings.filter((warning) => warning.message.includes('not a publiccode.yml field'))).toEqual([]);
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
    });
  });

  it('round-trips any text a council might type in the name and descriptions', () => {
    const text = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
      .filter((value) => value.trim() === value && value.trim() !== '');
    const multiline = fc.array(text, { minLength: 1, maxLength: 4 }).map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(text, text, multiline, (name, summary, description) => {
        const written = toPubliccodeYaml({
          name,
          summary,
          description,
          serviceAreas: [],
          licence: 'EUPL-1.2',
          codeRepositoryUrl: 'https://example.org/repository',
          documentationUrl: null,
          landingUrl: null,
          developmentStatus: 'beta',
          hostingOptions: [],
          maintainers: [{ name, kind: 'organisation', roles: ['repository-owner'] }],
          releaseDate: null,
          softwareVersion: null,
          logoUrl: null,
          features: [],
          platforms: ['web'],
          usedBy: [],
        });
        const again = imported(parsePubliccode(written));
        expect(again.name).toBe(name);
        expect(again.summary).toBe(summary);
        expect(again.description).toBe(description.trim());
        expect(again.maintainers[0]?.name).toBe(name);
      }),
    );
  });
});

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
