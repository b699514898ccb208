import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validatePubliccode, type PubliccodeValidationOptions } from './publiccode-validator.js';

/**
 * One rule of publiccode.yml 0.4 per case, each shown valid and invalid, pinning the key path, line and column.
 * Longer than most files on purpose: the whole schema's cases read in one place, against one valid file.
 * The cases edit one valid file written for these tests; its line numbers are given beside it.
 */
const validFile = [
  'publiccodeYmlVersion: "0.4"', // 1
  'name: Bin Day Finder', // 2
  'url: https://github.com/example-council/bin-day-finder', // 3
  'landingURL: https://bins.example.gov.uk', // 4
  'softwareVersion: "2.1"', // 5
  'releaseDate: "2024-03-01"', // 6
  'platforms:', // 7
  '  - web', // 8
  'categories:', // 9
  '  - digital-citizenship', // 10
  'developmentStatus: stable', // 11
  'softwareType: standalone/web', // 12
  'description:', // 13
  '  en:', // 14
  '    shortDescription: Tells residents which day each of their bins is collected.', // 15
  '    longDescription: >', // 16
  '      Residents type a postcode and see the next collection day for each of their bins,', // 17
  '      with reminders by e-mail. Built by one council and now reused by two neighbouring', // 18
  '      districts, who share the cost of keeping it running.', // 19
  '    features:', // 20
  '      - Postcode search', // 21
  'legal:', // 22
  '  license: EUPL-1.2', // 23
  'maintenance:', // 24
  '  type: internal', // 25
  '  contacts:', // 26
  '    - name: Sam Patel', // 27
  'localisation:', // 28
  '  localisationReady: true', // 29
  '  availableLanguages:', // 30
  '    - en', // 31
];

interface Edit {
  line: number;
  apply: (lines: string[]) => void;
}
/** Replaces line n (1-based) with the given lines; none removes it. */
const at = (line: number, ...replacement: string[]): Edit => ({ line, apply: (lines) => lines.splice(line - 1, 1, ...replacement) });
/** Adds lines after line n. */
const after = (line: number, ...added: string[]): Edit => ({ line: line + 0.5, apply: (lines) => lines.splice(line, 0, ...added) });

function fileWith(...edits: Edit[]): string {
  const lines = [...validFile];
  // Edits apply from the bottom up, so each names lines by their number in the valid file.
  for (const edit of [...edits].sort((a, b) => b.line - a.line)) edit.apply(lines);
  return `${lines.join('\n')}\n`;
}

/** "key line:column" for each error and warning, the shape every assertion below reads. */
function report(text: string, options: PubliccodeValidationOptions = {}): { errors: string[]; warnings: string[] } {
  const result = validatePubliccode(text, options);
  const describe = (issue: { field: string; line: number; column: number }) => `${issue.field} ${issue.line}:${issue.column}`;
  return { errors: result.errors.map(describe), warnings: result.warnings.map(describe) };
}

const clean = { errors: [], warnings: [] };
const longText = (characters: number, unit = 'a') => unit.repeat(characters);

describe('a valid file', () => {
  it('gives no errors and no warnings', () => {
    expect(report(fileWith())).toEqual(clean);
  });

  it.each(['0.2', '0.2.0', '0.2.1', '0.2.2', '0.3', '0.3.0'])('of version %s gives exactly one warning: it was read as 0.4', (version) => {
    const result = validatePubliccode(fileWith(at(1, `publiccodeYmlVersion: "${version}"`)));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      { field: 'publiccodeYmlVersion', line: 1, column: 1, message: expect.stringContaining('read as 0.4') as string },
    ]);
  });

  it('accepts 0.4.0 and an unquoted version number', () => {
    expect(report(fileWith(at(1, 'publiccodeYmlVersion: "0.4.0"')))).toEqual(clean);
    expect(report(fileWith(at(1, 'publiccodeYmlVersion: 0.4')))).toEqual(clean);
  });
});

