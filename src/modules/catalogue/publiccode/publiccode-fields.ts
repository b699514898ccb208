/**
 * The fields publiccode.yml versions 0.1 to 0.4 define, as a tree.
 * The parser walks a file against this tree to name every field it does not know,
 * so a typo such as `maintainance` is reported instead of silently dropped.
 * Fields that later versions deprecated stay here: old files are still valid files.
 */

export type FieldShape =
  | { kind: 'value' }
  /** Anything may sit beneath: country extensions and fields whose contents we pass through untouched. */
  | { kind: 'open' }
  | { kind: 'object'; fields: Readonly<Record<string, FieldShape>> }
  | { kind: 'list'; item: FieldShape }
  /** A map keyed by language code (description.en, description.nl, ...). */
  | { kind: 'languages'; entry: FieldShape };

const value: FieldShape = { kind: 'value' };
const open: FieldShape = { kind: 'open' };
const values: FieldShape = { kind: 'list', item: value };
const object = (fields: Record<string, FieldShape>): FieldShape => ({ kind: 'object', fields });
const list = (item: FieldShape): FieldShape => ({ kind: 'list', item });

const dependency = object({ name: value, versionMin: value, versionMax: value, version: value, optional: value });

export const publiccodeFields = object({
  publiccodeYmlVersion: value,
  // The key drafts before 0.2 used for the version.
  'publiccode-yaml-version': value,
  name: value,
  applicationSuite: value,
  url: value,
  landingURL: value,
  // A string in 0.2, a list from 0.3.
  isBasedOn: open,
  softwareVersion: value,
  releaseDate: value,
  logo: value,
  monochromeLogo: value,
  inputTypes: values,
  outputTypes: values,
  platforms: values,
  categories: values,
  usedBy: values,
  roadmap: value,
  developmentStatus: value,
  softwareType: value,
  organisation: open,
  fundedBy: open,
  intendedAudience: object({ countries: values, unsupportedCountries: values, scope: values, onlyFor: values }),
  description: {
    kind: 'languages',
    entry: object({
      localisedName: value,
      genericName: value,
      shortDescription: value,
      longDescription: value,
      documentation: value,
      apiDocumentation: value,
      features: values,
      screenshots: values,
      videos: values,
      awards: values,
    }),
  },
  legal: object({ license: value, mainCopyrightOwner: value, repoOwner: value, authorsFile: value }),
  maintenance: object({
    type: value,
    contractors: list(object({ name: value, until: value, email: value, website: value })),
    contacts: list(object({ name: value, email: value, phone: value, affiliation: value })),
  }),
  localisation: object({ localisationReady: value, availableLanguages: values }),
  dependsOn: object({ open: list(dependency), proprietary: list(dependency), hardware: list(dependency) }),
});

/** Country extensions (it:, fr:, ...) are top-level keys of two lower-case letters; each country owns its contents. */
export function isCountryExtensionKey(key: string): boolean {
  return /^[a-z]{2}$/.test(key);
}
