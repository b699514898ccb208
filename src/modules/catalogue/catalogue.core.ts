import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, recordAuditEvent } from '../../platform/audit.js';
import { isoDate, type Clock } from '../../platform/clock.js';
import { NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import type { Organisation, OrganisationsService } from '../organisations/index.js';
import { FRESHNESS_MONTHS } from './catalogue.labels.js';
import { cataloguePolicy } from './catalogue.policy.js';
import { addMonths, adoptionSnapshot } from './catalogue.records.js';
import type {
  AdoptionRow,
  AdoptionWithOrganisation,
  CatalogueRepository,
  CatalogueTransaction,
  ComponentRow,
} from './catalogue.repository.js';
import type { CatalogueTables } from './catalogue.tables.js';
import type { AdoptionBreakdownRow, AdoptionSummary, Declaration, Freshness, Stewardship } from './catalogue.types.js';
import type { validateAdoptionInput } from './catalogue.validation.js';
import type { PubliccodeParse } from './publiccode-bounded.js';

/** What the catalogue's services are built from, wired once in src/app/services.ts. */
export interface CatalogueDependencies {
  catalogueRepository: CatalogueRepository;
  transaction: CatalogueTransaction;
  organisationsService: OrganisationsService;
  mailer: Mailer;
  clock: Clock;
  publicBaseUrl: string;
  /** Reads a publiccode.yml; wired to a bounded parser (a worker with a budget), so no upload can stop the server. */
  parsePubliccodeText?: PubliccodeParse;
}

/** Reads and rules the catalogue's use cases share: freshness, adoption against the register, stewardship, writing a declaration. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createCatalogueCore({
  catalogueRepository,
  transaction,
  organisationsService,
  clock,
}: Pick<CatalogueDependencies, 'catalogueRepository' | 'transaction' | 'organisationsService' | 'clock'>) {
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

  /** The one rule for every way a person creates a component (form, API, publiccode.yml import): they must be allowed to publish. */
  function requirePublisher(actor: Actor): void {
    if (!cataloguePolicy.canPublishComponent(actor))
      throw new NotAllowedError('You need to belong to an organisation to publish a component');
  }

  return {
    audit,
    freshnessOf,
    requireComponent,
    currentCouncils,
    summarise,
    toDeclaration,
    stewardshipOf,
    writeDeclaration,
    requirePublisher,
  };
}

export type CatalogueCore = ReturnType<typeof createCatalogueCore>;
