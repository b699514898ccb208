import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

/** A valid 0.4 file written for these tests; `extra` lines are added at the end. */
const minimalFile = (description = ['  en:', ...englishDescription('A minimal component.')], extra: string[] = []): string =>
  [
    'publiccodeYmlVersion: "0.4"',
    'name: Minimal',
    'url: https://github.com/example/minimal',
    'platforms: [web]',
    'categories: [digital-citizenship]',
    'developmentStatus: stable',
    'softwareType: standalone/web',
    'description:',
    ...description,
    'legal:',
    '  license: MIT',
    'maintenance:',
    '  type: none',
    'localisation:',
    '  localisationReady: false',
    '  availableLanguages: [en]',
    ...extra,
  ].join('\n');

function englishDescription(summary: string): string[] {
  return [
    `    shortDescription: ${summary}`,
    `    longDescription: ${'A description long enough for the standard, which asks for at least one hundred and fifty characters. '.repeat(2)}`,
    '    features: [One thing]',
  ];
}

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
    // As the reference validator says: read as 0.4, and genericName is deprecated; dependsOn is a known key.
    expect(warnings.map(({ field, line, column }) => ({ field, line, column }))).toEqual([
      { field: 'publiccodeYmlVersion', line: 1, column: 1 },
      { field: 'description.nl.genericName', line: 21, column: 5 },
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
    // The "it:" country section is defined by the standard; the one warning is that 0.3 was read as 0.4.
    expect(warnings.map((warning) => warning.field)).toEqual(['publiccodeYmlVersion']);
    expect(component.raw).toMatchObject({ it: { riuso: { codiceIPA: 'c_f205' } } });
  });
});

