// Charts: time series with uPlot, shares as an SVG pie.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el } from './dom';

const COLORS = ['#2f7d4f', '#d98e04', '#3867d6', '#c0392b', '#8e44ad', '#16a085', '#7f8c8d', '#e84393'];

/** A line chart of `series` over times `xs` (ms since the epoch). */
export function lineChart(
  title: string,
  xs: number[],
  series: { label: string; values: number[] }[],
): HTMLElement {
  const box = el('div', { class: 'chart', 'data-points': String(xs.length) });
  const opts: uPlot.Options = {
    title,
    width: 720,
    height: 260,
    scales: { x: { time: true } },
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2 }))],
  };
  const data: number[][] = [xs.map((x) => x / 1000), ...series.map((s) => [...s.values])];
  // uPlot measures its container, so draw once the box is in the page.
  requestAnimationFrame(() => plots.set(box, { plot: new uPlot(opts, data as uPlot.AlignedData, box), data }));
  return box;
}

const plots = new WeakMap<HTMLElement, { plot: uPlot; data: number[][] }>();

/** Adds a point (time `x` in ms, one value per series) to a chart made by `lineChart`. */
export function appendPoint(box: HTMLElement, x: number, ys: number[]): void {
  const chart = plots.get(box);
  if (!chart) return;
  chart.data[0].push(x / 1000);
  ys.forEach((y, i) => chart.data[i + 1]?.push(y));
  chart.plot.setData(chart.data as uPlot.AlignedData);
  box.setAttribute('data-points', String(chart.data[0].length));
}

/** The note a chart shows when the node serves no history. */
export function noHistory(what: string): HTMLElement {
  return el('p', { class: 'note no-history' },
    `${what}: history not available (start the node with the indexer).`);
}

/** A pie of `slices` (values as decimal strings or numbers) with a legend. */
export function pieChart(title: string, slices: { label: string; value: bigint }[]): HTMLElement {
  const total = slices.reduce((a, s) => a + s.value, 0n);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '-1 -1 2 2');
  svg.setAttribute('width', '180');
  svg.setAttribute('height', '180');
  svg.style.transform = 'rotate(-90deg)';
  let start = 0;
  const legend = el('ul', { class: 'legend' });
  slices.forEach((s, i) => {
    const fraction = total === 0n ? 0 : Number((s.value * 1_000_000n) / total) / 1_000_000;
    const color = COLORS[i % COLORS.length];
    const end = start + fraction;
    const path = document.createElementNS(ns, 'path');
    const [x0, y0] = [Math.cos(2 * Math.PI * start), Math.sin(2 * Math.PI * start)];
    const [x1, y1] = [Math.cos(2 * Math.PI * end), Math.sin(2 * Math.PI * end)];
    path.setAttribute('d', fraction >= 0.999999
      ? 'M 1 0 A 1 1 0 1 1 -1 0 A 1 1 0 1 1 1 0 Z'
      : `M ${x0} ${y0} A 1 1 0 ${fraction > 0.5 ? 1 : 0} 1 ${x1} ${y1} L 0 0 Z`);
    path.setAttribute('fill', color);
    svg.appendChild(path);
    legend.appendChild(el('li', {},
      el('span', { class: 'swatch', style: `background:${color}` }),
      `${s.label}: ${s.value.toString()} (${(fraction * 100).toFixed(2)} %)`));
    start = end;
  });
  return el('figure', { class: 'pie' }, el('figcaption', {}, title), svg, legend);
}
