import type { SearchDocumentInput } from '../../platform/search.js';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, recordAuditEvent } from '../../platform/audit.js';
import { type Clock, isoDate } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import type { Organisation, OrganisationsService } from '../organisations/index.js';
import { standardsPolicy } from './standards.policy.js';
import type {
  AssessmentSummaryRow,
  PointInsert,
  PointRow,
  RatingRow,
  StandardRow,
  StandardsRepository,
  StandardsTransaction,
  VersionRow,
} from './standards.repository.js';
import type { Basis, Outcome, Rating, Reviewer, StandardsTables } from './standards.tables.js';

/** The share of councils the sector aims to have meeting each standard by 2030. */
export const ADOPTION_TARGET = 0.7;
/** An assessment counts for this many months after its latest decision. */
export const ASSESSMENT_VALID_MONTHS = 24;
/** Quarters shown on the adoption chart. */
export const CHART_QUARTERS = 8;

export const RATINGS: readonly Rating[] = ['met', 'partly-met', 'not-met', 'not-applicable'];
export const RATING_LABELS: Record<Rating, string> = {
  met: 'Met',
  'partly-met': 'Partly met',
  'not-met': 'Not met',
  'not-applicable': 'Not applicable',
};
export const BASIS_LABELS: Record<Basis, string> = { self: 'Self-assessed', peer: 'Peer-reviewed', audited: 'Audited' };

export interface PointInput {
  title: string;
  meaning: string;
  whyItMatters: string;
  howToMeet: string;
  evidenceGuidance: string;
}

export interface RatingInput {
  pointNumber: number;
  rating: Rating | null;
  commentary: string;
  evidenceLinks: string;
  componentSlugs: string;
}

export interface Point {
  number: number;
  title: string;
  meaning: string;
  whyItMatters: string;
  howToMeet: string;
  evidenceGuidance: string;
}

export interface StandardSummary {
  slug: string;
  title: string;
  purpose: string;
  status: string;
  ownerName: string;
  currentVersion: number | null;
  points: Point[];
}

export interface AdoptionFigures {
  councils: number;
  meeting: number;
  percentage: number;
}

export interface CouncilAdoption {
  gssCode: string | null;
  name: string;
  region: string | null;
  councilType: string | null;
  councilTypeName: string | null;
  status: 'met' | 'not-met' | 'out-of-date' | 'none';
  basis: Basis | null;
  decidedOn: string | null;
}

export interface Adoption extends AdoptionFigures {
  standard: { slug: string; title: string };
  onDate: string;
  target: number;
  selfAssessed: number;
  peerReviewed: number;
  audited: number;
  assessedNotMet: number;
  /** Submitted self-assessments that do not count yet because nobody has signed them off. */
  awaitingSignOff: number;
  byRegion: Record<string, AdoptionFigures>;
  byCouncilType: Record<string, AdoptionFigures>;
  quarters: (AdoptionFigures & { quarter: string; onDate: string })[];
  councilList: CouncilAdoption[];
}

export interface PeerSuggestion {
  id: number;
  name: string;
  code: string;
  councilTypeName: string | null;
  region: string | null;
  activeMembers: number;
  reason: string;
}

const URL_PATTERN = /^https?:\/\/[^\s]+$/;
const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** "met" when every point is met or not applicable, otherwise "not-met". */
export function outcomeOfRatings(ratings: readonly (Rating | null)[]): Outcome {
  return ratings.length > 0 && ratings.every((rating) => rating === 'met' || rating === 'not-applicable') ? 'met' : 'not-met';
}

