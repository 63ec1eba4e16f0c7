// The text of a PDF as Debian's poppler-utils reads it (pdftotext), for checking what a
// printed report says.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cc-pdf-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', join(dir, 'in.pdf'), '-'], { timeout: 30000 });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** pdfinfo's fields (Pages, Page size, ...). */
export async function pdfInfo(pdf: Buffer): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'cc-pdf-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    const { stdout } = await run('pdfinfo', [join(dir, 'in.pdf')], { timeout: 30000 });
    return Object.fromEntries(stdout.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
