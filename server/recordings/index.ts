import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asteriskHostPath } from '../core/config.js';
import { RecordingRepository } from './recording-repository.js';
import { RecordingService } from './recording-service.js';

export { RecordingService } from './recording-service.js';
export type { RetentionService } from './retention-service.js';
export { RetentionResult, RetentionLastRun } from './schemas.js';
export type { StoredRecording } from './recording-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    recordings: RecordingService;
  }
}

async function recordings(app: FastifyInstance): Promise<void> {
  app.decorate(
    'recordings',
    new RecordingService({
      pbx: app.pbx,
      repo: new RecordingRepository(app.db),
      outbox: app.outbox,
      log: app.log.child({ room: 'recordings' }),
      asteriskDir: app.config.asterisk.recordingsDir,
      hostPath: (p) => asteriskHostPath(app.config, p),
    }),
  );
}

export default fp(recordings, { name: 'recordings', dependencies: ['core', 'live', 'telephony'] });
