import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findEdgeViolations, readSourceTree, type SourceFile, tableOwners } from './module-edges.js';

const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/** A small tree with two modules, to show what the check refuses. */
function treeWith(extra: SourceFile[]): SourceFile[] {
  return [
    {
      path: 'src/modules/alpha/alpha.tables.ts',
      text: 'export interface AlphaTables {\n  alpha_items: AlphaItemsTable;\n}\nexport interface AlphaReadModels {\n  alpha_directory: AlphaDirectoryView;\n}\n',
    },
    { path: 'src/modules/alpha/index.ts', text: "export { createAlphaService } from './alpha.service.js';\n" },
    { path: 'src/modules/beta/beta.tables.ts', text: 'export interface BetaOwnTables {\n  beta_things: BetaThingsTable;\n}\n' },
    ...extra,
  ];
}

describe('module edges', () => {
  it('hold on the tree: modules meet only through index.ts and read models, and the platform imports no module', () => {
    const violations = findEdgeViolations(readSourceTree(projectRoot));
    expect(violations.map((violation) => `${violation.file}:${violation.line} ${violation.rule}: ${violation.detail}`)).toEqual([]);
  });

  it('knows which module owns each table from the modules’ own table declarations', () => {
    const { owners, readModels } = tableOwners(readSourceTree(projectRoot));
    expect(owners.get('organisations')).toBe('organisations');
    expect(owners.get('users')).toBe('identity');
    expect(owners.get('components')).toBe('catalogue');
    expect(readModels.has('organisation_directory')).toBe(true);
  });

  it('fails on a query that names another module’s table, in the builder or in raw SQL', () => {
    const violations = findEdgeViolations(
      treeWith([
        {
          path: 'src/modules/beta/beta.repository.ts',
          text: [
            "export const list = (db) => db.selectFrom('beta_things').innerJoin('alpha_items', 'alpha_items.id', 'beta_things.alpha_id');",
            'export const raw = sql`select * from beta_things b join alpha_items a on a.id = b.alpha_id`;',
            "export const fine = (db) => db.selectFrom('alpha_directory').select('alpha_directory.name');",
            '// a comment that mentions alpha_items.id is not a query',
          ].join('\n'),
        },
      ]),
    );
    expect(violations.map(({ line, rule, detail }) => ({ line, rule, detail }))).toEqual([
      { line: 1, rule: 'foreign-table', detail: 'names table alpha_items of module alpha' },
      { line: 2, rule: 'foreign-table', detail: 'names table alpha_items of module alpha' },
    ]);
  });

  it('fails on an import of another module’s internals or table types, and on the platform importing a module', () => {
    const violations = findEdgeViolations(
      treeWith([
        { path: 'src/modules/beta/beta.service.ts', text: "import { createAlphaRepository } from '../alpha/alpha.repository.js';\n" },
        { path: 'src/modules/beta/beta.other.ts', text: "import type { AlphaTables } from '../alpha/index.js';\n" },
        { path: 'src/modules/beta/beta.fine.ts', text: "import { createAlphaService } from '../alpha/index.js';\n" },
        { path: 'src/platform/http/thing.ts', text: "import { createAlphaService } from '../../modules/alpha/index.js';\n" },
      ]),
    );
    expect(violations.map(({ file, rule }) => `${file} ${rule}`)).toEqual([
      'src/modules/beta/beta.service.ts module-internals',
      'src/modules/beta/beta.other.ts foreign-table-type',
      'src/platform/http/thing.ts platform-imports-module',
    ]);
  });
});
