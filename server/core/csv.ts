// CSV for every export (reports, interaction search, queue_log is not CSV). RFC 4180 quoting,
// CRLF line ends, and cells that a spreadsheet would run as a formula are neutralised.

/**
 * A cell starting with = + - @ (or a tab / carriage return that some spreadsheets skip) is
 * read as a formula by Excel, LibreOffice and WPS: a caller's name of `=HYPERLINK(...)` would
 * run on a manager's machine. Prefixing a single quote makes it text (OWASP's advice).
 * Numbers are written as numbers, so a negative figure keeps its sign.
 */
function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export type CsvValue = string | number | boolean | Date | null | undefined;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const text = neutralise(v instanceof Date ? v.toISOString() : v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/**
 * Lines of a CSV file from rows that may come from a database cursor, so an export of
 * millions of rows is written as it is read and never held in memory. A UTF-8 byte order
 * mark first, because Excel otherwise reads Chinese names as mojibake.
 */
export async function* csvLines(header: readonly string[], rows: AsyncIterable<readonly CsvValue[]> | Iterable<readonly CsvValue[]>): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(header)}`;
  for await (const row of rows) yield csvLine(row);
}
