import { z } from 'zod';
import { pageQuerySchema } from '../../platform/http/lists.js';
import type { Component, ComponentInput, ComponentQuery } from './catalogue.types.js';
import { COMPONENT_KINDS, COST_MODELS, HOSTING_OPTIONS } from './catalogue.tables.js';
import { developmentStatuses } from './publiccode/index.js';

export const slugParams = z.object({ slug: z.string().min(1).max(100) });
export const codeParams = z.object({ code: z.string().min(1).max(100) });
export const csrfField = { _csrf: z.string().optional() };
export const textField = z.string().max(20_000).default('');
export const manyField = z.union([z.string().max(200), z.array(z.string().max(200)).max(20)]).optional();

export const filterSchema = z.object({
  q: z.string().trim().max(200).optional().describe('Words to search for in names, summaries, problems and descriptions'),
  kind: z.enum(COMPONENT_KINDS).optional().describe('software, api, data-standard, service-pattern, template, contract-clause'),
  serviceArea: z.string().max(100).optional().describe('A service area, e.g. planning-and-building-control'),
  status: z.enum(developmentStatuses).optional().describe('Development status: concept, development, beta, stable, obsolete'),
  licence: z.string().max(100).optional().describe('SPDX licence identifier, e.g. MIT'),
  hosting: z.enum(HOSTING_OPTIONS).optional().describe('self-hosted or saas'),
  sort: z.enum(['relevance', 'name', 'updated']).optional().describe('Order (default relevance when searching, else name)'),
});

/** HTML forms send every field, empty when not chosen. */
export const pageFilterSchema = z.object({
  q: z.string().trim().max(200).optional(),
  kind: z.union([z.enum(COMPONENT_KINDS), z.literal('')]).optional(),
  serviceArea: z.string().max(100).optional(),
  status: z.union([z.enum(developmentStatuses), z.literal('')]).optional(),
  licence: z.string().max(100).optional(),
  hosting: z.union([z.enum(HOSTING_OPTIONS), z.literal('')]).optional(),
  sort: z.union([z.enum(['relevance', 'name', 'updated']), z.literal('')]).optional(),
  page: pageQuerySchema.shape.page,
});

export const maintainerSchema = z.object({
  name: z.string(),
  kind: z.enum(['organisation', 'person']),
  roles: z.array(z.string()),
  email: z.string().optional(),
  website: z.string().optional(),
});

