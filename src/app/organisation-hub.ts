import type { Actor } from '../platform/actor.js';
import { formatLongDate } from '../platform/views/views.js';
import type { HubCard, OrganisationDetail, OrganisationHub } from '../modules/organisations/index.js';
import { spendPolicy } from '../modules/spend/index.js';
import { identityPolicy } from '../modules/identity/index.js';
import type { Services } from './services.js';

/** How many items a card lists: the page stays a summary, each card links to the whole list. */
const CARD_ITEMS = 3;

const pounds = (pence: number) => `£${Math.round(pence / 100).toLocaleString('en-GB')}`;
const humanise = (value: string) => (value.charAt(0).toUpperCase() + value.slice(1)).replace(/-/g, ' ');
const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/**
 * An organisation's page as a hub: one card per module, each filled through that module's own service (small,
 * limited summaries), so a council's spend, contracts, components, challenges, standards, agreements, case studies,
 * credits and ways in for its people are one click from its page.
 */
export function createOrganisationHub(services: Services): OrganisationHub {
  return async (organisation, actor) => {
    const code = organisation.gssCode ?? organisation.slug;
    const isSupplier = organisation.kind === 'supplier';
    const [spend, contracts, components, challenges, standards, agreements, caseStudies, waysIn] = await Promise.all([
      isSupplier ? null : spendCard(services, organisation, code, actor),
      contractsCard(services, code),
      isSupplier ? null : componentsCard(services, organisation, code, actor),
      challengesCard(services, organisation, actor),
      isSupplier ? null : standardsCard(services, organisation, actor),
      agreementsCard(services, code, actor),
      caseStudiesCard(services, organisation, actor),
      waysInCard(services, organisation, code, actor),
    ]);
    return [
      spend,
      contracts,
      components?.components ?? null,
      components?.credits ?? null,
      challenges,
      standards,
      agreements,
      caseStudies,
      waysIn,
    ].filter((card): card is HubCard => card !== null);
  };
}

async function spendCard(services: Services, organisation: OrganisationDetail, code: string, actor: Actor | null): Promise<HubCard> {
  const summary = await services.spendService.getOrganisationSummary(code);
  const canUpload = actor !== null && spendPolicy.canImportFor(actor, organisation.id);
  return {
    id: 'spend',
    title: 'Spending',
    rows:
      summary.files === 0
        ? []
        : [
            { key: 'Payments published', value: `${summary.transactions.toLocaleString('en-GB')} (${pounds(summary.totalPence)})` },
            { key: 'Paid between', value: `${formatLongDate(summary.dateFrom)} and ${formatLongDate(summary.dateTo)}` },
            { key: 'Files', value: summary.files.toLocaleString('en-GB') },
            { key: 'Suppliers paid', value: summary.suppliers.toLocaleString('en-GB') },
          ],
    empty: 'No spending file has been published here yet.',
    actions: [
      ...(summary.files > 0 && organisation.gssCode
        ? [{ href: `/spend/organisations/${organisation.gssCode}`, text: 'See its spending' }]
        : []),
      ...(canUpload ? [{ href: `/spend/imports/new?organisation=${encodeURIComponent(code)}`, text: 'Upload a spending file' }] : []),
    ],
  };
}

async function contractsCard(services: Services, code: string): Promise<HubCard> {
  const ending = await services.contractsService.listContracts({
    organisation: code,
    endingWithinMonths: 12,
    page: 1,
    pageSize: CARD_ITEMS,
  });
  return {
    id: 'contracts',
    title: 'Contracts ending in the next 12 months',
    rows: ending.items.map((contract) => ({
      key: contract.title ?? contract.ocid,
      value: contract.endDate ? `Ends ${formatLongDate(contract.endDate)}` : 'End date not published',
      href: `/contracts/${contract.id}`,
    })),
    empty: 'No published contract ends in the next 12 months.',
    actions: [
      ...(ending.total > CARD_ITEMS
        ? [{ href: `/contracts/expiring?organisation=${encodeURIComponent(code)}`, text: `All ${ending.total} ending soon` }]
        : []),
      { href: `/contracts?organisation=${encodeURIComponent(code)}`, text: 'All its contracts' },
    ],
  };
}

async function componentsCard(
  services: Services,
  organisation: OrganisationDetail,
  code: string,
  actor: Actor | null,
): Promise<{ components: HubCard; credits: HubCard }> {
  const credits = await services.catalogueService.getReuseCredits(code);
  const mine = actor?.organisationId === organisation.id;
  return {
    components: {
      id: 'components',
      title: 'Components it uses',
      rows: credits.adopted.slice(0, CARD_ITEMS + 2).map((adoption) => ({
        key: adoption.name,
        value: humanise(adoption.status),
        href: `/components/${adoption.slug}`,
      })),
      empty: 'It has not declared any component yet.',
      actions: [{ href: '/components', text: mine ? 'Find a component to declare' : 'Browse components' }],
    },
    credits: {
      id: 'reuse-credits',
      title: 'Reuse credits',
      rows: [
        { key: 'Credits', value: credits.total.toLocaleString('en-GB') },
        { key: 'Components published', value: credits.counts.published.toLocaleString('en-GB') },
        { key: 'Using or piloting', value: (credits.counts.using + credits.counts.piloting).toLocaleString('en-GB') },
      ],
      actions: [{ href: '/components/reuse-credits', text: 'How credits are earned' }],
    },
  };
}

