import type { OrganisationsService } from '../organisations/index.js';

/**
 * Does a spend file name its publishing body, and is that body the organisation it is being imported for?
 *
 * The names a file gives (its body or organisation column, and title or metadata rows above the header) are
 * compared with the chosen organisation's names, GSS code, registry code and slug, as written in the register
 * and in the forms files use: "Trafford", "Trafford Council", "Trafford Metropolitan Borough Council", a
 * DCLG-style "metropolitan-district-council/trafford" URI, or E08000009. A file is refused only when a name
 * in it is recognised, through the organisations service, as ANOTHER organisation of the register: initials
 * ("SMBC") or names the register does not know never refuse a file.
 */
type Organisation = Awaited<ReturnType<OrganisationsService['getOrganisation']>>;

export interface OrganisationMismatch {
  named: string;
  other: { name: string; code: string };
  chosen: { name: string; code: string };
}

const GSS_CODE = /\b([ENSW]\d{8})\b/i;
// Words that say what kind of body it is, not which one.
const KIND_WORDS =
  /\b(the|of|and|council|city|borough|metropolitan|district|county|royal|london|unitary|authority|local|mbc|mdc|cc|dc|bc|rbc|lbc|ltd|id|http|https|www|uk|gov|org|data|opendatacommunities|statistics|local-authority|doc)\b/g;

/** The words that name a body, without the words that say what kind of body it is. */
export function coreBodyName(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/\b\d+\b/g, ' ')
    .replace(KIND_WORDS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function namesOf(organisation: Organisation): string[] {
  return [organisation.name, organisation.officialName, ...organisation.alternativeNames];
}

function codesOf(organisation: Organisation): string[] {
  return [organisation.gssCode, organisation.registryCode, organisation.slug]
    .filter((code): code is string => !!code)
    .map((code) => code.toLowerCase());
}

/** The candidates a cell offers: the whole text, and for a URI its last path segment. */
function candidateTexts(value: string): string[] {
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return [trimmed];
  const segments = trimmed
    .replace(/[?#].*$/, '')
    .split('/')
    .filter((segment) => segment !== '');
  return [segments.at(-1) ?? trimmed, trimmed];
}

/** True when a body name or code in a file names this organisation. */
export function namesOrganisation(value: string, organisation: Organisation): boolean {
  const gss = GSS_CODE.exec(value)?.[1]?.toUpperCase();
  if (gss) return gss === organisation.gssCode?.toUpperCase();
  const codes = codesOf(organisation);
  const cores = namesOf(organisation)
    .map(coreBodyName)
    .filter((core) => core !== '');
  return candidateTexts(value).some((text) => {
    if (codes.includes(text.toLowerCase())) return true;
    const core = coreBodyName(text.replace(/-/g, ' '));
    return core !== '' && cores.some((name) => name === core);
  });
}

/** The body values worth checking: distinct, with letters or a code, at most a few. */
export function bodyValues(cells: readonly (string | null | undefined)[]): string[] {
  const seen = new Map<string, string>();
  for (const cell of cells) {
    const value = (cell ?? '').trim();
    if (value === '' || value.length > 200) continue;
    if (!/[a-z]/i.test(value)) continue;
    const key = value.toLowerCase();
    if (!seen.has(key)) seen.set(key, value);
    if (seen.size >= 5) break;
  }
  return [...seen.values()];
}

/** Cells of title and metadata rows that name a body: those that say council or authority, GSS codes and URIs. */
export function titleBodyValues(rows: readonly (readonly string[])[]): string[] {
  const cells = rows
    .flat()
    .filter((cell) => /\b(council|authority)\b/i.test(cell) || GSS_CODE.test(cell) || /^https?:\/\/.*\/id\//i.test(cell.trim()));
  return bodyValues(cells);
}

/**
 * The first name in the file that the register knows as another organisation, or null. Names that match the
 * chosen organisation, or that the register cannot place, are passed over.
 */
export async function findOrganisationMismatch(
  values: readonly string[],
  chosen: Organisation,
  organisationsService: Pick<OrganisationsService, 'getOrganisation' | 'listOrganisations'>,
): Promise<OrganisationMismatch | null> {
  const chosenRef = { name: chosen.name, code: chosen.gssCode ?? chosen.slug };
  for (const value of values) {
    if (namesOrganisation(value, chosen)) continue;
    const other = await identify(value, organisationsService);
    if (other && other.id !== chosen.id)
      return { named: value, other: { name: other.name, code: other.gssCode ?? other.slug }, chosen: chosenRef };
  }
  return null;
}

async function identify(
  value: string,
  organisationsService: Pick<OrganisationsService, 'getOrganisation' | 'listOrganisations'>,
): Promise<Organisation | null> {
  const gss = GSS_CODE.exec(value)?.[1]?.toUpperCase();
  const lookups = gss ? [gss] : candidateTexts(value);
  for (const text of lookups) {
    try {
      return await organisationsService.getOrganisation(text);
    } catch {
      // Not a code: try it as a name.
    }
    const core = coreBodyName(text.replace(/-/g, ' '));
    if (core === '') continue;
    const { items } = await organisationsService.listOrganisations({ q: core, page: 1, pageSize: 20 });
    const matches = items.filter((item) =>
      [item.name, item.officialName, ...item.alternativeNames].some((name) => coreBodyName(name) === core),
    );
    const current = matches.filter((item) => item.current);
    const found = current.length === 1 ? current[0] : matches.length === 1 ? matches[0] : undefined;
    if (found) return organisationsService.getOrganisation(found.gssCode ?? found.slug);
  }
  return null;
}

/** The refusal people read, with the way to import the file anyway. */
export function describeOrganisationMismatch(mismatch: OrganisationMismatch): string {
  return (
    `the file names its body as "${mismatch.named}", which is ${mismatch.other.name} (${mismatch.other.code}), not ${mismatch.chosen.name} (${mismatch.chosen.code}). ` +
    `Import it for ${mismatch.other.name} instead, or if it really is ${mismatch.chosen.name}'s file, confirm that on the form or give --organisation-mismatch=accept`
  );
}
