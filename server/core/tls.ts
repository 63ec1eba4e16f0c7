import { readFileSync } from 'node:fs';
import type { Config } from './config.js';
import { ConfigError } from './config.js';

/**
 * The HTTPS key pair when http.tls names one, read once at boot. A missing or unreadable
 * file stops the boot with its path: serving plain HTTP instead would be a silent downgrade.
 */
export function tlsOptions(config: Config): { cert: Buffer; key: Buffer } | null {
  const { cert, key } = config.http.tls;
  if (!cert && !key) return null;
  if (!cert || !key) throw new ConfigError(['http.tls: set both cert and key, or neither']);
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new ConfigError([`http.tls.${what}: cannot read ${path} (${(err as Error).message})`]);
    }
  };
  return { cert: read(cert, 'cert'), key: read(key, 'key') };
}
