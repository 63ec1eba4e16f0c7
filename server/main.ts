import { loadConfig, ConfigError } from './core/config.js';
import { createLogger } from './core/logger.js';
import { buildApp } from './app.js';
import { listen } from './listen.js';
import { createFieldCipher } from './core/field-crypto.js';

// Starts and stops the process; everything else is in app.ts.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    // The data key is checked here too, so its absence exits like any other config problem.
    createFieldCipher(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const log = createLogger(config.log.level);
  const app = await buildApp(config, { logger: log });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down; calls in Asterisk stay up');
    const force = setTimeout(() => process.exit(1), 10000);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => log.error({ reason }, 'unhandled rejection'));
  await listen(app, config);
  log.info({ url: config.http.publicUrl, instance: config.instanceName }, 'contact center server started');
}

main().catch((err: Error) => {
  process.stderr.write(`fatal: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
