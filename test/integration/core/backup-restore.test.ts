// Backup, wipe, restore on the same machine: calls, recordings, prompts and settings come
// back as they were, the audit log stays append-only, and a backup made before the newest
// migration is upgraded by the restore. Runs the real scripts against real MariaDB.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testConfig, seededDatabase, TEST_DB } from '../../support/config.js';
import { createDb } from '../../../server/core/db.js';
import { migrationSource } from '../../../server/core/migrations/index.js';

const run = promisify(execFile);
const work = mkdtempSync('/tmp/cc-backup-test-');
const root = join(work, 'asterisk-root');
const configDir = join(work, 'etc-cc');
const configFile = join(configDir, 'config.json');
const config = testConfig({ asterisk: { ...testConfig().asterisk, root } });
const recDir = join(root, config.asterisk.recordingsDir, '2026/11/21');
const promptFile = join(root, '/usr/share/asterisk/sounds/cc/prompts/welcome-en.wav');
const env = { ...process.env, CC_CONFIG: configFile };
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const interactionId = randomUUID();
const recFile = join(recDir, `${interactionId}.wav`);

/** The business content a site owner would miss, read column by column (not a table checksum, which an additive migration changes). */
async function snapshot(): Promise<Record<string, unknown>> {
  const db = createDb(config);
  try {
    return {
      interactions: await db('interactions').orderBy('id').select('id', 'caller_number', 'queue', 'outcome', 'talk_ms', 'entered_at'),
      events: await db('call_events').orderBy(['interaction_id', 'seq']).select('interaction_id', 'seq', 'type'),
      recordings: await db('recordings').orderBy('id').select('interaction_id', 'path', 'sha256', 'size_bytes'),
      queues: await db('queues').orderBy('name').select('name', 'config', 'ring_timeout_s'),
      users: await db('users').orderBy('username').select('username', 'role', 'password_hash'),
      agents: await db('agents').orderBy('extension').select('extension', 'name'),
      audit: await db('audit_log').orderBy('id').select('uid', 'action', 'target_id'),
    };
  } finally {
    await db.destroy();
  }
}

async function seedCallWithRecording(): Promise<void> {
  const db = createDb(config);
  try {
    const at = new Date('2026-11-21T09:00:00Z');
    await db('interactions').insert({ id: interactionId, direction: 'inbound', caller_number: '8613800001111', did: config.demo.did, queue: 'support', entered_at: at, ended_at: at, outcome: 'answered', talk_ms: 42000 });
    await db('call_events').insert([
      { interaction_id: interactionId, seq: 1, type: 'enter-queue', at, queue: 'support' },
      { interaction_id: interactionId, seq: 2, type: 'connect', at, queue: 'support', data: JSON.stringify({ waitMs: 3000 }) },
    ]);
    mkdirSync(recDir, { recursive: true });
    await run('sox', ['-n', '-r', '8000', '-c', '1', recFile, 'synth', '2', 'sine', '440']);
    await db('recordings').insert({ interaction_id: interactionId, path: recFile, size_bytes: readFileSync(recFile).length, duration_ms: 2000, sha256: sha(recFile), started_at: at });
    await db('queues').where({ name: 'support' }).update({ ring_timeout_s: 23 });
    await db('audit_log').insert({ uid: randomUUID(), at, actor_username: 'admin', action: 'queue.update', target_type: 'queue', target_id: 'support' });
  } finally {
    await db.destroy();
  }
  mkdirSync(join(promptFile, '..'), { recursive: true });
  await run('sox', ['-n', '-r', '8000', '-c', '1', promptFile, 'synth', '1', 'sine', '660']);
}

/** Pretends the backup comes from the previous version: the newest migration is not applied yet. */
async function rollBackNewestMigration(): Promise<string> {
  const db = createDb(config);
  try {
    const names = await migrationSource.getMigrations([]);
    await db.migrate.down({ migrationSource });
    return names[names.length - 1] as string;
  } finally {
    await db.destroy();
  }
}

describe('backup and restore', { timeout: 300000 }, () => {
  let before_: Record<string, unknown>;
  let newest: string;
  let backup: string;

  before(async () => {
    await seededDatabase(config);
    await seedCallWithRecording();
    mkdirSync(join(configDir, 'tls'), { recursive: true });
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    writeFileSync(join(configDir, 'tls', 'cert.pem'), 'certificate placeholder\n');
    newest = await rollBackNewestMigration();
    before_ = await snapshot();
    backup = join(work, 'out', 'site.tar.gz');
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('writes one archive, readable by root only, holding the database, settings, prompts and recordings', async () => {
    const { stdout } = await run('node', ['--import', 'tsx', 'scripts/backup.ts', '--recordings', '--out', backup], { env });
    assert.match(stdout, /backup written/);
    const { stdout: list } = await run('tar', ['-tzvf', backup]);
    for (const part of ['./db.sql', './manifest.json', './config/config.json', './config/tls/cert.pem', './prompts/prompts/welcome-en.wav', `./recordings/2026/11/21/${interactionId}.wav`]) {
      assert.ok(list.includes(part), `${part} in the archive`);
    }
    const { stdout: mode } = await run('stat', ['-c', '%a', backup]);
    assert.equal(mode.trim(), '600');
  });

  it('after a wipe, the restore brings everything back and runs the migration the backup lacked', async () => {
    const db = createDb(config);
    await db.raw(`DROP DATABASE \`${TEST_DB}\``).finally(() => db.destroy());
    rmSync(root, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });

    const { stdout } = await run('node', ['--import', 'tsx', 'scripts/restore.ts', backup], { env });
    assert.match(stdout, new RegExp(`migrations run now: .*${newest}`));
    assert.deepEqual(await snapshot(), before_);
    assert.equal(sha(recFile), (before_.recordings as Array<{ sha256: string }>)[0]?.sha256, 'the recording file is byte for byte the same');
    assert.ok(existsSync(promptFile), 'the IVR prompt is back');
    assert.equal(readFileSync(join(configDir, 'tls', 'cert.pem'), 'utf8'), 'certificate placeholder\n');
    assert.deepEqual(JSON.parse(readFileSync(configFile, 'utf8')), JSON.parse(JSON.stringify(config)));
  });

  it('the restored audit log still refuses changes, and a second restore over live data needs --force', async () => {
    const db = createDb(config);
    try {
      await assert.rejects(db('audit_log').update({ action: 'tampered' }), /append-only/);
      const applied = (await db('knex_migrations').select('name')).map((r: { name: string }) => r.name);
      assert.ok(applied.includes(newest));
    } finally {
      await db.destroy();
    }
    await assert.rejects(run('node', ['--import', 'tsx', 'scripts/restore.ts', backup], { env }), /already holds 1 interactions; add --force/);
    const { stdout } = await run('node', ['--import', 'tsx', 'scripts/restore.ts', backup, '--force'], { env });
    assert.match(stdout, /rows now: /);
    assert.deepEqual(await snapshot(), before_);
  });

  it('a file that is not a backup is refused with a clear message and changes nothing', async () => {
    const bogus = join(work, 'bogus.tar.gz');
    await run('tar', ['-czf', bogus, '-C', work, 'out']);
    await assert.rejects(run('node', ['--import', 'tsx', 'scripts/restore.ts', bogus, '--force'], { env }), /not a backup of this suite/);
    assert.deepEqual(await snapshot(), before_);
  });
});