describe('publiccodeYmlVersion', () => {
  it.each([
    ['missing', fileWith(at(1)), 'publiccodeYmlVersion 1:1'],
    ['not a version the standard has', fileWith(at(1, 'publiccodeYmlVersion: "1"')), 'publiccodeYmlVersion 1:1'],
    ['a list', fileWith(at(1, 'publiccodeYmlVersion: []')), 'publiccodeYmlVersion 1:1'],
    ['spelt as the early drafts did', fileWith(at(1, 'publiccode-yaml-version: "0.2"')), 'publiccodeYmlVersion 1:1'],
  ])('refuses a version %s, and checks nothing more', (_case, text, error) => {
    expect(report(text)).toEqual({ errors: [error], warnings: [] });
  });
});

describe('mandatory keys', () => {
  it.each([
    ['name', 2, 'name 1:1'],
    ['url', 3, 'url 1:1'],
    ['developmentStatus', 11, 'developmentStatus 1:1'],
    ['softwareType', 12, 'softwareType 1:1'],
  ])('a missing %s is pointed at the map that should hold it', (_key, line, error) => {
    expect(report(fileWith(at(line))).errors).toEqual([error]);
  });

  it('a missing list (platforms, categories) is reported once, at the file', () => {
    expect(report(fileWith(at(7), at(8))).errors).toEqual(['platforms 1:1']);
    expect(report(fileWith(at(9), at(10))).errors).toEqual(['categories 1:1']);
  });

  it('an empty value is pointed at its key', () => {
    expect(report(fileWith(at(2, 'name:'))).errors).toEqual(['name 2:1']);
    expect(report(fileWith(at(2, 'name: ""'))).errors).toEqual(['name 2:1']);
    expect(report(fileWith(at(7, 'platforms: []'), at(8))).errors).toEqual(['platforms 7:1']);
  });

  it('a missing section reports its own mandatory keys', () => {
    expect(report(fileWith(at(22), at(23))).errors).toEqual(['legal.license 1:1']);
    expect(report(fileWith(at(28), at(29), at(30), at(31))).errors).toEqual([
      'localisation.localisationReady 1:1',
      'localisation.availableLanguages 1:1',
    ]);
    expect(report(fileWith(at(22, 'legal:'), at(23))).errors).toEqual(['legal.license 22:1']);
  });

  it('a file with nothing but a version lists every mandatory key', () => {
    expect(report('publiccodeYmlVersion: "0.4"\n').errors).toEqual([
      'name 1:1',
      'url 1:1',
      'platforms 1:1',
      'categories 1:1',
      'developmentStatus 1:1',
      'softwareType 1:1',
      'description 1:1',
      'legal.license 1:1',
      'maintenance.type 1:1',
      'localisation.localisationReady 1:1',
      'localisation.availableLanguages 1:1',
    ]);
  });
});

describe('types', () => {
  it.each([
    ['name as a list', at(2, 'name: []'), 'name 2:1'],
    ['applicationSuite as a map', after(2, 'applicationSuite: {a: b}'), 'applicationSuite 3:1'],
    ['softwareVersion as a list', at(5, 'softwareVersion: [1]'), 'softwareVersion 5:1'],
    ['platforms as one word', [at(7, 'platforms: web'), at(8)], 'platforms 7:1'],
    ['usedBy as a map', after(12, 'usedBy: {council: Oxford}'), 'usedBy 13:1'],
    ['legal as text', [at(22, 'legal: EUPL-1.2'), at(23)], 'legal 22:1'],
    ['intendedAudience as a list', after(12, 'intendedAudience: [gb]'), 'intendedAudience 13:1'],
    ['a feature list as text', [at(20, '    features: Postcode search'), at(21)], 'description.en.features 20:5'],
    [
      'a dependency version as a list',
      after(31, 'dependsOn:', '  open:', '    - name: PostgreSQL', '      versionMin: [13]'),
      'dependsOn.open[0].versionMin 35:7',
    ],
  ])('refuses %s', (_case, edit, error) => {
    expect(report(fileWith(...[edit].flat())).errors).toEqual([error]);
  });

  it('reads any single value as text where the standard types text, as YAML 1.1 and 1.2 readers both would', () => {
    expect(report(fileWith(at(5, 'softwareVersion: 1.10'), at(2, 'name: 2048')))).toEqual(clean);
  });
});

