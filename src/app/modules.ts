/** The ten modules as people see them: the home page and navigation are built from this list. */
export interface ModuleEntry {
  title: string;
  href: string;
  description: string;
  available: boolean;
  inNavigation: boolean;
}

export const MODULES: readonly ModuleEntry[] = [
  {
    title: 'Organisations',
    href: '/organisations',
    description: 'The register of every UK council, past and present, with GSS codes, tiers, regions and reorganisations.',
    available: true,
    inNavigation: true,
  },
  {
    title: 'Components',
    href: '/components',
    description: 'Common software, APIs, data standards, service patterns and contract clauses that councils adopt, and who uses them.',
    available: true,
    inNavigation: true,
  },
  {
    title: 'Challenges',
    href: '/challenges',
    description: 'The shared pipeline of problems councils have, so they can find each other and show the market what they need.',
    available: true,
    inNavigation: true,
  },
  {
    title: 'Standards',
    href: '/standards',
    description: 'Co-designed service standards, self-assessment, peer review and audit, and the share of councils meeting each.',
    available: true,
    inNavigation: true,
  },
  {
    title: 'Spend',
    href: '/spend',
    description:
      'Every council’s spending over £500 in one place: who pays whom for what, concentration, lock-in and collective-buying chances.',
    available: true,
    inNavigation: true,
  },
  {
    title: 'Data sharing',
    href: '/data-sharing',
    description: 'Data standards as Table Schemas, a validator for your files, and a public register of data-sharing agreements.',
    available: true,
    inNavigation: true,
  },
  {
    title: 'Workforce',
    href: '/workforce',
    description: 'Diversity of the sector’s digital workforce, apprenticeships, secondments and mentoring.',
    available: true,
    inNavigation: true,
  },
  {
    title: 'Knowledge',
    href: '/knowledge',
    description: 'What works: case studies with measured outcomes, linked to the components, challenges and standards they concern.',
    available: true,
    inNavigation: true,
  },
  {
    title: 'Progress',
    href: '/progress',
    description: 'The public 2030 dashboard: every sector target, computed live from the other modules, and the regional centres.',
    available: true,
    inNavigation: true,
  },
];
