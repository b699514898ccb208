/**
 * Regional centres of service innovation: the list, and each centre's workspace (its councils, staff, and the
 * region's challenges, component adoption, standards, spend, agreements, case studies and workforce figures, each
 * beside every other centre's). Everything comes from the other modules' services through the progress sources.
 */
import { NotFoundError } from '../../platform/errors.js';
import type { ProgressRepository } from './progress.repository.js';
import { percentage } from './progress.rules.js';
import type { AgreementFact, CaseStudyFact, ProgressSources } from './progress.sources.js';
import type { ProgressFacts } from './progress.targets.js';

export interface CentreComparison {
  id: number;
  slug: string;
  name: string;
  demo: boolean;
  regions: string[];
  members: number;
  staff: number;
  /** Public challenges that at least one member council shares. */
  challenges: number;
  /** Distinct components member councils declare they use (confirmed within 12 months). */
  componentsUsed: number;
  /** Share of member councils using at least one component. */
  councilsUsingComponents: number | null;
  /** Share of member councils meeting every standard in force (null with no standard in force). */
  meetingStandards: number | null;
  /** Member councils with imported spend, and its total. */
  councilsWithSpend: number;
  spendPence: number;
  /** Agreements in force (agreed, active or under review) with at least one member council as a party. */
  agreements: number;
  caseStudies: number;
  /** The workforce index of each region the centre covers, as published (null where hidden or not published). */
  workforce: { region: string; index: number | null }[];
}

const IN_FORCE = new Set(['agreed', 'active', 'under-review']);

/** Every centre's figures, side by side (pure: tests check it by hand). */
export function compareCentres(
  facts: ProgressFacts,
  extras: {
    profiles: readonly { organisation_id: number; regions: string[]; demo: boolean }[];
    staff: ReadonlyMap<number, number>;
    agreements: readonly AgreementFact[];
    caseStudies: readonly CaseStudyFact[];
    spend: readonly { organisationId: number; totalPence: number }[];
  },
): CentreComparison[] {
  const current = new Map(facts.councils.map((council) => [council.id, council]));
  const idsByCode = new Map(facts.councils.map((council) => [council.code, council.id]));
  const meetingAll =
    facts.standards.length === 0
      ? null
      : facts.standards.reduce<Set<string> | null>((set, standard) => {
          const meeting = new Set(standard.meetingCodes);
          return set === null ? meeting : new Set([...set].filter((code) => meeting.has(code)));
        }, null);
  const profiles = new Map(extras.profiles.map((profile) => [profile.organisation_id, profile]));
  return facts.centres.map((centre) => {
    const members = new Set(centre.memberIds.filter((id) => current.has(id)));
    const using = facts.adoptions.filter((adoption) => adoption.freshness === 'using' && members.has(adoption.organisationId));
    const usingCouncils = new Set(using.map((adoption) => adoption.organisationId));
    const meeting = meetingAll === null ? null : [...members].filter((id) => meetingAll.has(current.get(id)?.code ?? '')).length;
    const spend = extras.spend.filter((row) => members.has(row.organisationId));
    const profile = profiles.get(centre.id);
    const regions = profile?.regions ?? [];
    return {
      id: centre.id,
      slug: centre.slug,
      name: centre.name,
      demo: profile?.demo ?? false,
      regions,
      members: members.size,
      staff: extras.staff.get(centre.id) ?? 0,
      challenges: facts.challenges.filter((challenge) => challenge.sharerIds.some((id) => members.has(id))).length,
      componentsUsed: new Set(using.map((adoption) => adoption.componentSlug)).size,
      councilsUsingComponents: percentage(usingCouncils.size, members.size),
      meetingStandards: meeting === null ? null : percentage(meeting, members.size),
      councilsWithSpend: spend.length,
      spendPence: spend.reduce((total, row) => total + row.totalPence, 0),
      agreements: extras.agreements.filter(
        (agreement) => IN_FORCE.has(agreement.status) && agreement.partyCodes.some((code) => members.has(idsByCode.get(code) ?? -1)),
      ).length,
      caseStudies: extras.caseStudies.filter((study) => members.has(idsByCode.get(study.organisationCode ?? '') ?? -1)).length,
      workforce: regions.map((region) => ({
        region,
        index: facts.workforce?.regions.find((entry) => entry.name === region)?.index ?? null,
      })),
    };
  });
}

