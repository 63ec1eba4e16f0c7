import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvLine, csvLines } from '../../../server/core/csv.js';

test('cells that a spreadsheet would run as a formula become text', () => {
  assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvCell('+86 138'), "'+86 138");
  assert.equal(csvCell('-1+2'), "'-1+2");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('\tcmd'), "'\tcmd");
  assert.equal(csvCell('plain'), 'plain');
});

test('numbers keep their sign; empty values are empty cells', () => {
  assert.equal(csvCell(-3.5), '-3.5');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(undefined), '');
  assert.equal(csvCell(Number.NaN), '');
  assert.equal(csvCell(true), 'true');
  assert.equal(csvCell(new Date(Date.UTC(2026, 10, 21, 1, 2, 3))), '2026-11-21T01:02:03.000Z');
});

test('quotes, commas and line breaks are quoted; lines end with CRLF', () => {
  assert.equal(csvLine(['a,b', 'say "hi"', 'two\nlines', '张三']), '"a,b","say ""hi""","two\nlines",张三\r\n');
});

test('a file starts with a byte order mark and streams its rows', async () => {
  async function* rows() {
    yield ['1001', 2];
    yield ['1002', 3];
  }
  const out: string[] = [];
  for await (const line of csvLines(['agent', 'calls'], rows())) out.push(line);
  assert.deepEqual(out, ['\uFEFFagent,calls\r\n', '1001,2\r\n', '1002,3\r\n']);
});
