// Starts and stops the real MariaDB, Redis and Asterisk through the project's own script,
// so failure-path tests exercise the same commands an operator would use.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

export type Component = 'mariadb' | 'redis' | 'asterisk';

export async function service(action: 'start' | 'stop', component: Component): Promise<void> {
  await run('scripts/services.sh', [action, component], { cwd: root, timeout: 180000 });
}