/** The date a number of months before another (YYYY-MM-DD), clamped to the month's last day. */
export function monthsBefore(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const total = year * 12 + (month - 1) - months;
  const targetYear = Math.floor(total / 12);
  const targetMonth = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

/** The last `count` calendar quarters up to a date: each labelled, measured at its end (or the date, for the current one). */
export function quartersUpTo(onDate: string, count: number): { quarter: string; onDate: string }[] {
  const [year, month] = onDate.split('-').map(Number) as [number, number];
  const quarters: { quarter: string; onDate: string }[] = [];
  let index = year * 4 + Math.floor((month - 1) / 3);
  for (let step = 0; step < count; step += 1, index -= 1) {
    const quarterYear = Math.floor(index / 4);
    const quarterNumber = (index % 4) + 1;
    const endMonth = quarterNumber * 3;
    const end = `${quarterYear}-${String(endMonth).padStart(2, '0')}-${String(new Date(Date.UTC(quarterYear, endMonth, 0)).getUTCDate()).padStart(2, '0')}`;
    quarters.unshift({ quarter: `${quarterYear} Q${quarterNumber}`, onDate: end < onDate ? end : onDate });
  }
  return quarters;
}

function presentPoint(row: PointRow): Point {
  return {
    number: row.point_number,
    title: row.title,
    meaning: row.meaning,
    whyItMatters: row.why_it_matters,
    howToMeet: row.how_to_meet,
    evidenceGuidance: row.evidence_guidance,
  };
}

function pointValues(number: number, input: PointInput): PointInsert {
  return {
    point_number: number,
    title: input.title,
    meaning: input.meaning,
    why_it_matters: input.whyItMatters,
    how_to_meet: input.howToMeet,
    evidence_guidance: input.evidenceGuidance,
  };
}

function figures(councils: number, meeting: number): AdoptionFigures {
  return { councils, meeting, percentage: councils === 0 ? 0 : Math.round((meeting / councils) * 1000) / 10 };
}

function splitLines(text: string): string[] {
  return text
    .split(/[\r\n,]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** What standards needs from the catalogue: whether a component exists, and whether someone may speak for it. */
export interface ComponentCatalogue {
  componentExists(slug: string): Promise<boolean>;
  mayChangeComponent(actor: Actor, slug: string): Promise<boolean>;
}

/** Without the catalogue wired in: any well-formed slug is accepted, and anyone in an organisation may declare. */
const FORMAT_ONLY_CATALOGUE: ComponentCatalogue = {
  componentExists: () => Promise.resolve(true),
  mayChangeComponent: (actor) => Promise.resolve(actor.organisationId !== null),
};

/**
 * The catalogue as standards uses it, from the catalogue service (getComponent throws NotFoundError for an unknown
 * slug). Given as a function so the two services can be wired in either order.
 */
export function catalogueThrough<Component>(
  catalogueService: () => {
    getComponent(slug: string): Promise<{ component: Component }>;
    canEdit(actor: Actor | null, component: Component): boolean;
  },
): ComponentCatalogue {
  const find = async (slug: string): Promise<Component | null> => {
    try {
      return (await catalogueService().getComponent(slug)).component;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };
  return {
    componentExists: async (slug) => (await find(slug)) !== null,
    mayChangeComponent: async (actor, slug) => {
      const component = await find(slug);
      return component !== null && catalogueService().canEdit(actor, component);
    },
  };
}

/** Standards and their versions, consultation comments, assessments (self, peer, audit), actions, and measuring adoption. */
export function createStandardsService({
  standardsRepository,
  transaction,
  organisationsService,
  mailer,
  clock,
  catalogue = FORMAT_ONLY_CATALOGUE,
  publicBaseUrl = 'http://localhost:3000',
  listOrganisationAdminEmails,
}: {
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
}) {
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

  async function validateRatings(points: readonly PointRow[], inputs: readonly RatingInput[], complete: boolean) {
    const problems: { field: string; message: string }[] = [];
    const byNumber = new Map(inputs.map((input) => [input.pointNumber, input]));
    const rows = [];
    for (const point of points) {
      const input = byNumber.get(point.point_number);
      const rating = input?.rating ?? null;
      const commentary = (input?.commentary ?? '').trim();
      const links = splitLines(input?.evidenceLinks ?? '');
      const components = splitLines(input?.componentSlugs ?? '').map((slug) => slug.toLowerCase());
      if (complete && rating === null)
        problems.push({
          field: `rating-${point.point_number}`,
          message: `Choose a rating for point ${point.point_number}, ${point.title}`,
        });
      if (rating === 'not-applicable' && !commentary)
        problems.push({
          field: `commentary-${point.point_number}`,
          message: `Say why point ${point.point_number}, ${point.title}, does not apply`,
        });
      if (commentary.length > 5000)
        problems.push({
          field: `commentary-${point.point_number}`,
          message: `Point ${point.point_number}: keep the commentary under 5,000 characters`,
        });
      const badLink = links.find((link) => !URL_PATTERN.test(link));
      if (badLink)
        problems.push({
          field: `links-${point.point_number}`,
          message: `Point ${point.point_number}: "${badLink}" is not a web address; links start with https://`,
        });
      try {
        await checkComponents(components, `components-${point.point_number}`);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems.push(...error.problems);
      }
      rows.push({ point, rating, commentary, links, components });
    }
    if (problems.length > 0) throw new InputError(problems.map((problem) => problem.message).join('. '), problems);
    return rows;
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

  async function measure(
    standardId: number,
    onDate: string,
  ): Promise<{ councils: Organisation[]; decisions: Map<number, { outcome: Outcome; basis: Basis; decided_on: string }> }> {
    const [councils, decisions] = await Promise.all([
      organisationsService.listCurrentPrincipalCouncils('England', onDate),
      standardsRepository.listLatestDecisions(standardId, onDate, monthsBefore(onDate, ASSESSMENT_VALID_MONTHS)),
    ]);
    return { councils, decisions: new Map(decisions.map((decision) => [decision.organisation_id, decision])) };
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
    /** Standards people can read (not drafts), with the points of each one's current version. */
    async listStandards(): Promise<StandardSummary[]> {
      const [standards, versions] = await Promise.all([standardsRepository.listStandards(false), standardsRepository.listAllVersions()]);
      const current = new Map<number, VersionRow>();
      for (const version of versions)
        if (version.status === 'published' && !current.has(version.standard_id)) current.set(version.standard_id, version);
      const points = await standardsRepository.listPoints([...current.values()].map((version) => version.id));
      return standards.map((standard) => {
        const version = current.get(standard.id);
        return {
          slug: standard.slug,
          title: standard.title,
          purpose: standard.purpose,
          status: standard.status,
          ownerName: standard.owner_name,
          currentVersion: version?.version_number ?? null,
          points: version ? points.filter((point) => point.version_id === version.id).map(presentPoint) : [],
        };
      });
    },

    /** Published standards as search documents, with their points' titles and meaning (always all: standards are few). */
    async listSearchDocuments(): Promise<SearchDocumentInput[]> {
      const standards = await this.listStandards();
      return standards.map((standard) => ({
        type: 'standard',
        key: standard.slug,
        title: standard.title,
        body: [standard.purpose, ...standard.points.map((point) => `${point.number}. ${point.title}: ${point.meaning}`)].join('\n'),
        url: `/standards/${standard.slug}`,
        visibility: 'public' as const,
        topics: [],
        // Standards keep no change time; the index notices a change by its content.
        updatedAt: new Date(0),
      }));
    },

    /** One standard at a version (default: the current published one, or the newest for its owners), with comments and components. */
    async getStandard(slug: string, actor: Actor | null, versionNumber?: number) {
      const standard = await requireStandard(slug);
      const canManage = actor !== null && standardsPolicy.canManageStandard(actor, standard.owner_organisation_id);
      const versions = await standardsRepository.listVersions(standard.id);
      const visible = versions.filter((version) => version.status !== 'draft' || canManage);
      if (visible.length === 0) throw new NotFoundError(`There is no standard called ${slug}`);
      const current = currentOf(versions);
      const shown =
        versionNumber === undefined
          ? canManage
            ? visible[0]
            : (versions.find((version) => version.status === 'consultation') ?? current ?? visible[0])
          : visible.find((version) => version.version_number === versionNumber);
      if (!shown) throw new NotFoundError(`${standard.title} has no version ${versionNumber ?? ''}`);
      const [points, comments, components] = await Promise.all([
        standardsRepository.listPoints([shown.id]),
        standardsRepository.listCommentsForVersion(shown.id),
        standardsRepository.listComponentPoints(standard.id),
      ]);
      return {
        standard,
        versions: visible,
        version: shown,
        currentVersion: current,
        points: points.map((point) => ({
          ...presentPoint(point),
          comments: comments.filter((comment) => comment.point_id === point.id),
          components: components.filter((component) => component.point_number === point.point_number),
        })),
        canManage,
        canComment: shown.status === 'consultation' && actor !== null && standardsPolicy.canComment(actor),
      };
    },

    /** Creates a standard with a first draft version (the actor's organisation, or the given one for the system, owns it). */
    async createStandard(
      actor: Actor | null,
      input: { slug: string; title: string; purpose: string; ownerOrganisationId: number; points: readonly PointInput[] },
    ): Promise<StandardRow> {
      if (actor !== null && !standardsPolicy.canManageStandard(actor, input.ownerOrganisationId))
        throw new NotAllowedError('Only an admin of the owning organisation can create its standards');
      if (!SLUG_PATTERN.test(input.slug))
        throw new InputError('Give the standard a short name of lower-case letters, digits and hyphens', [
          { field: 'slug', message: 'Use lower-case letters, digits and hyphens' },
        ]);
      if (await standardsRepository.findStandardBySlug(input.slug))
        throw new ConflictError(`There is already a standard called ${input.slug}`);
      return transaction(async (repository, trx) => {
        const standard = await repository.insertStandard({
          slug: input.slug,
          title: input.title.trim(),
          purpose: input.purpose.trim(),
          owner_organisation_id: input.ownerOrganisationId,
        });
        const version = await repository.insertVersion({ standard_id: standard.id, version_number: 1, changes_summary: 'First version.' });
        await repository.insertPoints(
          version.id,
          input.points.map((point, index) => pointValues(index + 1, point)),
        );
        await audit(trx, actor, {
          action: 'standard.create',
          subjectType: 'standard',
          subjectId: standard.id,
          organisationId: standard.owner_organisation_id,
          before: null,
          after: { slug: standard.slug, title: standard.title, points: input.points.length },
        });
        return standard;
      });
    },

    /** Starts a new draft version, copying the newest version's points; refuses while a draft or consultation is open. */
    async createDraftVersion(actor: Actor | null, slug: string): Promise<VersionRow> {
      const standard = await requireStandard(slug);
      requireManager(actor, standard);
      const versions = await standardsRepository.listVersions(standard.id);
      const latest = versions[0];
      if (!latest) throw new NotFoundError(`${standard.title} has no versions`);
      if (latest.status !== 'published')
        throw new ConflictError(`Version ${latest.version_number} is still being written; finish it first`);
      return transaction(async (repository, trx) => {
        const version = await repository.insertVersion({ standard_id: standard.id, version_number: latest.version_number + 1 });
        const points = await repository.listPoints([latest.id]);
        await repository.insertPoints(
          version.id,
          points.map((point) => pointValues(point.point_number, presentPoint(point))),
        );
        await audit(trx, actor, {
          action: 'standard-version.create',
          subjectType: 'standard-version',
          subjectId: version.id,
          organisationId: standard.owner_organisation_id,
          before: null,
          after: { slug, versionNumber: version.version_number },
        });
        return version;
      });
    },

    /** Rewords a point of a draft or consultation version. A published version is immutable: start a new version instead. */
    async updatePoint(actor: Actor | null, slug: string, versionNumber: number, pointNumber: number, input: PointInput): Promise<void> {
      const standard = await requireStandard(slug);
      requireManager(actor, standard);
      const version = await requireVersion(standard, versionNumber);
      if (version.status === 'published')
        throw new ConflictError(`Version ${versionNumber} of ${standard.title} is published and cannot be changed; start a new version`);
      const problems = (['title', 'meaning', 'whyItMatters', 'howToMeet', 'evidenceGuidance'] as const)
        .filter((field) => !input[field].trim())
        .map((field) => ({
          field,
          message: `Enter the point's ${field === 'whyItMatters' ? 'reason it matters' : field === 'howToMeet' ? 'guidance on how to meet it' : field === 'evidenceGuidance' ? 'evidence that shows it' : field}`,
        }));
      if (problems.length > 0) throw new InputError(problems.map((problem) => problem.message).join('. '), problems);
      const point = await standardsRepository.findPoint(version.id, pointNumber);
      if (!point) throw new NotFoundError(`Version ${versionNumber} has no point ${pointNumber}`);
      await transaction(async (repository, trx) => {
        const after = await repository.updatePoint(point.id, {
          title: input.title.trim(),
          meaning: input.meaning.trim(),
          why_it_matters: input.whyItMatters.trim(),
          how_to_meet: input.howToMeet.trim(),
          evidence_guidance: input.evidenceGuidance.trim(),
        });
        await audit(trx, actor, {
          action: 'standard-point.update',
          subjectType: 'standard-point',
          subjectId: point.id,
          organisationId: standard.owner_organisation_id,
          before: presentPoint(point),
          after: presentPoint(after),
        });
      });
    },

    /** Retires a standard: it stays readable with its history, but no new assessments start against it. */
    async retireStandard(actor: Actor | null, slug: string): Promise<void> {
      const standard = await requireStandard(slug);
      requireManager(actor, standard);
      if (standard.status === 'retired') throw new ConflictError(`${standard.title} is already retired`);
      await transaction(async (repository, trx) => {
        await repository.updateStandardStatus(standard.id, 'retired');
        await audit(trx, actor, {
          action: 'standard.retire',
          subjectType: 'standard',
          subjectId: standard.id,
          organisationId: standard.owner_organisation_id,
          before: { status: standard.status },
          after: { status: 'retired' },
        });
      });
    },

    /** Moves a draft version to consultation (comments open) or publishes it (immutable from then on). */
    async changeVersionStatus(
      actor: Actor | null,
      slug: string,
      versionNumber: number,
      status: 'consultation' | 'published',
      changesSummary = '',
    ): Promise<void> {
      const standard = await requireStandard(slug);
      requireManager(actor, standard);
      const version = await requireVersion(standard, versionNumber);
      if (version.status === 'published') throw new ConflictError(`Version ${versionNumber} is already published and cannot be changed`);
      if (status === 'consultation' && version.status !== 'draft')
        throw new ConflictError(`Version ${versionNumber} is already in consultation`);
      const summary = changesSummary.trim() || version.changes_summary;
      if (status === 'published' && versionNumber > 1 && (!summary || summary === ''))
        throw new InputError('Say what changed since the last version', [
          { field: 'changesSummary', message: 'Say what changed since the last version' },
        ]);
      await transaction(async (repository, trx) => {
        await repository.updateVersion(version.id, {
          status,
          published_on: status === 'published' ? today() : null,
          changes_summary: summary,
        });
        const standardStatus = status === 'published' ? 'published' : standard.status === 'published' ? 'published' : 'consultation';
        if (standardStatus !== standard.status) await repository.updateStandardStatus(standard.id, standardStatus);
        await audit(trx, actor, {
          action: status === 'published' ? 'standard-version.publish' : 'standard-version.consult',
          subjectType: 'standard-version',
          subjectId: version.id,
          organisationId: standard.owner_organisation_id,
          before: { status: version.status },
          after: { status, changesSummary: summary },
        });
      });
    },

    /** Comments on a point of a version in consultation. */
    async addComment(actor: Actor, slug: string, versionNumber: number, pointNumber: number, body: string): Promise<void> {
      if (!standardsPolicy.canComment(actor)) throw new NotAllowedError('Join an organisation to comment on standards');
      const standard = await requireStandard(slug);
      const version = await requireVersion(standard, versionNumber);
      if (version.status !== 'consultation') throw new ConflictError(`Version ${versionNumber} is not open for comments`);
      const text = body.trim();
      if (!text || text.length > 5000)
        throw new InputError('Enter your comment', [
          { field: `comment-${pointNumber}`, message: 'Enter your comment, up to 5,000 characters' },
        ]);
      const point = await standardsRepository.findPoint(version.id, pointNumber);
      if (!point) throw new NotFoundError(`Version ${versionNumber} has no point ${pointNumber}`);
      await transaction(async (repository, trx) => {
        const comment = await repository.insertComment({
          point_id: point.id,
          author_user_id: actor.userId,
          author_organisation_id: actor.organisationId,
          body: text,
        });
        await audit(trx, actor, {
          action: 'standard-comment.create',
          subjectType: 'standard-comment',
          subjectId: comment.id,
          organisationId: actor.organisationId,
          before: null,
          after: { slug, versionNumber, pointNumber, body: text },
        });
      });
    },

    /** The standard's owner answers a comment; the comment and answer stay with the version they were about. */
    async answerComment(actor: Actor, commentId: number, answer: string): Promise<{ slug: string; versionNumber: number }> {
      const comment = await standardsRepository.findComment(commentId);
      if (!comment) throw new NotFoundError('There is no such comment');
      const standard = await standardsRepository.findStandardById(comment.standard_id);
      if (!standard) throw new NotFoundError('There is no such standard');
      requireManager(actor, standard);
      const text = answer.trim();
      if (!text || text.length > 5000)
        throw new InputError('Enter your answer', [{ field: `answer-${commentId}`, message: 'Enter your answer, up to 5,000 characters' }]);
      await transaction(async (repository, trx) => {
        await repository.answerComment(commentId, { answer: text, answered_by: actor.userId, answered_at: clock() });
        await audit(trx, actor, {
          action: 'standard-comment.answer',
          subjectType: 'standard-comment',
          subjectId: commentId,
          organisationId: standard.owner_organisation_id,
          before: { answer: comment.answer },
          after: { answer: text },
        });
      });
      return { slug: standard.slug, versionNumber: comment.version_number };
    },

    /** Declares that a catalogue component helps meet a point of a standard. */
    async declareComponentPoint(
      actor: Actor | null,
      input: { componentSlug: string; standardSlug: string; pointNumber: number; note: string },
    ): Promise<void> {
      const standard = await requireStandard(input.standardSlug);
      const componentSlug = input.componentSlug.trim().toLowerCase();
      await checkComponents([componentSlug], 'component');
      if (actor !== null && !(await catalogue.mayChangeComponent(actor, componentSlug)))
        throw new NotAllowedError('Only the people who publish a component can say which points it helps meet');
      const current = currentOf(await standardsRepository.listVersions(standard.id));
      if (!current || !(await standardsRepository.findPoint(current.id, input.pointNumber)))
        throw new InputError(`${standard.title} has no point ${input.pointNumber}`, [
          { field: 'point', message: `Choose a point of ${standard.title}` },
        ]);
      await transaction(async (repository, trx) => {
        const row = await repository.upsertComponentPoint({
          component_slug: componentSlug,
          standard_id: standard.id,
          point_number: input.pointNumber,
          note: input.note.trim(),
          declared_by: actor?.userId ?? null,
        });
        await audit(trx, actor, {
          action: 'standard-component.declare',
          subjectType: 'standard-component-point',
          subjectId: row.id,
          organisationId: actor?.organisationId ?? null,
          before: null,
          after: { componentSlug, standard: standard.slug, pointNumber: input.pointNumber },
        });
      });
    },

    /** The components declared against a standard's points (for the catalogue to show). */
    async listComponentPoints(slug: string) {
      const standard = await requireStandard(slug);
      return (await standardsRepository.listComponentPoints(standard.id)).map((row) => ({
        componentSlug: row.component_slug,
        pointNumber: row.point_number,
        note: row.note,
      }));
    },

    /** Starts a self-assessment of one service (or the whole organisation) against a standard's current version. */
    async startAssessment(actor: Actor, slug: string, input: { serviceName: string }): Promise<number> {
      if (actor.organisationId === null || !standardsPolicy.canSelfAssess(actor, actor.organisationId))
        throw new NotAllowedError('Only people who work for a council can assess its services');
      const organisationId = actor.organisationId;
      const standard = await requireStandard(slug);
      const current = currentOf(await standardsRepository.listVersions(standard.id));
      if (!current || standard.status === 'retired')
        throw new ConflictError(`${standard.title} has no published version to assess against`);
      const serviceName = input.serviceName.trim();
      if (serviceName.length > 200)
        throw new InputError('Keep the service name under 200 characters', [
          { field: 'serviceName', message: 'Keep the service name under 200 characters' },
        ]);
      return transaction(async (repository, trx) => {
        const assessment = await repository.insertAssessment({
          standard_id: standard.id,
          version_id: current.id,
          organisation_id: organisationId,
          service_name: serviceName || null,
          started_by: actor.userId,
        });
        await audit(trx, actor, {
          action: 'assessment.start',
          subjectType: 'assessment',
          subjectId: assessment.id,
          organisationId,
          before: null,
          after: { standard: slug, versionNumber: current.version_number, serviceName: assessment.service_name },
        });
        return assessment.id;
      });
    },

    /** One assessment in full: points with every reviewer's ratings side by side, actions, and what the actor may do next. */
    async getAssessment(actor: Actor, id: number) {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canViewAssessment(actor, assessment))
        throw new NotAllowedError('Only the councils taking part, assessors and platform admins can read this assessment');
      const [points, ratings, actions] = await Promise.all([
        standardsRepository.listPoints([assessment.version_id]),
        standardsRepository.listRatings(id),
        standardsRepository.listActions(id),
      ]);
      const ratingOf = (point: PointRow, reviewer: Reviewer): RatingRow | undefined =>
        ratings.find((rating) => rating.point_id === point.id && rating.reviewer === reviewer);
      const rows = points.map((point) => {
        const self = ratingOf(point, 'self');
        const peer = ratingOf(point, 'peer');
        const auditRating = ratingOf(point, 'audit');
        return {
          point: presentPoint(point),
          self: self ?? null,
          peer: peer ?? null,
          audit: auditRating ?? null,
          disagreement: Boolean(self?.rating && peer?.rating && self.rating !== peer.rating),
        };
      });
      const canSelfAssess = standardsPolicy.canSelfAssess(actor, assessment.organisation_id);
      const canNameOwner = standardsPolicy.canNameOwner(actor, assessment.organisation_id);
      return {
        assessment,
        rows,
        actions: actions.map((action) => ({ ...action, overdue: action.done_on === null && action.due_on < today() })),
        disagreements: rows.filter((row) => row.disagreement).length,
        can: {
          selfAssess: canSelfAssess && assessment.stage === 'self-assessment',
          requestPeerReview: canSelfAssess && assessment.stage === 'self-assessed',
          peerReview: standardsPolicy.canPeerReview(actor, assessment.peer_organisation_id) && assessment.stage === 'peer-review',
          audit: standardsPolicy.canAudit(actor) && (assessment.stage === 'peer-reviewed' || assessment.stage === 'self-assessed'),
          addActions: canSelfAssess,
          signOff:
            standardsPolicy.canSignOff(actor, assessment) && assessment.stage === 'self-assessed' && assessment.signed_off_at === null,
          nameOwner: canNameOwner && assessment.signed_off_at === null,
        },
        awaitingSignOff: assessment.stage === 'self-assessed' && assessment.signed_off_at === null,
        people:
          canNameOwner && assessment.signed_off_at === null
            ? await standardsRepository.listActivePeopleOfOrganisation(assessment.organisation_id)
            : [],
        peerSuggestions: canSelfAssess && assessment.stage === 'self-assessed' ? await listPeerSuggestions(assessment) : [],
      };
    },

    /**
     * Saves one reviewer's ratings, evidence and commentary. With `complete`, every point must be rated; the
     * assessment moves on and its outcome (met only when every point is met or not applicable) is recorded.
     */
    async saveRatings(actor: Actor, id: number, reviewer: Reviewer, inputs: readonly RatingInput[], complete: boolean): Promise<void> {
      const assessment = await requireAssessment(id);
      const allowed =
        reviewer === 'self'
          ? standardsPolicy.canSelfAssess(actor, assessment.organisation_id)
          : reviewer === 'peer'
            ? standardsPolicy.canPeerReview(actor, assessment.peer_organisation_id)
            : standardsPolicy.canAudit(actor);
      if (!allowed)
        throw new NotAllowedError(
          reviewer === 'self'
            ? 'Only people at the assessed council can self-assess'
            : reviewer === 'peer'
              ? 'Only people at the council asked to review can do this peer review'
              : 'Only the institute’s assessors can audit',
        );
      const expectedStages =
        reviewer === 'self' ? ['self-assessment'] : reviewer === 'peer' ? ['peer-review'] : ['peer-reviewed', 'self-assessed'];
      if (!expectedStages.includes(assessment.stage))
        throw new ConflictError(`This assessment is at the ${assessment.stage} stage; it cannot take ${reviewer} ratings now`);
      const points = await standardsRepository.listPoints([assessment.version_id]);
      const rows = await validateRatings(points, inputs, complete);
      await transaction(async (repository, trx) => {
        for (const row of rows) {
          await repository.upsertRating({
            assessment_id: id,
            point_id: row.point.id,
            reviewer,
            rating: row.rating,
            commentary: row.commentary,
            evidence_links: row.links,
            component_slugs: row.components,
            rated_by: actor.userId,
          });
        }
        let after: Record<string, unknown> = { reviewer, rated: rows.filter((row) => row.rating !== null).length };
        if (complete) {
          const outcome = outcomeOfRatings(rows.map((row) => row.rating));
          const basis: Basis = reviewer === 'self' ? 'self' : reviewer === 'peer' ? 'peer' : 'audited';
          const stage = reviewer === 'self' ? 'self-assessed' : reviewer === 'peer' ? 'peer-reviewed' : 'audited';
          await repository.updateAssessment(id, { stage, outcome, basis, outcome_on: today() });
          // A self-assessment's decision is written when the organisation signs it off (signOff), not when it is submitted.
          if (reviewer !== 'self') await decide(repository, assessment, outcome, basis, actor.userId);
          after = { ...after, stage, outcome, basis };
        }
        await audit(trx, actor, {
          action: complete ? `assessment.complete-${reviewer}` : `assessment.save-${reviewer}`,
          subjectType: 'assessment',
          subjectId: id,
          organisationId: assessment.organisation_id,
          before: { stage: assessment.stage, outcome: assessment.outcome, basis: assessment.basis },
          after,
        });
      });
    },

    /**
     * Signs off a submitted self-assessment for the organisation (an admin, or the assessment's named owner): from now
     * its outcome counts on the adoption dashboard. One decision and one audit event.
     */
    async signOff(actor: Actor, id: number): Promise<{ outcome: Outcome; standardSlug: string }> {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canSignOff(actor, assessment))
        throw new NotAllowedError('Only an admin of the assessed organisation, or the assessment’s named owner, can sign it off');
      if (assessment.stage !== 'self-assessed' || assessment.outcome === null)
        throw new ConflictError('Only a submitted self-assessment can be signed off; this one is at another stage');
      if (assessment.signed_off_at !== null) throw new ConflictError('This assessment is already signed off');
      const outcome = assessment.outcome;
      await transaction(async (repository, trx) => {
        await repository.updateAssessment(id, { signed_off_by: actor.userId, signed_off_at: clock() });
        await decide(repository, assessment, outcome, 'self', actor.userId);
        await audit(trx, actor, {
          action: 'assessment.sign-off',
          subjectType: 'assessment',
          subjectId: id,
          organisationId: assessment.organisation_id,
          before: { signedOff: false },
          after: { signedOff: true, outcome, basis: 'self' },
        });
      });
      return { outcome, standardSlug: assessment.standard_slug };
    },

    /** Names the person who owns an assessment for the organisation (an admin's choice among its active people). */
    async nameOwner(actor: Actor, id: number, ownerUserId: number | null): Promise<void> {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canNameOwner(actor, assessment.organisation_id))
        throw new NotAllowedError('Only an admin of the assessed organisation can name its owner');
      const people = await standardsRepository.listActivePeopleOfOrganisation(assessment.organisation_id);
      if (ownerUserId === null || !people.some((person) => person.id === ownerUserId))
        throw new InputError('Choose a person at your organisation', [{ field: 'owner', message: 'Choose a person at your organisation' }]);
      await transaction(async (repository, trx) => {
        await repository.updateAssessment(id, { owner_user_id: ownerUserId });
        await audit(trx, actor, {
          action: 'assessment.name-owner',
          subjectType: 'assessment',
          subjectId: id,
          organisationId: assessment.organisation_id,
          before: { ownerUserId: assessment.owner_user_id },
          after: { ownerUserId },
        });
      });
    },

    /** Councils suggested to peer-review an assessment: never the assessed council; similar type and region first. */
    async suggestPeerReviewers(actor: Actor, id: number): Promise<PeerSuggestion[]> {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canViewAssessment(actor, assessment)) throw new NotAllowedError('You cannot read this assessment');
      return listPeerSuggestions(assessment);
    },

    /** Asks another council to peer-review a completed self-assessment. Refuses the assessed council itself. */
    async requestPeerReview(actor: Actor, id: number, peerOrganisationId: number | null): Promise<void> {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canSelfAssess(actor, assessment.organisation_id))
        throw new NotAllowedError('Only people at the assessed council can ask for a peer review');
      if (assessment.stage !== 'self-assessed') throw new ConflictError('Finish the self-assessment before asking for a peer review');
      const chosen = peerOrganisationId ?? (await listPeerSuggestions(assessment, 1))[0]?.id ?? null;
      if (chosen === null)
        throw new InputError('Choose a council to review', [{ field: 'peerOrganisation', message: 'Choose a council to review' }]);
      if (chosen === assessment.organisation_id)
        throw new InputError('A council cannot peer-review itself', [
          { field: 'peerOrganisation', message: 'Choose another council: a council cannot peer-review itself' },
        ]);
      const councils = await organisationsService.listCurrentPrincipalCouncils('England', today());
      const peer = councils.find((council) => council.id === chosen);
      if (!peer)
        throw new InputError('Choose a current English council', [
          { field: 'peerOrganisation', message: 'Choose a current English council' },
        ]);
      await transaction(async (repository, trx) => {
        await repository.updateAssessment(id, { stage: 'peer-review', peer_organisation_id: peer.id, peer_requested_on: today() });
        await audit(trx, actor, {
          action: 'assessment.request-peer-review',
          subjectType: 'assessment',
          subjectId: id,
          organisationId: assessment.organisation_id,
          before: { stage: assessment.stage, peerOrganisationId: assessment.peer_organisation_id },
          after: { stage: 'peer-review', peerOrganisationId: peer.id },
        });
      });
      for (const email of await listOrganisationAdminEmails(peer.id)) {
        await mailer.send({
          to: email,
          subject: `${assessment.organisation_name} asks ${peer.name} for a peer review`,
          text: `${assessment.organisation_name} has assessed ${assessment.service_name ?? 'itself'} against ${assessment.standard_title} and asks ${peer.name} to review it.\n\nSee ${publicBaseUrl}/standards/assessments/${id}/peer-review`,
        });
      }
    },

    /** Adds an action (what, who, by when) to an assessment. */
    async addAction(
      actor: Actor,
      id: number,
      input: { description: string; ownerName: string; ownerEmail: string; dueOn: string | null; pointNumber: number | null },
    ): Promise<void> {
      const assessment = await requireAssessment(id);
      if (!standardsPolicy.canSelfAssess(actor, assessment.organisation_id))
        throw new NotAllowedError('Only people at the assessed council can add its actions');
      const problems: { field: string; message: string }[] = [];
      const description = input.description.trim();
      const ownerName = input.ownerName.trim();
      const ownerEmail = input.ownerEmail.trim().toLowerCase();
      if (!description || description.length > 2000)
        problems.push({ field: 'actionDescription', message: 'Enter what needs to be done, up to 2,000 characters' });
      if (!ownerName || ownerName.length > 200) problems.push({ field: 'actionOwner', message: 'Enter who owns the action' });
      if (ownerEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(ownerEmail))
        problems.push({
          field: 'actionOwnerEmail',
          message: 'Enter the owner’s email address in the correct format, like name@council.gov.uk',
        });
      if (!input.dueOn) problems.push({ field: 'actionDue-day', message: 'Enter a real due date, for example 31 3 2027' });
      let pointId: number | null = null;
      if (input.pointNumber !== null) {
        const point = await standardsRepository.findPoint(assessment.version_id, input.pointNumber);
        if (!point) problems.push({ field: 'actionPoint', message: 'Choose one of the standard’s points' });
        pointId = point?.id ?? null;
      }
      if (problems.length > 0 || !input.dueOn) throw new InputError(problems.map((problem) => problem.message).join('. '), problems);
      const dueOn = input.dueOn;
      await transaction(async (repository, trx) => {
        const action = await repository.insertAction({
          assessment_id: id,
          organisation_id: assessment.organisation_id,
          point_id: pointId,
          description,
          owner_name: ownerName,
          owner_email: ownerEmail || null,
          due_on: dueOn,
        });
        await audit(trx, actor, {
          action: 'assessment-action.create',
          subjectType: 'assessment-action',
          subjectId: action.id,
          organisationId: assessment.organisation_id,
          before: null,
          after: { description, ownerName, dueOn: dueOn, pointNumber: input.pointNumber },
        });
      });
    },

    /** Marks an action done. */
    async completeAction(actor: Actor, actionId: number): Promise<number> {
      const action = await standardsRepository.findAction(actionId);
      if (!action) throw new NotFoundError('There is no such action');
      if (!standardsPolicy.canSelfAssess(actor, action.organisation_id))
        throw new NotAllowedError('Only people at the council can close its actions');
      if (action.done_on !== null) throw new ConflictError('This action is already done');
      await transaction(async (repository, trx) => {
        await repository.updateAction(actionId, { done_on: today() });
        await audit(trx, actor, {
          action: 'assessment-action.complete',
          subjectType: 'assessment-action',
          subjectId: actionId,
          organisationId: action.organisation_id,
          before: { doneOn: null },
          after: { doneOn: today() },
        });
      });
      return action.assessment_id;
    },

    /** The actor's organisation's assessments, peer reviews asked of it, overdue actions, and (for assessors) audits waiting. */
    async getOrganisationOverview(actor: Actor) {
      const organisationId = actor.organisationId;
      const [assessments, overdue, awaitingAudit] = await Promise.all([
        organisationId === null ? Promise.resolve([]) : standardsRepository.listAssessmentsForOrganisation(organisationId),
        organisationId === null ? Promise.resolve([]) : standardsRepository.listOverdueActions(today(), organisationId),
        standardsPolicy.canAudit(actor) ? standardsRepository.listAssessmentsAwaitingAudit() : Promise.resolve([]),
      ]);
      return {
        own: assessments.filter((assessment) => assessment.organisation_id === organisationId),
        peerReviews: assessments.filter((assessment) => assessment.peer_organisation_id === organisationId),
        overdue,
        awaitingAudit,
      };
    },

    /**
     * What an organisation's page shows of its standards: those it meets (its latest decided assessment of each says
     * "met") and the assessments under way. Public: the adoption pages publish the same outcomes.
     */
    async summariseOrganisationStandards(organisationId: number) {
      const own = (await standardsRepository.listAssessmentsForOrganisation(organisationId)).filter(
        (assessment) => assessment.organisation_id === organisationId,
      );
      const latestDecided = new Map<string, (typeof own)[number]>();
      // Newest first, so the first decided assessment of a standard is its latest.
      for (const assessment of own)
        if (assessment.outcome !== null && !latestDecided.has(assessment.standard_slug))
          latestDecided.set(assessment.standard_slug, assessment);
      const met = [...latestDecided.values()]
        .filter((assessment) => assessment.outcome === 'met')
        .map((assessment) => ({
          slug: assessment.standard_slug,
          title: assessment.standard_title,
          url: `/standards/${assessment.standard_slug}`,
        }));
      const underWay = own
        .filter((assessment) => assessment.outcome === null)
        .map((assessment) => ({ title: assessment.standard_title, serviceName: assessment.service_name, stage: assessment.stage }));
      return { met, underWay };
    },

    /**
     * Emails the owner of every overdue open action (or, with no owner's address, the council's admins), at most
     * once a week per action. Returns how many actions were reminded about.
     */
    async remindOverdueActions(): Promise<number> {
      const onDate = today();
      const weekAgo = isoDate(new Date(clock().getTime() - 7 * 86_400_000));
      const overdue = (await standardsRepository.listOverdueActions(onDate, null)).filter(
        (action) => action.last_reminded_on === null || action.last_reminded_on <= weekAgo,
      );
      let reminded = 0;
      for (const action of overdue) {
        const recipients = action.owner_email ? [action.owner_email] : await listOrganisationAdminEmails(action.organisation_id);
        if (recipients.length === 0) continue;
        for (const to of recipients) {
          await mailer.send({
            to,
            subject: `Overdue action for ${action.standard_title}: due ${action.due_on}`,
            text: [
              `An action from ${action.organisation_name}'s assessment of ${action.service_name ?? 'the organisation'} against ${action.standard_title} was due on ${action.due_on} and is not done yet.`,
              '',
              `Action: ${action.description}`,
              `Owner: ${action.owner_name}`,
              '',
              `Mark it done, or change the plan, at ${publicBaseUrl}/standards/assessments/${action.assessment_id}`,
            ].join('\n'),
          });
        }
        await transaction(async (repository, trx) => {
          await repository.updateAction(action.id, { last_reminded_on: onDate });
          await audit(trx, null, {
            action: 'assessment-action.remind',
            subjectType: 'assessment-action',
            subjectId: action.id,
            organisationId: action.organisation_id,
            before: { lastRemindedOn: action.last_reminded_on },
            after: { lastRemindedOn: onDate, recipients: recipients.length },
          });
        });
        reminded += 1;
      }
      return reminded;
    },

    /** Work waiting across the sector (the institute's queue): peer reviews asked and not yet given, and audits due. */
    async listWaitingWork() {
      const [peer, audit] = await Promise.all([
        standardsRepository.listAssessmentsAwaitingPeerReview(),
        standardsRepository.listAssessmentsAwaitingAudit(),
      ]);
      const item = (row: (typeof peer)[number], kind: 'peer-review' | 'audit') => ({
        kind,
        id: row.id,
        standardTitle: row.standard_title,
        organisationName: row.organisation_name,
        peerOrganisationName: row.peer_organisation_name,
        serviceName: row.service_name,
        since: kind === 'peer-review' ? row.peer_requested_on : (row.outcome_on ?? isoDate(row.created_at)),
      });
      return [...peer.map((row) => item(row, 'peer-review')), ...audit.map((row) => item(row, 'audit'))];
    },

    /**
     * Adoption of a standard on a date: the current English principal councils whose most recent assessment of the
     * standard (decided within 24 months) is met, split by basis, region and council type, and a line per quarter.
     */
    async measureAdoption(slug: string, onDate = today()): Promise<Adoption> {
      const standard = await requireStandard(slug);
      const { councils, decisions } = await measure(standard.id, onDate);
      const byBasis: Record<Basis, number> = { self: 0, peer: 0, audited: 0 };
      const regionTotals = new Map<string, { councils: number; meeting: number }>();
      const typeTotals = new Map<string, { councils: number; meeting: number }>();
      const [outOfDate, awaitingSignOff] = await Promise.all([
        standardsRepository.listLatestDecisions(standard.id, onDate, '0001-01-01'),
        standardsRepository.countAssessmentsAwaitingSignOff(standard.id),
      ]);
      const everAssessed = new Set(outOfDate.map((decision) => decision.organisation_id));
      let assessedNotMet = 0;
      const councilList: CouncilAdoption[] = councils.map((council) => {
        const decision = decisions.get(council.id);
        const meets = decision?.outcome === 'met';
        if (decision && meets) byBasis[decision.basis] += 1;
        if (decision && !meets) assessedNotMet += 1;
        const region = council.region ?? 'Not recorded';
        const type = council.councilTypeName ?? 'Not recorded';
        for (const [map, key] of [
          [regionTotals, region],
          [typeTotals, type],
        ] as const) {
          const totals = map.get(key) ?? { councils: 0, meeting: 0 };
          totals.councils += 1;
          if (meets) totals.meeting += 1;
          map.set(key, totals);
        }
        return {
          gssCode: council.gssCode,
          name: council.name,
          region: council.region,
          councilType: council.councilType,
          councilTypeName: council.councilTypeName,
          status: decision ? (meets ? 'met' : 'not-met') : everAssessed.has(council.id) ? 'out-of-date' : 'none',
          basis: decision?.basis ?? null,
          decidedOn: decision?.decided_on ?? null,
        };
      });
      const meeting = byBasis.self + byBasis.peer + byBasis.audited;
      const toRecord = (map: Map<string, { councils: number; meeting: number }>) =>
        Object.fromEntries(
          [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => [key, figures(value.councils, value.meeting)]),
        );
      const quarters = [];
      for (const quarter of quartersUpTo(onDate, CHART_QUARTERS)) {
        if (quarter.onDate === onDate) {
          quarters.push({ ...quarter, ...figures(councils.length, meeting) });
          continue;
        }
        const past = await measure(standard.id, quarter.onDate);
        const met = past.councils.filter((council) => past.decisions.get(council.id)?.outcome === 'met').length;
        quarters.push({ ...quarter, ...figures(past.councils.length, met) });
      }
      return {
        standard: { slug: standard.slug, title: standard.title },
        onDate,
        target: ADOPTION_TARGET,
        ...figures(councils.length, meeting),
        selfAssessed: byBasis.self,
        peerReviewed: byBasis.peer,
        audited: byBasis.audited,
        assessedNotMet,
        awaitingSignOff,
        byRegion: toRecord(regionTotals),
        byCouncilType: toRecord(typeTotals),
        quarters,
        councilList,
      };
    },

    /**
     * Records a finished assessment directly, with its decisions on the given dates (demo content and tests only:
     * real assessments go through the self-assessment, peer review and audit steps). One audit event.
     */
    async recordAssessmentOutcome(input: {
      standardSlug: string;
      organisationId: number;
      serviceName: string | null;
      ratings: readonly Rating[];
      decisions: readonly { basis: Basis; decidedOn: string }[];
      peerOrganisationId?: number | null;
    }): Promise<number> {
      const standard = await requireStandard(input.standardSlug);
      const current = currentOf(await standardsRepository.listVersions(standard.id));
      if (!current) throw new ConflictError(`${standard.title} has no published version`);
      const points = await standardsRepository.listPoints([current.id]);
      const outcome = outcomeOfRatings(points.map((_, index) => input.ratings[index % input.ratings.length] ?? null));
      const last = input.decisions[input.decisions.length - 1];
      if (!last) throw new InputError('An assessment needs at least one decision');
      const stage = last.basis === 'self' ? 'self-assessed' : last.basis === 'peer' ? 'peer-reviewed' : 'audited';
      return transaction(async (repository, trx) => {
        const assessment = await repository.insertAssessment({
          standard_id: standard.id,
          version_id: current.id,
          organisation_id: input.organisationId,
          service_name: input.serviceName,
          stage,
          outcome,
          basis: last.basis,
          outcome_on: last.decidedOn,
          peer_organisation_id: input.peerOrganisationId ?? null,
          started_by: null,
          signed_off_at: new Date(`${last.decidedOn}T12:00:00Z`),
        });
        for (const [index, point] of points.entries()) {
          const rating = input.ratings[index % input.ratings.length] ?? 'met';
          await repository.upsertRating({
            assessment_id: assessment.id,
            point_id: point.id,
            reviewer: 'self',
            rating,
            commentary: rating === 'not-applicable' ? 'This service has no such part.' : '',
            rated_by: null,
          });
        }
        for (const decision of input.decisions) {
          await repository.insertDecision({
            assessment_id: assessment.id,
            standard_id: standard.id,
            organisation_id: input.organisationId,
            outcome,
            basis: decision.basis,
            decided_on: decision.decidedOn,
            decided_by: null,
          });
        }
        await audit(trx, null, {
          action: 'assessment.record',
          subjectType: 'assessment',
          subjectId: assessment.id,
          organisationId: input.organisationId,
          before: null,
          after: { standard: standard.slug, outcome, basis: last.basis, decidedOn: last.decidedOn },
        });
        return assessment.id;
      });
    },
  };
}

export type StandardsService = ReturnType<typeof createStandardsService>;
