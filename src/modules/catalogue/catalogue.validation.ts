/** The checks of what people type: each names the field that is wrong and why. */
import { isoDate } from '../../platform/clock.js';
import { InputError } from '../../platform/errors.js';
import { ATTACHMENT_LABELS } from './catalogue.labels.js';
import type { ComponentInsert } from './catalogue.repository.js';
import {
  ADOPTION_STATUSES,
  type AdoptionStatus,
  ATTACHMENT_KINDS,
  type AttachmentKind,
  COMPONENT_KINDS,
  type ComponentAttachment,
  type ComponentHosting,
  type ComponentKind,
  COST_MODELS,
  type CostModel,
  EVIDENCE_KINDS,
  type EvidenceKind,
  HOSTING_OPTIONS,
} from './catalogue.tables.js';
import type { AdoptionInput, ComponentInput } from './catalogue.types.js';
import { type ComponentMaintainer, type DevelopmentStatus, developmentStatuses } from './publiccode/index.js';

export interface Problem {
  field: string;
  message: string;
}

const HTTP_URL = /^https?:\/\/[^\s/$.?#][^\s]*$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isValidDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && isoDate(date) === text;
}

function cleanList(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter((value) => value !== ''))];
}

/** Checks a component form, naming each field that is wrong and why; returns the columns to store. */
export function validateComponentInput(
  input: ComponentInput,
  problems: Problem[],
  existingMaintainers: readonly ComponentMaintainer[] = [],
): Omit<ComponentInsert, 'slug' | 'source' | 'publisher_organisation_id' | 'created_by_user_id'> {
  const text = (value: string) => value.trim();
  const optional = (value: string) => (value.trim() === '' ? null : value.trim());
  const name = text(input.name);
  if (name === '') problems.push({ field: 'name', message: 'Enter the name of the component' });
  else if (name.length > 200) problems.push({ field: 'name', message: 'Name must be 200 characters or fewer' });
  if (!(COMPONENT_KINDS as readonly string[]).includes(input.kind))
    problems.push({ field: 'kind', message: 'Select what kind of component it is' });
  const summary = text(input.summary);
  if (summary === '') problems.push({ field: 'summary', message: 'Enter a one-sentence summary' });
  else if (summary.length > 300) problems.push({ field: 'summary', message: 'Summary must be 300 characters or fewer' });
  if (input.description.length > 20_000) problems.push({ field: 'description', message: 'Description must be 20,000 characters or fewer' });
  checkWebAddresses(input, problems);
  const status = optional(input.developmentStatus);
  if (status !== null && !(developmentStatuses as readonly string[]).includes(status)) {
    problems.push({ field: 'developmentStatus', message: 'Select a development status' });
  }
  const hosting = cleanList(input.hostingOptions);
  if (hosting.some((option) => !(HOSTING_OPTIONS as readonly string[]).includes(option))) {
    problems.push({ field: 'hostingOptions', message: 'Hosting must be self-hosted, software as a service, or both' });
  }
  const costModel = optional(input.costModel);
  if (costModel !== null && !(COST_MODELS as readonly string[]).includes(costModel))
    problems.push({ field: 'costModel', message: 'Select a cost model' });
  const releaseDate = optional(input.releaseDate);
  if (releaseDate !== null && !isValidDate(releaseDate)) {
    problems.push({ field: 'releaseDate', message: 'Last release date must be a real date, like 2026-03-31' });
  }
  const attachments = attachmentsOf(input);
  const maintainerNames = cleanList(input.maintainingOrganisations);
  const maintainers: ComponentMaintainer[] = maintainerNames.map(
    (maintainerName) =>
      existingMaintainers.find((maintainer) => maintainer.name === maintainerName) ?? {
        name: maintainerName,
        kind: 'organisation',
        roles: [],
      },
  );
  // People (contacts) named in an imported publiccode.yml are kept: the form edits organisations only.
  maintainers.push(...existingMaintainers.filter((maintainer) => maintainer.kind === 'person'));
  return {
    name,
    kind: input.kind as ComponentKind,
    summary,
    description: input.description.trim(),
    problem: optional(input.problem),
    service_areas: cleanList(input.serviceAreas).map((area) => area.toLowerCase()),
    licence: optional(input.licence),
    code_repository_url: optional(input.codeRepositoryUrl),
    documentation_url: optional(input.documentationUrl),
    development_status: status as DevelopmentStatus | null,
    hosting_options: hosting as ComponentHosting[],
    cost_model: costModel as CostModel | null,
    supported_standards: cleanList(input.supportedStandards),
    related_slugs: cleanList(input.relatedSlugs).map((slug) => slug.toLowerCase()),
    maintainers: JSON.stringify(maintainers),
    funding: optional(input.funding),
    release_date: releaseDate,
    software_version: optional(input.softwareVersion),
    attachments: JSON.stringify(attachments),
  };
}

