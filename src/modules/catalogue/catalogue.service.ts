import type { Kysely } from 'kysely';
import type { PubliccodeParse } from './publiccode-bounded.js';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, recordAuditEvent } from '../../platform/audit.js';
import { isoDate, type Clock } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import type { Organisation, OrganisationsService } from '../organisations/index.js';
import { cataloguePolicy } from './catalogue.policy.js';
import type {
  AdoptionRow,
  AdoptionWithOrganisation,
  CatalogueRepository,
  CatalogueTransaction,
  ComponentFilter,
  ComponentInsert,
  ComponentRow,
  ComponentSort,
} from './catalogue.repository.js';
import {
  ADOPTION_STATUSES,
  type AdoptionStatus,
  ATTACHMENT_KINDS,
  type AttachmentKind,
  COMPONENT_KINDS,
  type CatalogueTables,
  type ComponentAttachment,
  type ComponentHosting,
  type ComponentKind,
  COST_MODELS,
  type CostModel,
  EVIDENCE_KINDS,
  type EvidenceKind,
  HOSTING_OPTIONS,
} from './catalogue.tables.js';
import {
  type ComponentMaintainer,
  deriveComponentSlug,
  type DevelopmentStatus,
  developmentStatuses,
  parsePubliccode,
  type PubliccodeIssue,
  toPubliccodeYaml,
} from './publiccode/index.js';

/** A declaration not re-confirmed for this many months is "unconfirmed" and stops counting. */
export const FRESHNESS_MONTHS = 12;
/** Contacts are reminded from this many months after their last confirmation, and again every REMINDER_INTERVAL_DAYS. */
export const REMINDER_AFTER_MONTHS = 11;
export const REMINDER_INTERVAL_DAYS = 30;
export const MAX_COMPARED = 3;

export const KIND_LABELS: Record<ComponentKind, string> = {
  software: 'Software',
  api: 'API',
  'data-standard': 'Data standard',
  'service-pattern': 'Service pattern',
  template: 'Template',
  'contract-clause': 'Contract clause',
};

export const STATUS_LABELS: Record<DevelopmentStatus, string> = {
  concept: 'Concept',
  development: 'In development',
  beta: 'Beta',
  stable: 'Stable',
  obsolete: 'Obsolete',
};

export const HOSTING_LABELS: Record<ComponentHosting, string> = { 'self-hosted': 'Self-hosted', saas: 'Software as a service' };

export const COST_MODEL_LABELS: Record<CostModel, string> = {
  free: 'Free to use',
  'free-with-paid-support': 'Free, with paid support available',
  subscription: 'Subscription',
  'pay-per-use': 'Pay per use',
  'licence-fee': 'Licence fee',
  unknown: 'Not known',
};

export const ADOPTION_LABELS: Record<AdoptionStatus | 'unconfirmed', string> = {
  exploring: 'Exploring',
  piloting: 'Piloting',
  using: 'Using',
  retired: 'Retired',
  unconfirmed: 'Unconfirmed',
};

export const EVIDENCE_LABELS: Record<EvidenceKind, string> = {
  'service-url': 'Live service address',
  'contract-reference': 'Contract reference',
  note: 'Note',
};

export const ATTACHMENT_LABELS: Record<AttachmentKind, string> = {
  dpia: 'Data protection impact assessment (DPIA)',
  'accessibility-statement': 'Accessibility statement',
  specification: 'Specification',
};

/** The published rules of reuse credits: each line is one way an organisation earns points. */
export const REUSE_CREDIT_RULES = [
  { key: 'published', points: 10, label: 'Publishing a component', detail: 'for each component your organisation publishes here' },
  { key: 'using', points: 5, label: 'Adopting a component', detail: 'for each confirmed declaration that you are using a component' },
  { key: 'piloting', points: 2, label: 'Piloting a component', detail: 'for each confirmed declaration that you are piloting one' },
  {
    key: 'referent',
    points: 3,
    label: 'Being a referent',
    detail: 'for each confirmed declaration whose contact agrees to be asked about it by other councils',
  },
  {
    key: 'confirmed',
    points: 1,
    label: 'Confirming an adoption',
    detail: 'for each time you re-confirmed a declaration in the last 12 months',
  },
] as const;
type CreditKey = (typeof REUSE_CREDIT_RULES)[number]['key'];

