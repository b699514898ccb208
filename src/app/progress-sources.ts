/**
 * The progress module's sources, wired to the owning modules' services (never their tables). Kept apart from
 * services.ts because it is long; services.ts calls it once.
 */
import type { ProgressSources } from '../modules/progress/index.js';
import type { OrganisationsService } from '../modules/organisations/index.js';
import type { StandardsService } from '../modules/standards/index.js';
import type { CatalogueService } from '../modules/catalogue/index.js';
import type { ChallengesService } from '../modules/challenges/index.js';
import type { AgreementsService, ExemplarsService } from '../modules/data-sharing/index.js';
import type { MentoringService, TablesService } from '../modules/workforce/index.js';
import type { SpendAnalysisService } from '../modules/spend-intelligence/index.js';
import type { CaseStudiesService } from '../modules/knowledge/index.js';
import type { ContractsService } from '../modules/contracts/index.js';

const ALL = 100_000;

/** The councils and regional centres, from the organisations service. */
function organisationSources(organisationsService: OrganisationsService): Pick<ProgressSources, 'listCouncils' | 'listCentres'> {
  return {
    async listCouncils(onDate) {
      const councils = await organisationsService.listCurrentPrincipalCouncils('England', onDate);
      return councils.map((council) => ({
        id: council.id,
        code: council.gssCode ?? council.slug,
        name: council.name,
        region: council.region,
        councilType: council.councilType,
        councilTypeName: council.councilTypeName,
      }));
    },
    async listCentres() {
      const centres = await organisationsService.listRegionalCentres();
      return centres.map((centre) => ({
        id: centre.id,
        slug: centre.slug,
        name: centre.name,
        region: centre.region,
        memberIds: centre.memberIds,
      }));
    },
  };
}

/** Published standards with the councils meeting them, and the assessments waiting for work, from the standards service. */
function standardsSources(standardsService: StandardsService): Pick<ProgressSources, 'listStandards' | 'listStandardsWork'> {
  return {
    async listStandards(onDate) {
      const standards = (await standardsService.listStandards()).filter(
        (standard) => standard.status === 'published' && standard.currentVersion !== null,
      );
      return Promise.all(
        standards.map(async (standard) => {
          const adoption = await standardsService.measureAdoption(standard.slug, onDate);
          return {
            slug: standard.slug,
            title: standard.title,
            meetingCodes: adoption.councilList.flatMap((council) => (council.status === 'met' && council.gssCode ? [council.gssCode] : [])),
          };
        }),
      );
    },
    async listStandardsWork() {
      const work = await standardsService.listWaitingWork();
      return work.map((item) => ({
        kind: item.kind,
        title: `${item.standardTitle}: ${item.organisationName}${item.serviceName ? ` (${item.serviceName})` : ''}`,
        detail:
          item.kind === 'peer-review'
            ? `Waiting for a peer review by ${item.peerOrganisationName ?? 'a council'}`
            : 'Peer-reviewed; waiting for an audit',
        href: `/standards/assessments/${item.id}`,
        since: item.since,
      }));
    },
  };
}

/** The workforce index and mentoring outcomes, from the workforce services. */
function workforceSources(
  tablesService: TablesService,
  mentoringService: MentoringService,
): Pick<ProgressSources, 'measureWorkforce' | 'countMentoring'> {
  return {
    async measureWorkforce() {
      const target = await tablesService.getTarget();
      const latest = target.years.at(-1);
      if (target.baselineYear === null || target.baseline === null || target.current === null || target.target === null || !latest)
        return null;
      return {
        baselineYear: target.baselineYear,
        baseline: target.baseline,
        currentYear: latest.year,
        current: target.current,
        target: target.target,
        regions: latest.regions.map((region) => ({ name: region.area.name, index: region.index })),
      };
    },
    async countMentoring() {
      const { completed } = await mentoringService.countPairingOutcomes();
      return { completed };
    },
  };
}

export function progressSourcesThrough(services: {
  organisationsService: OrganisationsService;
  standardsService: StandardsService;
  catalogueService: CatalogueService;
  challengesService: ChallengesService;
  agreementsService: AgreementsService;
  exemplarsService: ExemplarsService;
  tablesService: TablesService;
  mentoringService: MentoringService;
  spendAnalysisService: SpendAnalysisService;
  caseStudiesService: CaseStudiesService;
  contractsService: Pick<ContractsService, 'measureSmeShare'>;
}): ProgressSources {
  const s = services;
  return {
    ...organisationSources(s.organisationsService),
    ...standardsSources(s.standardsService),
    ...workforceSources(s.tablesService, s.mentoringService),
    listAdoptions: () => s.catalogueService.listAdoptionFacts(),
    listChallenges: () => s.challengesService.listChallengeFacts(),
    measureSmeSpend: () => s.contractsService.measureSmeShare(),
    async countLiveExchanges() {
      const { live, target } = await s.exemplarsService.countLive();
      return { live, target };
    },
    async listAgreements() {
      const { items } = await s.agreementsService.listAgreements(null, { page: 1, pageSize: ALL });
      return items.map((agreement) => ({
        slug: agreement.slug,
        title: agreement.title,
        status: agreement.status,
        partyCodes: agreement.parties.flatMap((party) => (party.code ? [party.code] : [])),
        reviewDate: agreement.reviewDate,
        reviewOverdue: agreement.reviewOverdue,
        url: agreement.url,
      }));
    },
    async listCaseStudies() {
      const { items } = await s.caseStudiesService.listCaseStudies({ page: 1, pageSize: ALL });
      return items.map((study) => ({
        slug: study.slug,
        title: study.title,
        organisationCode: study.organisation.code || null,
        url: study.url,
      }));
    },
    async listSpendTotals() {
      const councils = await s.spendAnalysisService.listCouncilsWithSpend();
      return councils.map((council) => ({ organisationId: council.organisationId, totalPence: council.totalPence }));
    },
  };
}
