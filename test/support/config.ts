// A valid configuration for tests: the installed one (for Asterisk's credentials),
// pointed at the test database and Redis db 1 so tests never touch live data.
import { readFileSync, existsSync } from 'node:fs';
import knexFactory from 'knex';
import { Redis } from 'ioredis';
import { validateConfig, DEFAULT_CONFIG_PATH, type Config } from '../../server/core/config.js';
import { createDb, migrateLatest } from '../../server/core/db.js';
import { seedDemo } from '../../server/core/demo-seed.js';
import { generateDataKey } from '../../server/core/field-crypto.js';

// Overridable so two people (or helpers) can run the database tiers side by side.
export const TEST_DB = process.env.CC_TEST_DB ?? 'cc_test';
export const TEST_REDIS_DB = Number(process.env.CC_TEST_REDIS_DB ?? 1);
export const TEST_HTTP_PORT = 18080;

// Tests never use the installed data key: one of their own per test process, handed to
// server child processes through testEnv so both sides read the same rows.
export const TEST_DATA_KEY_ID = 'test1';
export const TEST_DATA_KEY = generateDataKey();
const testSecurity = { dataKeyId: TEST_DATA_KEY_ID, dataKeys: { [TEST_DATA_KEY_ID]: TEST_DATA_KEY } };

export function installedConfigPath(): string {
    return process.env.CC_CONFIG ?? DEFAULT_CONFIG_PATH;
}

export function testConfig(overrides: Record<string, unknown> = {}): Config {
  const path = installedConfigPath();
  if (!existsSync(path)) throw new Error(`${path} is missing: run ./install.sh (make install) first`);
  const base = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
  return validateConfig({
    ...base,
    db: { ...base.db, database: TEST_DB },
    redis: { ...base.redis, db: TEST_REDIS_DB },
    http: { ...base.http, port: TEST_HTTP_PORT, host: '127.0.0.1' },
    log: { level: 'warn' },
    jobs: { enabled: false },
    // flow '': the demo DID goes straight to the demo queue, as the call tests expect; IVR
    // tests route DIDs of their own to their flows.
    demo: { ...base.demo, adminPassword: 'test-admin-password', flow: '' },
    security: testSecurity,
    // Tests share this machine's kernel: only the sipguard tests that ask for nftables (with
    // a table of their own) touch the firewall; everything else bans through the ACL.
    sipGuard: { ...base.sipGuard, firewall: 'acl' },
    ...overrides,
  });
}

/** Environment for a server child process that reads the same test settings. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    CC_CONFIG: installedConfigPath(),
    CC__DB__DATABASE: TEST_DB,
    CC__REDIS__DB: String(TEST_REDIS_DB),
    CC__HTTP__PORT: String(TEST_HTTP_PORT),
    CC__HTTP__HOST: '127.0.0.1',
    CC__DEMO__ADMIN_PASSWORD: 'test-admin-password',
    CC__LOG__LEVEL: 'info',
    CC__SECURITY__DATA_KEY_ID: TEST_DATA_KEY_ID,
    CC__SECURITY__DATA_KEYS: JSON.stringify(testSecurity.dataKeys),
    CC__SIP_GUARD__FIREWALL: 'acl',
    ...extra,
  };
}

/** Drops and re-creates the test database and empties the test Redis db. */
export async function resetDatabase(config: Config = testConfig()): Promise<void> {
  const admin = knexFactory({
    client: 'mysql2',
    connection: { host: config.db.host, port: config.db.port, user: config.db.user, password: config.db.password },
  });
  try {
    await admin.raw(`DROP DATABASE IF EXISTS \`${TEST_DB}\``);
    await admin.raw(`CREATE DATABASE \`${TEST_DB}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.destroy();
  }
  const redis = new Redis({ host: config.redis.host, port: config.redis.port, db: TEST_REDIS_DB, lazyConnect: true });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
}

/** Migrated and seeded with the demo queue, DID and agents. */
export async function seededDatabase(config: Config = testConfig()): Promise<void> {
  await resetDatabase(config);
  const db = createDb(config);
  try {
    await migrateLatest(db);
    await seedDemo(db, config);
  } finally {
    await db.destroy();
  }
}