export interface Component {
  id: number;
  slug: string;
  name: string;
  kind: ComponentKind;
  summary: string;
  description: string;
  problem: string | null;
  serviceAreas: string[];
  licence: string | null;
  codeRepositoryUrl: string | null;
  documentationUrl: string | null;
  apiDocumentationUrl: string | null;
  landingUrl: string | null;
  developmentStatus: DevelopmentStatus | null;
  hostingOptions: ComponentHosting[];
  costModel: CostModel | null;
  supportedStandards: string[];
  relatedSlugs: string[];
  maintainers: ComponentMaintainer[];
  funding: string | null;
  releaseDate: string | null;
  softwareVersion: string | null;
  logoUrl: string | null;
  features: string[];
  platforms: string[];
  usedBy: string[];
  attachments: ComponentAttachment[];
  publiccodeVersion: string | null;
  source: ComponentRow['source'];
  publisherOrganisationId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ComponentSummary extends Component {
  adoption: { using: number; councils: number };
}

export interface ComponentQuery extends ComponentFilter {
  page: number;
  pageSize: number;
  sort?: ComponentSort | undefined;
}

/** What a form or the API sends to create or change a component; strings as typed, lists already split. */
export interface ComponentInput {
  name: string;
  kind: string;
  summary: string;
  description: string;
  problem: string;
  serviceAreas: string[];
  licence: string;
  codeRepositoryUrl: string;
  documentationUrl: string;
  developmentStatus: string;
  hostingOptions: string[];
  costModel: string;
  supportedStandards: string[];
  relatedSlugs: string[];
  maintainingOrganisations: string[];
  funding: string;
  releaseDate: string;
  softwareVersion: string;
  dpiaUrl: string;
  accessibilityStatementUrl: string;
  specificationUrl: string;
}

export interface AdoptionInput {
  status: string;
  since: string;
  evidenceKind: string;
  evidence: string;
  contactName: string;
  contactEmail: string;
  contactAgrees: boolean;
}

export type Freshness = AdoptionStatus | 'unconfirmed';

export interface Declaration {
  organisation: { id: number; name: string; slug: string; gssCode: string | null };
  status: AdoptionStatus;
  /** The status as counted: "unconfirmed" once the last confirmation is older than 12 months. */
  freshness: Freshness;
  since: string;
  evidenceKind: EvidenceKind;
  evidence: string;
  contactName: string | null;
  contactEmail: string | null;
  confirmedOn: string;
  /** False for former councils and organisations that are not English principal councils. */
  countsTowardsRegister: boolean;
}

export interface AdoptionBreakdownRow {
  key: string;
  label: string;
  councils: number;
  using: number;
  piloting: number;
  exploring: number;
}

export interface AdoptionSummary {
  councils: number;
  using: number;
  piloting: number;
  exploring: number;
  retired: number;
  unconfirmed: number;
  /** Declarations that do not count: former councils, and organisations that are not English principal councils. */
  notCounted: number;
  byRegion: AdoptionBreakdownRow[];
  byCouncilType: AdoptionBreakdownRow[];
  /** Freshness of each current council's declaration, by GSS code (for the hex map). */
  statusByGssCode: Map<string, Freshness>;
  /** County councils (not on the district hex map) with a declaration. */
  counties: { name: string; gssCode: string | null; freshness: Freshness }[];
}

export interface Stewardship {
  maintainingOrganisations: string[];
  funding: string | null;
  lastReleaseDate: string | null;
  releasedWithinYear: boolean | null;
  lastConfirmedOn: string | null;
  confirmedAdopters: number;
}

export interface PubliccodeImportOutcome {
  file: string;
  status: 'created' | 'updated' | 'rejected';
  slug: string | null;
  warnings: PubliccodeIssue[];
  errors: PubliccodeIssue[];
}

export interface ReuseCredits {
  organisation: { id: number; name: string; slug: string; gssCode: string | null };
  counts: Record<CreditKey, number>;
  total: number;
  published: { slug: string; name: string }[];
  adopted: { slug: string; name: string; status: AdoptionStatus; referent: boolean }[];
}

/** The catalogue: components, publiccode.yml, adoption declarations counted against the register, credits and health. */
export function createCatalogueService({
  catalogueRepository,
  transaction,
  organisationsService,
  mailer,
  clock,
  publicBaseUrl,
  parsePubliccodeText = (text, fileName, options) => Promise.resolve(parsePubliccode(text, fileName, options)),
}: {
  catalogueRepository: CatalogueRepository;
  transaction: CatalogueTransaction;
  organisationsService: OrganisationsService;
  mailer: Mailer;
  clock: Clock;
  publicBaseUrl: string;
  /** Reads a publiccode.yml; wired to a bounded parser (a worker with a budget), so no upload can stop the server. */
  parsePubliccodeText?: PubliccodeParse;
}) {
  const audit = (trx: Kysely<CatalogueTables>, actor: Actor | null, event: AuditEvent) => recordAuditEvent(trx, actor, event);

  function freshnessOf(adoption: Pick<AdoptionRow, 'status' | 'confirmed_at'>, now = clock()): Freshness {
    return addMonths(adoption.confirmed_at, FRESHNESS_MONTHS) <= now ? 'unconfirmed' : adoption.status;
  }

  async function requireComponent(slug: string, repository = catalogueRepository): Promise<ComponentRow> {
    const row = await repository.findComponentBySlug(slug);
    if (!row) throw new NotFoundError(`No component has the address ${slug}`);
    return row;
  }

  async function currentCouncils(): Promise<Map<number, Organisation>> {
    const councils = await organisationsService.listCurrentPrincipalCouncils('England');
    return new Map(councils.map((council) => [council.id, council]));
  }

  function summarise(adoptions: readonly AdoptionWithOrganisation[], councils: Map<number, Organisation>): AdoptionSummary {
    const now = clock();
    const summary: AdoptionSummary = {
      councils: councils.size,
      using: 0,
      piloting: 0,
      exploring: 0,
      retired: 0,
      unconfirmed: 0,
      notCounted: 0,
      byRegion: [],
      byCouncilType: [],
      statusByGssCode: new Map(),
      counties: [],
    };
    const regions = new Map<string, AdoptionBreakdownRow>();
    const types = new Map<string, AdoptionBreakdownRow>();
    const row = (map: Map<string, AdoptionBreakdownRow>, key: string, label: string) => {
      let found = map.get(key);
      if (!found) {
        found = { key, label, councils: 0, using: 0, piloting: 0, exploring: 0 };
        map.set(key, found);
      }
      return found;
    };
    for (const council of councils.values()) {
      row(regions, council.region ?? 'Unknown', council.region ?? 'Unknown').councils += 1;
      row(types, council.councilType ?? '?', council.councilTypeName ?? 'Unknown').councils += 1;
    }
    for (const adoption of adoptions) {
      const council = councils.get(adoption.organisation_id);
      if (!council) {
        summary.notCounted += 1;
        continue;
      }
      const freshness = freshnessOf(adoption, now);
      summary[freshness] += 1;
      if (council.gssCode) summary.statusByGssCode.set(council.gssCode, freshness);
      if (council.councilType === 'CTY') summary.counties.push({ name: council.name, gssCode: council.gssCode, freshness });
      if (freshness === 'using' || freshness === 'piloting' || freshness === 'exploring') {
        row(regions, council.region ?? 'Unknown', council.region ?? 'Unknown')[freshness] += 1;
        row(types, council.councilType ?? '?', council.councilTypeName ?? 'Unknown')[freshness] += 1;
      }
    }
    summary.byRegion = [...regions.values()].sort((a, b) => a.label.localeCompare(b.label));
    summary.byCouncilType = [...types.values()].sort((a, b) => a.label.localeCompare(b.label));
    return summary;
  }

  function toDeclaration(adoption: AdoptionWithOrganisation, councils: Map<number, Organisation>): Declaration {
    return {
      organisation: {
        id: adoption.organisation_id,
        name: adoption.organisation_name,
        slug: adoption.organisation_slug,
        gssCode: adoption.organisation_gss_code,
      },
      status: adoption.status,
      freshness: freshnessOf(adoption),
      since: adoption.since,
      evidenceKind: adoption.evidence_kind,
      evidence: adoption.evidence,
      // Only contacts who agreed to be asked are shown.
      contactName: adoption.contact_agrees ? adoption.contact_name : null,
      contactEmail: adoption.contact_agrees ? adoption.contact_email : null,
      confirmedOn: isoDate(adoption.confirmed_at),
      countsTowardsRegister: councils.has(adoption.organisation_id),
    };
  }

  function stewardshipOf(row: ComponentRow, adoptions: readonly AdoptionWithOrganisation[]): Stewardship {
    const now = clock();
    const confirmed = adoptions.filter((adoption) => adoption.status !== 'retired' && freshnessOf(adoption, now) !== 'unconfirmed');
    const lastConfirmed = adoptions.reduce<Date | null>(
      (latest, adoption) => (latest === null || adoption.confirmed_at > latest ? adoption.confirmed_at : latest),
      null,
    );
    const maintainers = row.maintainers.filter((maintainer) => maintainer.kind === 'organisation').map((maintainer) => maintainer.name);
    return {
      maintainingOrganisations: [...new Set(maintainers)],
      funding: row.funding,
      lastReleaseDate: row.release_date,
      releasedWithinYear: row.release_date === null ? null : addMonths(new Date(`${row.release_date}T00:00:00Z`), 12) > now,
      lastConfirmedOn: lastConfirmed ? isoDate(lastConfirmed) : null,
      confirmedAdopters: confirmed.length,
    };
  }

  async function checkRelatedSlugs(slugs: readonly string[], ownSlug: string | null, problems: Problem[]): Promise<void> {
    if (slugs.length === 0) return;
    const found = new Set((await catalogueRepository.listComponentsBySlugs(slugs)).map((row) => row.slug));
    const missing = slugs.filter((slug) => !found.has(slug) || slug === ownSlug);
    if (missing.length > 0) {
      problems.push({ field: 'relatedSlugs', message: `No other component has the address ${missing.join(', ')}` });
    }
  }

  async function organisationOf(actor: Actor) {
    if (actor.organisationId === null) return undefined;
    return (await catalogueRepository.listOrganisationsByIds([actor.organisationId]))[0];
  }

  /** Records a declaration (new or changed), its history entry and one audit event, in one transaction. */
  async function writeDeclaration(
    actor: Actor | null,
    organisation: { id: number },
    component: ComponentRow,
    values: ReturnType<typeof validateAdoptionInput>,
    confirmedAt: Date,
  ): Promise<AdoptionRow> {
    return transaction(async (repository, trx) => {
      const existing = await repository.findAdoption(component.id, organisation.id);
      const declaredBy = actor?.userId ?? null;
      const adoption = existing
        ? await repository.updateAdoption(existing.id, { ...values, confirmed_at: confirmedAt, declared_by_user_id: declaredBy })
        : await repository.insertAdoption({
            ...values,
            component_id: component.id,
            organisation_id: organisation.id,
            confirmed_at: confirmedAt,
            declared_by_user_id: declaredBy,
          });
      await repository.insertAdoptionEvent({
        adoption_id: adoption.id,
        component_id: component.id,
        organisation_id: organisation.id,
        event: existing ? 'changed' : 'declared',
        status: adoption.status,
        since: adoption.since,
        evidence_kind: adoption.evidence_kind,
        evidence: adoption.evidence,
        recorded_by_user_id: declaredBy,
        recorded_at: confirmedAt,
      });
      await audit(trx, actor, {
        action: existing ? 'adoption.changed' : 'adoption.declared',
        subjectType: 'adoption',
        subjectId: adoption.id,
        organisationId: organisation.id,
        before: existing ? adoptionSnapshot(existing) : null,
        after: adoptionSnapshot(adoption),
      });
      return adoption;
    });
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

  /** Reuse credits of every organisation that has earned any, highest first. */
  async function listReuseCredits(): Promise<ReuseCredits[]> {
    const now = clock();
    const [adoptions, published, confirmations, components] = await Promise.all([
      catalogueRepository.listAllAdoptions(),
      catalogueRepository.listPublishedComponents(),
      catalogueRepository.countConfirmationsSince(addMonths(now, -FRESHNESS_MONTHS)),
      catalogueRepository.listComponentNames(),
    ]);
    const ids = new Set<number>([
      ...adoptions.map((adoption) => adoption.organisation_id),
      ...published.flatMap((row) => (row.publisher_organisation_id === null ? [] : [row.publisher_organisation_id])),
      ...confirmations.keys(),
    ]);
    const organisations = await catalogueRepository.listOrganisationsByIds([...ids]);
    const componentById = new Map(components.map((row) => [row.id, row]));
    const credits = organisations.map((organisation): ReuseCredits => {
      const own = adoptions.filter((adoption) => adoption.organisation_id === organisation.id);
      const counted = own.filter((adoption) => {
        const freshness = freshnessOf(adoption, now);
        return freshness === 'using' || freshness === 'piloting';
      });
      const mine = published.filter((row) => row.publisher_organisation_id === organisation.id);
      const counts: Record<CreditKey, number> = {
        published: mine.length,
        using: counted.filter((adoption) => adoption.status === 'using').length,
        piloting: counted.filter((adoption) => adoption.status === 'piloting').length,
        referent: own.filter(
          (adoption) => adoption.contact_agrees && freshnessOf(adoption, now) !== 'unconfirmed' && adoption.status !== 'retired',
        ).length,
        confirmed: confirmations.get(organisation.id) ?? 0,
      };
      return {
        organisation: { id: organisation.id, name: organisation.name, slug: organisation.slug, gssCode: organisation.gss_code },
        counts,
        total: REUSE_CREDIT_RULES.reduce((sum, rule) => sum + rule.points * counts[rule.key], 0),
        published: mine.map((row) => ({ slug: row.slug, name: row.name })),
        adopted: own.flatMap((adoption) => {
          const component = componentById.get(adoption.component_id);
          return component
            ? [{ slug: component.slug, name: component.name, status: adoption.status, referent: adoption.contact_agrees }]
            : [];
        }),
      };
    });
    return credits
      .filter((credit) => credit.total > 0)
      .sort((a, b) => b.total - a.total || a.organisation.name.localeCompare(b.organisation.name));
  }

  /** The one rule for every way a person creates a component (form, API, publiccode.yml import): they must be allowed to publish. */
  function requirePublisher(actor: Actor): void {
    if (!cataloguePolicy.canPublishComponent(actor))
      throw new NotAllowedError('You need to belong to an organisation to publish a component');
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

    /** Every adoption as a fact for sector figures: component, organisation, status as declared and whether it is confirmed within the freshness window. */
    async listAdoptionFacts() {
      const [adoptions, components] = await Promise.all([catalogueRepository.listAllAdoptions(), catalogueRepository.listComponentNames()]);
      const byId = new Map(components.map((component) => [component.id, component]));
      const now = clock();
      return adoptions.flatMap((adoption) => {
        const component = byId.get(adoption.component_id);
        if (!component) return [];
        return [
          {
            componentSlug: component.slug,
            componentName: component.name,
            organisationId: adoption.organisation_id,
            status: adoption.status,
            freshness: freshnessOf(adoption, now),
            confirmedAt: adoption.confirmed_at.toISOString(),
          },
        ];
      });
    },

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

    /** The newest history entries of a component's declarations (history is never overwritten). */
    async listAdoptionHistory(slug: string, limit = 100) {
      const row = await requireComponent(slug);
      const events = await catalogueRepository.listAdoptionEventsForComponent(row.id, limit);
      return events.map((event) => ({
        organisation: { name: event.organisation_name, slug: event.organisation_slug },
        event: event.event,
        status: event.status,
        since: event.since,
        evidenceKind: event.evidence_kind,
        evidence: event.evidence,
        recordedAt: event.recorded_at.toISOString(),
      }));
    },

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
      const values: Omit<ComponentInsert, 'slug' | 'kind' | 'source' | 'publisher_organisation_id' | 'created_by_user_id'> = {
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

    /** The actor's organisation's declaration for a component, if it has one (to fill the form). */
    async getOwnAdoption(actor: Actor, slug: string): Promise<AdoptionRow | undefined> {
      if (actor.organisationId === null) return undefined;
      const row = await requireComponent(slug);
      return catalogueRepository.findAdoption(row.id, actor.organisationId);
    },

    /** Declares (or changes) the actor's organisation's adoption of a component; the change is kept in the history. */
    async declareAdoption(actor: Actor, slug: string, input: AdoptionInput): Promise<AdoptionRow> {
      const organisation = await organisationOf(actor);
      if (!organisation || !cataloguePolicy.canDeclareAdoption(actor, organisation.kind)) {
        throw new NotAllowedError('Only people at a council or other public body can declare that it adopts a component');
      }
      const component = await requireComponent(slug);
      return writeDeclaration(actor, organisation, component, validateAdoptionInput(input, isoDate(clock())), clock());
    },

    /** Re-confirms that the actor's organisation's declaration is still true, so it keeps counting for another 12 months. */
    async confirmAdoption(actor: Actor, slug: string): Promise<AdoptionRow> {
      const organisation = await organisationOf(actor);
      if (!organisation || !cataloguePolicy.canDeclareAdoption(actor, organisation.kind)) {
        throw new NotAllowedError('Only people at a council or other public body can confirm its adoption of a component');
      }
      const component = await requireComponent(slug);
      const now = clock();
      return transaction(async (repository, trx) => {
        const existing = await repository.findAdoption(component.id, organisation.id);
        if (!existing) throw new NotFoundError(`${organisation.name} has not declared an adoption of ${component.name} yet`);
        const adoption = await repository.updateAdoption(existing.id, { confirmed_at: now, declared_by_user_id: actor.userId });
        await repository.insertAdoptionEvent({
          adoption_id: adoption.id,
          component_id: component.id,
          organisation_id: organisation.id,
          event: 'confirmed',
          status: adoption.status,
          since: adoption.since,
          evidence_kind: adoption.evidence_kind,
          evidence: adoption.evidence,
          recorded_by_user_id: actor.userId,
          recorded_at: now,
        });
        await audit(trx, actor, {
          action: 'adoption.confirmed',
          subjectType: 'adoption',
          subjectId: adoption.id,
          organisationId: organisation.id,
          before: adoptionSnapshot(existing),
          after: adoptionSnapshot(adoption),
        });
        return adoption;
      });
    },

    /**
     * Emails the contact of every declaration that is about to become, or has become, unconfirmed, at most once every
     * 30 days. A scheduler runs this daily (`commons remind adoptions`). Returns how many contacts were reminded.
     */
    async remindAdoptionContacts(): Promise<{ reminded: number }> {
      const now = clock();
      const [adoptions, components] = await Promise.all([catalogueRepository.listAllAdoptions(), catalogueRepository.listComponentNames()]);
      const due = adoptions.filter(
        (adoption) =>
          adoption.status !== 'retired' &&
          addMonths(adoption.confirmed_at, REMINDER_AFTER_MONTHS) <= now &&
          (adoption.reminded_at === null ||
            adoption.reminded_at < adoption.confirmed_at ||
            adoption.reminded_at.getTime() + REMINDER_INTERVAL_DAYS * 86_400_000 <= now.getTime()),
      );
      const organisations = new Map(
        (await catalogueRepository.listOrganisationsByIds([...new Set(due.map((adoption) => adoption.organisation_id))])).map((row) => [
          row.id,
          row,
        ]),
      );
      for (const adoption of due) {
        const component = components.find((candidate) => candidate.id === adoption.component_id);
        const organisation = organisations.get(adoption.organisation_id);
        if (!component || !organisation) continue;
        const lapses = addMonths(adoption.confirmed_at, FRESHNESS_MONTHS);
        const lapsed = lapses <= now;
        // Sent first: if recording fails, the contact may hear twice, but never not at all.
        await mailer.send({
          to: adoption.contact_email,
          subject: `Is ${organisation.name} still ${ADOPTION_LABELS[adoption.status].toLowerCase()} ${component.name}?`,
          text: [
            `Hello ${adoption.contact_name},`,
            '',
            `${organisation.name} declared on Local Digital Commons that it is ${ADOPTION_LABELS[adoption.status].toLowerCase()} ${component.name} (since ${adoption.since}).`,
            `It was last confirmed on ${isoDate(adoption.confirmed_at)}. ${
              lapsed
                ? 'It is now shown as unconfirmed and no longer counts towards the number of councils using it.'
                : `Unless someone confirms it, it will stop counting on ${isoDate(lapses)}.`
            }`,
            '',
            `Confirm or update it here (sign in first): ${publicBaseUrl}/components/${component.slug}/adoption`,
            '',
            'You get this email because you agreed to be the contact for this declaration.',
          ].join('\n'),
        });
        await transaction(async (repository, trx) => {
          const updated = await repository.updateAdoption(adoption.id, { reminded_at: now });
          await audit(trx, null, {
            action: 'adoption.reminded',
            subjectType: 'adoption',
            subjectId: adoption.id,
            organisationId: adoption.organisation_id,
            before: { remindedAt: adoption.reminded_at },
            after: { remindedAt: updated.reminded_at, contact: adoption.contact_email },
          });
        });
      }
      return { reminded: due.length };
    },

    listReuseCredits,

    /** One organisation's reuse credits (zero when it has earned none). */
    async getReuseCredits(code: string): Promise<ReuseCredits> {
      const organisation = await catalogueRepository.findOrganisation(code);
      if (!organisation) throw new NotFoundError(`No organisation has the code ${code}`);
      const found = (await listReuseCredits()).find((credit) => credit.organisation.id === organisation.id);
      return (
        found ?? {
          organisation: { id: organisation.id, name: organisation.name, slug: organisation.slug, gssCode: organisation.gss_code },
          counts: { published: 0, using: 0, piloting: 0, referent: 0, confirmed: 0 },
          total: 0,
          published: [],
          adopted: [],
        }
      );
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

    /** Demo content: records an organisation's declaration as the system, last confirmed some months ago; skipped when one exists. */
    async declareAdoptionAsSystem(organisationCode: string, slug: string, input: AdoptionInput, confirmedMonthsAgo = 0): Promise<boolean> {
      const confirmedAt = addMonths(clock(), -confirmedMonthsAgo);
      const organisation = await catalogueRepository.findOrganisation(organisationCode);
      if (!organisation) throw new NotFoundError(`No organisation has the code ${organisationCode}`);
      const component = await requireComponent(slug);
      if (await catalogueRepository.findAdoption(component.id, organisation.id)) return false;
      await writeDeclaration(null, organisation, component, validateAdoptionInput(input, isoDate(clock())), confirmedAt);
      return true;
    },

    /** Whether the actor may change a component (to show or hide the link). */
    canEdit: (actor: Actor | null, component: Component): boolean =>
      actor !== null && cataloguePolicy.canEditComponent(actor, component.publisherOrganisationId),
  };
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;

interface Problem {
  field: string;
  message: string;
}

/** The same day and time a number of calendar months later (or earlier); the 31st falls back to the month's last day. */
export function addMonths(instant: Date, months: number): Date {
  const result = new Date(instant.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/** Addresses that pages under /components already use; a component with such a name gets "-component" added. */
const RESERVED_SLUGS = new Set(['new', 'import', 'compare', 'reuse-credits']);

/** The address of a component from its name, never one of the catalogue's own pages. */
export function componentSlug(name: string): string {
  const slug = deriveComponentSlug(name);
  return RESERVED_SLUGS.has(slug) ? `${slug}-component` : slug;
}

function presentComponent(row: ComponentRow): Component {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    summary: row.summary,
    description: row.description,
    problem: row.problem,
    serviceAreas: row.service_areas,
    licence: row.licence,
    codeRepositoryUrl: row.code_repository_url,
    documentationUrl: row.documentation_url,
    apiDocumentationUrl: row.api_documentation_url,
    landingUrl: row.landing_url,
    developmentStatus: row.development_status,
    hostingOptions: row.hosting_options,
    costModel: row.cost_model,
    supportedStandards: row.supported_standards,
    relatedSlugs: row.related_slugs,
    maintainers: row.maintainers,
    funding: row.funding,
    releaseDate: row.release_date,
    softwareVersion: row.software_version,
    logoUrl: row.logo_url,
    features: row.features,
    platforms: row.platforms,
    usedBy: row.used_by,
    attachments: row.attachments,
    publiccodeVersion: row.publiccode_version,
    source: row.source,
    publisherOrganisationId: row.publisher_organisation_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function auditSnapshot(row: ComponentRow) {
  return {
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    summary: row.summary,
    licence: row.licence,
    developmentStatus: row.development_status,
    codeRepositoryUrl: row.code_repository_url,
    maintainers: row.maintainers.map((maintainer) => maintainer.name),
    publisherOrganisationId: row.publisher_organisation_id,
  };
}

function adoptionSnapshot(row: AdoptionRow) {
  return {
    componentId: row.component_id,
    status: row.status,
    since: row.since,
    evidenceKind: row.evidence_kind,
    evidence: row.evidence,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    contactAgrees: row.contact_agrees,
    confirmedAt: row.confirmed_at.toISOString(),
  };
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
function validateComponentInput(
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

/** Checks an adoption declaration, naming each field that is wrong and why. */
function validateAdoptionInput(input: AdoptionInput, today: string) {
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
