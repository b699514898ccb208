import {
  isEmail,
  isHttpUrl,
  isIsoDate,
  isLanguageTag,
  isLowerCaseCountryCode,
  isMediaType,
  isSpdxExpression,
  isUrl,
} from './publiccode-values.js';
import { developmentStatuses, maintenanceTypes, publiccodeCategories, publiccodeScopes, softwareTypes } from './publiccode-vocabularies.js';

/**
 * Every key of publiccode.yml 0.4 (schema.core.rst and the Italian section, schema.it.rst) as data:
 * its type, whether it must be there, the values and lengths it allows, and whether it is deprecated.
 * Where the text leaves a detail open, the reference validator's behaviour decides (noted beside the key).
 */

/** Returns why a text value is wrong, or null when it is right. */
export type TextCheck = (text: string) => string | null;

/** A path inside the repository, or an absolute URL to a file in it (logo, screenshots, authors file). */
export interface FileReference {
  /** File extensions the standard accepts, lower case with the dot; empty for any. */
  extensions: readonly string[];
  /** Whether a PNG must be checked for its width, as logos are. */
  logo: boolean;
}

interface Common {
  required?: boolean;
  /** The warning to give when the key is present: the standard marks it deprecated. */
  deprecated?: string;
}

export type KeySpec =
  | (Common & { type: 'text'; check?: TextCheck; maxLength?: number; minLength?: number; file?: FileReference })
  | (Common & { type: 'boolean' })
  | (Common & { type: 'list'; item: KeySpec; nonEmpty?: boolean; acceptsText?: boolean })
  | (Common & { type: 'map'; keys: Readonly<Record<string, KeySpec>>; checkWhenAbsent?: boolean })
  | (Common & { type: 'languages'; entry: KeySpec });

const oneOf =
  (allowed: readonly string[]): TextCheck =>
  (text) =>
    allowed.includes(text) ? null : `"${text}" is not allowed: use one of ${allowed.join(', ')}`;

const check =
  (test: (text: string) => boolean, describe: (text: string) => string): TextCheck =>
  (text) =>
    test(text) ? null : describe(text);

const url = check(isUrl, (text) => `"${text}" is not a URL (for example https://github.com/council/project)`);
const httpUrl = check(isHttpUrl, (text) => `"${text}" is not a web address starting http:// or https://`);
const date = check(isIsoDate, (text) => `"${text}" is not a date written YYYY-MM-DD`);
const email = check(isEmail, (text) => `"${text}" is not an e-mail address`);
const language = check(isLanguageTag, (text) => `"${text}" is not a BCP 47 language tag such as "en" or "en-GB"`);
const country = check(isLowerCaseCountryCode, (text) => `"${text}" is not a lower-case ISO 3166-1 alpha-2 country code such as "gb"`);

const text = (extra: Omit<Extract<KeySpec, { type: 'text' }>, 'type'> = {}): KeySpec => ({ type: 'text', ...extra });
const boolean = (extra: Common = {}): KeySpec => ({ type: 'boolean', ...extra });
const list = (item: KeySpec, extra: Omit<Extract<KeySpec, { type: 'list' }>, 'type' | 'item'> = {}): KeySpec => ({
  type: 'list',
  item,
  ...extra,
});
const map = (keys: Record<string, KeySpec>, extra: Omit<Extract<KeySpec, { type: 'map' }>, 'type' | 'keys'> = {}): KeySpec => ({
  type: 'map',
  keys,
  ...extra,
});

const deprecatedNote = 'is deprecated in publiccode.yml 0.4 and will be removed; it can be dropped';

const dependency = map({
  name: text({ required: true }),
  versionMin: text(),
  versionMax: text(),
  version: text(),
  optional: boolean(),
});

const description = map({
  localisedName: text(),
  genericName: text({ maxLength: 35, deprecated: deprecatedNote }),
  shortDescription: text({ required: true, maxLength: 150 }),
  // "Mandatory (for at least one language)" in the text; the reference validator asks it of every language given.
  longDescription: text({ required: true, minLength: 150, maxLength: 10_000 }),
  documentation: text({ check: httpUrl }),
  apiDocumentation: text({ check: httpUrl }),
  features: list(text(), { required: true, nonEmpty: true }),
  screenshots: list(text({ file: { extensions: ['.png', '.jpg'], logo: false } })),
  videos: list(text({ check: httpUrl })),
  awards: list(text()),
});

