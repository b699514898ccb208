import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../code-locations.js';
import { xmlText as escapeXml } from '../xml.js';

/**
 * A server-rendered SVG hex map of councils (HexJSON, as published by Open Innovations).
 *
 * The map is a picture, not the data: every page that shows one MUST put a table of the same figures beside it
 * (a caption, the council counts per status, and a way to find each council), because a hex map cannot be read by
 * everyone. The SVG itself carries role="img", a <title> and a <desc> summarising the counts, and a <title> on each
 * hex naming the council and its status. Status is shown by colour AND by a pattern (solid, stripes, dots, ...)
 * repeated in the legend, so it is never carried by colour alone; colours have at least 3:1 contrast with white.
 *
 * The district map (`uk-local-authority-districts-2025.hexjson`) holds lower-tier and unitary areas only:
 * county councils are not on it, so the page text must say how counties are shown.
 */

/** The four HexJSON layouts: "r" layouts have pointy-topped hexes in offset rows, "q" layouts flat-topped. */
export type HexLayout = 'odd-r' | 'even-r' | 'odd-q' | 'even-q';

/** One hex: an area keyed by its GSS code, at column q and row r (rows counted upwards). */
export interface HexMapHex {
  readonly code: string;
  readonly name: string;
  readonly q: number;
  readonly r: number;
  readonly region?: string;
}

/** A loaded HexJSON file. */
export interface HexMap {
  readonly layout: HexLayout;
  readonly hexes: readonly HexMapHex[];
}

/** One entry of the legend; `className` is put on each hex of that status so a page may restyle it. */
export interface HexMapLegendEntry {
  readonly status: string;
  readonly label: string;
  readonly className: string;
  /** Fill colour; defaults to a palette whose colours all have at least 3:1 contrast with white. */
  readonly colour?: string;
}

/** What `renderHexMap` draws. */
export interface HexMapOptions {
  readonly hexes: HexMap | readonly HexMapHex[];
  readonly statusByGssCode: ReadonlyMap<string, string>;
  readonly legend: readonly HexMapLegendEntry[];
  readonly title: string;
  readonly description: string;
  /** Only when `hexes` is a plain list; a loaded HexMap brings its own layout. Defaults to odd-r. */
  readonly layout?: HexLayout;
  /** Label for hexes with no status (shown in the legend). Defaults to "No declaration". */
  readonly noStatusLabel?: string;
  /** Prefix for element ids, so that two maps on one page do not clash. Defaults to "hex-map". */
  readonly idPrefix?: string;
}

/** GOV.UK colours, each with at least 3:1 contrast against white (WCAG 2.2 non-text contrast). */
const PALETTE = ['#00703c', '#1d70b8', '#4c2c92', '#d4351c', '#505a5f', '#912b88'] as const;
const NO_STATUS_FILL = '#ffffff';
const OUTLINE = '#0b0c0c';
const HEX_SIZE = 10;
const loaded = new Map<string, HexMap>();

/** The hex map of local authority districts (Open Innovations, MIT), kept in data/reference/maps. */
export const DISTRICT_HEX_MAP_FILE = path.join(projectRoot, 'data', 'reference', 'maps', 'uk-local-authority-districts-2025.hexjson');

/** Reads a HexJSON file (cached per path), checking its layout and the position of each hex. */
export function loadHexMap(file: string): HexMap {
  const cached = loaded.get(file);
  if (cached) return cached;
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const map = parseHexJson(parsed, file);
  loaded.set(file, map);
  return map;
}

/** Turns parsed HexJSON into a HexMap, or throws naming the file and the faulty hex. */
export function parseHexJson(parsed: unknown, source = 'HexJSON'): HexMap {
  if (!isRecord(parsed) || !isRecord(parsed.hexes)) throw new Error(`${source}: not a HexJSON document (no "hexes" object)`);
  const layout = parsed.layout;
  if (layout !== 'odd-r' && layout !== 'even-r' && layout !== 'odd-q' && layout !== 'even-q') {
    throw new Error(`${source}: unknown layout ${JSON.stringify(layout)}`);
  }
  const hexes: HexMapHex[] = [];
  for (const [code, value] of Object.entries(parsed.hexes)) {
    if (!isRecord(value) || typeof value.q !== 'number' || typeof value.r !== 'number') {
      throw new Error(`${source}: hex ${code} has no numeric q and r`);
    }
    hexes.push({
      code,
      name: typeof value.n === 'string' ? value.n : code,
      q: value.q,
      r: value.r,
      ...(typeof value.region === 'string' ? { region: value.region } : {}),
    });
  }
  return { layout, hexes };
}

