import { describe, expect, it } from 'vitest';
import { svgChart, svgGridRow, svgMeasuredLine, svgTargetLine } from './svg-chart.js';

describe('SVG chart pieces', () => {
  it('frame a chart as an image named by its title and description, with text escaped', () => {
    const svg = svgChart(
      { id: 'c1', title: 'Share <of> councils', description: 'Q1: 5% & Q2: 7%.', width: 640, height: 300, className: 'x' },
      ['<g/>'],
    );
    expect(svg.split('\n')).toEqual([
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 300" role="img" aria-labelledby="c1-title c1-desc" class="x" focusable="false">',
      '<title id="c1-title">Share &lt;of&gt; councils</title>',
      '<desc id="c1-desc">Q1: 5% &amp; Q2: 7%.</desc>',
      '<g/>',
      '</svg>',
    ]);
  });

  it('draw grid rows and the target across the plot, labelled', () => {
    expect(svgGridRow({ left: 50, right: 600 }, 120, '25%')).toEqual([
      '<line x1="50" x2="600" y1="120" y2="120" stroke="#b1b4b6" stroke-width="1"/>',
      '<text x="42" y="125" text-anchor="end" font-size="14" font-family="arial, sans-serif" fill="#0b0c0c">25%</text>',
    ]);
    expect(svgTargetLine({ left: 50, right: 600 }, 80, 'Target 40%')[0]).toBe(
      '<line x1="50" x2="600" y1="80" y2="80" stroke="#d4351c" stroke-width="3" stroke-dasharray="8 6"/>',
    );
  });

  it('draw a line only through two or more points unless asked, and a named marker on each', () => {
    const one = [{ x: 10, y: 20, name: 'Q1 & Q2' }];
    expect(svgMeasuredLine(one)).toEqual([
      '<circle cx="10.0" cy="20.0" r="5" fill="#1d70b8" stroke="#ffffff" stroke-width="2"><title>Q1 &amp; Q2</title></circle>',
    ]);
    expect(svgMeasuredLine(one, { lineFromOnePoint: true })[0]).toBe(
      '<polyline fill="none" stroke="#1d70b8" stroke-width="4" points="10.0,20.0"/>',
    );
    expect(svgMeasuredLine([...one, { x: 30.04, y: 40, name: 'b' }])[0]).toContain('points="10.0,20.0 30.0,40.0"');
  });
});
