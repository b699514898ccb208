import { InputError } from '../../platform/errors.js';
import { SCALE_UNITS } from './challenges.labels.js';
import { BUDGET_BANDS, type BudgetBand, SERVICE_AREAS, type ServiceArea } from './challenges.tables.js';
import type { ChallengeInput, ShareInput } from './challenges.types.js';

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks a challenge's fields; every problem names its field and says why. */
export function validateChallenge(input: ChallengeInput) {
  const problems: { field: string; message: string }[] = [];
  const text = (value: string | undefined, max: number, field: string, label: string) => {
    const trimmed = (value ?? '').trim();
    if (trimmed.length > max) problems.push({ field, message: `${label} must be ${max.toLocaleString('en-GB')} characters or fewer` });
    return trimmed;
  };
  const title = text(input.title, 200, 'title', 'Title');
  if (!title) problems.push({ field: 'title', message: 'Enter a title that says what the problem is' });
  const problem = text(input.problem, 10_000, 'problem', 'The problem');
  if (!problem) problems.push({ field: 'problem', message: 'Describe the problem in plain words' });
  else if (problem.length < 20) problems.push({ field: 'problem', message: 'Describe the problem in at least 20 characters' });
  if (!SERVICE_AREAS.includes(input.serviceArea as ServiceArea)) problems.push({ field: 'serviceArea', message: 'Choose a service area' });
  const budgetBand = input.budgetBand || 'unknown';
  if (!BUDGET_BANDS.includes(budgetBand as BudgetBand)) problems.push({ field: 'budgetBand', message: 'Choose a budget band' });
  const contractEndDate = (input.contractEndDate ?? '').trim() || null;
  if (contractEndDate && (!/^\d{4}-\d{2}-\d{2}$/.test(contractEndDate) || Number.isNaN(Date.parse(contractEndDate))))
    problems.push({ field: 'contractEndDate', message: 'Enter the contract end date as a real date, like 2027-03-31' });
  const contactEmail = text(input.contactEmail, 254, 'contactEmail', 'Contact email').toLowerCase();
  if (contactEmail && !EMAIL.test(contactEmail))
    problems.push({ field: 'contactEmail', message: 'Enter the contact email address in the correct format, like digital@council.gov.uk' });
  const visibility: 'public' | 'draft' = input.visibility === 'draft' ? 'draft' : 'public';
  const values = {
    title,
    problem,
    affects: text(input.affects, 2000, 'affects', 'Who it affects'),
    service_area: input.serviceArea as ServiceArea,
    workaround: text(input.workaround, 5000, 'workaround', 'The current workaround'),
    good_looks_like: text(input.goodLooksLike, 5000, 'goodLooksLike', 'What good looks like'),
    constraints: text(input.constraints, 5000, 'constraints', 'Constraints'),
    budget_band: budgetBand as BudgetBand,
    timescale: text(input.timescale, 200, 'timescale', 'Timescale'),
    contract_end_date: contractEndDate,
    visibility,
    contact_name: text(input.contactName, 200, 'contactName', 'Contact name'),
    contact_email: contactEmail,
  };
  if (problems.length > 0) throw new InputError(problems[0]?.message ?? 'Check the challenge', problems);
  return values;
}

/** Checks what a council says about its share of a challenge. */
export function validateShare(input: ShareInput) {
  const problems: { field: string; message: string }[] = [];
  const rawScale = typeof input.scale === 'number' ? String(input.scale) : (input.scale ?? '').replace(/[,\s]/g, '');
  let scale: number | null = null;
  if (rawScale) {
    if (!/^\d{1,9}$/.test(rawScale)) problems.push({ field: 'scale', message: 'Enter the scale as a whole number, like 1200' });
    else scale = Number(rawScale);
  }
  const scaleUnit = input.scaleUnit || 'residents';
  if (!(SCALE_UNITS as readonly string[]).includes(scaleUnit))
    problems.push({ field: 'scaleUnit', message: 'Choose what the scale counts' });
  const budgetBand = input.budgetBand || 'unknown';
  if (!BUDGET_BANDS.includes(budgetBand as BudgetBand)) problems.push({ field: 'budgetBand', message: 'Choose a budget band' });
  if (problems.length > 0) throw new InputError(problems[0]?.message ?? 'Check your answers', problems);
  return {
    scale,
    scale_unit: scaleUnit,
    budget_band: budgetBand as BudgetBand,
    timing: (input.timing ?? '').trim().slice(0, 200),
    comment: (input.comment ?? '').trim().slice(0, 2000),
  };
}
