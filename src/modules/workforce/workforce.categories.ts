/**
 * What a diversity return counts: grade bands, and for each dimension its categories, from the standards
 * named on each. "Prefer not to say" and "Not known" are two categories of every dimension, apart from each
 * other and from every declared answer.
 */

export const GRADE_BANDS = ['entry', 'practitioner', 'senior', 'head'] as const;
export type GradeBand = (typeof GRADE_BANDS)[number];

export const GRADE_BAND_LABELS: Record<GradeBand, string> = {
  entry: 'Entry (apprentice, trainee, junior)',
  practitioner: 'Practitioner',
  senior: 'Senior (lead, principal)',
  head: 'Head of service or director',
};

export const PREFER_NOT_TO_SAY = 'prefer-not-to-say';
export const NOT_KNOWN = 'not-known';
const UNDECLARED = [
  { code: PREFER_NOT_TO_SAY, label: 'Prefer not to say' },
  { code: NOT_KNOWN, label: 'Not known (not asked, or no answer)' },
] as const;

export interface Dimension {
  code: string;
  name: string;
  /** Where the categories come from. */
  standard: string;
  /** Declared categories first, then "prefer not to say" and "not known". */
  categories: readonly { code: string; label: string }[];
  /** Declared categories counted as under-represented in the sector's +20% target (empty: not part of it). */
  underRepresented: readonly string[];
}

const dimension = (
  code: string,
  name: string,
  standard: string,
  declared: readonly { code: string; label: string }[],
  underRepresented: readonly string[] = [],
): Dimension => ({ code, name, standard, categories: [...declared, ...UNDECLARED], underRepresented });

export const DIMENSIONS: readonly Dimension[] = [
  dimension(
    'ethnicity',
    'Ethnicity',
    'GSS harmonised standard for ethnicity (England, 2021): the five high-level ethnic groups',
    [
      { code: 'asian', label: 'Asian, Asian British or Asian Welsh' },
      { code: 'black', label: 'Black, Black British, Black Welsh, Caribbean or African' },
      { code: 'mixed', label: 'Mixed or Multiple ethnic groups' },
      { code: 'white', label: 'White' },
      { code: 'other', label: 'Other ethnic group' },
    ],
    ['asian', 'black', 'mixed', 'other'],
  ),
  dimension('sex', 'Sex', 'GSS harmonised standard for sex (2021)', [
    { code: 'female', label: 'Female' },
    { code: 'male', label: 'Male' },
  ]),
  dimension('gender-identity', 'Gender identity', 'GSS harmonised standard for gender identity (2021)', [
    { code: 'same-as-birth', label: 'Gender the same as sex registered at birth' },
    { code: 'different-from-birth', label: 'Gender different from sex registered at birth' },
  ]),
  dimension(
    'disability',
    'Disability',
    'Equality Act 2010 definition (a physical or mental impairment with a substantial, long-term effect on normal day-to-day activities)',
    [
      { code: 'disabled', label: 'Disabled' },
      { code: 'not-disabled', label: 'Not disabled' },
    ],
    ['disabled'],
  ),
  dimension('sexual-orientation', 'Sexual orientation', 'GSS harmonised standard for sexual orientation (2021)', [
    { code: 'straight', label: 'Straight or heterosexual' },
    { code: 'gay-or-lesbian', label: 'Gay or lesbian' },
    { code: 'bisexual', label: 'Bisexual' },
    { code: 'other', label: 'All other sexual orientations' },
  ]),
  dimension('age', 'Age band', 'Age on 31 March of the return year', [
    { code: '16-24', label: '16 to 24' },
    { code: '25-34', label: '25 to 34' },
    { code: '35-44', label: '35 to 44' },
    { code: '45-54', label: '45 to 54' },
    { code: '55-64', label: '55 to 64' },
    { code: '65-plus', label: '65 and over' },
  ]),
  dimension(
    'socio-economic-background',
    'Socio-economic background',
    'Social Mobility Commission: occupation of the main household earner when the person was about 14, in three groups',
    [
      { code: 'professional', label: 'Professional background (professional, senior or middle manager)' },
      { code: 'intermediate', label: 'Intermediate background (clerical, small business owner)' },
      { code: 'lower', label: 'Lower socio-economic background (technical, routine, semi-routine, long-term unemployed)' },
    ],
    ['lower'],
  ),
];

export const DIMENSION_CODES = DIMENSIONS.map((entry) => entry.code);

/** A dimension by its code, or undefined. */
export function findDimension(code: string): Dimension | undefined {
  return DIMENSIONS.find((entry) => entry.code === code);
}

/** Aggregate counts of one return: headcount per grade band, and for each dimension a count per grade and category. */
export interface ReturnCounts {
  headcount: Record<GradeBand, number>;
  dimensions: Record<string, Record<GradeBand, Record<string, number>>>;
}

/** A return with every count zero, in the shape forms and readers fill in. */
export function emptyCounts(): ReturnCounts {
  const perGrade = <T>(make: () => T) => Object.fromEntries(GRADE_BANDS.map((grade) => [grade, make()])) as Record<GradeBand, T>;
  return {
    headcount: perGrade(() => 0),
    dimensions: Object.fromEntries(
      DIMENSIONS.map((entry) => [entry.code, perGrade(() => Object.fromEntries(entry.categories.map((category) => [category.code, 0])))]),
    ),
  };
}
