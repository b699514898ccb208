import fs from 'node:fs';
import path from 'node:path';

/** One source file: its path from the project root (forward slashes) and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

export interface EdgeViolation {
  file: string;
  line: number;
  rule: 'platform-imports-module' | 'module-internals' | 'foreign-table' | 'foreign-table-type';
  detail: string;
}

const MODULES_ROOT = 'src/modules/';
const QUERY_CALL =
  /\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto)\(\s*['"]([a-z_][a-z0-9_]*)/g;
const QUALIFIED_COLUMN = /['"]([a-z_][a-z0-9_]*)\.(?:[a-z_][a-z0-9_]*|\*)(?:\s+as\s+[a-z_][a-z0-9_]*)?['"]/g;
const RAW_SQL_TABLE = /\b(?:from|join|into|update)\s+([a-z_][a-z0-9_]*)\b|\b([a-z_][a-z0-9_]*)\.[a-z_][a-z0-9_]*\b/gi;
const IMPORT_FROM = /\b(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The module a file belongs to (the first folder under src/modules), or null. */
function moduleOf(file: string): string | null {
  if (!file.startsWith(MODULES_ROOT)) return null;
  return file.slice(MODULES_ROOT.length).split('/')[0] ?? null;
}

function isTest(file: string): boolean {
  return /\.test\.ts$/.test(file) || /\.factories\.ts$/.test(file) || /\.authorisation\.ts$/.test(file);
}

/** Text with comments blanked (line numbers kept), so prose never counts as a query. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/**
 * Which module owns each table: the keys of the `…Tables` interfaces in a module's `*.tables.ts` files.
 * Keys of `…ReadModels` interfaces are read models the owner exports for anyone to read.
 */
export function tableOwners(files: readonly SourceFile[]): { owners: Map<string, string>; readModels: Set<string> } {
  const owners = new Map<string, string>();
  const readModels = new Set<string>();
  for (const file of files) {
    const owner = moduleOf(file.path);
    if (!owner || !file.path.endsWith('.tables.ts')) continue;
    for (const match of file.text.matchAll(/export interface (\w+?)(Tables|ReadModels) \{([^}]*)\}/g)) {
      const body = match[3] ?? '';
      for (const key of body.matchAll(/^\s*([a-z_][a-z0-9_]*)\s*:/gm)) {
        if (!key[1]) continue;
        if (match[2] === 'ReadModels') readModels.add(key[1]);
        else owners.set(key[1], owner);
      }
    }
  }
  return { owners, readModels };
}

function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/\.js$/, '.ts');
}

/** Every place where code crosses a module edge other than through the other module's index.ts or read models. */
export function findEdgeViolations(files: readonly SourceFile[]): EdgeViolation[] {
  const { owners, readModels } = tableOwners(files);
  const violations: EdgeViolation[] = [];
  for (const file of files) {
    const text = withoutComments(file.text);
    const ownModule = moduleOf(file.path);
    for (const match of text.matchAll(IMPORT_FROM)) {
      const target = resolveImport(file.path, match[1] ?? match[2] ?? '');
      if (!target) continue;
      const line = lineAt(text, match.index);
      if (file.path.startsWith('src/platform/') && (target.startsWith(MODULES_ROOT) || target.startsWith('src/app/'))) {
        violations.push({ file: file.path, line, rule: 'platform-imports-module', detail: `imports ${target}` });
      }
      const targetModule = moduleOf(target);
      if (ownModule && targetModule && targetModule !== ownModule) {
        if (target !== `${MODULES_ROOT}${targetModule}/index.ts`) {
          violations.push({ file: file.path, line, rule: 'module-internals', detail: `imports ${target}, not ${targetModule}/index.ts` });
        } else if (!isTest(file.path) && /\b\w+(?:Own)?Tables\b/.test(match[0]) && !/^\s*export/.test(match[0])) {
          const names = [...match[0].matchAll(/\b(\w+Tables)\b/g)].map((name) => name[1]);
          violations.push({
            file: file.path,
            line,
            rule: 'foreign-table-type',
            detail: `uses ${names.join(', ')} of ${targetModule}: read its service or read models instead`,
          });
        }
      }
    }
    if (!ownModule || isTest(file.path) || file.path.endsWith('.tables.ts')) continue;
    const foreign = (table: string | undefined): string | null => {
      if (!table || readModels.has(table)) return null;
      const owner = owners.get(table);
      return owner && owner !== ownModule ? owner : null;
    };
    const report = (table: string, index: number) => {
      violations.push({
        file: file.path,
        line: lineAt(text, index),
        rule: 'foreign-table',
        detail: `names table ${table} of module ${String(owners.get(table))}`,
      });
    };
    const seen = new Set<string>();
    const reportOnce = (table: string | undefined, index: number) => {
      if (!table || !foreign(table)) return;
      const key = `${table}@${lineAt(text, index)}`;
      if (seen.has(key)) return;
      seen.add(key);
      report(table, index);
    };
    for (const match of text.matchAll(QUERY_CALL)) reportOnce(match[1], match.index);
    for (const match of text.matchAll(QUALIFIED_COLUMN)) reportOnce(match[1], match.index);
    for (const template of text.matchAll(/\bsql(?:<[^`]*?>)?`([^`]*)`/g)) {
      for (const match of (template[1] ?? '').matchAll(RAW_SQL_TABLE)) {
        reportOnce(match[1] ?? match[2], template.index + (match.index ?? 0));
      }
    }
  }
  return violations;
}

/** The project's TypeScript sources under src/, read from disk. */
export function readSourceTree(projectRoot: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(path.join(projectRoot, folder), { withFileTypes: true })) {
      const relative = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.ts')) files.push({ path: relative, text: fs.readFileSync(path.join(projectRoot, relative), 'utf8') });
    }
  };
  walk('src');
  return files;
}
