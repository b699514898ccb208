import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePubliccode } from './publiccode-parser.js';
import type { ComponentDraft, PubliccodeIssue, PubliccodeParseResult } from './publiccode-types.js';

const fixtureDirectory = new URL('../../../../test/fixtures/publiccode/', import.meta.url);

function readFixture(name: string): string {
  return readFileSync(new URL(name, fixtureDirectory), 'utf8');
}

function importedComponent(result: PubliccodeParseResult): { component: ComponentDraft; warnings: PubliccodeIssue[] } {
  if (!result.ok) throw new Error(`expected the file to import, got ${JSON.stringify(result.errors)}`);
  return result;
}

function refusal(result: PubliccodeParseResult): PubliccodeIssue[] {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.errors;
}

const minimalFile = (overrides: string): string =>
  [
    'publiccodeYmlVersion: "0.4"',
    'name: Minimal',
    'url: https://github.com/example/minimal',
    'developmentStatus: stable',
    'description:',
    '  en:',
    '    shortDescription: A minimal component.',
    overrides,
  ].join('\n');

describe('parsePubliccode with real councils’ files', () => {
  it('imports Amsterdam’s Signalen (version 0.2) with its name, description, licence and maintainers', () => {
    const { component, warnings } = importedComponent(
      parsePubliccode(readFixture('amsterdam-signals-frontend.publiccode.yml'), 'amsterdam-signals-frontend.publiccode.yml'),
    );

    expect(component).toMatchObject({
      slug: 'signalen-frontend',
      name: 'Signalen frontend',
      kind: 'software',
      licence: 'MPL-2.0',
      codeRepositoryUrl: 'https://github.com/Amsterdam/signals-frontend',
      landingUrl: 'https://signalen.org/',
      documentationUrl: 'https://docs.signalen.org/',
      developmentStatus: 'stable',
      hostingOptions: ['self-hosted'],
      releaseDate: '2021-05-20',
      softwareVersion: 'v1.49.0',
      serviceAreas: ['workflow-management', 'task-management', 'communications'],
      platforms: ['web'],
      usedBy: ['Gemeente Amsterdam', "Gemeente 's-Hertogenbosch"],
      features: ['Meldingen classificeren', 'Meldingen routeren', 'Meldingen behandelen', 'Rapporteren'],
      publiccodeVersion: '0.2',
      descriptionLanguage: 'nl',
      maintenanceType: 'community',
      problem: null,
    });
    expect(component.summary).toMatch(/^Signalen is een open source proces- en taaksysteem/);
    expect(component.description).toMatch(/^Signalen is een proces- en taaksysteem/);
    expect(component.description).toContain('300.000 meldingen');
    expect(component.maintainers).toEqual([
      { name: 'Signalen', kind: 'organisation', roles: ['copyright-owner'] },
      { name: 'Gemeente Amsterdam', kind: 'organisation', roles: ['repository-owner'] },
      { name: 'Amy van Someren', email: 'a.vansomeren@s-hertogenbosch.nl', kind: 'person', roles: ['contact'] },
      { name: 'René van Sprang', email: 'r.van.sprang@amsterdam.nl', kind: 'person', roles: ['contact'] },
    ]);
    // The file has only Dutch, so the one warning says which language was used; dependsOn is a known field.
    expect(warnings).toEqual([
      { field: 'description.nl', line: 19, message: expect.stringContaining('the nl description was used') as string },
    ]);
    expect(component.raw).toMatchObject({ dependsOn: { open: expect.any(Array) as unknown } });
  });

  it('imports Milan’s Whistleblowing (version 0.3, Italian extension) with its description and licence', () => {
    const { component, warnings } = importedComponent(parsePubliccode(readFixture('comune-milano-whistleblowing.publiccode.yml')));

    expect(component).toMatchObject({
      slug: 'whistleblowing',
      name: 'Whistleblowing',
      licence: 'AGPL-3.0-only',
      codeRepositoryUrl: 'https://github.com/Comune-Milano/Whistleblowing',
      developmentStatus: 'development',
      maintenanceType: 'none',
      maintainers: [],
      publiccodeVersion: '0.3',
      descriptionLanguage: 'it',
      localisation: { ready: true, languages: ['it', 'en', 'ar', 'hy', 'de', 'es', 'pt', 'fr', 'ru', 'nl', 'el'] },
    });
    expect(component.summary).toBe('Whistleblowing è un applicativo per la gestione sicura e anonima delle segnalazioni di illeciti.');
    expect(component.description).toMatch(/^Whistleblowing è un'applicazione progettata/);
    expect(component.features).toHaveLength(5);
    // The "it:" country extension belongs to Italy and is not an unknown field.
    expect(warnings.map((warning) => warning.field)).toEqual(['description.it']);
    expect(component.raw).toMatchObject({ it: { riuso: { codiceIPA: 'c_f205' } } });
  });
});

describe('parsePubliccode with older and imperfect files', () => {
  it('reads an old-style 0.2 file: legacy version key, en-GB description, legal.license and maintenance.contacts', () => {
    const { component, warnings } = importedComponent(parsePubliccode(readFixture('legacy-0-2-style.publiccode.yml')));

    expect(component).toMatchObject({
      name: 'Bin Collection Finder',
      publiccodeVersion: '0.2',
      // YAML would read 1.10 as the number 1.1; the version is kept as written.
      softwareVersion: '1.10',
      licence: 'OGL-UK-3.0',
      descriptionLanguage: 'en-GB',
      summary: 'Tells residents which day their bins are collected.',
      hostingOptions: ['self-hosted'],
      platforms: ['web'],
      logoUrl: 'https://gitlab.com/example-council/bin-collection-finder/raw/HEAD/docs/logo.svg',
      maintainers: [
        { name: 'Example Council', kind: 'organisation', roles: ['copyright-owner', 'repository-owner'] },
        { name: 'Sam Patel', email: 'sam.patel@example.gov.uk', phone: '+44 1632 960000', kind: 'person', roles: ['contact'] },
      ],
    });
    expect(component.description).toContain('Built by **Example Council**');
    expect(warnings.map((warning) => warning.field)).toEqual(['description.en-GB', 'platforms']);
  });

  it('reports every unknown field by its path and line but still imports', () => {
    const { component, warnings } = importedComponent(parsePubliccode(readFixture('unknown-fields.publiccode.yml')));

    expect(component.name).toBe('Council Tax Helper');
    expect(warnings.map(({ field, line }) => ({ field, line }))).toEqual([
      { field: 'fundingModel', line: 6 },
      { field: 'description.en.sellingPoints', line: 11 },
      { field: 'maintainance', line: 15 },
      { field: 'maintenance.contacts[0].twitter', line: 21 },
    ]);
    expect(warnings[0]?.message).toMatch(/not a publiccode\.yml field/);
  });

  it('refuses malformed YAML and gives the line of the fault', () => {
    const errors = refusal(parsePubliccode(readFixture('malformed.publiccode.yml'), 'malformed.publiccode.yml'));

    expect(errors).toHaveLength(1);
    // The flow list opened on line 4 is found unterminated where line 5 starts.
    expect(errors[0]).toMatchObject({ field: '', line: 5 });
    expect(errors[0]?.message).toMatch(/^malformed\.publiccode\.yml: YAML is not well formed: Flow sequence/);
  });

  it('refuses a duplicated key at the line of the duplicate', () => {
    expect(refusal(parsePubliccode('name: One\nurl: https://example.org\nname: Two\n'))).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/unique/) as string }),
    ]);
  });

  it('refuses a file that is not a map of fields', () => {
    expect(refusal(parsePubliccode('- just\n- a list\n'))[0]?.message).toMatch(/not a map of fields/);
    expect(refusal(parsePubliccode(''))[0]?.message).toMatch(/empty/);
  });

  it('names each invalid known field', () => {
    const errors = refusal(
      parsePubliccode(
        [
          'publiccodeYmlVersion: "0.4"',
          'url: not a url',
          'developmentStatus: finished',
          'releaseDate: 2021-02-30',
          'description:',
          '  en:',
          '    longDescription: No short description.',
          'maintenance:',
          '  type: outsourced',
          '  contacts:',
          '    - email: nobody',
        ].join('\n'),
      ),
    );

    expect(errors.map(({ field, line }) => ({ field, line }))).toEqual([
      { field: 'name', line: undefined },
      { field: 'url', line: 2 },
      { field: 'releaseDate', line: 4 },
      { field: 'developmentStatus', line: 3 },
      // A missing field is pointed at the field that should hold it.
      { field: 'description.en.shortDescription', line: 6 },
      { field: 'maintenance.type', line: 9 },
      { field: 'maintenance.contacts[0].name', line: 11 },
      { field: 'maintenance.contacts[0].email', line: 11 },
    ]);
    expect(errors.find((error) => error.field === 'developmentStatus')?.message).toBe(
      '"finished" is not one of concept, development, beta, stable, obsolete',
    );
    expect(errors.find((error) => error.field === 'releaseDate')?.message).toMatch(/YYYY-MM-DD/);
  });

  it('refuses a known field of the wrong shape', () => {
    const errors = refusal(parsePubliccode(minimalFile('legal: MIT\nplatforms:\n  web: true\n')));
    expect(errors.map((error) => error.field)).toEqual(['legal', 'platforms']);
  });

  it('prefers English, then en-GB or en-US, then the first language', () => {
    const languagesOf = (keys: string[]): string | undefined => {
      const description = keys.map((key) => `  ${key}:\n    shortDescription: In ${key}.`).join('\n');
      const result = parsePubliccode(
        `name: Choice\nurl: https://example.org/choice\ndevelopmentStatus: beta\ndescription:\n${description}\n`,
      );
      return result.ok ? result.component.descriptionLanguage : undefined;
    };
    expect(languagesOf(['de', 'en', 'en-GB'])).toBe('en');
    expect(languagesOf(['de', 'en-US', 'en-GB'])).toBe('en-GB');
    expect(languagesOf(['de', 'en-US'])).toBe('en-US');
    expect(languagesOf(['de', 'fr'])).toBe('de');
  });

  it('warns, without failing, when the version or development status is missing or unfamiliar', () => {
    const { warnings } = importedComponent(
      parsePubliccode(
        'publiccodeYmlVersion: "9.9"\nname: Odd\nurl: https://example.org/odd\nsoftwareType: mainframe\ndescription:\n  en:\n    shortDescription: Odd one.\n',
      ),
    );
    expect(warnings.map((warning) => warning.field)).toEqual([
      'publiccodeYmlVersion',
      'developmentStatus',
      'softwareType',
      'description.en.longDescription',
      'legal.license',
    ]);
  });

  it('names the file in every message when a file name is given', () => {
    const errors = refusal(parsePubliccode('name: x\n', 'council/publiccode.yml'));
    expect(errors.every((error) => error.message.startsWith('council/publiccode.yml: '))).toBe(true);
  });
});
