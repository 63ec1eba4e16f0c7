// Charts as inline SVG built on the server: a printed page, an email and a PDF show them
// with no script, font or image to fetch. Every text put in is escaped here.

export interface Series {
  name: string;
  /** A fill colour; print-safe greys and blues. */
  color: string;
  values: Array<number | null>;
}

export interface BarChart {
  title: string;
  labels: string[];
  series: Series[];
  /** Fixed top of the axis (100 for percentages); otherwise from the data. */
  max?: number;
  /** A dashed line across, e.g. the service level target. */
  target?: { value: number; label: string };
  unit?: string;
}

// Sized for two charts side by side on A4 (about 95 mm each): text of 11 units prints near 6 pt.
const W = 560;
const H = 140;
const PAD = { left: 40, right: 8, top: 24, bottom: 40 };

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** 1, 2, 5, 10, 20, 50, ... at or above v, so the axis reads in round numbers. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

export function barChartSvg(c: BarChart): string {
  const top = c.max ?? niceMax(Math.max(0, ...c.series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, c.labels.length);
  const barW = Math.max(1, (slot * 0.8) / Math.max(1, c.series.length));
  const y = (v: number) => PAD.top + plotH - (Math.min(v, top) / top) * plotH;
  const parts: string[] = [];
  parts.push(`<text x="${PAD.left}" y="14" font-size="13" font-weight="bold">${esc(c.title)}</text>`);
  for (const tick of [0, top / 2, top]) {
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ccc" stroke-width="0.5"/>`);
    parts.push(`<text x="${PAD.left - 4}" y="${y(tick) + 3}" font-size="11" text-anchor="end">${esc(`${Number(tick.toFixed(1))}${c.unit ?? ''}`)}</text>`);
  }
  const every = Math.ceil(c.labels.length / 8);
  c.labels.forEach((label, i) => {
    c.series.forEach((s, k) => {
      const v = s.values[i];
      if (v === null || v === undefined || v <= 0) return;
      const x = PAD.left + i * slot + slot * 0.1 + k * barW;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.top + plotH - y(v)).toFixed(1)}" fill="${s.color}"><title>${esc(`${label} ${s.name}: ${v}`)}</title></rect>`);
    });
    if (i % every === 0) parts.push(`<text x="${(PAD.left + (i + 0.5) * slot).toFixed(1)}" y="${H - PAD.bottom + 14}" font-size="11" text-anchor="middle">${esc(label)}</text>`);
  });
  if (c.target) {
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(c.target.value)}" y2="${y(c.target.value)}" stroke="#b00" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${PAD.left + 3}" y="${y(c.target.value) - 3}" font-size="11" fill="#b00">${esc(c.target.label)}</text>`);
  }
  c.series.forEach((s, k) => {
    const x = PAD.left + k * 150;
    parts.push(`<rect x="${x}" y="${H - 12}" width="10" height="10" fill="${s.color}"/><text x="${x + 14}" y="${H - 3}" font-size="11">${esc(s.name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(c.title)}" font-family="sans-serif">${parts.join('')}</svg>`;
}
