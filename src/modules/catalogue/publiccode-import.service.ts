import type { Actor } from '../../platform/actor.js';
import { type CatalogueCore, type CatalogueDependencies, createCatalogueCore } from './catalogue.core.js';
import { cataloguePolicy } from './catalogue.policy.js';
import { auditSnapshot, componentSlug } from './catalogue.records.js';
import type { ComponentInsert } from './catalogue.repository.js';
import type { PubliccodeImportOutcome } from './catalogue.types.js';
import type { PubliccodeParse } from './publiccode-bounded.js';
import { type ComponentDraft, parsePubliccode } from './publiccode/index.js';

/** Importing publiccode.yml files: one file creates a component or updates the one it describes. */
export function createPubliccodeImportService(deps: CatalogueDependencies, core: CatalogueCore = createCatalogueCore(deps)) {
  const { catalogueRepository, transaction } = deps;
  const parsePubliccodeText: PubliccodeParse =
    deps.parsePubliccodeText ?? ((text, fileName, options) => Promise.resolve(parsePubliccode(text, fileName, options)));
  const { audit, requirePublisher } = core;

  return {
    /**
     * Imports one publiccode.yml file: creates the component, or updates the one with the same code repository
     * (or name). Never throws for a bad file: the outcome names every unknown or invalid field, and nothing is written.
     */
    async importPubliccode(
      actor: Actor | null,
      file: {
        fileName: string;
        text: string;
        /** The file's folder on disk, to check relative logo and screenshot paths. */ directory?: string;
      },
    ): Promise<PubliccodeImportOutcome> {
      // The server's command line (no actor) imports as the platform; a person must be allowed to publish.
      if (actor !== null) requirePublisher(actor);
      const parsed = await parsePubliccodeText(file.text, file.fileName, { directory: file.directory });
      if (!parsed.ok) return { file: file.fileName, status: 'rejected', slug: null, warnings: [], errors: parsed.errors };
      const draft = parsed.component;
      const existing =
        (await catalogueRepository.findComponentByRepositoryUrl(draft.codeRepositoryUrl)) ??
        (await catalogueRepository.findComponentBySlug(componentSlug(draft.name)));
      if (existing && actor && !cataloguePolicy.canEditComponent(actor, existing.publisher_organisation_id)) {
        return {
          file: file.fileName,
          status: 'rejected',
          slug: existing.slug,
          warnings: parsed.warnings,
          errors: [
            {
              field: 'url',
              message: `${existing.name} is already in the catalogue, published by another organisation; ask them to update it`,
            },
          ],
        };
      }
      const values = columnsFromPubliccode(draft);
      return transaction(async (repository, trx) => {
        if (existing) {
          const row = await repository.updateComponent(existing.id, values);
          await audit(trx, actor, {
            action: 'component.updated-from-publiccode',
            subjectType: 'component',
            subjectId: row.id,
            organisationId: row.publisher_organisation_id,
            before: auditSnapshot(existing),
            after: auditSnapshot(row),
          });
          return { file: file.fileName, status: 'updated' as const, slug: row.slug, warnings: parsed.warnings, errors: [] };
        }
        const row = await repository.insertComponent({
          ...values,
          slug: componentSlug(draft.name),
          kind: 'software',
          source: 'publiccode',
          publisher_organisation_id: actor?.organisationId ?? null,
          created_by_user_id: actor?.userId ?? null,
        });
        await audit(trx, actor, {
          action: 'component.imported',
          subjectType: 'component',
          subjectId: row.id,
          organisationId: row.publisher_organisation_id,
          before: null,
          after: auditSnapshot(row),
        });
        return { file: file.fileName, status: 'created' as const, slug: row.slug, warnings: parsed.warnings, errors: [] };
      });
    },
  };
}

/** The columns a parsed publiccode.yml fills (the rest are the importer's and the catalogue's to set). */
function columnsFromPubliccode(
  draft: ComponentDraft,
): Omit<ComponentInsert, 'slug' | 'kind' | 'source' | 'publisher_organisation_id' | 'created_by_user_id'> {
  return {
    name: draft.name,
    summary: draft.summary,
    description: draft.description,
    service_areas: draft.serviceAreas,
    licence: draft.licence,
    code_repository_url: draft.codeRepositoryUrl,
    documentation_url: draft.documentationUrl,
    api_documentation_url: draft.apiDocumentationUrl,
    landing_url: draft.landingUrl,
    development_status: draft.developmentStatus,
    software_type: draft.softwareType,
    hosting_options: draft.hostingOptions,
    maintenance_type: draft.maintenanceType,
    maintainers: JSON.stringify(draft.maintainers),
    release_date: draft.releaseDate,
    software_version: draft.softwareVersion,
    logo_url: draft.logoUrl,
    features: draft.features,
    platforms: draft.platforms,
    used_by: draft.usedBy,
    localisation: JSON.stringify(draft.localisation),
    description_language: draft.descriptionLanguage,
    publiccode_version: draft.publiccodeVersion,
    publiccode_raw: JSON.stringify(draft.raw),
  };
}
