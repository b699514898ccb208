/**
 * Demo case studies, written for this project in our own words (see SOURCES.md beside this file). The first five
 * rest on public facts about which councils started or used a shared component; the others are marked
 * "illustrative" in their titles: plausible accounts for demo councils, not reports of real results. No case study
 * gives a figure we could not check, so every one is confirmed at level 1 (a logical reason it should work); nobody
 * is named as a contact, since nobody agreed to be.
 */
export interface DemoCaseStudy {
  council: string;
  raw: Record<string, string>;
  components?: string[];
  challenges?: string[];
  review: { level: number; note: string; by?: string } | null;
  replications?: { council: string; raw: Record<string, string> }[];
}

const common = { costOneOffBand: 'not-disclosed', costYearlyBand: 'not-disclosed', contactConsent: '', claimedLevel: '1' };
const LEVEL_ONE_NOTE =
  'Confirmed at level 1: the account explains what was done and why it should help, but no measured outcomes are published yet.';

export const DEMO_CASE_STUDIES: DemoCaseStudy[] = [
  {
    council: 'E09000008',
    components: ['LocalGov Drupal'],
    review: { level: 1, note: LEVEL_ONE_NOTE },
    raw: {
      ...common,
      title: 'Starting a shared council website platform: LocalGov Drupal',
      summary:
        'Croydon was one of the two councils that started LocalGov Drupal, so that councils build website features once and share them.',
      problem:
        'Every council was paying to build and host much the same website: service pages, directories, news and alerts, each on its own platform.',
      whatWeDid:
        'Worked with Brighton and Hove on a Drupal distribution for council websites, funded through the Local Digital Fund, with the code published openly so other councils could use and improve it.',
      serviceArea: 'corporate-and-technology',
      lessons: 'Agree how shared features are governed early; a shared platform needs a community of councils, not only code.',
      doDifferently: 'Plan for the cost of maintaining shared code from the start, not only the first build.',
      claimJustification: 'The logic: features paid for once and reused by many councils should cost each council less.',
      sources:
        'LocalGov Drupal project pages (localgovdrupal.org) and its public code (github.com/localgovdrupal); Local Digital Fund project records.',
    },
    replications: [
      {
        council: 'E06000043',
        raw: {
          summary: 'Brighton and Hove co-founded the platform with Croydon and runs its own council website on it.',
          differences: 'A unitary council with a different mix of services.',
        },
      },
    ],
  },
  {
    council: 'E06000043',
    components: ['LocalGov Drupal'],
    review: { level: 1, note: LEVEL_ONE_NOTE },
    raw: {
      ...common,
      title: 'Moving a unitary council website onto a shared platform',
      summary:
        'Brighton and Hove moved its website onto LocalGov Drupal, the platform it started with Croydon, and shares the features it builds.',
      problem: 'A website built alone meant every improvement was paid for alone, and accessibility fixes had to be made page by page.',
      whatWeDid: 'Rebuilt the website on the shared distribution, contributing features back so that other councils could take them.',
      serviceArea: 'corporate-and-technology',
      lessons: 'Content work (rewriting and removing pages) takes longer than the technical move.',
      doDifferently: 'Start content design before the platform build.',
      claimJustification: 'Shared components give a reason to expect lower costs and more consistent accessibility.',
      sources: 'LocalGov Drupal project pages (localgovdrupal.org).',
    },
  },
  {
    council: 'E09000028',
    components: ['BOPS'],
    challenges: ['Validating planning applications before they are registered'],
    review: { level: 1, note: LEVEL_ONE_NOTE },
    raw: {
      ...common,
      title: 'An open back-office planning system built with other councils',
      summary:
        'Southwark worked with other councils on BOPS, an open-source back-office planning system, instead of buying another closed one.',
      problem: 'Planning back-office software was dominated by a few suppliers, hard to change and poor at using application data.',
      whatWeDid:
        'Took part in building BOPS with other councils and a delivery partner, funded through the government’s planning software programme.',
      serviceArea: 'planning-and-building-control',
      lessons: 'Planning officers need to be in the team from the start; the rules differ by application type.',
      doDifferently: 'Migrate historic case data earlier.',
      claimJustification: 'Open software shared by several councils lowers lock-in and spreads the cost of change.',
      sources: 'Public project pages of BOPS and the government’s digital planning programme.',
    },
  },
  {
    council: 'E09000022',
    components: ['PlanX'],
    challenges: ['Validating planning applications before they are registered'],
    review: { level: 1, note: LEVEL_ONE_NOTE },
    raw: {
      ...common,
      title: 'Guiding applicants before they apply for planning permission',
      summary:
        'Lambeth used PlanX, shared with other councils, to help residents find out whether they need planning permission before applying.',
      problem: 'Many applications arrived invalid or unnecessary, because the rules are hard for residents to read.',
      whatWeDid: 'Published guided questions built on PlanX that tell people whether they need permission and what to submit.',
      serviceArea: 'planning-and-building-control',
      lessons: 'Write the questions with planning officers and test them with residents.',
      doDifferently: 'Measure invalid applications before launch, to show the change afterwards.',
      claimJustification: 'Clear guidance before applying should mean fewer invalid applications.',
      sources: 'Public pages of PlanX and Open Systems Lab.',
    },
  },
  {
    council: 'E06000060',
    components: ['PlanX', 'BOPS'],
    review: { level: 1, note: LEVEL_ONE_NOTE },
    raw: {
      ...common,
      title: 'Joining shared digital planning tools after reorganisation',
      summary:
        'Buckinghamshire, formed from five councils in 2020, joined shared open planning tools rather than choose one of its predecessors’ systems.',
      problem: 'Five former councils brought different planning systems and processes to one new council.',
      whatWeDid: 'Joined the councils using PlanX and BOPS, so one set of open tools served the whole new council.',
      serviceArea: 'planning-and-building-control',
      lessons: 'Reorganisation is a moment to choose shared tools over inherited ones.',
      doDifferently: 'Agree one process for all areas before configuring the tools.',
      claimJustification: 'One shared set of tools should cost less than keeping several inherited ones.',
      sources: 'The council register (Buckinghamshire Council from 1 April 2020); public pages of PlanX and BOPS.',
    },
  },
  {
    council: 'E07000178',
    components: ['GOV.UK Notify'],
    challenges: ['Reporting missed bin collections'],
    review: { level: 1, note: LEVEL_ONE_NOTE },
    raw: {
      ...common,
      title: 'Text reminders before bin collection changes (illustrative demo)',
      summary:
        'An illustrative account: a district council sends text and email reminders through GOV.UK Notify when collection days change.',
      problem: 'Residents miss collections after bank holidays and call to report bins as missed.',
      whatWeDid:
        'Residents sign up for reminders; the waste team sends them through GOV.UK Notify, which the council can use without buying a messaging product.',
      serviceArea: 'environment-and-waste',
      lessons: 'Ask for consent clearly at sign-up; keep messages short.',
      doDifferently: 'Count missed-bin reports before and after, to reach level 2.',
      claimJustification: 'Reminders should mean fewer missed collections and fewer calls.',
      sources: 'GOV.UK Notify service pages (notifications.service.gov.uk). Illustrative: not a report of real results.',
    },
  },
  {
    council: 'E10000008',
    components: ['Open Referral UK'],
    review: { level: 1, note: LEVEL_ONE_NOTE },
    raw: {
      ...common,
      title: 'Publishing a family services directory as open data (illustrative demo)',
      summary:
        'An illustrative account: a county council publishes its directory of family and community services in the Open Referral UK format.',
      problem: 'The same services were listed in several directories, each out of date in a different way.',
      whatWeDid:
        'Kept one directory and published it as Open Referral UK data, so other directories and apps can read it instead of copying it.',
      serviceArea: 'children-and-education',
      lessons: 'Someone must own keeping entries current; the format does not do that for you.',
      doDifferently: 'Agree with health partners which directory is the master before publishing.',
      claimJustification: 'One maintained source read by many services should be more current than many copies.',
      sources: 'The Open Referral UK data standard (openreferraluk.org). Illustrative: not a report of real results.',
    },
  },
  {
    council: 'E08000035',
    components: ['GOV.UK Notify'],
    challenges: ['Reporting damp and mould in council homes'],
    review: { level: 1, note: LEVEL_ONE_NOTE },
    raw: {
      ...common,
      title: 'Keeping tenants told about damp and mould repairs (illustrative demo)',
      summary: 'An illustrative account: a metropolitan council texts tenants at each step of a damp and mould repair.',
      problem: 'Tenants did not know when inspectors or contractors would come and called repeatedly to ask.',
      whatWeDid: 'Each step of the repair job sends a message through GOV.UK Notify with the date and who to contact.',
      serviceArea: 'housing',
      lessons: 'Messages must come from the system of record, not be typed by hand.',
      doDifferently: 'Record call volumes about repairs before starting.',
      claimJustification: 'Proactive updates should reduce chasing calls.',
      sources: 'GOV.UK Notify service pages. Illustrative: not a report of real results.',
    },
  },
  {
    council: 'E08000009',
    components: ['GOV.UK Pay'],
    review: { level: 1, note: LEVEL_ONE_NOTE },
    raw: {
      ...common,
      title: 'Taking card payments for permits with a shared payment service (illustrative demo)',
      summary: 'An illustrative account: a council takes payments for permits through GOV.UK Pay instead of its own payment pages.',
      problem: 'Each payment form had its own payment page, with its own contract and look.',
      whatWeDid: 'Moved permit payments to GOV.UK Pay, reconciling them in the finance system from its reports.',
      serviceArea: 'customer-services',
      lessons: 'Finance must agree how payments are reconciled before the switch.',
      doDifferently: 'Move the highest-volume payment first.',
      claimJustification: 'A shared, accessible payment page should reduce abandoned payments and contract costs.',
      sources: 'GOV.UK Pay service pages. Illustrative: not a report of real results.',
    },
  },
  {
    council: 'E09000007',
    components: ['PlanX'],
    review: null,
    raw: {
      ...common,
      title: 'Reporting a planning breach online (illustrative demo)',
      summary: 'An illustrative account waiting for review: residents report a suspected planning breach through a guided online form.',
      problem: 'Breach reports arrived by email without the details enforcement officers need.',
      whatWeDid: 'A guided form asks for the address, what happened and photos, and sends a complete report to the enforcement team.',
      serviceArea: 'planning-and-building-control',
      lessons: 'Ask only for what officers use.',
      doDifferently: 'Link reports to the planning history of the site.',
      claimJustification: 'Complete reports should mean fewer follow-up calls.',
      sources: 'Illustrative: not a report of real results.',
    },
  },
  {
    council: 'E09000012',
    challenges: ['Booking temporary accommodation for homeless households'],
    review: null,
    raw: {
      ...common,
      title: 'One list of temporary accommodation vacancies across boroughs (illustrative demo)',
      summary:
        'An illustrative account waiting for review: officers see one shared list of emergency accommodation vacancies instead of phoning round.',
      problem: 'Officers phone providers every evening to find a placement.',
      whatWeDid: 'Providers update vacancies in one shared list that officers in several boroughs can see.',
      serviceArea: 'housing',
      lessons: 'Providers update only when it is quicker than answering the phone.',
      doDifferently: 'Agree prices across boroughs before sharing vacancies.',
      claimJustification: 'One shared list should save officers time each evening.',
      sources: 'Illustrative: not a report of real results.',
    },
  },
  {
    council: 'E08000003',
    components: ['Open Referral UK'],
    review: { level: 1, note: LEVEL_ONE_NOTE },
    raw: {
      ...common,
      title: 'Sharing a social prescribing directory with health partners (illustrative demo)',
      summary:
        'An illustrative account: a city council and its health partners read one directory of community activities in the Open Referral UK format.',
      problem: 'Social prescribing link workers kept their own lists of community groups.',
      whatWeDid: 'The council’s directory is published as Open Referral UK data and read by the link workers’ tools.',
      serviceArea: 'public-health',
      lessons: 'Community groups need a simple way to correct their own entry.',
      doDifferently: 'Involve the voluntary sector from the first week.',
      claimJustification: 'A shared directory should be more complete than separate lists.',
      sources: 'The Open Referral UK data standard. Illustrative: not a report of real results.',
    },
  },
];