describe('booleans', () => {
  it.each(['true', 'false', 'yes', 'no', 'Yes', 'NO', 'on', 'off', 'On', 'OFF', 'y', 'n'])(
    'reads localisationReady: %s as the reference validator does',
    (word) => {
      expect(report(fileWith(at(29, `  localisationReady: ${word}`)))).toEqual(clean);
    },
  );

  it.each(['maybe', '1', '[]'])('refuses localisationReady: %s', (word) => {
    expect(report(fileWith(at(29, `  localisationReady: ${word}`))).errors).toEqual(['localisation.localisationReady 29:3']);
  });

  it('requires localisationReady', () => {
    expect(report(fileWith(at(29))).errors).toEqual(['localisation.localisationReady 29:3']);
    expect(report(fileWith(at(29, '  localisationReady:'))).errors).toEqual(['localisation.localisationReady 29:3']);
  });

  it('refuses a dependency whose optional is not a boolean', () => {
    const text = fileWith(after(31, 'dependsOn:', '  hardware:', '    - name: NFC reader', '      optional: sometimes'));
    expect(report(text).errors).toEqual(['dependsOn.hardware[0].optional 35:7']);
    expect(report(text.replace('sometimes', 'yes'))).toEqual(clean);
  });
});

describe('allowed values', () => {
  it.each([
    ['developmentStatus', at(11, 'developmentStatus: finished'), 'developmentStatus 11:1'],
    ['softwareType', at(12, 'softwareType: standalone'), 'softwareType 12:1'],
    ['maintenance.type', at(25, '  type: outsourced'), 'maintenance.type 25:3'],
    ['categories', at(10, '  - waste-management'), 'categories[0] 10:5'],
    ['intendedAudience.scope', after(12, 'intendedAudience:', '  scope:', '    - local-government'), 'intendedAudience.scope[0] 15:7'],
  ])('refuses a %s outside the standard’s list', (_key, edit, error) => {
    expect(report(fileWith(edit)).errors).toEqual([error]);
  });

  it.each(['concept', 'development', 'beta', 'stable', 'obsolete'])('accepts developmentStatus %s', (status) => {
    expect(report(fileWith(at(11, `developmentStatus: ${status}`)))).toEqual(clean);
  });

  it('accepts every category and scope the standard lists, and any platform name', () => {
    const text = fileWith(
      at(8, '  - web', '  - android', '  - Raspberry Pi OS'),
      at(10, '  - whistleblowing', '  - geographic-information-systems'),
      after(12, 'intendedAudience:', '  scope:', '    - local-authorities', '  countries: [gb, it]', '  unsupportedCountries: [us]'),
    );
    expect(report(text)).toEqual(clean);
  });

  it('refuses a country code that ISO 3166-1 does not assign, or one in upper case', () => {
    const text = fileWith(after(12, 'intendedAudience:', '  countries: [gb, xx, IT]'));
    expect(report(text).errors).toEqual(['intendedAudience.countries[1] 14:19', 'intendedAudience.countries[2] 14:23']);
  });
});

