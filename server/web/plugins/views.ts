import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import view from '@fastify/view';
import Handlebars from 'handlebars';
import { helpers } from '../helpers/index.js';
import { LOCALES, LOCALE_NAMES } from '../i18n/index.js';
import { PARTIALS_DIR, VIEWS_DIR } from '../paths.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page in the main layout with what every page needs (locale, user, nav, CSRF token). */
    page(template: string, model?: Record<string, unknown>, status?: number): FastifyReply;
  }
}

/** A private Handlebars instance: helpers and partials of ours never leak into another user of the module. */
function createHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  for (const [name, helper] of Object.entries(helpers)) hbs.registerHelper(name, helper);
  for (const file of readdirSync(PARTIALS_DIR).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(PARTIALS_DIR, file), 'utf8'));
  }
  return hbs;
}

function baseModel(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  const { user } = request;
  const locale = request.locale;
  const here = encodeURIComponent(request.url);
  return {
    locale,
    user: user ? { displayName: user.displayName, role: user.role } : null,
    canSeeAgents: user?.role === 'admin' || user?.role === 'supervisor',
    isAdmin: user?.role === 'admin',
    isAgent: user?.role === 'agent',
    // Read by the `phone` helper: whether this viewer sees phone numbers in full.
    seesNumbers: request.seesNumbers(),
    // The customer pages are for the roles that take or steer calls (see docs/permissions.md).
    canSeeCustomers: user?.role === 'admin' || user?.role === 'supervisor' || user?.role === 'agent',
    // Who reads the records (interaction search, recordings) and who reads reports.
    canSeeRecords: user?.role === 'admin' || user?.role === 'supervisor' || user?.role === 'quality',
    canSeeReports: user?.role === 'admin' || user?.role === 'supervisor' || user?.role === 'reports',
    // Only signed-in pages carry the logout form; anonymous pages create no session for it.
    csrfToken: user ? reply.generateCsrf() : undefined,
    languages: LOCALES.map((code) => ({
      code,
      name: LOCALE_NAMES[code],
      href: `/lang/${code}?next=${here}`,
      current: code === locale,
    })),
  };
}

async function views(app: FastifyInstance): Promise<void> {
  await app.register(view, {
    engine: { handlebars: createHandlebars() },
    root: VIEWS_DIR,
    layout: 'layouts/main',
    viewExt: 'hbs',
    // Templates are compiled once; a changed template needs a restart (tsx watch does that).
    production: true,
  });
  app.decorateReply('page', function page(this: FastifyReply, template: string, model = {}, status = 200) {
    return this.code(status).view(template, { ...baseModel(this.request, this), ...model });
  });
}

export default fp(views, { name: 'web-views', dependencies: ['web-security', 'web-auth', 'web-i18n', 'web-number-privacy'] });
