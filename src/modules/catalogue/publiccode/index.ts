export { parsePubliccode } from './publiccode-parser.js';
export { validatePubliccode, type PubliccodeValidation, type PubliccodeValidationOptions } from './publiccode-validator.js';
export { defaultYamlLimits, type YamlLimits } from './publiccode-yaml.js';
export { toPubliccodeYaml, writtenPubliccodeVersion } from './publiccode-writer.js';
export { deriveComponentSlug } from './component-slug.js';
export {
  developmentStatuses,
  maintenanceTypes,
  type ComponentDraft,
  type ComponentExport,
  type ComponentLocalisation,
  type ComponentMaintainer,
  type DevelopmentStatus,
  type HostingOption,
  type MaintainerRole,
  type MaintenanceType,
  type PubliccodeIssue,
  type PubliccodeParseResult,
} from './publiccode-types.js';
