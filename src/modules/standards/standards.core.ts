import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, recordAuditEvent } from '../../platform/audit.js';
import { type Clock, isoDate } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import type { OrganisationsService } from '../organisations/index.js';
import { standardsPolicy } from './standards.policy.js';
import type { AssessmentSummaryRow, StandardRow, StandardsRepository, StandardsTransaction, VersionRow } from './standards.repository.js';
import type { Basis, Outcome, StandardsTables } from './standards.tables.js';
import type { PeerSuggestion } from './standards.types.js';
import { SLUG_PATTERN } from './standards.records.js';
import { type ComponentCatalogue, FORMAT_ONLY_CATALOGUE } from './standards.catalogue.js';

/** Where links in emails point when no public address is configured. */
export const DEFAULT_PUBLIC_BASE_URL = 'http://localhost:3000';

/** What the standards services are built from, wired once in src/app/services.ts. */
export interface StandardsDependencies {
  /** From the identity module, which owns people: who hears about peer reviews and actions with no owner's address. */
  listOrganisationAdminEmails: (organisationId: number) => Promise<string[]>;
  standardsRepository: StandardsRepository;
  transaction: StandardsTransaction;
  organisationsService: OrganisationsService;
  mailer: Mailer;
  clock: Clock;
  /** The catalogue: cited components are checked against it, and only a component's people declare what it meets. */
  catalogue?: ComponentCatalogue;
  publicBaseUrl?: string;
}

/** Lookups and rules the standards use cases share: finding records, who may manage, component checks, peers and decisions. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createStandardsCore({
  standardsRepository,
  organisationsService,
  clock,
  catalogue = FORMAT_ONLY_CATALOGUE,
}: Pick<StandardsDependencies, 'standardsRepository' | 'organisationsService' | 'clock' | 'catalogue'>) {
  const today = () => isoDate(clock());
  const audit = (trx: Kysely<StandardsTables>, actor: Actor | null, event: AuditEvent) => recordAuditEvent(trx, actor, event);

  async function requireStandard(slug: string): Promise<StandardRow> {
    const standard = await standardsRepository.findStandardBySlug(slug);
    if (!standard) throw new NotFoundError(`There is no standard called ${slug}`);
    return standard;
  }

  async function requireVersion(standard: StandardRow, versionNumber: number): Promise<VersionRow> {
    const version = (await standardsRepository.listVersions(standard.id)).find((row) => row.version_number === versionNumber);
    if (!version) throw new NotFoundError(`${standard.title} has no version ${versionNumber}`);
    return version;
  }

  function requireManager(actor: Actor | null, standard: StandardRow): void {
    if (actor !== null && !standardsPolicy.canManageStandard(actor, standard.owner_organisation_id))
      throw new NotAllowedError('Only the owner of this standard can change it');
  }

  async function requireAssessment(id: number): Promise<AssessmentSummaryRow> {
    const assessment = await standardsRepository.findAssessment(id);
    if (!assessment) throw new NotFoundError('There is no such assessment');
    return assessment;
  }

  /** The newest published version, or null. */
  function currentOf(versions: readonly VersionRow[]): VersionRow | null {
    return versions.find((version) => version.status === 'published') ?? null;
  }

  async function checkComponents(slugs: readonly string[], field: string): Promise<void> {
    for (const slug of slugs) {
      if (!SLUG_PATTERN.test(slug))
        throw new InputError(`"${slug}" is not a component reference`, [
          { field, message: `"${slug}" is not a component reference: use the component's short name, like open-referral-uk` },
        ]);
      if (!(await catalogue.componentExists(slug)))
        throw new InputError(`There is no component called ${slug}`, [
          { field, message: `There is no component called ${slug} in the catalogue` },
        ]);
    }
  }

  async function listPeerSuggestions(assessment: AssessmentSummaryRow, limit = 6): Promise<PeerSuggestion[]> {
    const [assessed, councils, members] = await Promise.all([
      organisationsService.getOrganisation(assessment.organisation_code),
      organisationsService.listCurrentPrincipalCouncils('England', today()),
      standardsRepository.countActiveMembersByOrganisation(),
    ]);
    const scored = councils
      .filter((council) => council.id !== assessed.id)
      .map((council) => {
        const sameType = council.councilType !== null && council.councilType === assessed.councilType;
        const sameRegion = council.region !== null && council.region === assessed.region;
        const activeMembers = members.get(council.id) ?? 0;
        const reasons = [sameType ? `also a ${council.councilTypeName ?? 'council'}` : '', sameRegion ? `also in ${council.region}` : '']
          .filter(Boolean)
          .join(', ');
        return {
          council,
          score: (sameType ? 4 : 0) + (sameRegion ? 2 : 0) + (activeMembers > 0 ? 1 : 0),
          activeMembers,
          reason: `${reasons || 'another English council'}${activeMembers > 0 ? '; has people on the platform' : '; nobody there has signed in yet'}`,
        };
      })
      .sort((a, b) => b.score - a.score || a.council.name.localeCompare(b.council.name));
    // The most similar councils first, then a few others whose people are already on the platform and could start at once.
    const similar = scored.slice(0, limit);
    const withPeople = scored.filter((entry) => entry.activeMembers > 0 && !similar.includes(entry)).slice(0, Math.ceil(limit / 2));
    return [...similar, ...withPeople].map(({ council, activeMembers, reason }) => ({
      id: council.id,
      name: council.name,
      code: council.gssCode ?? council.slug,
      councilTypeName: council.councilTypeName,
      region: council.region,
      activeMembers,
      reason,
    }));
  }

  async function decide(
    repository: StandardsRepository,
    assessment: AssessmentSummaryRow,
    outcome: Outcome,
    basis: Basis,
    decidedBy: number | null,
    decidedOn = today(),
  ): Promise<void> {
    await repository.insertDecision({
      assessment_id: assessment.id,
      standard_id: assessment.standard_id,
      organisation_id: assessment.organisation_id,
      outcome,
      basis,
      decided_on: decidedOn,
      decided_by: decidedBy,
    });
  }

  return {
    today,
    audit,
    requireStandard,
    requireVersion,
    requireManager,
    requireAssessment,
    currentOf,
    checkComponents,
    listPeerSuggestions,
    decide,
  };
}

export type StandardsCore = ReturnType<typeof createStandardsCore>;