describe('lengths, in characters as people see them', () => {
  const short = (text: string) => at(15, `    shortDescription: "${text}"`);
  const long = (text: string) => [at(16, `    longDescription: "${text}"`), at(17), at(18), at(19)];

  it('shortDescription: at most 150', () => {
    expect(report(fileWith(short(longText(150))))).toEqual(clean);
    expect(report(fileWith(short(longText(151)))).errors).toEqual(['description.en.shortDescription 15:5']);
    // 150 family emoji are 1,050 code units but 150 characters on screen.
    expect(report(fileWith(short(longText(150, '👨‍👩‍👧'))))).toEqual(clean);
  });

  it('longDescription: at least 150 and at most 10,000', () => {
    expect(report(fileWith(...long(longText(150))))).toEqual(clean);
    expect(report(fileWith(...long(longText(149)))).errors).toEqual(['description.en.longDescription 16:5']);
    expect(report(fileWith(...long(longText(10_000))))).toEqual(clean);
    expect(report(fileWith(...long(longText(10_001)))).errors).toEqual(['description.en.longDescription 16:5']);
    // "é" written as e and a combining accent: 298 code units, 149 characters.
    expect(report(fileWith(...long(longText(149, 'e\u0301')))).errors).toEqual(['description.en.longDescription 16:5']);
  });

  it('genericName: at most 35, and deprecated', () => {
    expect(report(fileWith(after(14, `    genericName: ${longText(35)}`)))).toEqual({
      errors: [],
      warnings: ['description.en.genericName 15:5'],
    });
    expect(report(fileWith(after(14, `    genericName: ${longText(36)}`)))).toEqual({
      errors: ['description.en.genericName 15:5'],
      warnings: ['description.en.genericName 15:5'],
    });
  });
});

describe('description', () => {
  it('requires at least one language, keyed by a BCP 47 tag', () => {
    expect(report(fileWith(at(13, 'description: {}'), ...[14, 15, 16, 17, 18, 19, 20, 21].map((line) => at(line)))).errors).toEqual([
      'description 13:1',
    ]);
    expect(report(fileWith(at(14, '  english:'))).errors).toEqual(['description.english 14:3']);
    expect(report(fileWith(at(14, '  en_GB:'))).errors).toEqual(['description.en_GB 14:3']);
    expect(report(fileWith(at(14, '  en-GB:')))).toEqual(clean);
    expect(report(fileWith(at(14, '  eng:')))).toEqual(clean);
  });

  it('requires shortDescription, longDescription and features in each language given', () => {
    expect(report(fileWith(at(15))).errors).toEqual(['description.en.shortDescription 15:5']);
    expect(report(fileWith(at(16), at(17), at(18), at(19))).errors).toEqual(['description.en.longDescription 15:5']);
    expect(report(fileWith(at(20), at(21))).errors).toEqual(['description.en.features 15:5']);
    expect(report(fileWith(at(20, '    features: []'), at(21))).errors).toEqual(['description.en.features 20:5']);
  });

  it.each([
    ['documentation', 'not_a_url'],
    ['apiDocumentation', 'ftp://docs.example.gov.uk/api'],
  ])('%s must be an http(s) address', (key, value) => {
    expect(report(fileWith(after(19, `    ${key}: ${value}`))).errors).toEqual([`description.en.${key} 20:5`]);
    expect(report(fileWith(after(19, `    ${key}: https://docs.example.gov.uk/`)))).toEqual(clean);
  });

  it('videos are http(s) addresses; awards and localisedName are text', () => {
    expect(report(fileWith(after(21, '    videos:', '      - ABC', '      - https://www.youtube.com/watch?v=abc'))).errors).toEqual([
      'description.en.videos[0] 23:9',
    ]);
    expect(report(fileWith(after(14, '    localisedName: [Bins]'))).errors).toEqual(['description.en.localisedName 15:5']);
    expect(report(fileWith(after(21, '    awards:', '      - Digital council of the year')))).toEqual(clean);
  });
});

describe('addresses and dates', () => {
  it.each([
    ['url', at(3, 'url: foobar'), 'url 3:1'],
    ['landingURL', at(4, 'landingURL: "???"'), 'landingURL 4:1'],
    ['landingURL', at(4, 'landingURL: javascript:alert(1)'), 'landingURL 4:1'],
    ['roadmap', after(4, 'roadmap: foobar'), 'roadmap 5:1'],
    ['releaseDate', at(6, 'releaseDate: "2021-02-30"'), 'releaseDate 6:1'],
    ['releaseDate', at(6, 'releaseDate: "2017-04-15T10:00:00Z"'), 'releaseDate 6:1'],
    ['releaseDate', at(6, 'releaseDate: "15/04/2017"'), 'releaseDate 6:1'],
    ['isBasedOn', after(3, 'isBasedOn: "???"'), 'isBasedOn 4:1'],
    ['isBasedOn', after(3, 'isBasedOn:', '  - https://github.com/italia/otello.git', '  - not a url'), 'isBasedOn[1] 6:5'],
  ])('refuses a %s that is not one', (_key, edit, error) => {
    expect(report(fileWith(edit)).errors).toEqual([error]);
  });

  it('accepts any repository URL scheme for url, an unquoted date, and isBasedOn as one URL or a list', () => {
    const text = fileWith(
      at(3, 'url: git://git.example.gov.uk/bins.git'),
      after(3, 'isBasedOn: https://github.com/italia/otello.git'),
      at(6, 'releaseDate: 2024-03-01'),
    );
    expect(report(text)).toEqual(clean);
  });
});

