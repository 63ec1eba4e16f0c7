import { createServer, type Server } from 'node:http';
import type { Config } from './config.js';

/**
 * A plain-HTTP listener that only sends browsers to HTTPS (301), for people who type the
 * address without https://. The target host is publicUrl's when that is an https URL,
 * else the host the browser asked for, on our HTTPS port; the path is kept.
 */
export function startHttpsRedirect(config: Config): Server {
  const fixed = config.http.publicUrl.startsWith('https://') ? new URL(config.http.publicUrl).origin : null;
  const server = createServer((req, res) => {
    const host = (req.headers.host ?? 'localhost').replace(/:\d+$/, '').replace(/[^A-Za-z0-9.\-[\]:]/g, '');
    const origin = fixed ?? `https://${host}:${config.http.port}`;
    const path = (req.url ?? '/').startsWith('/') ? req.url : '/';
    res.writeHead(301, { location: `${origin}${path}`, 'content-length': '0' });
    res.end();
  });
  server.listen(config.http.redirectPort, config.http.host);
  return server;
}
