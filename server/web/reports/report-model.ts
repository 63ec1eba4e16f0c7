import { barChartSvg, formatCell, localStamp, reportTables, DEFAULT_THRESHOLDS, type Report } from '../../reports/index.js';
import { t, type Locale } from '../i18n/index.js';

// The printable report's view model: every string translated, every figure formatted,
// the charts drawn. Used for the page, the email and the PDF alike.

export interface ReportLinks {
  /** Prefix of the CSV links: '' on the page, the public URL in an email. */
  base: string;
}

const DEFINITIONS = ['offered', 'answered', 'abandoned', 'shortAbandoned', 'timedOut', 'callbacks', 'serviceLevel', 'serviceLevelInclusive', 'abandonRate', 'asa', 'maxWait', 'aht', 'handled', 'occupancy'] as const;

export const reportPath = (r: Report) => `/reports/${r.period.kind}/${r.period.kind === 'monthly' || r.period.kind === 'range' ? r.period.key : r.period.from}`;

export function reportTitle(r: Report, locale: Locale): string {
  return `${t(locale, `report.kind.${r.period.kind}`)} ${r.period.key}`;
}

function charts(r: Report, locale: Locale) {
  // Days as MM-DD under a chart: the year is in the header, and the axis has no room for it.
  const labels = r.buckets.map((b) => (/^\d{4}-\d{2}-\d{2}$/.test(b.label) ? b.label.slice(5) : b.label));
  const targets = Object.values(r.thresholds).map((th) => th.serviceLevelTargetPct);
  const target = targets.length ? Math.max(...targets) : DEFAULT_THRESHOLDS.serviceLevelTargetPct;
  return [
    barChartSvg({
      title: t(locale, 'report.chart.volume'), labels,
      series: [
        { name: t(locale, 'report.col.offered'), color: '#9db4d0', values: r.buckets.map((b) => b.queue.offered) },
        { name: t(locale, 'report.col.answered'), color: '#1f4e79', values: r.buckets.map((b) => b.queue.answered) },
      ],
    }),
    barChartSvg({
      title: t(locale, 'report.chart.serviceLevel'), labels, max: 100, unit: '%',
      series: [{ name: t(locale, 'report.col.serviceLevel'), color: '#4a7f3a', values: r.buckets.map((b) => (b.queue.serviceLevel === null ? null : Math.round(b.queue.serviceLevel * 1000) / 10)) }],
      target: { value: target, label: t(locale, 'report.chart.target', { pct: target }) },
    }),
  ];
}

function thresholdRows(r: Report, locale: Locale) {
  const entries = Object.entries(r.thresholds);
  const rows = entries.length ? entries : [[t(locale, 'report.thresholds.defaults'), DEFAULT_THRESHOLDS] as const];
  return rows.map(([queue, th]) => ({ queue, ...th }));
}

export function reportModel(r: Report, locale: Locale, site: string, links: ReportLinks) {
  const path = reportPath(r);
  const tables = r.state === 'future' ? [] : reportTables(r, t(locale, 'report.total')).map((tb) => ({
    id: tb.id, wide: tb.id === 'intervals', chartsAfter: tb.id === 'totals',
    title: t(locale, tb.id === 'intervals' ? `report.section.intervals.${tb.keyColumn}` : `report.section.${tb.id}`),
    csvHref: `${links.base}${path}/${tb.id}.csv`,
    headings: [t(locale, `report.col.${tb.keyColumn}`), ...tb.columns.map((c) => t(locale, `report.col.${c.id}`))],
    rows: tb.rows.map((row) => ({ label: row.label, cells: row.values.map((v, i) => formatCell(v, tb.columns[i]!.format)) })),
    empty: tb.rows.length === 0,
  }));
  return {
    locale, lang: locale,
    title: reportTitle(r, locale),
    site, periodText: r.period.from === r.period.to ? r.period.from : `${r.period.from} – ${r.period.to}`,
    generatedAt: localStamp(r.timeZone, r.generatedAt), timeZone: r.timeZone,
    future: r.state === 'future', current: r.state === 'current',
    pdfHref: `${links.base}${path}.pdf`,
    tables, charts: r.state === 'future' ? [] : charts(r, locale),
    definitions: DEFINITIONS.map((id) => ({ name: t(locale, `report.col.${id}`), text: t(locale, `report.def.${id}`) })),
    thresholds: thresholdRows(r, locale),
  };
}
