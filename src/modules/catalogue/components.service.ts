import type { Actor } from '../../platform/actor.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import { type CatalogueCore, type CatalogueDependencies, createCatalogueCore } from './catalogue.core.js';
import { KIND_LABELS, MAX_COMPARED } from './catalogue.labels.js';
import { cataloguePolicy } from './catalogue.policy.js';
import { auditSnapshot, componentSlug, presentComponent } from './catalogue.records.js';
import type { ComponentRow } from './catalogue.repository.js';
import type { Component, ComponentInput, ComponentQuery, ComponentSummary } from './catalogue.types.js';
import { type Problem, validateComponentInput } from './catalogue.validation.js';
import { toPubliccodeYaml } from './publiccode/index.js';

/** Components: finding, comparing, publishing and changing them, and writing one as publiccode.yml. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createComponentsService(deps: CatalogueDependencies, core: CatalogueCore = createCatalogueCore(deps)) {
  const { catalogueRepository, transaction, clock, publicBaseUrl } = deps;
  const { audit, freshnessOf, requireComponent, currentCouncils, summarise, toDeclaration, stewardshipOf, requirePublisher } = core;

  async function checkRelatedSlugs(slugs: readonly string[], ownSlug: string | null, problems: Problem[]): Promise<void> {
    if (slugs.length === 0) return;
    const found = new Set((await catalogueRepository.listComponentsBySlugs(slugs)).map((row) => row.slug));
    const missing = slugs.filter((slug) => !found.has(slug) || slug === ownSlug);
    if (missing.length > 0) {
      problems.push({ field: 'relatedSlugs', message: `No other component has the address ${missing.join(', ')}` });
    }
  }

  /** One component with its related components, declarations, adoption against the register and stewardship health. */
  async function getComponent(slug: string) {
    const row = await requireComponent(slug);
    const [related, adoptions, councils, publisher] = await Promise.all([
      catalogueRepository.listComponentsBySlugs(row.related_slugs),
      catalogueRepository.listAdoptionsForComponents([row.id]),
      currentCouncils(),
      row.publisher_organisation_id === null
        ? Promise.resolve(undefined)
        : catalogueRepository.listOrganisationsByIds([row.publisher_organisation_id]).then((rows) => rows[0]),
    ]);
    return {
      component: presentComponent(row),
      publisher: publisher ? { name: publisher.name, slug: publisher.slug, gssCode: publisher.gss_code } : null,
      related: related.map((candidate) => ({ slug: candidate.slug, name: candidate.name, summary: candidate.summary })),
      adoption: summarise(adoptions, councils),
      declarations: adoptions.map((adoption) => toDeclaration(adoption, councils)),
      stewardship: stewardshipOf(row, adoptions),
    };
  }

  return {
    /** A page of components matching the filters, each with how many current councils use it. */
    async listComponents(query: ComponentQuery): Promise<{ total: number; items: ComponentSummary[] }> {
      const sort = query.sort ?? (query.q ? 'relevance' : 'name');
      const { total, rows } = await catalogueRepository.listComponents(
        query,
        { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
        sort,
      );
      const [councils, adoptions] = await Promise.all([
        currentCouncils(),
        catalogueRepository.listAdoptionsForComponents(rows.map((row) => row.id)),
      ]);
      const now = clock();
      return {
        total,
        items: rows.map((row) => ({
          ...presentComponent(row),
          adoption: {
            using: adoptions.filter(
              (adoption) =>
                adoption.component_id === row.id && councils.has(adoption.organisation_id) && freshnessOf(adoption, now) === 'using',
            ).length,
            councils: councils.size,
          },
        })),
      };
    },

    /** Values offered in the list filters. */
    listFacetValues: () => catalogueRepository.listFacetValues(),

    /** Components as search documents (changed since an instant, or all); one topic per service area. */
    async listSearchDocuments(changedSince?: Date): Promise<SearchDocumentInput[]> {
      const rows = await catalogueRepository.listComponentsChangedSince(changedSince);
      return rows.map((row) => ({
        type: 'component',
        key: row.slug,
        title: row.name,
        body: [KIND_LABELS[row.kind], row.summary, row.problem ?? '', row.description, row.features.join('. ')].filter(Boolean).join('\n'),
        url: `/components/${row.slug}`,
        serviceArea: row.service_areas[0] ?? null,
        visibility: 'public' as const,
        topics: row.service_areas.map((area) => `service-area:${area}`),
        updatedAt: row.updated_at,
      }));
    },

    getComponent,

    /** Up to three components side by side, each with adoption and stewardship. */
    async compareComponents(slugs: readonly string[]) {
      const unique = [...new Set(slugs.filter((slug) => slug !== ''))];
      if (unique.length === 0)
        throw new InputError('Choose at least one component to compare', [
          { field: 'slugs', message: 'Choose at least one component to compare' },
        ]);
      if (unique.length > MAX_COMPARED) {
        throw new InputError(`Choose up to ${MAX_COMPARED} components to compare; you chose ${unique.length}`, [
          { field: 'slugs', message: `Choose up to ${MAX_COMPARED} components to compare; you chose ${unique.length}` },
        ]);
      }
      const rows = await catalogueRepository.listComponentsBySlugs(unique);
      const missing = unique.filter((slug) => !rows.some((row) => row.slug === slug));
      if (missing.length > 0) throw new NotFoundError(`No component has the address ${missing.join(', ')}`);
      const [adoptions, councils] = await Promise.all([
        catalogueRepository.listAdoptionsForComponents(rows.map((row) => row.id)),
        currentCouncils(),
      ]);
      return unique.map((slug) => {
        const row = rows.find((candidate) => candidate.slug === slug) as ComponentRow;
        const own = adoptions.filter((adoption) => adoption.component_id === row.id);
        return { component: presentComponent(row), adoption: summarise(own, councils), stewardship: stewardshipOf(row, own) };
      });
    },

    /** Publishes a new component for the actor's organisation. */
    async createComponent(actor: Actor, input: ComponentInput): Promise<Component> {
      requirePublisher(actor);
      const problems: Problem[] = [];
      const values = validateComponentInput(input, problems);
      const slug = componentSlug(input.name);
      await checkRelatedSlugs(values.related_slugs ?? [], null, problems);
      if (problems.length === 0 && (await catalogueRepository.findComponentBySlug(slug))) {
        problems.push({
          field: 'name',
          message: `A component called ${input.name.trim()} is already in the catalogue; choose another name`,
        });
      }
      if (problems.length > 0) throw new InputError('There is a problem with the component', problems);
      return transaction(async (repository, trx) => {
        const row = await repository.insertComponent({
          ...values,
          slug,
          source: actor.via === 'token' ? 'api' : 'form',
          publisher_organisation_id: actor.organisationId,
          created_by_user_id: actor.userId,
        });
        await audit(trx, actor, {
          action: 'component.created',
          subjectType: 'component',
          subjectId: row.id,
          organisationId: actor.organisationId,
          before: null,
          after: auditSnapshot(row),
        });
        return presentComponent(row);
      });
    },

    /** Changes a component: its publishing organisation's people, or a platform admin. */
    async updateComponent(actor: Actor, slug: string, input: ComponentInput): Promise<Component> {
      const existing = await requireComponent(slug);
      if (!cataloguePolicy.canEditComponent(actor, existing.publisher_organisation_id)) {
        throw new NotAllowedError('Only people at the organisation that published this component can change it');
      }
      const problems: Problem[] = [];
      const values = validateComponentInput(input, problems, existing.maintainers);
      await checkRelatedSlugs(values.related_slugs ?? [], slug, problems);
      if (problems.length > 0) throw new InputError('There is a problem with the component', problems);
      return transaction(async (repository, trx) => {
        const row = await repository.updateComponent(existing.id, values);
        await audit(trx, actor, {
          action: 'component.updated',
          subjectType: 'component',
          subjectId: row.id,
          organisationId: row.publisher_organisation_id,
          before: auditSnapshot(existing),
          after: auditSnapshot(row),
        });
        return presentComponent(row);
      });
    },

    /** A component written as publiccode.yml (version 0.4); councils using it are listed in usedBy. */
    async exportPubliccode(slug: string): Promise<string> {
      const { component, declarations } = await getComponent(slug);
      const users = declarations
        .filter((declaration) => declaration.freshness === 'using')
        .map((declaration) => declaration.organisation.name);
      return toPubliccodeYaml({
        name: component.name,
        summary: component.summary,
        description: component.description,
        serviceAreas: component.serviceAreas,
        licence: component.licence,
        codeRepositoryUrl: component.codeRepositoryUrl ?? `${publicBaseUrl}/components/${component.slug}`,
        documentationUrl: component.documentationUrl,
        apiDocumentationUrl: component.apiDocumentationUrl,
        landingUrl: component.landingUrl,
        developmentStatus: component.developmentStatus,
        hostingOptions: component.hostingOptions,
        maintainers: component.maintainers,
        releaseDate: component.releaseDate,
        softwareVersion: component.softwareVersion,
        logoUrl: component.logoUrl,
        features: component.features,
        platforms: component.platforms,
        usedBy: [...new Set([...component.usedBy, ...users])],
      });
    },

    /** Demo and reference content, written as the system (audit channel "system"); skipped when the component exists. */
    async createComponentAsSystem(input: ComponentInput, publisherOrganisationCode: string | null): Promise<boolean> {
      const slug = componentSlug(input.name);
      if (await catalogueRepository.findComponentBySlug(slug)) return false;
      const problems: Problem[] = [];
      const values = validateComponentInput(input, problems);
      if (problems.length > 0) throw new InputError(`Component ${input.name} is not valid`, problems);
      const publisher = publisherOrganisationCode ? await catalogueRepository.findOrganisation(publisherOrganisationCode) : undefined;
      await transaction(async (repository, trx) => {
        const row = await repository.insertComponent({
          ...values,
          slug,
          source: 'form',
          publisher_organisation_id: publisher?.id ?? null,
          created_by_user_id: null,
        });
        await audit(trx, null, {
          action: 'component.created',
          subjectType: 'component',
          subjectId: row.id,
          organisationId: row.publisher_organisation_id,
          before: null,
          after: auditSnapshot(row),
        });
      });
      return true;
    },

    /** Whether the actor may change a component (to show or hide the link). */
    canEdit: (actor: Actor | null, component: Component): boolean =>
      actor !== null && cataloguePolicy.canEditComponent(actor, component.publisherOrganisationId),
  };
}
