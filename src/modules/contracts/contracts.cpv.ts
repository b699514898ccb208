/** Common Procurement Vocabulary (CPV) divisions, named briefly for people. */

// CPV divisions (the first two digits of a Common Procurement Vocabulary code), named briefly for people.
const CPV_DIVISIONS: Record<string, string> = {
  '09': 'Fuel and energy',
  '15': 'Food and drink',
  '18': 'Clothing and workwear',
  '22': 'Printed matter',
  '30': 'Office and computing equipment',
  '32': 'Radio, television and telecoms equipment',
  '33': 'Medical equipment',
  '34': 'Vehicles and transport equipment',
  '39': 'Furniture and furnishings',
  '42': 'Industrial machinery',
  '44': 'Construction materials',
  '45': 'Construction work',
  '48': 'Software packages and information systems',
  '50': 'Repair and maintenance',
  '55': 'Hotel, catering and retail',
  '60': 'Transport services',
  '64': 'Postal and telecoms services',
  '65': 'Utilities',
  '66': 'Financial and insurance services',
  '70': 'Property services',
  '71': 'Architecture, engineering and inspection',
  '72': 'IT services',
  '73': 'Research and development',
  '75': 'Administration and social security services',
  '77': 'Agricultural, forestry and horticultural services',
  '79': 'Business services',
  '80': 'Education and training',
  '85': 'Health and social care',
  '90': 'Waste, cleaning and environmental services',
  '92': 'Recreation, culture and sport',
  '98': 'Other community and personal services',
};

/** The CPV division of a code ("72000000" from "72212000"), or null. */
export function cpvDivision(code: string | undefined): string | null {
  const match = code ? /^(\d{2})\d{6}/.exec(code.trim()) : null;
  return match?.[1] ? `${match[1]}000000` : null;
}

/** A person's name for a CPV division code. */
export function cpvDivisionName(category: string | null): string | null {
  if (!category) return null;
  const division = category.slice(0, 2);
  return CPV_DIVISIONS[division] ?? `CPV division ${division}`;
}
