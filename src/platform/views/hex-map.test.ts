import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadHexMap, parseHexJson, renderHexMap } from './hex-map.js';

const districtMapFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../data/reference/maps/uk-local-authority-districts-2025.hexjson',
);

const legend = [
  { status: 'using', label: 'Using', className: 'app-hex--using' },
  { status: 'piloting', label: 'Piloting', className: 'app-hex--piloting' },
];

describe('hex maps of councils', () => {
  it('loads the district map with every area keyed by GSS code', () => {
    const map = loadHexMap(districtMapFile);
    expect(map.layout).toBe('odd-r');
    expect(map.hexes).toHaveLength(361);
    expect(map.hexes.find((hex) => hex.code === 'E07000178')).toMatchObject({ name: 'Oxford' });
    expect(map.hexes.filter((hex) => hex.code.startsWith('E'))).toHaveLength(296);
  });

  it('draws an accessible picture: role, title, description with counts, and a title per hex naming council and status', () => {
    const svg = renderHexMap({
      hexes: loadHexMap(districtMapFile),
      statusByGssCode: new Map([
        ['E07000178', 'using'],
        ['E08000035', 'piloting'],
        ['E08000009', 'using'],
      ]),
      legend,
      title: 'Councils using LocalGov Drupal',
      description: 'Each hexagon is a district or unitary council.',
    });
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="hex-map-title hex-map-description"/);
    expect(svg).toContain('<title id="hex-map-title">Councils using LocalGov Drupal</title>');
    expect(svg).toContain('Using: 2; Piloting: 1; No declaration: 358.');
    expect(svg).toContain('<title>Oxford: Using</title>');
    expect(svg).toContain('<title>Leeds: Piloting</title>');
    expect(svg).toContain('<title>Exeter: No declaration</title>');
    expect(svg.match(/<use /g)).toHaveLength(361);
  });

  it('shows status by pattern as well as colour, with a legend that repeats the counts', () => {
    const svg = renderHexMap({
      hexes: [{ code: 'E1', name: 'One', q: 0, r: 0 }],
      statusByGssCode: new Map([['E1', 'piloting']]),
      legend,
      title: 't',
      description: 'd',
      idPrefix: 'second map',
    });
    expect(svg).toContain('id="second-map-pattern-0"');
    expect(svg).toMatch(/<pattern id="second-map-pattern-1"[^>]*patternTransform="rotate\(45\)">.*fill="#ffffff"/);
    expect(svg).toContain('fill="url(#second-map-pattern-1)"');
    expect(svg).toContain('class="app-hex--piloting"');
    expect(svg).toContain('>Piloting (1)</text>');
    expect(svg).toContain('>Using (0)</text>');
  });

  it('escapes names so a council called "A & B <x>" cannot break the markup', () => {
    const svg = renderHexMap({
      hexes: [{ code: 'E1', name: 'A & B <x>', q: 1, r: 1 }],
      statusByGssCode: new Map(),
      legend,
      title: 'T & "quoted"',
      description: 'd',
    });
    expect(svg).toContain('<title>A &amp; B &lt;x&gt;: No declaration</title>');
    expect(svg).toContain('T &amp; &quot;quoted&quot;');
  });

  it('refuses a document that is not HexJSON, naming the fault', () => {
    expect(() => parseHexJson({ layout: 'odd-r', hexes: { E1: { q: 'x', r: 1 } } }, 'bad.hexjson')).toThrow(
      'bad.hexjson: hex E1 has no numeric q and r',
    );
    expect(() => parseHexJson({ layout: 'spiral', hexes: {} })).toThrow('unknown layout "spiral"');
    expect(() => parseHexJson([])).toThrow('not a HexJSON document');
  });
});
