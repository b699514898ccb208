/**
 * The register of data standards: Table Schemas and Data Packages, versioned, with example files, the
 * agreements that use them and which councils publish conforming data. Each standard is also the catalogue's
 * component of kind "data standard": one record there, which this register points at by slug.
 */
import type { Clock } from '../../platform/clock.js';
import { NotFoundError } from '../../platform/errors.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import type { OrganisationsService } from '../organisations/index.js';
import type { DataSharingRepository, StandardRow } from './data-sharing.repository.js';
import type { StandardStatus } from './data-sharing.tables.js';
import {
  type DataPackage,
  isDataPackageDescriptor,
  readDataPackage,
  readTableSchema,
  type TableSchema,
} from './validation/table-schema.js';

/** What the register asks of the catalogue: make sure the standard's component exists, and say its slug. */
export interface StandardComponents {
  ensureDataStandardComponent(input: {
    name: string;
    summary: string;
    description: string;
    licence: string;
    documentationUrl: string;
    maintainer: string;
  }): Promise<string>;
  componentExists(slug: string): Promise<boolean>;
}

export interface StandardDefinition {
  slug: string;
  name: string;
  summary: string;
  ownerName: string;
  status: StandardStatus;
  licence: string;
  guidance: string;
  sourceUrl: string;
  version: string;
  versionNotes: string;
  descriptor: unknown;
  examples: { fileName: string; description: string; content: string }[];
}

export interface StandardSummary {
  slug: string;
  name: string;
  summary: string;
  owner: string;
  status: StandardStatus;
  licence: string;
  kind: 'table-schema' | 'data-package';
  componentSlug: string | null;
  url: string;
  updatedAt: string;
}

/** The schema a file is checked against: one table's, or the package's resource matching the file. */
export type StandardSchema = { kind: 'table'; schema: TableSchema } | { kind: 'package'; pkg: DataPackage };

