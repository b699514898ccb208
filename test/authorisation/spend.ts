import crypto from 'node:crypto';
import { type AuthorisationCase, type MatrixWorld, onlyAllowed, PERSONAS } from '../support/authorisation.js';
import { unique } from '../support/factories.js';
import { normaliseSupplierName } from '../../src/modules/spend/ingest/index.js';

const HEADERS = ['Date', 'Supplier', 'Amount'];

/** An expectation table: the listed personas get past authorisation to this exact status; everyone else is refused. */
function reachesWith(status: number, ...personas: (typeof PERSONAS)[number][]): AuthorisationCase['expect'] {
  return Object.fromEntries(
    PERSONAS.map((persona) => [persona, personas.includes(persona) ? status : 'refused']),
  ) as AuthorisationCase['expect'];
}

/** An upload of the home council waiting for its columns to be confirmed (its file need not exist: confirming does not read it). */
async function buildDraftImport(world: MatrixWorld): Promise<number> {
  const row = await world.db
    .insertInto('spend_import_jobs')
    .values({
      kind: 'file',
      organisation_id: world.home.id,
      organisation_code: world.home.code,
      organisation_name: 'Home council',
      requested_by: world.people.member.id,
      status: 'awaiting-confirmation',
      file_name: 'payments.csv',
      stored_path: `spend/${'0'.repeat(64)}`,
      sha256: '0'.repeat(64),
      total_bytes: 100,
      layout: JSON.stringify({ headers: HEADERS, mapping: { date: 0, supplierName: 1, amount: 2 } }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function buildSupplier(world: MatrixWorld, aliases: readonly string[]): Promise<number> {
  const name = `MATRIX SUPPLIER ${unique()}`;
  const row = await world.db
    .insertInto('suppliers')
    .values({ name, normalised_name: name, company_number: null, vat_number: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const alias of aliases.length > 0 ? aliases : [name]) {
    await world.db.insertInto('supplier_aliases').values({ alias, supplier_id: row.id, source: 'exact' }).execute();
  }
  return row.id;
}

async function buildMatchReview(world: MatrixWorld): Promise<number> {
  const existing = await buildSupplier(world, []);
  const added = await buildSupplier(world, []);
  const row = await world.db
    .insertInto('supplier_match_reviews')
    .values({
      raw_name: 'Matrix Supplier Ltd',
      normalised_name: 'MATRIX SUPPLIER',
      supplier_id: added,
      candidate_supplier_id: existing,
      similarity: 0.6,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An imported file of the home council with no rows (withdrawing it needs only its record). */
async function buildImportedFile(world: MatrixWorld): Promise<number> {
  const row = await world.db
    .insertInto('spend_files')
    .values({
      organisation_id: world.home.id,
      file_name: 'payments.csv',
      sha256: crypto.randomBytes(32).toString('hex'),
      byte_size: 10,
      stored_path: 'spend/none',
      status: 'imported',
      warnings: '[]',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const mappingForm = { map_date: '0', map_supplierName: '1', map_amount: '2' };

/** Who may use each state-changing route of spend: uploads, imports, bulk imports and supplier administration. */
export const spendAuthorisationCases: AuthorisationCase[] = [
  {
    route: 'POST /spend/organisations/:code/imports',
    kind: 'form',
    // The matrix sends a plain form, so people who may upload get as far as "choose a file" (400), with no write.
    expect: reachesWith(400, 'member', 'organisationAdmin', 'platformAdmin'),
    prepare: async (world) => ({ url: `/spend/organisations/${world.home.code}/imports` }),
  },
  ...(['mapping', 'confirm'] as const).map((action): AuthorisationCase => ({
    route: `POST /spend/imports/:id/${action}`,
    kind: 'form',
    // People who cannot see another organisation's import are told it does not exist, exactly as for an unknown id.
    expect: {
      ...onlyAllowed('member', 'organisationAdmin', 'platformAdmin'),
      unaffiliated: 404,
      otherOrganisationMember: 404,
      supplier: 404,
    },
    prepare: async (world) => ({ url: `/spend/imports/${await buildDraftImport(world)}/${action}`, body: mappingForm }),
  })),
  {
    route: 'POST /spend/bulk-imports',
    kind: 'form',
    expect: reachesWith(400, 'assessor', 'platformAdmin'),
    prepare: async () => ({ url: '/spend/bulk-imports' }),
  },
  {
    route: 'POST /manage/spend/suppliers/:id/merge',
    kind: 'form',
    expect: onlyAllowed('platformAdmin'),
    prepare: async (world) => {
      const into = await buildSupplier(world, []);
      return { url: `/manage/spend/suppliers/${into}/merge`, body: { from: String(await buildSupplier(world, [])) } };
    },
  },
  {
    route: 'POST /manage/spend/suppliers/:id/split',
    kind: 'form',
    expect: onlyAllowed('platformAdmin'),
    prepare: async (world) => {
      const tag = unique();
      const [alpha, beta] = [`Alpha ${tag}`, `Beta ${tag}`].map((name) => normaliseSupplierName(name));
      const id = await buildSupplier(world, [alpha ?? '', beta ?? '']);
      return { url: `/manage/spend/suppliers/${id}/split`, body: { aliases: [beta ?? ''], name: `Beta ${tag}` } };
    },
  },
  {
    route: 'POST /spend/files/:id/withdraw',
    kind: 'form',
    expect: onlyAllowed('organisationAdmin', 'platformAdmin'),
    prepare: async (world) => ({ url: `/spend/files/${await buildImportedFile(world)}/withdraw` }),
  },
  {
    route: 'POST /spend/files/:id/replace',
    kind: 'form',
    // The matrix sends a plain form, so people who may replace the file get as far as "choose a file" (400), with no write.
    expect: reachesWith(400, 'organisationAdmin', 'platformAdmin'),
    prepare: async (world) => ({ url: `/spend/files/${await buildImportedFile(world)}/replace` }),
  },
  {
    route: 'POST /api/v1/spend/files/:id/withdraw',
    kind: 'api',
    expect: onlyAllowed('organisationAdmin', 'platformAdmin'),
    prepare: async (world) => ({ url: `/api/v1/spend/files/${await buildImportedFile(world)}/withdraw`, body: {} }),
  },
  ...(['accept', 'reject'] as const).map((decision): AuthorisationCase => ({
    route: `POST /manage/spend/supplier-matches/:id/${decision}`,
    kind: 'form',
    expect: onlyAllowed('platformAdmin'),
    prepare: async (world) => ({ url: `/manage/spend/supplier-matches/${await buildMatchReview(world)}/${decision}` }),
  })),
];
