/** Finding the organisation a spending file is imported for, and the other body a file's first rows may name. */
import { InputError, NotFoundError } from '../../platform/errors.js';
import type { OrganisationsService } from '../organisations/index.js';
import type { previewSpendBytes } from './ingest/index.js';
import { bodyValues, findOrganisationMismatch, type OrganisationMismatch, titleBodyValues } from './spend-organisation-check.js';

type Organisations = Pick<OrganisationsService, 'getOrganisation' | 'listOrganisations'>;

/**
 * The other body of the register a file's first rows or title name, when it is not the organisation coded
 * `organisationCode`, or null: the same check an import makes before it writes a row.
 */
export async function mismatchInPreview(
  organisationsService: Organisations,
  preview: Pick<Awaited<ReturnType<typeof previewSpendBytes>>, 'layout' | 'rows' | 'titleRows'>,
  organisationCode: string,
): Promise<OrganisationMismatch | null> {
  const columns = [preview.layout.mapping.organisation, preview.layout.mapping.organisationName].filter((index) => index !== undefined);
  const values = [...bodyValues(preview.rows.flatMap((row) => columns.map((index) => row[index]))), ...titleBodyValues(preview.titleRows)];
  if (values.length === 0) return null;
  const chosen = await organisationsService.getOrganisation(organisationCode);
  return (await findOrganisationMismatch(values, chosen, organisationsService)) ?? null;
}

/** An organisation by GSS code, registry code, slug or (unambiguous) name. */
export async function findOrganisationByNameOrCode(organisationsService: Organisations, nameOrCode: string) {
  try {
    return await organisationsService.getOrganisation(nameOrCode.trim());
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const { items } = await organisationsService.listOrganisations({ q: nameOrCode.trim(), page: 1, pageSize: 20 });
  const wanted = nameOrCode.trim().toLowerCase();
  const exact = items.filter((item) => item.name.toLowerCase() === wanted || item.officialName.toLowerCase() === wanted);
  const matches = exact.length > 0 ? exact : items;
  if (matches.length === 1 && matches[0]) return organisationsService.getOrganisation(matches[0].gssCode ?? matches[0].slug);
  if (matches.length === 0) throw new NotFoundError(`No organisation is called or coded ${nameOrCode}`);
  const current = matches.filter((item) => item.current);
  if (current.length === 1 && current[0]) return organisationsService.getOrganisation(current[0].gssCode ?? current[0].slug);
  throw new InputError(
    `"${nameOrCode}" could be ${matches
      .slice(0, 5)
      .map((item) => `${item.name} (${item.gssCode ?? item.slug})`)
      .join(', ')}: give a GSS code`,
  );
}
