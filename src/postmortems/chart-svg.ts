import type { ChartData, ChartMarker } from './chart-data.ts';
import { clockTime, oneLine } from './format.ts';

/**
 * The error-rate chart as a standalone SVG document, built by hand (no dependency): stacked bars
 * of the linked issues' events per bucket, with deploy, detection, mitigation and resolution
 * moments as vertical lines. Every piece of text (issue titles come from events: anyone with a
 * DSN writes them) is flattened to one line and XML-escaped.
 */

const WIDTH = 760;
const HEIGHT = 300;
const PLOT = { left: 52, right: 16, top: 44, bottom: 88 };
const COLORS = ['#dc2626', '#ea580c', '#ca8a04', '#7c3aed', '#0891b2', '#6b7280'];
const MARKER_COLORS: Record<ChartMarker['kind'], string> = {
  deploy: '#4b5563',
  detected: '#d97706',
  mitigation: '#16a34a',
  resolved: '#2563eb',
};

/** Text for XML: one line, no characters XML 1.0 forbids, the five specials escaped. */
export function xmlText(text: string, max = 80): string {
  return oneLine(text, max)
    .replace(/\p{Cs}/gu, '\uFFFD')
    .replace(/[\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A round axis maximum at or above the value: 1, 2, 5, 10, 20, 50, … */
function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

const fixed = (n: number) => Number(n.toFixed(1));

export function renderChartSvg(chart: ChartData, title: string): string {
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const buckets =
    chart.series[0]?.counts.length ?? Math.round((chart.end - chart.start) / (chart.bucketMinutes * 60_000));
  const totals = Array.from({ length: buckets }, (_, i) =>
    chart.series.reduce((sum, s) => sum + s.counts[i], 0),
  );
  const max = niceMax(Math.max(0, ...totals));
  const x = (at: number) => PLOT.left + ((at - chart.start) / (chart.end - chart.start)) * plotWidth;
  const y = (count: number) => PLOT.top + plotHeight - (count / max) * plotHeight;
  const barWidth = plotWidth / Math.max(1, buckets);
  const unit = chart.bucketMinutes === 1 ? 'minute' : `${chart.bucketMinutes} minutes`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="11">`,
    `<title>${xmlText(title, 200)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="16" font-size="13" font-weight="bold">${xmlText(`Events per ${unit} of the linked issues (UTC)`)}</text>`,
  ];
  for (const tick of [0, max / 2, max]) {
    out.push(
      `<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}" stroke="#e5e7eb"/>`,
      `<text x="${PLOT.left - 6}" y="${fixed(y(tick) + 4)}" text-anchor="end" fill="#374151">${Number.isInteger(tick) ? tick : tick.toFixed(1)}</text>`,
    );
  }
  chart.series.forEach((series, s) => {
    const below = (i: number) => chart.series.slice(0, s).reduce((sum, other) => sum + other.counts[i], 0);
    series.counts.forEach((count, i) => {
      if (count === 0) return;
      const top = y(below(i) + count);
      out.push(
        `<rect x="${fixed(PLOT.left + i * barWidth + barWidth * 0.1)}" y="${fixed(top)}" width="${fixed(Math.max(1, barWidth * 0.8))}" height="${fixed(y(below(i)) - top)}" fill="${COLORS[s % COLORS.length]}"><title>${count}</title></rect>`,
      );
    });
  });
  if (totals.every((t) => t === 0)) {
    out.push(
      `<text x="${PLOT.left + plotWidth / 2}" y="${PLOT.top + plotHeight / 2}" text-anchor="middle" fill="#6b7280">No events in this period</text>`,
    );
  }
  out.push(
    `<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${PLOT.top + plotHeight}" y2="${PLOT.top + plotHeight}" stroke="#374151"/>`,
  );
  const labels = Math.min(6, buckets);
  const multiDay = chart.end - chart.start > 86_400_000;
  for (let l = 0; l <= labels; l++) {
    const at = chart.start + Math.round((l / labels) * buckets) * chart.bucketMinutes * 60_000;
    const text = multiDay ? new Date(at).toISOString().slice(5, 16).replace('T', ' ') : clockTime(at);
    out.push(
      `<text x="${fixed(x(at))}" y="${PLOT.top + plotHeight + 14}" text-anchor="middle" fill="#374151">${text}</text>`,
    );
  }
  chart.markers.forEach((marker, i) => {
    const mx = fixed(x(marker.at));
    const color = MARKER_COLORS[marker.kind];
    out.push(
      `<line x1="${mx}" x2="${mx}" y1="${PLOT.top - 4}" y2="${PLOT.top + plotHeight}" stroke="${color}" stroke-width="1.5" stroke-dasharray="${marker.kind === 'deploy' ? '4 3' : 'none'}"/>`,
      `<text x="${mx + 3}" y="${PLOT.top - 8 - (i % 2) * 12}" fill="${color}">${xmlText(marker.label, 40)}</text>`,
    );
  });
  chart.series.forEach((series, s) => {
    const ly = PLOT.top + plotHeight + 34 + Math.floor(s / 2) * 16;
    const lx = PLOT.left + (s % 2) * (plotWidth / 2);
    out.push(
      `<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${COLORS[s % COLORS.length]}"/>`,
      `<text x="${lx + 14}" y="${ly}" fill="#111827">${xmlText(series.label, 55)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
