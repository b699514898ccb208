/**
 * Functions over 80 lines with no reason written where a reader meets them (in the comment above, or at the top of
 * their file for a file that says it is long on purpose). A reason says why a function stays long: "Over 80 lines as
 * a list of route declarations", "a hot loop", and so on.
 */
import ts from 'typescript';
import type { SourceFile } from './module-edges.js';

export const MAX_FUNCTION_LINES = 80;

/** Words that mark a written reason for a long function (or a long file). */
const REASON = /80 lines|hot loop|longer than|400 lines/i;

/**
 * Migrations are not read. A landed migration is never edited (CONTRIBUTING.md), so a long one can be neither split
 * nor given a written reason; and a migration's up() is a list of table definitions, run once, which helpers would
 * only scatter.
 */
const isMigration = (file: string) => file.startsWith('src/migrations/');

export interface LongFunction {
  file: string;
  line: number;
  lines: number;
  name: string;
}

export function findLongFunctionsWithoutReason(files: readonly SourceFile[]): LongFunction[] {
  const found: LongFunction[] = [];
  for (const file of files) {
    if (!file.path.startsWith('src/') || file.path.endsWith('.test.ts') || isMigration(file.path)) continue;
    const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
    const lines = file.text.split('\n');
    const visit = (node: ts.Node) => {
      if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) {
        const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
        const last = source.getLineAndCharacterOfPosition(node.end).line;
        const length = last - first + 1;
        const nearby = lines.slice(Math.max(0, first - 8), first + 3).join('\n');
        if (length > MAX_FUNCTION_LINES && !REASON.test(nearby))
          found.push({ file: file.path, line: first + 1, lines: length, name: node.name?.getText(source) ?? '(anonymous)' });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