function presentStandard(row: StandardRow): StandardSummary {
  return {
    slug: row.slug,
    name: row.name,
    summary: row.summary,
    owner: row.owner_name,
    status: row.status,
    licence: row.licence,
    kind: row.kind,
    componentSlug: row.component_slug,
    url: `/data-sharing/standards/${row.slug}`,
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * The register of data standards: listing, one standard with its versions and examples, descriptors, search documents.
 * Over 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createDataStandardsService({
  repository,
  organisationsService,
  components,
  clock,
}: {
  repository: DataSharingRepository;
  organisationsService: OrganisationsService;
  components: StandardComponents;
  clock: Clock;
}) {
  async function requireStandard(slug: string): Promise<StandardRow> {
    const row = await repository.findStandardBySlug(slug);
    if (!row) throw new NotFoundError(`No data standard has the address ${slug}`);
    return row;
  }

  async function latestDescriptor(row: StandardRow): Promise<{ version: string; descriptor: unknown }> {
    const [latest] = await repository.listStandardVersions(row.id);
    if (!latest) throw new NotFoundError(`The data standard ${row.slug} has no version yet`);
    return { version: latest.version, descriptor: latest.descriptor };
  }

  return {
    /** The register, filtered. */
    async listStandards(filter: { q?: string; status?: string }): Promise<StandardSummary[]> {
      return (await repository.listStandards(filter)).map(presentStandard);
    },

    /** Every data standard as a search document (the register is public and small: always all of it). */
    async listSearchDocuments(): Promise<SearchDocumentInput[]> {
      const rows = await repository.listStandards({});
      return rows.map((row) => ({
        type: 'data-standard',
        key: row.slug,
        title: row.name,
        body: [row.summary, row.guidance, `Maintained by ${row.owner_name}. Licence: ${row.licence}.`].filter(Boolean).join('\n'),
        url: `/data-sharing/standards/${row.slug}`,
        visibility: 'public' as const,
        topics: [`data-standard:${row.slug}`, ...(row.component_slug ? [`component:${row.component_slug}`] : [])],
        updatedAt: row.updated_at,
      }));
    },

    /** One standard with its versions, schema fields, examples, agreements using it and councils publishing conforming data. */
    async getStandard(slug: string) {
      const row = await requireStandard(slug);
      const [versions, examples, agreements, latestReports] = await Promise.all([
        repository.listStandardVersions(row.id),
        repository.listExamples(row.id),
        repository.listAgreementsUsingStandard(slug),
        repository.listLatestReportsByOrganisation(row.id),
      ]);
      const latest = versions[0];
      const tables = latest ? describeTables(latest.descriptor) : [];
      const organisations = await organisationsService.listOrganisationsByIds(latestReports.map((report) => report.organisation_id ?? 0));
      const conforming = latestReports
        .filter((report) => report.valid)
        .map((report) => organisations.find((organisation) => organisation.id === report.organisation_id))
        .filter((organisation) => organisation !== undefined)
        .map((organisation) => ({ name: organisation.name, slug: organisation.slug }));
      return {
        standard: { ...presentStandard(row), guidance: row.guidance, sourceUrl: row.source_url },
        currentVersion: latest?.version ?? null,
        versions: versions.map((version) => ({
          version: version.version,
          notes: version.notes,
          createdAt: version.created_at.toISOString(),
        })),
        tables,
        examples: examples.map((example) => ({
          fileName: example.file_name,
          description: example.description,
          bytes: Buffer.byteLength(example.content),
        })),
        agreements: agreements.map((agreement) => ({ ...agreement, url: `/data-sharing/agreements/${agreement.slug}` })),
        conforming,
        checkedBy: latestReports.length,
      };
    },

    /** The latest version's descriptor (Table Schema or Data Package JSON), or undefined for an unknown slug. */
    async findStandardDescriptor(slug: string): Promise<unknown> {
      const row = await repository.findStandardBySlug(slug);
      return row ? (await latestDescriptor(row)).descriptor : undefined;
    },

    /** The latest version, read as a Table Schema or Data Package. */
    async getStandardSchema(
      slug: string,
    ): Promise<{ id: number; version: string; name: string; descriptor: unknown; schema: StandardSchema }> {
      const row = await requireStandard(slug);
      const { version, descriptor } = await latestDescriptor(row);
      const schema: StandardSchema = isDataPackageDescriptor(descriptor)
        ? { kind: 'package', pkg: readDataPackage(descriptor) }
        : { kind: 'table', schema: readTableSchema(descriptor) };
      return { id: row.id, version, name: row.name, descriptor, schema };
    },

    /** One example file's text. */
    async getExample(slug: string, fileName: string): Promise<string> {
      const row = await requireStandard(slug);
      const example = await repository.findExample(row.id, fileName);
      if (!example) throw new NotFoundError(`The data standard ${slug} has no example called ${fileName}`);
      return example.content;
    },

    standardExists: async (slug: string) => (await repository.findStandardBySlug(slug)) !== undefined,

    /** Reference content: adds a standard (and its catalogue component) or a new version of it. Safe to run again. */
    async registerStandard(definition: StandardDefinition): Promise<void> {
      const kind = isDataPackageDescriptor(definition.descriptor) ? 'data-package' : 'table-schema';
      // Refuse a schema this validator cannot read before anything is written.
      if (kind === 'data-package') readDataPackage(definition.descriptor);
      else readTableSchema(definition.descriptor);
      let row = await repository.findStandardBySlug(definition.slug);
      if (!row) {
        const componentSlug = await components.ensureDataStandardComponent({
          name: definition.name,
          summary: definition.summary,
          description: definition.guidance || definition.summary,
          licence: definition.licence,
          documentationUrl: definition.sourceUrl,
          maintainer: definition.ownerName,
        });
        row = await repository.insertStandard({
          slug: definition.slug,
          name: definition.name,
          summary: definition.summary,
          owner_name: definition.ownerName,
          status: definition.status,
          licence: definition.licence,
          guidance: definition.guidance,
          source_url: definition.sourceUrl,
          kind,
          component_slug: componentSlug,
          created_at: clock(),
          updated_at: clock(),
        });
      }
      await repository.insertStandardVersion(row.id, definition.version, definition.descriptor, definition.versionNotes);
      for (const example of definition.examples)
        await repository.insertExample(row.id, example.fileName, example.description, example.content);
    },
  };
}

export type DataStandardsService = ReturnType<typeof createDataStandardsService>;

/** The tables a descriptor defines, with their fields, for the standard's page. */
function describeTables(descriptor: unknown) {
  try {
    const tables = isDataPackageDescriptor(descriptor)
      ? readDataPackage(descriptor).resources.map((resource) => ({
          name: resource.name,
          path: resource.path,
          description: resource.description,
          schema: resource.schema,
        }))
      : [{ name: 'table', path: '', description: '', schema: readTableSchema(descriptor) }];
    return tables.map((table) => ({
      name: table.name,
      path: table.path,
      description: table.description,
      primaryKey: table.schema.primaryKey,
      foreignKeys: table.schema.foreignKeys.map((key) => ({
        fields: key.fields,
        resource: key.resource || table.name,
        referenceFields: key.referenceFields,
      })),
      fields: table.schema.fields.map((field) => ({
        name: field.name,
        type: field.type,
        format: field.format,
        required: field.constraints.required === true || table.schema.primaryKey.includes(field.name),
        description: field.description ?? '',
        constraints: Object.entries(field.constraints)
          .filter(([key]) => key !== 'required')
          .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`),
      })),
    }));
  } catch {
    return [];
  }
}
