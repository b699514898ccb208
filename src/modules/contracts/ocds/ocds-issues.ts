import type { OcdsIssue } from './ocds-types.js';

/** Stands for a unit's place in paths until the file's layout is known ("$", or "$[n]" in a list or JSON Lines). */
export function unitToken(unit: number): string {
  return `${MARK}${unit}${MARK}`;
}

const MARK = String.fromCharCode(1);
const UNIT_TOKEN = new RegExp(`${MARK}(\\d+)${MARK}`);

type Layout = 'single' | 'list' | 'sequence';

/** A path with its unit written as the layout makes it: "$" for a file of one value, else "$[n]". */
export function renderPath(path: string, layout: Layout): string {
  return path.replace(UNIT_TOKEN, (_whole, unit: string) => (layout === 'single' ? '$' : `$[${unit}]`));
}

interface Group {
  message: string;
  paths: string[];
  count: number;
  line?: number;
  column?: number;
}

/**
 * Errors or warnings grouped as the OCDS Data Review Tool groups them: by message and by the path with its
 * positions left out, so "date is missing but required" lists every release that lacks a date.
 */
export class IssueLog {
  private readonly groups = new Map<string, Group>();
  total = 0;

  constructor(private readonly maxPaths: number) {}

  add(path: string, message: string, position?: { line: number; column: number }): void {
    this.total += 1;
    const generic = path.replace(UNIT_TOKEN, '$').replace(/\[\d+\]/g, '[]');
    const key = `${generic}\u0000${message}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { message: `${fieldOf(generic)}${message}`, paths: [], count: 0, ...position };
      this.groups.set(key, group);
    }
    group.count += 1;
    if (group.paths.length < this.maxPaths && !group.paths.includes(path)) group.paths.push(path);
  }

  /** The groups, with each unit's place written as the layout makes it. */
  render(layout: Layout): OcdsIssue[] {
    return [...this.groups.values()].map((group) => ({ ...group, paths: group.paths.map((path) => renderPath(path, layout)) }));
  }
}

/** "$.releases[].tender.value.amount" gives "amount "; "$.releases[].tag[]" gives "tag item "; "$" gives "". */
function fieldOf(generic: string): string {
  const match = /\.([A-Za-z_$][\w$]*)((?:\[\])*)$/.exec(generic);
  if (match === null) return '';
  return match[2] === '' ? `${match[1]} ` : `${match[1]} item `;
}

/** One line per group for people and logs: the message, then where. */
export function describeIssue(issue: OcdsIssue): string {
  const more = issue.count > issue.paths.length ? ` and ${issue.count - issue.paths.length} more` : '';
  const position = issue.line === undefined ? '' : ` (line ${issue.line}, column ${issue.column})`;
  return `${issue.message}${position}: ${issue.paths.join(', ')}${more}`;
}