async function challengesCard(services: Services, organisation: OrganisationDetail, actor: Actor | null): Promise<HubCard> {
  const summary = await services.challengesService.summariseOrganisationChallenges(organisation.id, actor, CARD_ITEMS);
  const mine = actor?.organisationId === organisation.id && (actor.role === 'member' || actor.role === 'organisation-admin');
  return {
    id: 'challenges',
    title: organisation.kind === 'supplier' ? 'Challenges' : 'Challenges it raised or shares',
    rows: summary.items.map((item) => ({
      key: item.title,
      value: `${item.raised ? 'Raised' : 'Shares'} · ${item.stageLabel}${item.draft ? ' · draft' : ''}`,
      href: item.url,
    })),
    empty:
      organisation.kind === 'supplier' ? 'Suppliers respond to challenges councils raise.' : 'It has not raised or shared a challenge yet.',
    actions: [
      { href: '/challenges', text: summary.total > CARD_ITEMS ? `See all challenges (${summary.total} involve it)` : 'See all challenges' },
      ...(mine ? [{ href: '/challenges/new', text: 'Post a challenge' }] : []),
    ],
  };
}

async function standardsCard(services: Services, organisation: OrganisationDetail, actor: Actor | null): Promise<HubCard> {
  const summary = await services.standardsService.summariseOrganisationStandards(organisation.id);
  return {
    id: 'standards',
    title: 'Standards',
    rows: [
      ...summary.met.map((standard) => ({ key: standard.title, value: 'Meets it', href: standard.url })),
      ...(summary.underWay.length > 0
        ? [{ key: 'Assessments under way', value: count(summary.underWay.length, 'assessment', 'assessments') }]
        : []),
    ],
    empty: 'It has not assessed itself against a standard yet.',
    actions: [
      { href: '/standards', text: 'All standards' },
      ...(actor?.organisationId === organisation.id
        ? [{ href: '/standards/your-organisation', text: 'Your organisation’s assessments' }]
        : []),
    ],
  };
}

async function agreementsCard(services: Services, code: string, actor: Actor | null): Promise<HubCard> {
  const agreements = await services.agreementsService.listAgreements(actor, {
    organisation: code,
    page: 1,
    pageSize: CARD_ITEMS,
    sort: 'updated',
  });
  return {
    id: 'agreements',
    title: 'Data-sharing agreements',
    rows: agreements.items.map((agreement) => ({
      key: agreement.title,
      value: humanise(agreement.status),
      href: `/data-sharing/agreements/${agreement.slug}`,
    })),
    empty: 'It is not a party to any published agreement.',
    actions: [
      {
        href: `/data-sharing/agreements?organisation=${encodeURIComponent(code)}`,
        text: `All its agreements${agreements.total > CARD_ITEMS ? ` (${agreements.total})` : ''}`,
      },
    ],
  };
}

async function caseStudiesCard(services: Services, organisation: OrganisationDetail, actor: Actor | null): Promise<HubCard> {
  const studies = await services.caseStudiesService.listCaseStudies(
    { organisationId: organisation.id, page: 1, pageSize: CARD_ITEMS },
    actor,
  );
  return {
    id: 'case-studies',
    title: 'Case studies',
    rows: studies.items.map((study) => ({ key: study.title, value: study.statusLabel, href: study.url })),
    empty: 'It has not written a case study yet.',
    actions: [{ href: '/case-studies', text: 'All case studies' }],
  };
}

async function waysInCard(services: Services, organisation: OrganisationDetail, code: string, actor: Actor | null): Promise<HubCard> {
  const here = `/organisations/${encodeURIComponent(code)}`;
  if (!actor)
    return {
      id: 'ways-in',
      title: 'Work here?',
      rows: [],
      empty: `Sign in with your work email address. If your address is not yet known as ${organisation.name}’s, you can then ask to join it.`,
      actions: [{ href: `/sign-in?next=${encodeURIComponent(here)}`, text: 'Sign in' }],
    };
  if (actor.organisationId === null)
    return {
      id: 'ways-in',
      title: 'Work here?',
      rows: [],
      empty: `Ask to join ${organisation.name}: its admins (or the platform’s admins, if it has none yet) will answer, and you will be emailed the decision.`,
      actions: [{ href: `/account/join?q=${encodeURIComponent(organisation.name)}`, text: `Ask to join ${organisation.name}` }],
    };
  if (actor.organisationId !== organisation.id)
    return {
      id: 'ways-in',
      title: 'Your organisation',
      rows: [],
      empty: `You belong to ${actor.organisationName ?? 'another organisation'}.`,
      actions: [],
    };
  const admins = await services.identityService.listOrganisationAdminEmails(organisation.id);
  const manages = identityPolicy.canManageMembers(actor, organisation.id);
  return {
    id: 'ways-in',
    title: 'Your organisation',
    rows: [
      { key: 'You are', value: actor.role === 'organisation-admin' ? 'An admin here' : 'A member here' },
      {
        key: 'Its admins',
        value: admins.length > 0 ? admins.join(', ') : 'None yet: the platform’s admins answer requests to join',
      },
    ],
    actions: manages ? [{ href: `/manage/organisations/${encodeURIComponent(code)}/members`, text: 'Manage its people' }] : [],
  };
}