/** The Italian country section (schema.it.rst); the reference validator also accepts the older extension version 0.2. */
export const italianSection: KeySpec = map({
  countryExtensionVersion: text({ check: oneOf(['0.2', '1.0']) }),
  conforme: map({ lineeGuidaDesign: boolean(), modelloInteroperabilita: boolean(), misureMinimeSicurezza: boolean(), gdpr: boolean() }),
  piattaforme: map({ spid: boolean(), cie: boolean(), anpr: boolean(), pagopa: boolean(), io: boolean() }),
  riuso: map({
    codiceIPA: text({
      check: check(
        (value) => /^[a-z0-9_]{2,20}$/i.test(value),
        (value) => `"${value}" is not an Italian iPA code such as "c_h501"`,
      ),
    }),
  }),
});

/** The top level of a publiccode.yml 0.4 file. */
export const publiccodeSchema = map({
  // Checked first and on its own: see the validator.
  publiccodeYmlVersion: text({ required: true }),
  name: text({ required: true }),
  applicationSuite: text(),
  url: text({ required: true, check: url }),
  landingURL: text({ check: httpUrl }),
  isBasedOn: list(text({ check: url }), { acceptsText: true }),
  softwareVersion: text(),
  releaseDate: text({ check: date }),
  logo: text({ file: { extensions: ['.svg', '.svgz', '.png'], logo: true } }),
  monochromeLogo: text({ deprecated: `${deprecatedNote}; use logo`, file: { extensions: ['.svg', '.svgz', '.png'], logo: true } }),
  inputTypes: list(text({ check: check(isMediaType, (value) => `"${value}" is not a media (MIME) type such as "text/csv"`) }), {
    deprecated: deprecatedNote,
  }),
  outputTypes: list(text({ check: check(isMediaType, (value) => `"${value}" is not a media (MIME) type such as "text/csv"`) }), {
    deprecated: deprecatedNote,
  }),
  // The text allows one string or a list; the reference validator reads only a list, and so do we.
  platforms: list(text(), { required: true, nonEmpty: true }),
  categories: list(
    text({
      check: check(
        (value) => publiccodeCategories.has(value),
        (value) => `"${value}" is not a category from the standard's list`,
      ),
    }),
    { required: true, nonEmpty: true },
  ),
  usedBy: list(text()),
  roadmap: text({ check: httpUrl }),
  developmentStatus: text({ required: true, check: oneOf(developmentStatuses) }),
  softwareType: text({ required: true, check: oneOf(softwareTypes) }),
  intendedAudience: map({
    scope: list(
      text({
        check: check(
          (value) => publiccodeScopes.has(value),
          (value) => `"${value}" is not a scope from the standard's list`,
        ),
      }),
    ),
    countries: list(text({ check: country })),
    unsupportedCountries: list(text({ check: country })),
  }),
  description: { type: 'languages', required: true, entry: description },
  legal: map(
    {
      license: text({
        required: true,
        check: check(isSpdxExpression, (value) => `"${value}" is not an SPDX licence expression such as "EUPL-1.2" or "MIT OR Apache-2.0"`),
      }),
      mainCopyrightOwner: text(),
      repoOwner: text(),
      authorsFile: text({ deprecated: deprecatedNote, file: { extensions: [], logo: false } }),
    },
    { checkWhenAbsent: true },
  ),
  maintenance: map(
    {
      type: text({ required: true, check: oneOf(maintenanceTypes) }),
      contractors: list(
        map({
          name: text({ required: true }),
          until: text({ required: true, check: date }),
          email: text({ check: email }),
          website: text({ check: httpUrl }),
        }),
      ),
      contacts: list(map({ name: text({ required: true }), email: text({ check: email }), phone: text(), affiliation: text() })),
    },
    { checkWhenAbsent: true },
  ),
  localisation: map(
    {
      localisationReady: boolean({ required: true }),
      availableLanguages: list(text({ check: language }), { required: true, nonEmpty: true }),
    },
    { checkWhenAbsent: true },
  ),
  dependsOn: map({ open: list(dependency), proprietary: list(dependency), hardware: list(dependency) }),
  it: italianSection,
});

/** Checks a `description` key: a BCP 47 language tag. */
export const checkLanguageKey = language;
