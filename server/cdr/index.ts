import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asteriskHostPath } from '../core/config.js';
import { CdrRepository } from './cdr-repository.js';
import { JournalReconciler } from './journal-reconciler.js';
import { fromAmiEvent } from './cdr-record.js';

export { JournalReconciler } from './journal-reconciler.js';

declare module 'fastify' {
  interface FastifyInstance {
    cdrJournal: JournalReconciler;
  }
}

/** Live CDRs from AMI; any that fail to land are picked up from the journal by the job. */
async function cdr(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'cdr' });
  const repo = new CdrRepository(app.db);
  const path = asteriskHostPath(app.config, app.config.asterisk.cdrJournal);
  app.decorate('cdrJournal', new JournalReconciler({ repo, path, log }));
  app.pbx.on('cdr', async (fields) => {
    const record = fromAmiEvent(fields);
    if (!record) return log.warn({ uniqueid: fields.uniqueid }, 'CDR event without uniqueid/sequence ignored');
    try {
      await repo.insertMany([record], 'ami');
    } catch (err) {
      log.warn({ uniqueid: record.uniqueid, err: (err as Error).message }, 'CDR not written now; the journal reconciler will backfill it');
    }
  });
}

export default fp(cdr, { name: 'cdr', dependencies: ['core', 'telephony'] });
