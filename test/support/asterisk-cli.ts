// `asterisk -rx` for the tests, inside the chroot when the configured Asterisk runs in one.
import { execFileSync } from 'node:child_process';
import { testConfig } from './config.js';

const root = testConfig().asterisk.root;

export function asteriskCli(command: string): string {
  const args = ['asterisk', '-rx', command];
  return execFileSync(root ? 'chroot' : 'asterisk', root ? [root, ...args] : args.slice(1)).toString();
}