export function createRegionsService({
  repository,
  sources,
  gatherFacts,
}: {
  repository: ProgressRepository;
  sources: ProgressSources;
  gatherFacts: () => Promise<ProgressFacts>;
}) {
  async function compare() {
    const facts = await gatherFacts();
    const [profiles, staff, agreements, caseStudies, spend] = await Promise.all([
      repository.listCentreProfiles(),
      repository.listStaff(facts.centres.map((centre) => centre.id)),
      sources.listAgreements(),
      sources.listCaseStudies(),
      sources.listSpendTotals(),
    ]);
    const staffCounts = new Map<number, number>();
    for (const person of staff)
      if (person.organisation_id !== null) staffCounts.set(person.organisation_id, (staffCounts.get(person.organisation_id) ?? 0) + 1);
    return {
      facts,
      profiles,
      staff,
      agreements,
      caseStudies,
      rows: compareCentres(facts, { profiles, staff: staffCounts, agreements, caseStudies, spend }),
    };
  }

  return {
    /** Every regional centre with its figures. */
    async listCentres() {
      const { rows } = await compare();
      return rows;
    },

    /** One centre's workspace: its own records and every figure beside the other centres'. */
    async getWorkspace(slug: string) {
      const { facts, profiles, staff, agreements, caseStudies, rows } = await compare();
      const centre = facts.centres.find((candidate) => candidate.slug === slug);
      const row = rows.find((candidate) => candidate.slug === slug);
      if (!centre || !row) throw new NotFoundError(`No regional centre has the address ${slug}`);
      const profile = profiles.find((candidate) => candidate.organisation_id === centre.id);
      const current = new Map(facts.councils.map((council) => [council.id, council]));
      const members = centre.memberIds.flatMap((id) => (current.has(id) ? [current.get(id) as (typeof facts.councils)[number]] : []));
      const memberIds = new Set(members.map((member) => member.id));
      const memberCodes = new Set(members.map((member) => member.code));
      const components = new Map<string, { slug: string; name: string; councils: number }>();
      for (const adoption of facts.adoptions) {
        if (adoption.freshness !== 'using' || !memberIds.has(adoption.organisationId)) continue;
        const entry = components.get(adoption.componentSlug) ?? { slug: adoption.componentSlug, name: adoption.componentName, councils: 0 };
        entry.councils += 1;
        components.set(adoption.componentSlug, entry);
      }
      return {
        centre: { ...row, openedOn: centre.openedOn, summary: profile?.summary ?? '' },
        comparison: rows,
        members: members.sort((a, b) => a.name.localeCompare(b.name)),
        staff: staff.filter((person) => person.organisation_id === centre.id).map((person) => ({ name: person.name })),
        challenges: facts.challenges
          .filter((challenge) => challenge.sharerIds.some((id) => memberIds.has(id)))
          .map((challenge) => ({ ...challenge, members: challenge.sharerIds.filter((id) => memberIds.has(id)).length })),
        components: [...components.values()].sort((a, b) => b.councils - a.councils || a.name.localeCompare(b.name)),
        standards: facts.standards.map((standard) => ({
          slug: standard.slug,
          title: standard.title,
          meeting: standard.meetingCodes.filter((code) => memberCodes.has(code)).length,
          percentage: percentage(standard.meetingCodes.filter((code) => memberCodes.has(code)).length, members.length),
        })),
        agreements: agreements.filter(
          (agreement) => IN_FORCE.has(agreement.status) && agreement.partyCodes.some((code) => memberCodes.has(code)),
        ),
        caseStudies: caseStudies.filter((study) => study.organisationCode !== null && memberCodes.has(study.organisationCode)),
      };
    },
  };
}

export type RegionsService = ReturnType<typeof createRegionsService>;
