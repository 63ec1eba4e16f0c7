// Puts a backup made by scripts/backup.ts back: configuration, database, IVR prompts and
// recordings, then runs the migrations this version has and the backup's did not (an
// upgrade keeps the data). Meant for a fresh install, so it refuses to overwrite a database
// that already holds calls unless --force is given.
//   npx tsx scripts/restore.ts FILE [--force] [--keep-config]
// --keep-config keeps this machine's config.json (its passwords and secrets) instead of the saved one.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, DEFAULT_CONFIG_PATH, type Config } from '../server/core/config.js';
import { createDb, migrateLatest } from '../server/core/db.js';
import { FORMAT, clientProgram, placesOf, runTool, withClientOptions, type Manifest } from './backup/parts.js';

function readManifest(stage: string): Manifest {
  const file = join(stage, 'manifest.json');
  if (!existsSync(file)) throw new Error('not a backup of this suite (no manifest.json in the archive)');
  const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  if (m.format !== FORMAT) throw new Error(`backup format ${m.format} is not one this version reads (${FORMAT})`);
  return m;
}

/** A database that already holds calls is someone's live data: never replaced by accident. */
async function checkTarget(config: Config, force: boolean): Promise<void> {
  const db = createDb(config);
  try {
    const has = await db.schema.hasTable('interactions').catch(() => false);
    const n = has ? Number((await db('interactions').count({ n: '*' }))[0]?.n ?? 0) : 0;
    if (n > 0 && !force) throw new Error(`database ${config.db.database} already holds ${n} interactions; add --force to replace it`);
  } catch (err) {
    // An unknown database is what a wiped machine has: it is created below.
    if ((err as { code?: string }).code !== 'ER_BAD_DB_ERROR') throw err;
  } finally {
    await db.destroy();
  }
}

/** Empties the database (every table and trigger goes with its table) and loads the dump. */
async function loadDatabase(config: Config, dumpFile: string): Promise<void> {
  const client = await clientProgram('client');
  const name = config.db.database;
  await withClientOptions(config, async (opts) => {
    await runTool(client, [`--defaults-extra-file=${opts}`, '-e', `DROP DATABASE IF EXISTS \`${name}\`; CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`]);
    await runTool(client, [`--defaults-extra-file=${opts}`, '--default-character-set=utf8mb4', name], { stdinFile: dumpFile });
  });
}

/**
 * Replaces a directory's content with the saved one. `cp -a` keeps owners and modes: the
 * recordings tree belongs to Asterisk's user, which must still be able to write today's folder.
 */
async function putBack(from: string, to: string): Promise<boolean> {
  if (!existsSync(from)) return false;
  await rm(to, { recursive: true, force: true });
  await mkdir(to, { recursive: true });
  await runTool('cp', ['-a', `${from}/.`, to]);
  return true;
}

async function countsNow(config: Config, names: string[]): Promise<Record<string, number>> {
  const db = createDb(config);
  try {
    const out: Record<string, number> = {};
    for (const t of names) out[t] = Number((await db(t).count({ n: '*' }))[0]?.n ?? 0);
    return out;
  } finally {
    await db.destroy();
  }
}

async function restore(stage: string, opts: { force: boolean; keepConfig: boolean }): Promise<void> {
  const manifest = readManifest(stage);
  const configFile = process.env.CC_CONFIG ?? DEFAULT_CONFIG_PATH;
  if (!opts.keepConfig || !existsSync(configFile)) {
    if (!existsSync(join(stage, 'config', 'config.json'))) throw new Error('the backup holds no config.json');
    await putBack(join(stage, 'config'), dirname(configFile));
  }
  const config = loadConfig();
  await alignDbUser(config);
  const places = placesOf(config, configFile);
  await checkTarget(config, opts.force);
  await loadDatabase(config, join(stage, 'db.sql'));
  const db = createDb(config);
  const applied = await migrateLatest(db).finally(() => db.destroy());
  const prompts = await putBack(join(stage, 'prompts'), places.promptsDir);
  const recordings = manifest.recordings && (await putBack(join(stage, 'recordings'), places.recordingsDir));
  const counts = await countsNow(config, Object.keys(manifest.counts));
  process.stdout.write([
    `restored the backup of ${manifest.instanceName} made ${manifest.createdAt} (version ${manifest.appVersion})`,
    `migrations run now: ${applied.length ? applied.join(', ') : 'none'}`,
    `prompts: ${prompts ? 'restored' : 'none saved'}; recordings: ${recordings ? 'restored' : 'not in this backup'}`,
    `rows saved: ${JSON.stringify(manifest.counts)}`,
    `rows now:   ${JSON.stringify(counts)}`,
    'Live state (who is logged in, calls in progress) is not saved; it rebuilds when the server starts.',
  ].join('\n') + '\n');
}

const ROOT_SOCKET = '/run/mysqld/mysqld.sock';

/**
 * The restored config.json carries the saved database password, while a fresh install made
 * its user with a new one: as root over the local socket (as install.sh does) the user is
 * given the saved password and its grants. Elsewhere (no root, remote database) the admin
 * does that by hand, and the connection error below says so.
 */
async function alignDbUser(config: Config): Promise<void> {
  if (process.getuid?.() !== 0 || !existsSync(ROOT_SOCKET) || !['127.0.0.1', 'localhost'].includes(config.db.host)) return;
  const client = await clientProgram('client');
  const str = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const sql = ['localhost', '127.0.0.1'].flatMap((h) => [
    `CREATE USER IF NOT EXISTS ${str(config.db.user)}@'${h}' IDENTIFIED BY ${str(config.db.password)};`,
    `ALTER USER ${str(config.db.user)}@'${h}' IDENTIFIED BY ${str(config.db.password)};`,
    `GRANT ALL PRIVILEGES ON \`${config.db.database}\`.* TO ${str(config.db.user)}@'${h}';`,
  ]).join('\n');
  // On stdin, not in argv, where `ps` would show the password.
  await runTool(client, [`--socket=${ROOT_SOCKET}`, '-u', 'root'], { stdinText: sql });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean', default: false }, 'keep-config': { type: 'boolean', default: false } } });
  const file = positionals[0];
  if (!file) throw new Error('usage: restore.ts FILE [--force] [--keep-config]');
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  const stage = await mkdtemp(join(tmpdir(), 'cc-restore-'));
  try {
    await runTool('tar', ['-xzf', resolve(file), '-C', stage]);
    await restore(stage, { force: values.force ?? false, keepConfig: values['keep-config'] ?? false });
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`restore failed: ${err.message}\n`);
  process.exit(1);
});
