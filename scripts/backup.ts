// Saves the database, the configuration directory, the IVR prompts and (with --recordings)
// the call recordings into one .tar.gz that scripts/restore.ts puts back on a fresh install.
//   npx tsx scripts/backup.ts [--recordings] [--out FILE]
// The archive holds the installation's secrets (config.json): it is written readable by
// root only, and should be stored like a password.
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, DEFAULT_CONFIG_PATH, type Config } from '../server/core/config.js';
import { createDb } from '../server/core/db.js';
import { FORMAT, TABLES_COUNTED, clientProgram, placesOf, runTool, withClientOptions, type Manifest } from './backup/parts.js';

const APP_DIR = resolve(dirname(new URL(import.meta.url).pathname), '..');

async function manifestOf(config: Config, recordings: boolean): Promise<Manifest> {
  const db = createDb(config);
  try {
    const migrations = (await db('knex_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name);
    const counts: Record<string, number> = {};
    for (const t of TABLES_COUNTED) {
      if (await db.schema.hasTable(t)) counts[t] = Number((await db(t).count({ n: '*' }))[0]?.n ?? 0);
    }
    const appVersion = (JSON.parse(readFileSync(join(APP_DIR, 'package.json'), 'utf8')) as { version: string }).version;
    return { format: FORMAT, createdAt: new Date().toISOString(), instanceName: config.instanceName, appVersion, migrations, recordings, counts };
  } finally {
    await db.destroy();
  }
}

/**
 * One consistent snapshot of every table (InnoDB, --single-transaction) with the audit log's
 * triggers, so a restored audit log is as append-only as the original.
 */
async function dumpDatabase(config: Config, file: string): Promise<void> {
  const dump = await clientProgram('dump');
  await withClientOptions(config, (opts) => runTool(dump, [
    `--defaults-extra-file=${opts}`, '--single-transaction', '--routines', '--triggers', '--hex-blob',
    '--default-character-set=utf8mb4', config.db.database,
  ], { stdoutFile: file, dropDefiners: true }));
}

function defaultOut(config: Config): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `/var/lib/cc/backups/cc-backup-${config.instanceName}-${stamp}.tar.gz`;
}

/**
 * The parts are linked into a staging folder and tar follows the links (-h), so recordings
 * are read once, straight into the archive, and never copied on disk first.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { recordings: { type: 'boolean', default: false }, out: { type: 'string' } } });
  const configFile = process.env.CC_CONFIG ?? DEFAULT_CONFIG_PATH;
  const config = loadConfig();
  const places = placesOf(config, configFile);
  const out = resolve(values.out ?? defaultOut(config));
  const stage = await mkdtemp(join(tmpdir(), 'cc-backup-'));
  try {
    await chmod(stage, 0o700);
    const manifest = await manifestOf(config, values.recordings ?? false);
    await dumpDatabase(config, join(stage, 'db.sql'));
    await writeFile(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await symlink(places.configDir, join(stage, 'config'));
    if (existsSync(places.promptsDir)) await symlink(places.promptsDir, join(stage, 'prompts'));
    if (values.recordings && existsSync(places.recordingsDir)) await symlink(places.recordingsDir, join(stage, 'recordings'));
    await mkdir(dirname(out), { recursive: true, mode: 0o700 });
    await runTool('tar', ['-czhf', out, '-C', stage, '.']);
    await chmod(out, 0o600);
    process.stdout.write(`backup written: ${out}\n${JSON.stringify(manifest.counts)}\n`);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`backup failed: ${err.message}\n`);
  process.exit(1);
});
