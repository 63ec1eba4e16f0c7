// The printable reports against real MariaDB and Redis: a hand-counted day printed as a
// page, as CSV and as JSON with the same figures; an empty day of zeros and dashes; the
// week and month holding the day; bad dates, periods and tables refused with a clear 400
// or 404; a future day with no data yet; who may read them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';
import { DAY, EXPECTED, TZ, seedDay } from './report-seed.js';

let h: Harness;
let reader: string;

const get = (url: string, cookie = reader, extra: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers: { cookie, ...extra } });

/** The cells of a table's rows on the printable page: [label, ...cells]. */
function tableRows(html: string, id: string): string[][] {
  const section = new RegExp(`<section id="table-${id}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
  return [...section.matchAll(/<tr><th scope="row">([^<]*)<\/th>([\s\S]*?)<\/tr>/g)].map((m) => [m[1]!, ...[...m[2]!.matchAll(/<td>([^<]*)<\/td>/g)].map((c) => c[1]!)]);
}

const csvRows = (body: string) => body.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));

describe('the printable reports', { timeout: 60000 }, () => {
  before(async () => {
    h = await routingHarness({ timezone: TZ });
    await seedDay(h.app);
    reader = await h.signInAs('reports');
  });

  after(async () => {
    await h?.close();
  });

  it('admins, supervisors and report viewers read reports; agents may not; strangers sign in', async () => {
    assert.equal((await get(`/reports/daily/${DAY}`, h.cookie)).statusCode, 200);
    assert.equal((await get(`/reports/daily/${DAY}`, await h.signInAs('supervisor'))).statusCode, 200);
    assert.equal((await get(`/reports/daily/${DAY}`)).statusCode, 200);
    assert.equal((await get(`/reports/daily/${DAY}`, await h.signInAs('agent'))).statusCode, 403);
    assert.equal((await get('/reports/daily/2026-03-10/totals.csv', await h.signInAs('quality'))).statusCode, 403);
    const stranger = await get(`/reports/daily/${DAY}`, '');
    assert.equal(stranger.statusCode, 302);
    assert.match(stranger.headers.location as string, /^\/login\?next=/);
    assert.equal((await get('/api/v1/reports/daily/2026-03-10', '')).statusCode, 401);
  });

  it('the daily page prints the hand-counted totals, per queue, per agent and per hour', async () => {
    const res = await get(`/reports/daily/${DAY}`);
    assert.equal(res.statusCode, 200);
    const [total] = tableRows(res.body, 'totals');
    const e = EXPECTED;
    // Offered, answered, abandoned, short abandons, timed out, callbacks, SL, SL inclusive, abandon rate, ASA.
    assert.deepEqual(total!.slice(1, 11), [e.offered, e.answered, e.abandoned, e.shortAbandoned, 0, 0, `${e.serviceLevelPct}%`, `${e.inclusivePct}%`, `${e.abandonRatePct}%`, e.asaSec].map(String));
    assert.equal(total![11], '40.0', 'the longest wait of the day, the 40 s abandon');
    const queues = tableRows(res.body, 'queues');
    assert.deepEqual(queues.map((q) => q.slice(0, 3)), [['rpq', '5', '3']]);
    const agents = tableRows(res.body, 'agents');
    assert.equal(agents.length, 1);
    assert.equal(agents[0]![1], '3', 'the one agent answered the three');
    const hours = tableRows(res.body, 'intervals');
    assert.equal(hours.length, 24);
    assert.deepEqual(hours[9]!.slice(0, 4), ['09:00', '2', '2', '0']);
    assert.deepEqual(hours[10]!.slice(0, 4), ['10:00', '2', '0', '2']);
    assert.deepEqual(hours[23]!.slice(0, 3), ['23:00', '1', '1']);
    assert.deepEqual(hours[0]!.slice(0, 8), ['00:00', '0', '0', '0', '0', '0', '0', '–'], 'an hour without calls has zeros and a dash for its service level');
    assert.doesNotMatch(res.body, /NaN|undefined|null/);
    assert.match(res.body, /id="report-tz">Asia\/Shanghai</);
    assert.match(res.body, /<td>rpq<\/td><td>20<\/td><td>80<\/td><td>5<\/td><td>5<\/td>/, 'the footnote prints the thresholds used');
  });

  it('the page is self-contained and printable: A4, inline style and SVG, no script, no external asset', async () => {
    const res = await get(`/reports/daily/${DAY}`);
    assert.match(res.body, /@page \{ size: A4;/);
    assert.equal((res.body.match(/<svg /g) ?? []).length, 2);
    assert.doesNotMatch(res.body, /<script|<link|<img|src=|url\(/i);
    assert.match(res.headers['content-security-policy'] as string, /default-src 'none'; style-src 'sha256-/);
    for (const table of ['totals', 'queues', 'agents', 'intervals']) assert.ok(res.body.includes(`href="/reports/daily/${DAY}/${table}.csv"`), table);
  });

  it('every table has a CSV with the page\'s figures', async () => {
    const page = await get(`/reports/daily/${DAY}`);
    for (const table of ['totals', 'queues', 'intervals']) {
      const csv = await get(`/reports/daily/${DAY}/${table}.csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(csv.headers['content-type'] as string, /^text\/csv/);
      assert.match(csv.headers['content-disposition'] as string, new RegExp(`report-daily-${DAY}-${table}\\.csv`));
      assert.ok(csv.body.startsWith('\uFEFF'));
      const rows = csvRows(csv.body).slice(1);
      const onPage = tableRows(page.body, table).map((r) => r.map((c) => (c === '–' ? '' : c.replace(/%$/, '').replace(/\.0$/, ''))));
      assert.deepEqual(rows.map((r) => r.map((c) => c.replace(/\.0$/, ''))), onPage, table);
    }
    assert.equal(csvRows((await get(`/reports/daily/${DAY}/totals.csv`)).body)[0]![7], 'Service level (%)');
  });

  it('the JSON API gives the same figures', async () => {
    const res = await get(`/api/v1/reports/daily/${DAY}`);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.state, 'past');
    const totals = body.tables.find((t: { id: string }) => t.id === 'totals');
    assert.deepEqual(totals.rows[0].values.slice(0, 10), [5, 3, 2, 1, 0, 0, 66.7, 50, 25, 18.3]);
  });

  it('in Chinese, headings and footnote are translated and the figures are the same', async () => {
    const res = await get(`/reports/daily/${DAY}`, `${reader}; lang=zh-CN`);
    assert.match(res.body, /<html lang="zh-CN">/);
    assert.match(res.body, /日报 2026-03-10/);
    assert.match(res.body, /<th scope="col">进线<\/th>/);
    assert.match(res.body, /定义/);
    assert.equal(tableRows(res.body, 'totals')[0]![1], '5');
  });

  it('a day with no calls is a report of zeros and dashes, not an error', async () => {
    const res = await get('/reports/daily/2026-03-12');
    assert.equal(res.statusCode, 200);
    const [total] = tableRows(res.body, 'totals');
    assert.deepEqual(total!.slice(1, 12), ['0', '0', '0', '0', '0', '0', '–', '–', '–', '–', '0.0']);
    assert.equal(tableRows(res.body, 'intervals').length, 24);
    assert.match(res.body, /id="table-queues"[\s\S]*?class="empty"/);
    assert.doesNotMatch(res.body, /NaN/);
    const csv = csvRows((await get('/reports/daily/2026-03-12/totals.csv')).body);
    assert.deepEqual(csv[1]!.slice(1, 11), ['0', '0', '0', '0', '0', '0', '', '', '', '']);
  });

  it('the week and the month holding the day add it up, one row per day', async () => {
    const week = await get('/reports/weekly/2026-03-12');
    assert.equal(week.statusCode, 200);
    assert.match(week.body, /id="report-title">Weekly report 2026-W11</);
    assert.match(week.body, /id="report-period">2026-03-09 – 2026-03-15</);
    assert.equal(tableRows(week.body, 'totals')[0]![1], '6', 'the evening call of the 9th too: that day is the week\'s Monday');
    const days = tableRows(week.body, 'intervals');
    assert.deepEqual(days.map((d) => d[0]), ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15']);
    assert.deepEqual(days.map((d) => d[1]), ['1', '5', '0', '0', '0', '0', '0']);
    const month = await get('/reports/monthly/2026-03');
    assert.equal(month.statusCode, 200);
    assert.equal(tableRows(month.body, 'intervals').length, 31);
    assert.equal(tableRows(month.body, 'totals')[0]![1], '6');
    const open = await get('/reports/open?kind=monthly&date=2026-03-10');
    assert.equal(open.statusCode, 303);
    assert.equal(open.headers.location, '/reports/monthly/2026-03');
  });

  it('a range of days adds its days up per queue and per agent, one row per day', async () => {
    const res = await get('/reports/range/2026-03-09..2026-03-11');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /id="report-period">2026-03-09 – 2026-03-11</);
    assert.deepEqual(tableRows(res.body, 'totals')[0]!.slice(1, 4), ['6', '4', '2']);
    assert.deepEqual(tableRows(res.body, 'queues').map((q) => q.slice(0, 4)), [['rpq', '6', '4', '2']], 'one line for the queue over its two days');
    const agents = tableRows(res.body, 'agents');
    assert.deepEqual(agents.map((a) => a[1]), ['4']);
    assert.deepEqual(tableRows(res.body, 'intervals').map((d) => d.slice(0, 2)), [['2026-03-09', '1'], ['2026-03-10', '5'], ['2026-03-11', '0']]);
    const csv = csvRows((await get('/reports/range/2026-03-09..2026-03-11/queues.csv')).body);
    assert.deepEqual(csv[1]!.slice(0, 4), ['rpq', '6', '4', '2']);
    const open = await get('/reports/open?kind=range&date=2026-03-09&to=2026-03-11');
    assert.equal(open.headers.location, '/reports/range/2026-03-09..2026-03-11');
  });

  it('a reversed or absurd range is refused with a clear 400', async () => {
    for (const [url, words] of [
      ['/reports/range/2026-03-11..2026-03-09', /ends before it starts/],
      ['/reports/range/2000-01-01..2099-12-31', /36525 days is more than 92/],
      ['/reports/range/2026-03-01', /expected YYYY-MM-DD\.\.YYYY-MM-DD/],
      ['/reports/range/2026-03-01..2026-02-31', /no such day/],
      ['/reports/open?kind=range&date=2026-03-11&to=2026-03-01', /ends before it starts/],
      ['/reports/range/2026-03-11..2026-03-09/totals.csv', /ends before it starts/],
    ] as const) {
      const res = await get(url);
      assert.equal(res.statusCode, 400, url);
      assert.match(res.body, words, url);
    }
    const api = await get('/api/v1/reports/range/2026-03-11..2026-03-09');
    assert.equal(api.statusCode, 400);
    assert.equal(api.json().error.code, 'invalid-report-range');
  });

  it('invalid dates, periods and tables get a clear 400 or 404, as a page and as JSON', async () => {
    for (const [url, words] of [
      ['/reports/daily/2026-02-30', /no such day in the calendar/],
      ['/reports/daily/21-03-2026', /expected YYYY-MM-DD/],
      ['/reports/daily/1900-01-01', /year must be between 2000 and 2099/],
      ['/reports/weekly/9999-12-31', /year must be between/],
      ['/reports/monthly/2026-13', /month must be 01 to 12/],
      ['/reports/yearly/2026', /not a report period/],
      ['/reports/daily/2026-03-10.pdf.pdf', /expected YYYY-MM-DD/],
      ['/reports/open?kind=monthly&date=2026-11-45', /no such day/],
    ] as const) {
      const res = await get(url);
      assert.equal(res.statusCode, 400, url);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.match(res.body, words, url);
    }
    const api = await get('/api/v1/reports/daily/2026-02-30');
    assert.equal(api.statusCode, 400);
    assert.equal(api.json().error.code, 'invalid-report-date');
    const table = await get(`/reports/daily/${DAY}/secrets.csv`);
    assert.equal(table.statusCode, 404);
    assert.match(table.body, /no report table/);
  });

  it('a report for the future says there is no data yet', async () => {
    const res = await get('/reports/daily/2099-01-01');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /id="report-future">No data yet/);
    assert.doesNotMatch(res.body, /id="table-totals"/);
    const csv = await get('/reports/daily/2099-01-01/totals.csv');
    assert.equal(csv.statusCode, 404);
    assert.match(csv.body, /no data yet/);
    assert.equal((await get('/api/v1/reports/monthly/2099-01')).json().state, 'future');
  });

  it('the reports index offers the three periods and lists the schedules', async () => {
    const res = await get('/reports');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /id="open-report"/);
    assert.match(res.body, /<option value="weekly">Weekly report<\/option>/);
    assert.doesNotMatch(res.body, /id="edit-schedules"/, 'only admins edit schedules');
    assert.match((await get('/reports', h.cookie)).body, /id="edit-schedules"/);
  });
});