/** Renders an accessible SVG string; put a table of the same figures beside it. */
export function renderHexMap(options: HexMapOptions): string {
  const map: HexMap = isHexMap(options.hexes) ? options.hexes : { layout: options.layout ?? 'odd-r', hexes: options.hexes };
  const prefix = (options.idPrefix ?? 'hex-map').replace(/[^A-Za-z0-9_-]/g, '-');
  const noStatusLabel = options.noStatusLabel ?? 'No declaration';
  const entries = options.legend.map((entry, index) => ({
    ...entry,
    colour: entry.colour ?? PALETTE[index % PALETTE.length] ?? OUTLINE,
    patternId: `${prefix}-pattern-${index}`,
    pattern: PATTERNS[index % PATTERNS.length] ?? solidPattern,
  }));
  const entryByStatus = new Map(entries.map((entry) => [entry.status, entry]));
  const pointy = map.layout.endsWith('-r');
  const width = pointy ? Math.sqrt(3) * HEX_SIZE : 2 * HEX_SIZE;
  const height = pointy ? 2 * HEX_SIZE : Math.sqrt(3) * HEX_SIZE;
  const positions = map.hexes.map((hex) => ({ hex, ...centreOf(hex, map.layout, width, height) }));
  const xs = positions.map((p) => p.x);
  const ys = positions.map((p) => p.y);
  const minX = Math.min(...xs, 0) - width;
  const maxX = Math.max(...xs, 0) + width;
  const minY = Math.min(...ys, 0) - height;
  const maxY = Math.max(...ys, 0) + height;
  const legendTop = maxY + HEX_SIZE;
  const legendRowHeight = 2.6 * HEX_SIZE;
  const legendRows = entries.length + 1;
  const viewHeight = legendTop + legendRows * legendRowHeight - minY;
  const titleId = `${prefix}-title`;
  const descriptionId = `${prefix}-description`;
  const counts = new Map<string, number>();
  for (const { hex } of positions) {
    const status = options.statusByGssCode.get(hex.code);
    const key = status !== undefined && entryByStatus.has(status) ? status : '';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const summary = [
    ...entries.map((entry) => `${entry.label}: ${counts.get(entry.status) ?? 0}`),
    `${noStatusLabel}: ${counts.get('') ?? 0}`,
  ].join('; ');

  const hexOutline = hexPoints(pointy, 0, 0);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-hex-map" role="img" aria-labelledby="${titleId} ${descriptionId}"` +
      ` viewBox="${fixed(minX)} ${fixed(minY)} ${fixed(maxX - minX)} ${fixed(viewHeight)}" preserveAspectRatio="xMidYMin meet">`,
    `<title id="${titleId}">${escapeXml(options.title)}</title>`,
    `<desc id="${descriptionId}">${escapeXml(`${options.description} Areas on the map: ${summary}.`)}</desc>`,
    '<defs>',
    `<polygon id="${prefix}-hex" points="${hexOutline}"/>`,
    ...entries.map((entry) => entry.pattern(entry.patternId, entry.colour)),
    '</defs>',
  );
  parts.push('<g class="app-hex-map__hexes">');
  for (const { hex, x, y } of positions) {
    const status = options.statusByGssCode.get(hex.code);
    const entry = status === undefined ? undefined : entryByStatus.get(status);
    const fill = entry ? `url(#${entry.patternId})` : NO_STATUS_FILL;
    const className = entry ? ` class="${escapeXml(entry.className)}"` : ' class="app-hex-map__no-status"';
    parts.push(
      `<use href="#${prefix}-hex" x="${fixed(x)}" y="${fixed(y)}" fill="${fill}" stroke="${OUTLINE}" stroke-width="0.6"` +
        ` data-gss-code="${escapeXml(hex.code)}"${className}>` +
        `<title>${escapeXml(`${hex.name}: ${entry ? entry.label : noStatusLabel}`)}</title></use>`,
    );
  }
  parts.push('</g>');
  parts.push('<g class="app-hex-map__legend">');
  const legendItems = [
    ...entries.map((entry) => ({ fill: `url(#${entry.patternId})`, label: entry.label, count: counts.get(entry.status) ?? 0 })),
    { fill: NO_STATUS_FILL, label: noStatusLabel, count: counts.get('') ?? 0 },
  ];
  legendItems.forEach((item, index) => {
    const y = legendTop + index * legendRowHeight;
    parts.push(
      `<rect x="${fixed(minX + HEX_SIZE)}" y="${fixed(y)}" width="${fixed(1.8 * HEX_SIZE)}" height="${fixed(1.8 * HEX_SIZE)}"` +
        ` fill="${item.fill}" stroke="${OUTLINE}" stroke-width="0.6"/>`,
      `<text x="${fixed(minX + 3.4 * HEX_SIZE)}" y="${fixed(y + 1.35 * HEX_SIZE)}" font-size="${fixed(1.4 * HEX_SIZE)}"` +
        ` font-family="arial, sans-serif" fill="${OUTLINE}">${escapeXml(`${item.label} (${item.count})`)}</text>`,
    );
  });
  parts.push('</g>', '</svg>');
  return parts.join('\n');
}