describe('parsePubliccode with older and imperfect files', () => {
  it('refuses a file in the style of the early drafts, naming what the 0.4 standard asks instead', () => {
    const legacy = readFixture('legacy-0-2-style.publiccode.yml');
    expect(refusal(parsePubliccode(legacy))).toEqual([
      expect.objectContaining({
        field: 'publiccodeYmlVersion',
        line: 2,
        column: 1,
        message: expect.stringMatching(/rename it publiccodeYmlVersion/) as string,
      }),
    ]);
    const renamed = refusal(parsePubliccode(legacy.replace('publiccode-yaml-version', 'publiccodeYmlVersion')));
    expect(renamed.map(({ field, line, column }) => `${field} ${line}:${column}`)).toEqual([
      'platforms 9:1',
      'categories[0] 11:5',
      'description.fr.longDescription 16:5',
      'description.fr.features 16:5',
      'description.en-GB.longDescription 20:5',
    ]);
  });

  it('reports every unknown field by its path and line but still imports', () => {
    const { component, warnings } = importedComponent(parsePubliccode(readFixture('unknown-fields.publiccode.yml')));

    expect(component.name).toBe('Council Tax Helper');
    expect(warnings.map(({ field, line, column }) => ({ field, line, column }))).toEqual([
      { field: 'fundingModel', line: 6, column: 1 },
      { field: 'description.en.sellingPoints', line: 13, column: 5 },
      { field: 'maintainance', line: 19, column: 1 },
      { field: 'maintenance.contacts[0].twitter', line: 25, column: 7 },
    ]);
    expect(warnings[0]?.message).toMatch(/not a key publiccode\.yml 0\.4 defines/);
    expect(warnings[2]?.message).toMatch(/did you mean "maintenance"/);
  });

  it('refuses malformed YAML and gives the line of the fault', () => {
    const errors = refusal(parsePubliccode(readFixture('malformed.publiccode.yml'), 'malformed.publiccode.yml'));

    expect(errors).toHaveLength(1);
    // The flow list opened on line 4 is found unterminated where line 5 starts.
    expect(errors[0]).toMatchObject({ field: '', line: 5, column: 1 });
    expect(errors[0]?.message).toMatch(/^malformed\.publiccode\.yml: The YAML is not well formed: Flow sequence/);
  });

  it('refuses a duplicated key at the line of the duplicate', () => {
    expect(refusal(parsePubliccode('name: One\nurl: https://example.org\nname: Two\n'))).toEqual([
      expect.objectContaining({ line: 3, column: 1, message: expect.stringMatching(/appears twice/) as string }),
    ]);
  });

  it('refuses a file that is not a map of fields', () => {
    expect(refusal(parsePubliccode('- just\n- a list\n'))[0]?.message).toMatch(/not a map of keys/);
    expect(refusal(parsePubliccode(''))[0]?.message).toMatch(/empty/);
  });

  it('names each invalid key with its line and column, and imports nothing', () => {
    const errors = refusal(
      parsePubliccode(
        minimalFile(['  en:', ...englishDescription('Fine.')], ['releaseDate: 2021-02-30', 'landingURL: not a url']).replace(
          'developmentStatus: stable',
          'developmentStatus: finished',
        ),
      ),
    );
    expect(errors.map(({ field, line, column }) => `${field} ${line}:${column}`)).toEqual([
      'developmentStatus 6:1',
      'releaseDate 20:1',
      'landingURL 21:1',
    ]);
    expect(errors[0]?.message).toBe('"finished" is not allowed: use one of concept, development, beta, stable, obsolete');
    expect(errors[1]?.message).toMatch(/YYYY-MM-DD/);
  });

  it('imports localisationReady written as a YAML 1.1 boolean, as a real council wrote it', () => {
    const { component, warnings } = importedComponent(
      parsePubliccode(minimalFile(undefined, []).replace('localisationReady: false', 'localisationReady: yes')),
    );
    expect(warnings).toEqual([]);
    expect(component.localisation).toEqual({ ready: true, languages: ['en'] });
  });

  it('refuses a nested-alias bomb and a self-referencing alias with a clear message, never an exception', () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (const [name, previous] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map(
      (letter, index) => [letter, 'abcdefgh'.charAt(index)] as const,
    )) {
      bomb += `${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]\n`;
    }
    expect(refusal(parsePubliccode(bomb))[0]?.message).toMatch(/aliases/);
    expect(refusal(parsePubliccode('publiccodeYmlVersion: "0.4"\nname: &self [*self]\n'))[0]).toMatchObject({ line: 2, column: 14 });
  });

  it('checks a logo path against the folder the file was read from, when it is given', () => {
    const text = minimalFile(undefined, ['logo: docs/no-such-logo.svg']);
    expect(importedComponent(parsePubliccode(text)).component.logoUrl).toBe(
      'https://github.com/example/minimal/raw/HEAD/docs/no-such-logo.svg',
    );
    expect(refusal(parsePubliccode(text, 'publiccode.yml', { directory: fileURLToPath(fixtureDirectory) }))).toEqual([
      expect.objectContaining({ field: 'logo', line: 20, column: 1 }),
    ]);
  });

  it('prefers English, then en-GB or en-US, then the first language', () => {
    const languagesOf = (keys: string[]): string | undefined => {
      const description = keys.flatMap((key) => [`  ${key}:`, ...englishDescription(`In ${key}.`)]);
      const result = parsePubliccode(minimalFile(description));
      return result.ok ? result.component.descriptionLanguage : undefined;
    };
    expect(languagesOf(['de', 'en', 'en-GB'])).toBe('en');
    expect(languagesOf(['de', 'en-US', 'en-GB'])).toBe('en-GB');
    expect(languagesOf(['de', 'en-US'])).toBe('en-US');
    expect(languagesOf(['de', 'fr'])).toBe('de');
  });

  it('names the file in every message when a file name is given', () => {
    const errors = refusal(parsePubliccode('name: x\n', 'council/publiccode.yml'));
    expect(errors.every((error) => error.message.startsWith('council/publiccode.yml: '))).toBe(true);
  });
});
