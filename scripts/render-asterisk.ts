// Renders asterisk/*.conf.hbs and dialplan/*.conf.hbs into Asterisk's etc directory
// from the installed configuration. Files whose content is unchanged are not touched,
// so running it twice changes nothing. Pass --reload to apply to a running Asterisk.
import { readFileSync, writeFileSync, readdirSync, existsSync, chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import Handlebars from 'handlebars';
import { loadConfig, asteriskHostPath, type Config } from '../server/core/config.js';
import { benchTemplateContext } from './bench/lib/bench-asterisk.js';

const root = new URL('..', import.meta.url).pathname;

/** A salt derived from the password itself keeps the rendered file stable between runs. */
function cryptPassword(password: string): string {
  const salt = createHmac('sha256', 'cc-ari-salt').update(password).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
  return execFileSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: password }).toString().trim();
}

function asteriskIds(config: Config): { uid: number; gid: number } | undefined {
  const passwd = asteriskHostPath(config, '/etc/passwd');
  if (!existsSync(passwd)) return undefined;
  const line = readFileSync(passwd, 'utf8').split('\n').find((l) => l.startsWith('asterisk:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function templates(): Array<{ name: string; file: string }> {
  return ['asterisk', 'dialplan'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.conf.hbs'))
      .map((f) => ({ name: f.replace(/\.hbs$/, ''), file: join(root, dir, f) })),
  );
}

export function renderAll(config: Config): Array<{ name: string; text: string }> {
  const context = {
    ...config,
    ariPasswordCrypt: cryptPassword(config.ari.password),
    voicemailPin: String(parseInt(createHmac('sha256', config.session.secret).update('vm').digest('hex').slice(0, 8), 16)).slice(0, 8),
    // The BENCH ONLY sections (phones, queues, DIDs and AMI user of `make bench`).
    bench: benchTemplateContext(config),
  };
  return templates().map(({ name, file }) => ({
    name,
    text: Handlebars.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true })(context),
  }));
}

function main(): void {
  const config = loadConfig();
  const etc = asteriskHostPath(config, '/etc/asterisk');
  mkdirSync(etc, { recursive: true });
  const ids = asteriskIds(config);
  const changed: string[] = [];
  for (const { name, text } of renderAll(config)) {
    const target = join(etc, name);
    if (existsSync(target) && readFileSync(target, 'utf8') === text) continue;
    writeFileSync(target, text, { mode: 0o640 });
    if (ids) chownSync(target, ids.uid, ids.gid);
    changed.push(name);
  }
  process.stdout.write(changed.length ? `rendered ${changed.join(', ')} into ${etc}\n` : `asterisk config unchanged in ${etc}\n`);
  if (changed.length && process.argv.includes('--reload')) {
    const cmd = config.asterisk.root ? ['chroot', [config.asterisk.root, 'asterisk', '-rx', 'core reload']] : ['asterisk', ['-rx', 'core reload']];
    try {
      execFileSync(cmd[0] as string, cmd[1] as string[], { stdio: 'ignore' });
      process.stdout.write('asterisk reloaded\n');
    } catch {
      process.stdout.write('asterisk not running; it reads the new files when it starts\n');
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
