// Runs the migrations and loads the demo configuration (one queue, one DID, the
// configured desk phones as agents). Safe to run on every install and upgrade.
import { loadConfig } from '../server/core/config.js';
import { createDb, migrateLatest } from '../server/core/db.js';
import { seedDemo } from '../server/core/demo-seed.js';

const config = loadConfig();
const db = createDb(config);
try {
  const applied = await migrateLatest(db);
  process.stdout.write(applied.length ? `migrations applied: ${applied.join(', ')}\n` : 'database schema up to date\n');
  if (config.demo.enabled) process.stdout.write(`${await seedDemo(db, config)}\n`);
} finally {
  await db.destroy();
}
