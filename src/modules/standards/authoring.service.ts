import type { SearchDocumentInput } from '../../platform/search.js';
import type { Actor } from '../../platform/actor.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { standardsPolicy } from './standards.policy.js';
import type { StandardRow, VersionRow } from './standards.repository.js';
import type { PointInput, StandardSummary } from './standards.types.js';
import { pointValues, presentPoint, SLUG_PATTERN } from './standards.records.js';
import { FORMAT_ONLY_CATALOGUE } from './standards.catalogue.js';
import { createStandardsCore, type StandardsCore, type StandardsDependencies } from './standards.core.js';

/** Writing standards: versions and their points, publishing and retiring, consultation comments, and what components meet. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createAuthoringService(deps: StandardsDependencies, core: StandardsCore = createStandardsCore(deps)) {
  const { standardsRepository, transaction, clock, catalogue = FORMAT_ONLY_CATALOGUE } = deps;
  const { today, audit, requireStandard, requireVersion, requireManager, currentOf, checkComponents } = core;

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
  };
}