/** The form's web addresses must be http(s) addresses; each one that is not is named. */
function checkWebAddresses(input: ComponentInput, problems: Problem[]): void {
  const urls: [keyof ComponentInput, string][] = [
    ['codeRepositoryUrl', 'Code repository'],
    ['documentationUrl', 'Documentation'],
    ['dpiaUrl', 'DPIA'],
    ['accessibilityStatementUrl', 'Accessibility statement'],
    ['specificationUrl', 'Specification'],
  ];
  for (const [field, label] of urls) {
    const value = String(input[field]).trim();
    if (value !== '' && !HTTP_URL.test(value)) {
      problems.push({ field, message: `${label} must be a web address starting with https:// or http://` });
    }
  }
}

/** The documents a component links to (DPIA, accessibility statement, specification), in a fixed order. */
function attachmentsOf(input: ComponentInput): ComponentAttachment[] {
  const attachments: ComponentAttachment[] = [];
  const attachmentUrls: Record<AttachmentKind, string> = {
    dpia: input.dpiaUrl,
    'accessibility-statement': input.accessibilityStatementUrl,
    specification: input.specificationUrl,
  };
  for (const kind of ATTACHMENT_KINDS) {
    const url = attachmentUrls[kind].trim();
    if (url !== '') attachments.push({ kind, title: ATTACHMENT_LABELS[kind], url });
  }
  return attachments;
}

/** Checks an adoption declaration, naming each field that is wrong and why. */
export function validateAdoptionInput(input: AdoptionInput, today: string) {
  const problems: Problem[] = [];
  if (!(ADOPTION_STATUSES as readonly string[]).includes(input.status)) {
    problems.push({ field: 'status', message: 'Select whether you are exploring, piloting, using or have retired it' });
  }
  if (input.since === '') problems.push({ field: 'since-day', message: 'Enter the date since when this has been true' });
  else if (!isValidDate(input.since)) problems.push({ field: 'since-day', message: 'Since must be a real date, like 1 4 2025' });
  else if (input.since > today) problems.push({ field: 'since-day', message: 'Since must be today or in the past' });
  if (!(EVIDENCE_KINDS as readonly string[]).includes(input.evidenceKind)) {
    problems.push({
      field: 'evidenceKind',
      message: 'Select the kind of evidence: a live service address, a contract reference or a note',
    });
  }
  const evidence = input.evidence.trim();
  if (evidence === '')
    problems.push({ field: 'evidence', message: 'Enter the evidence: a live service address, a contract reference or a note' });
  else if (evidence.length > 2000) problems.push({ field: 'evidence', message: 'Evidence must be 2,000 characters or fewer' });
  else if (input.evidenceKind === 'service-url' && !HTTP_URL.test(evidence)) {
    problems.push({ field: 'evidence', message: 'A live service address must start with https:// or http://' });
  }
  const contactName = input.contactName.trim();
  if (contactName === '') problems.push({ field: 'contactName', message: 'Enter the name of the contact' });
  const contactEmail = input.contactEmail.trim().toLowerCase();
  if (!EMAIL.test(contactEmail))
    problems.push({ field: 'contactEmail', message: 'Enter the contact’s email address, like name@council.gov.uk' });
  if (problems.length > 0) throw new InputError('There is a problem with the declaration', problems);
  return {
    status: input.status as AdoptionStatus,
    since: input.since,
    evidence_kind: input.evidenceKind as EvidenceKind,
    evidence,
    contact_name: contactName,
    contact_email: contactEmail,
    contact_agrees: input.contactAgrees,
  };
}