describe('legal', () => {
  it.each([
    'EUPL-1.2',
    'mit',
    'MIT OR Apache-2.0',
    '(MIT AND BSD-3-Clause) OR GPL-3.0-or-later',
    'GPL-2.0-or-later WITH Classpath-exception-2.0',
    'LicenseRef-council-licence',
    'OGL-UK-3.0',
    'Apache-2.0+',
  ])('accepts the SPDX expression %s', (licence) => {
    expect(report(fileWith(at(23, `  license: ${licence}`)))).toEqual(clean);
  });

  it.each(['Invalid License', 'MIT2', 'MIT OR', 'GPL-3.0 WITH no-such-exception', '(MIT'])('refuses %s', (licence) => {
    expect(report(fileWith(at(23, `  license: "${licence}"`))).errors).toEqual(['legal.license 23:3']);
  });

  it('warns that authorsFile is deprecated; owners are text', () => {
    expect(
      report(fileWith(after(23, '  mainCopyrightOwner: Example Council', '  repoOwner: Example Council', '  authorsFile: AUTHORS'))),
    ).toEqual({
      errors: [],
      warnings: ['legal.authorsFile 26:3'],
    });
  });
});

describe('maintenance', () => {
  it('needs contacts for internal and community maintenance', () => {
    expect(report(fileWith(at(26), at(27))).errors).toEqual(['maintenance.contacts 25:3']);
    expect(report(fileWith(at(25, '  type: community'), at(26), at(27))).errors).toEqual(['maintenance.contacts 25:3']);
    expect(report(fileWith(at(25, '  type: none'), at(26), at(27)))).toEqual(clean);
  });

  it('needs contractors, each with a name and an end date, for contract maintenance', () => {
    expect(report(fileWith(at(25, '  type: contract'))).errors).toEqual(['maintenance.contractors 25:3']);
    const contract = (...lines: string[]) => fileWith(at(25, '  type: contract', '  contractors:', ...lines));
    expect(
      report(
        contract(
          '    - name: Example Ltd',
          '      until: "2027-03-31"',
          '      website: https://example.co.uk',
          '      email: support@example.co.uk',
        ),
      ),
    ).toEqual(clean);
    expect(report(contract('    - name: Example Ltd')).errors).toEqual(['maintenance.contractors[0].until 27:7']);
    expect(report(contract('    - until: "2027-03-31"')).errors).toEqual(['maintenance.contractors[0].name 27:7']);
    expect(report(contract('    - name: Example Ltd', '      until: next year')).errors).toEqual(['maintenance.contractors[0].until 28:7']);
    expect(report(contract('    - name: Example Ltd', '      until: "2027-03-31"', '      website: example.co.uk')).errors).toEqual([
      'maintenance.contractors[0].website 29:7',
    ]);
    expect(report(contract('    - name: Example Ltd', '      until: "2027-03-31"', '      email: nobody')).errors).toEqual([
      'maintenance.contractors[0].email 29:7',
    ]);
  });

  it('needs each contact’s name, and a real e-mail address when one is given', () => {
    expect(report(fileWith(at(27, '    - email: sam.patel@example.gov.uk'))).errors).toEqual(['maintenance.contacts[0].name 27:7']);
    expect(report(fileWith(after(27, '      email: nobody'))).errors).toEqual(['maintenance.contacts[0].email 28:7']);
    expect(
      report(
        fileWith(
          after(27, '      email: sam.patel@example.gov.uk', '      phone: "+44 1632 960000"', '      affiliation: Example Council'),
        ),
      ),
    ).toEqual(clean);
  });
});

