import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asteriskHostPath } from '../core/config.js';
import { deliveredForms, matchForms } from '../crm/index.js';
import { SearchRepository } from './search-repository.js';
import { TimelineRepository } from './timeline-repository.js';
import { AccessRepository } from './access-repository.js';
import { PlaybackService } from './playback-service.js';
import { RecordsService } from './records-service.js';

export { RecordsService } from './records-service.js';
export { PlaybackService, type Reader } from './playback-service.js';
export { parseRange } from './range.js';
export * from './schemas.js';

declare module 'fastify' {
  interface FastifyInstance {
    records: RecordsService;
    playback: PlaybackService;
  }
}

async function records(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'records' });
  const playback = new PlaybackService({
    recordings: app.recordings,
    access: new AccessRepository(app.db),
    audit: app.audit,
    log,
    recordingsRoot: asteriskHostPath(app.config, app.config.asterisk.recordingsDir),
    hostPath: (p) => asteriskHostPath(app.config, p),
  });
  const rule = app.config.crm;
  app.decorate('playback', playback);
  app.decorate('records', new RecordsService({
    search: new SearchRepository(app.db, app.fieldCipher),
    timeline: new TimelineRepository(app.db, app.fieldCipher),
    interactions: app.interactions,
    recordings: app.recordings,
    playback,
    // A typed number matches every form a trunk may have delivered it in, like the CRM's history.
    numberForms: (raw) => [...new Set(matchForms(raw, rule).flatMap((n) => deliveredForms(n, rule)))],
    timeZone: app.config.timezone,
    log,
  }));
}

export default fp(records, { name: 'records', dependencies: ['core', 'interactions', 'recordings', 'audit', 'crm'] });