type PatternMaker = (id: string, colour: string) => string;

/** A solid fill, the first pattern. */
const solidPattern: PatternMaker = (id, colour) =>
  `<pattern id="${id}" width="4" height="4" patternUnits="userSpaceOnUse"><rect width="4" height="4" fill="${colour}"/></pattern>`;

/** Solid, stripes, dots, cross-hatch, horizontal lines, checks: told apart without colour. */
const PATTERNS: readonly PatternMaker[] = [
  solidPattern,
  (id, colour) =>
    `<pattern id="${id}" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="4" height="4" fill="${colour}"/><rect width="1.3" height="4" fill="#ffffff"/></pattern>`,
  (id, colour) =>
    `<pattern id="${id}" width="4" height="4" patternUnits="userSpaceOnUse">` +
    `<rect width="4" height="4" fill="${colour}"/><circle cx="2" cy="2" r="0.9" fill="#ffffff"/></pattern>`,
  (id, colour) =>
    `<pattern id="${id}" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="4" height="4" fill="${colour}"/><rect width="0.9" height="4" fill="#ffffff"/><rect width="4" height="0.9" fill="#ffffff"/></pattern>`,
  (id, colour) =>
    `<pattern id="${id}" width="4" height="4" patternUnits="userSpaceOnUse">` +
    `<rect width="4" height="4" fill="${colour}"/><rect width="4" height="1.2" fill="#ffffff"/></pattern>`,
  (id, colour) =>
    `<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse">` +
    `<rect width="6" height="6" fill="${colour}"/><rect width="3" height="3" fill="#ffffff" fill-opacity="0.55"/></pattern>`,
];

function centreOf(hex: HexMapHex, layout: HexLayout, width: number, height: number): { x: number; y: number } {
  const odd = (value: number): boolean => Math.abs(value) % 2 === 1;
  if (layout === 'odd-r' || layout === 'even-r') {
    const shifted = layout === 'odd-r' ? odd(hex.r) : !odd(hex.r);
    // Rows count upwards (north is larger r), so y is flipped.
    return { x: hex.q * width + (shifted ? width / 2 : 0), y: -hex.r * height * 0.75 };
  }
  const shifted = layout === 'odd-q' ? odd(hex.q) : !odd(hex.q);
  return { x: hex.q * width * 0.75, y: -(hex.r * height + (shifted ? height / 2 : 0)) };
}

function hexPoints(pointy: boolean, cx: number, cy: number): string {
  const points: string[] = [];
  for (let corner = 0; corner < 6; corner += 1) {
    const angle = (Math.PI / 180) * (60 * corner + (pointy ? 30 : 0));
    points.push(`${fixed(cx + HEX_SIZE * 0.96 * Math.cos(angle))},${fixed(cy + HEX_SIZE * 0.96 * Math.sin(angle))}`);
  }
  return points.join(' ');
}

function fixed(value: number): string {
  return Number(value.toFixed(2)).toString();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHexMap(value: HexMap | readonly HexMapHex[]): value is HexMap {
  return !Array.isArray(value);
}
