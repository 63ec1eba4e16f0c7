// Seals the sensitive columns of rows written before encryption, and re-seals values sealed
// under an older data key after a rotation (server/core/field-crypto.ts). Safe to run again
// and while the server runs: it only touches values not yet sealed under the current key.
//   npx tsx scripts/encrypt-existing.ts [--batch N]     (make encrypt-existing)
// After a rotation, keep the old key in security.dataKeys until this has run.
import { loadConfig } from '../server/core/config.js';
import { createDb } from '../server/core/db.js';
import { createFieldCipher } from '../server/core/field-crypto.js';
import { ResealRepository } from '../server/core/reseal-repository.js';
import { SEALED_TABLES } from '../server/core/sealed-columns.js';

function batchSize(argv: string[]): number {
  const i = argv.indexOf('--batch');
  if (i < 0) return 500;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw new Error(`--batch: a whole number from 1 to 10000, not '${argv[i + 1] ?? ''}'`);
  return n;
}

const batch = batchSize(process.argv.slice(2));
const config = loadConfig();
const cipher = createFieldCipher(config);
const db = createDb(config);
try {
  const repo = new ResealRepository(db, cipher);
  let total = 0;
  for (const t of SEALED_TABLES) {
    for (const column of t.columns) {
      const c = await repo.column(t, column, batch);
      total += c.sealed;
      process.stdout.write(`${t.table}.${column}: ${c.sealed} sealed${c.skipped ? `, ${c.skipped} changed meanwhile (left as the server wrote them)` : ''}\n`);
    }
  }
  process.stdout.write(`done: ${total} values sealed under data key '${cipher.currentKeyId}'\n`);
} finally {
  await db.destroy();
}
