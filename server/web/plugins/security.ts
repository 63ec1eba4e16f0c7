import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import session from '@fastify/session';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import type { Config } from '../../core/config.js';
import { RedisSessionStore } from './session-store.js';

declare module 'fastify' {
  interface Session {
    userId?: number;
    /** When the password (and second step) were accepted, ms: the absolute lifetime counts from here. */
    signedInAt?: number;
    /** Password accepted, TOTP code still owed: who, and since when (ms). */
    pendingUserId?: number;
    pendingAt?: number;
    _csrf?: string;
  }
}

export const SESSION_COOKIE = 'cc_session';

/** Cookies are Secure when the operator says so or when we serve HTTPS ourselves. */
export function secureCookies(config: Config): boolean {
  return config.session.secureCookie || Boolean(config.http.tls.cert && config.http.tls.key);
}

/** Body parsing, the session, CSRF and security headers: everything a page or an API call passes through. */
async function security(app: FastifyInstance): Promise<void> {
  const { session: cfg } = app.config;
  const secure = secureCookies(app.config);
  await app.register(formbody);
  await app.register(cookie);
  await app.register(session, {
    secret: cfg.secret,
    cookieName: SESSION_COOKIE,
    store: new RedisSessionStore(app.redis, cfg.idleTimeoutSec),
    // Anonymous visitors get no session until something is stored in it (the
    // login form's CSRF secret), so health probes and API clients leave no keys.
    saveUninitialized: false,
    rolling: true,
    cookie: {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: cfg.idleTimeoutSec * 1000,
    },
  });
  await app.register(csrf, { sessionPlugin: '@fastify/session' });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        // Most installs are plain HTTP on a LAN address: upgrading would break every request there.
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    // HSTS over plain HTTP is ignored by browsers at best; send it only where TLS is the rule.
    strictTransportSecurity: secure ? { maxAge: 15552000, includeSubDomains: false } : false,
    // Pages never need to name themselves to other sites.
    referrerPolicy: { policy: 'same-origin' },
  });
}

export default fp(security, { name: 'web-security', dependencies: ['core'] });