describe('localisation.availableLanguages', () => {
  it.each([
    ['missing', [at(30), at(31)], 'localisation.availableLanguages 29:3'],
    ['empty', [at(30, '  availableLanguages: []'), at(31)], 'localisation.availableLanguages 30:3'],
    ['not BCP 47', [at(31, '    - english')], 'localisation.availableLanguages[0] 31:7'],
    ['with an unknown region', [at(31, '    - en-XX')], 'localisation.availableLanguages[0] 31:7'],
  ])('refuses a list %s', (_case, edits, error) => {
    expect(report(fileWith(...edits)).errors).toEqual([error]);
  });

  it('accepts language tags with scripts, regions and variants', () => {
    expect(report(fileWith(at(31, '    - en', '    - cy-GB', '    - sl-IT-nedis', '    - zh-Hant-TW', '    - ar-001')))).toEqual(clean);
  });
});

describe('deprecated keys', () => {
  it.each([
    ['monochromeLogo', after(6, 'monochromeLogo: img/logo-mono.svg'), 'monochromeLogo 7:1'],
    ['inputTypes', after(6, 'inputTypes:', '  - text/csv'), 'inputTypes 7:1'],
    ['outputTypes', after(6, 'outputTypes:', '  - application/json'), 'outputTypes 7:1'],
  ])('warns about %s without refusing the file', (_key, edit, warning) => {
    expect(report(fileWith(edit))).toEqual({ errors: [], warnings: [warning] });
  });

  it('still checks a deprecated key’s values', () => {
    expect(report(fileWith(after(6, 'inputTypes:', '  - text/csv', '  - foobar')))).toEqual({
      errors: ['inputTypes[1] 9:5'],
      warnings: ['inputTypes 7:1'],
    });
  });
});

describe('unknown keys and country sections', () => {
  it('warns about an unknown key, suggesting the key that was probably meant', () => {
    const result = validatePubliccode(
      fileWith(after(31, 'maintainance:', '  type: internal', 'fundingModel: grant'), after(27, '      twitter: "@sam"')),
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((warning) => `${warning.field} ${warning.line}:${warning.column}`)).toEqual([
      'maintenance.contacts[0].twitter 28:7',
      'maintainance 33:1',
      'fundingModel 35:1',
    ]);
    expect(result.warnings[1]?.message).toMatch(/did you mean "maintenance"\?/);
    expect(result.warnings[2]?.message).not.toMatch(/did you mean/);
  });

  it('reads the Italian section as schema.it.rst defines it', () => {
    const italian = (...lines: string[]) => fileWith(after(31, 'it:', ...lines));
    expect(
      report(
        italian(
          '  countryExtensionVersion: "1.0"',
          '  conforme:',
          '    gdpr: true',
          '  piattaforme:',
          '    spid: yes',
          '  riuso:',
          '    codiceIPA: c_h501',
        ),
      ),
    ).toEqual(clean);
    expect(report(italian('  countryExtensionVersion: "2.0"')).errors).toEqual(['it.countryExtensionVersion 33:3']);
    expect(report(italian('  piattaforme:', '    spid: maybe')).errors).toEqual(['it.piattaforme.spid 34:5']);
    expect(report(italian('  riuso:', '    codiceIPA: "not an iPA code!"')).errors).toEqual(['it.riuso.codiceIPA 34:5']);
    expect(report(italian('  piattaforme:', '    spidd: true'))).toEqual({ errors: [], warnings: ['it.piattaforme.spidd 34:5'] });
  });

  it('says so when a country section is one the standard does not define, or is written in upper case', () => {
    expect(report(fileWith(after(31, 'fr:', '  anything: goes')))).toEqual({ errors: [], warnings: ['fr 32:1'] });
    const upper = validatePubliccode(fileWith(after(31, 'IT:', '  countryExtensionVersion: "1.0"')));
    expect(upper.warnings).toEqual([
      expect.objectContaining({ field: 'IT', line: 32, column: 1, message: expect.stringContaining('did you mean "it"') as string }),
    ]);
  });
});