export const componentSchema = z.object({
  slug: z.string(),
  name: z.string(),
  kind: z.enum(COMPONENT_KINDS),
  summary: z.string(),
  description: z.string().describe('Markdown'),
  problem: z.string().nullable(),
  serviceAreas: z.array(z.string()),
  licence: z.string().nullable(),
  codeRepositoryUrl: z.string().nullable(),
  documentationUrl: z.string().nullable(),
  apiDocumentationUrl: z.string().nullable(),
  landingUrl: z.string().nullable(),
  developmentStatus: z.enum(developmentStatuses).nullable(),
  hostingOptions: z.array(z.enum(HOSTING_OPTIONS)),
  costModel: z.enum(COST_MODELS).nullable(),
  supportedStandards: z.array(z.string()),
  relatedSlugs: z.array(z.string()),
  maintainers: z.array(maintainerSchema),
  funding: z.string().nullable(),
  releaseDate: z.string().nullable(),
  softwareVersion: z.string().nullable(),
  attachments: z.array(z.object({ kind: z.string(), title: z.string(), url: z.string() })),
  publiccodeVersion: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const componentBodySchema = z.object({
  name: z.string().max(200),
  kind: z.enum(COMPONENT_KINDS),
  summary: z.string().max(300),
  description: z.string().max(20_000).default(''),
  problem: z.string().max(2000).default(''),
  serviceAreas: z.array(z.string().max(100)).max(20).default([]),
  licence: z.string().max(100).default(''),
  codeRepositoryUrl: z.string().max(500).default(''),
  documentationUrl: z.string().max(500).default(''),
  developmentStatus: z.union([z.enum(developmentStatuses), z.literal('')]).default(''),
  hostingOptions: z.array(z.enum(HOSTING_OPTIONS)).default([]),
  costModel: z.union([z.enum(COST_MODELS), z.literal('')]).default(''),
  supportedStandards: z.array(z.string().max(200)).max(20).default([]),
  relatedSlugs: z.array(z.string().max(100)).max(20).default([]),
  maintainingOrganisations: z.array(z.string().max(200)).max(20).default([]),
  funding: z.string().max(1000).default(''),
  releaseDate: z.string().max(10).default('').describe('YYYY-MM-DD'),
  softwareVersion: z.string().max(50).default(''),
  dpiaUrl: z.string().max(500).default(''),
  accessibilityStatementUrl: z.string().max(500).default(''),
  specificationUrl: z.string().max(500).default(''),
});

/** Splits a text box of items separated by commas or new lines. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function many(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : [value].flat();
}

export const componentFormSchema = z.object({
  name: textField,
  kind: textField,
  summary: textField,
  description: textField,
  problem: textField,
  serviceAreas: textField,
  licence: textField,
  codeRepositoryUrl: textField,
  documentationUrl: textField,
  developmentStatus: textField,
  hostingOptions: manyField,
  costModel: textField,
  supportedStandards: textField,
  relatedSlugs: textField,
  maintainingOrganisations: textField,
  funding: textField,
  releaseDate: textField,
  softwareVersion: textField,
  dpiaUrl: textField,
  accessibilityStatementUrl: textField,
  specificationUrl: textField,
  ...csrfField,
});
export type ComponentForm = z.infer<typeof componentFormSchema>;

export function componentInputFromForm(form: ComponentForm): ComponentInput {
  return {
    ...form,
    serviceAreas: splitList(form.serviceAreas),
    hostingOptions: many(form.hostingOptions),
    supportedStandards: splitList(form.supportedStandards),
    relatedSlugs: splitList(form.relatedSlugs),
    maintainingOrganisations: splitList(form.maintainingOrganisations),
  };
}

export function formFromComponent(component: Component): Record<string, unknown> {
  const attachment = (kind: string) => component.attachments.find((candidate) => candidate.kind === kind)?.url ?? '';
  return {
    ...component,
    problem: component.problem ?? '',
    licence: component.licence ?? '',
    codeRepositoryUrl: component.codeRepositoryUrl ?? '',
    documentationUrl: component.documentationUrl ?? '',
    developmentStatus: component.developmentStatus ?? '',
    costModel: component.costModel ?? '',
    funding: component.funding ?? '',
    releaseDate: component.releaseDate ?? '',
    softwareVersion: component.softwareVersion ?? '',
    serviceAreas: component.serviceAreas.join(', '),
    supportedStandards: component.supportedStandards.join(', '),
    relatedSlugs: component.relatedSlugs.join(', '),
    maintainingOrganisations: component.maintainers
      .filter((maintainer) => maintainer.kind === 'organisation')
      .map((maintainer) => maintainer.name)
      .join(', '),
    hostingOptions: component.hostingOptions,
    dpiaUrl: attachment('dpia'),
    accessibilityStatementUrl: attachment('accessibility-statement'),
    specificationUrl: attachment('specification'),
  };
}

export function toQuery(filter: Omit<z.infer<typeof pageFilterSchema>, 'page'>, page: number, pageSize: number): ComponentQuery {
  return {
    q: filter.q || undefined,
    kind: filter.kind || undefined,
    serviceArea: filter.serviceArea || undefined,
    status: filter.status || undefined,
    licence: filter.licence || undefined,
    hosting: filter.hosting || undefined,
    sort: filter.sort || undefined,
    page,
    pageSize,
  };
}
