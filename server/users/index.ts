import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { UserSecretsRepository, UsersRepository } from './users-repository.js';
import { UsersService } from './users-service.js';
import { LoginThrottle } from './login-throttle.js';
import { UserSessions } from './user-sessions.js';
import { SecondFactor } from './second-factor.js';
import { AppError } from '../core/errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    users: UsersService;
    /** The optional TOTP second sign-in step. */
    secondFactor: SecondFactor;
  }
}

async function users(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'users' });
  const { login, session } = app.config;
  const secrets = new UserSecretsRepository(app.db, app.fieldCipher);
  const service = new UsersService({
    repo: new UsersRepository(app.db),
    secrets,
    audit: app.audit,
    sessions: new UserSessions({ redis: app.redis, absoluteTimeoutSec: session.absoluteTimeoutSec }),
    throttle: new LoginThrottle({ redis: app.redis, settings: login }),
    passwordMinLength: login.passwordMinLength,
    log,
  });
  app.decorate('users', service);
  app.decorate('secondFactor', new SecondFactor({ secrets, users: service, redis: app.redis, issuer: login.totpIssuer }));
  await seedAdmin(app, service);
  await seedDemoAgents(app, service);
}

/**
 * The demo's agents need accounts to open their desk: agent<extension> for each configured
 * phone, linked to that phone's agent. Created only when missing, like the admin.
 */
async function seedDemoAgents(app: FastifyInstance, service: UsersService): Promise<void> {
  const { agentPassword, enabled } = app.config.demo;
  if (!agentPassword || !enabled) return;
  for (const phone of app.config.phones) {
    const username = `agent${phone.extension}`;
    const agent = await app.agents.byExtension(phone.extension);
    if (!agent || agent.userId || (await service.exists(username))) continue;
    try {
      const user = await service.create({ username, password: agentPassword, role: 'agent', displayName: phone.name });
      await app.agents.linkUser(agent.id, user.id);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'username-taken')) throw err;
    }
  }
}

/**
 * A fresh install needs someone who can sign in. The admin is created only when
 * missing, so a password changed after install is never reset by a restart.
 */
async function seedAdmin(app: FastifyInstance, service: UsersService): Promise<void> {
  const { adminUser, adminPassword } = app.config.demo;
  if (!adminPassword || (await service.exists(adminUser))) return;
  try {
    await service.create({ username: adminUser, password: adminPassword, role: 'admin', displayName: adminUser });
  } catch (err) {
    // Two instances booting together both see "missing"; the second one loses the insert, which is fine.
    if (!(err instanceof AppError && err.code === 'username-taken')) throw err;
  }
}

export default fp(users, { name: 'users', dependencies: ['core', 'live', 'agents', 'audit'] });
export type { User, Role, CreateUser } from './schemas.js';
export { ROLES, TOTP_ROLES } from './schemas.js';
export type { Actor } from './users-service.js';
export type { Lockout } from './login-throttle.js';
export type { UsersService } from './users-service.js';
/** The scrypt hashing of passwords, also used for agents' phone PINs. */
export { hashPassword, verifyPassword } from './password.js';