describe('logo, screenshots and files relative to the publiccode.yml', () => {
  const directory = fileURLToPath(new URL('../../../../test/fixtures/publiccode/validator/', import.meta.url));
  const logo = (value: string) => after(6, `logo: ${value}`);

  it('accepts an SVG or PNG logo as a relative path or an http(s) URL', () => {
    expect(report(fileWith(logo('logo.svg')), { directory })).toEqual(clean);
    expect(report(fileWith(logo('logo-wide.png')), { directory })).toEqual(clean);
    expect(report(fileWith(logo('https://example.gov.uk/logo.svg')), { directory })).toEqual(clean);
  });

  it.each([
    ['of another format', 'logo.gif'],
    ['at an absolute path', '/srv/logo.svg'],
    ['given as a file: URL', 'file:///srv/logo.svg'],
  ])('refuses a logo %s, with or without the repository at hand', (_case, value) => {
    expect(report(fileWith(logo(value))).errors).toEqual(['logo 7:1']);
  });

  it.each([
    ['that does not exist', 'no-such-logo.svg'],
    ['outside the repository', '../outside.svg'],
    ['narrower than 120px', 'logo-narrow.png'],
    ['that is not really a PNG', 'not-a-png.png'],
  ])('with the repository at hand, refuses a logo %s', (_case, value) => {
    expect(report(fileWith(logo(value)), { directory }).errors).toEqual(['logo 7:1']);
    expect(report(fileWith(logo(value)))).toEqual(clean);
  });

  it('checks each screenshot: PNG or JPG, present when the repository is at hand', () => {
    const screenshots = (...paths: string[]) => after(21, '    screenshots:', ...paths.map((item) => `      - ${item}`));
    expect(report(fileWith(screenshots('screenshot.jpg', 'logo-wide.png')), { directory })).toEqual(clean);
    expect(report(fileWith(screenshots('screenshot.jpg', 'no_such_file.png')), { directory }).errors).toEqual([
      'description.en.screenshots[1] 24:9',
    ]);
    expect(report(fileWith(screenshots('movie.mp4'))).errors).toEqual(['description.en.screenshots[0] 23:9']);
  });

  it('checks that a deprecated authors file exists when the repository is at hand', () => {
    expect(report(fileWith(after(23, '  authorsFile: AUTHORS.txt')), { directory })).toEqual({
      errors: ['legal.authorsFile 24:3'],
      warnings: ['legal.authorsFile 24:3'],
    });
  });
});

describe('reading YAML as the reference validator does', () => {
  it('expands anchors, aliases and merge keys', () => {
    const text = fileWith(
      at(26, '  contacts: &people'),
      after(
        31,
        'dependsOn:',
        '  open:',
        '    - &postgres',
        '      name: PostgreSQL',
        '      version: "16"',
        '    - <<: *postgres',
        '      name: PostGIS',
      ),
    );
    expect(report(text)).toEqual(clean);
  });

  it('refuses YAML that is not well formed, at the place of the fault', () => {
    expect(report(fileWith(at(8, '  - [web, android'))).errors).toEqual([' 9:1']);
  });

  it('refuses a key given twice in one map, at the second', () => {
    const result = validatePubliccode(fileWith(after(2, 'name: Other')));
    expect(result.errors).toEqual([
      expect.objectContaining({ field: '', line: 3, column: 1, message: expect.stringContaining('first on line 2') as string }),
    ]);
  });

  it('refuses an empty file, a list and a single value', () => {
    expect(report('').errors).toEqual([' 1:1']);
    expect(report('# only a comment\n').errors).toEqual([' 1:1']);
    expect(report('- a\n- list\n').errors).toEqual([' 1:1']);
    expect(report('just text\n').errors).toEqual([' 1:1']);
  });
});
