// What a backup holds and where each part lives on this machine, shared by backup and restore
// so the two never disagree about a path.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { asteriskHostPath, type Config } from '../../server/core/config.js';

/** Bumped when the layout of the archive changes; restore refuses formats it does not know. */
export const FORMAT = 1;

/** The sounds our IVR uploads and generates, inside Asterisk's sounds directory. */
const PROMPTS_ASTERISK_DIR = '/usr/share/asterisk/sounds/cc';

export interface Manifest {
  format: number;
  createdAt: string;
  instanceName: string;
  appVersion: string;
  /** Migrations applied in the saved database: a newer install runs the rest at restore. */
  migrations: string[];
  recordings: boolean;
  /** Row counts of the main tables, printed at restore for a quick comparison. */
  counts: Record<string, number>;
}

export interface Places {
  configFile: string;
  /** The whole configuration directory: config.json, the TLS certificate, anything the admin put there. */
  configDir: string;
  recordingsDir: string;
  promptsDir: string;
}

export function placesOf(config: Config, configFile: string): Places {
  return {
    configFile,
    configDir: dirname(configFile),
    recordingsDir: asteriskHostPath(config, config.asterisk.recordingsDir),
    promptsDir: asteriskHostPath(config, PROMPTS_ASTERISK_DIR),
  };
}

/**
 * The dump names the user that created each trigger (DEFINER=`cc`@`localhost`); restoring
 * that as another account needs a privilege the app's user lacks, so the clause is dropped
 * and the trigger belongs to whoever restores it. This MariaDB's dump has no --skip-definer.
 */
function withoutDefiners(): Transform {
  let tail = '';
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = tail + chunk.toString('utf8');
      const cut = text.lastIndexOf('\n') + 1;
      tail = text.slice(cut);
      done(null, text.slice(0, cut).replace(DEFINER, ''));
    },
    flush(done) {
      done(null, tail.replace(DEFINER, ''));
    },
  });
}
const DEFINER = /DEFINER=`[^`]*`@`[^`]*`\s*/g;

/** Runs a program; rejects with its stderr when it fails. Optional stdin/stdout files. */
export function runTool(cmd: string, args: string[], io: { stdinFile?: string; stdinText?: string; stdoutFile?: string; dropDefiners?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [io.stdinFile || io.stdinText !== undefined ? 'pipe' : 'ignore', io.stdoutFile ? 'pipe' : 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    if (io.stdinFile && child.stdin) createReadStream(io.stdinFile).pipe(child.stdin);
    if (io.stdinText !== undefined) child.stdin?.end(io.stdinText);
    const written = io.stdoutFile && child.stdout
      ? pipeline(io.dropDefiners ? [child.stdout, withoutDefiners(), createWriteStream(io.stdoutFile, { mode: 0o600 })] : [child.stdout, createWriteStream(io.stdoutFile, { mode: 0o600 })])
      : Promise.resolve();
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${cmd} exited with ${code}: ${stderr.trim().slice(-2000)}`));
      written.then(() => resolve(), reject);
    });
  });
}

/**
 * A MariaDB client option file with the app's credentials, readable by us only: passing the
 * password on the command line would show it to every user of `ps`.
 */
export async function withClientOptions<T>(config: Config, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'cc-db-'));
  const file = join(dir, 'client.cnf');
  const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  await writeFile(file, `[client]\nhost=${config.db.host}\nport=${config.db.port}\nuser=${quote(config.db.user)}\npassword=${quote(config.db.password)}\n`, { mode: 0o600 });
  try {
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The client programs are called mariadb-* on current Debian; older systems have only mysql*. */
export async function clientProgram(name: 'dump' | 'client'): Promise<string> {
  const candidates = name === 'dump' ? ['mariadb-dump', 'mysqldump'] : ['mariadb', 'mysql'];
  for (const c of candidates) {
    const ok = await runTool(c, ['--version']).then(() => true, () => false);
    if (ok) return c;
  }
  throw new Error(`neither ${candidates.join(' nor ')} is installed (Debian package mariadb-client)`);
}

export const TABLES_COUNTED = ['interactions', 'call_events', 'recordings', 'customers', 'users', 'agents', 'queues', 'audit_log'];
