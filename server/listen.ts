import { once } from 'node:events';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Config } from './core/config.js';
import { tlsOptions } from './core/tls.js';
import { startHttpsRedirect } from './core/https-redirect.js';

/**
 * Opens the server's ports: the app on http.port (HTTPS when http.tls is set) and, with TLS,
 * the optional plain-HTTP listener that only redirects. Apart from main.ts so the integration
 * test opens them exactly as the process does.
 */
export async function listen(app: FastifyInstance, config: Config): Promise<void> {
  const redirects = Boolean(tlsOptions(config) && config.http.redirectPort);
  const opened: { redirect?: Server } = {};
  // Hooks cannot be added once the app listens: this one is added first.
  if (redirects) app.addHook('onClose', async () => void opened.redirect?.close());
  await app.listen({ host: config.http.host, port: config.http.port });
  if (!redirects) return;
  opened.redirect = startHttpsRedirect(config);
  // Waited for, so a port already taken fails the start instead of crashing later.
  await once(opened.redirect, 'listening');
  app.log.info({ port: config.http.redirectPort }, 'plain HTTP redirects to HTTPS');
}
