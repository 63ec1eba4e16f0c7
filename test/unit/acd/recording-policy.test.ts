// When an answered call is recorded: unless its DID or its queue turns recording off,
// and by default when the policy cannot be read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordingOff } from '../../../server/acd/recording-policy.js';
import { createLogger } from '../../../server/core/logger.js';
import type { AcdDeps } from '../../../server/acd/acd-service.js';

type Deps = Parameters<typeof recordingOff>[0];

function deps(o: { dids?: Record<string, boolean>; queues?: Record<string, boolean>; down?: boolean }): Deps {
  return {
    log: createLogger('silent'),
    didRoute: async (did: string) => {
      if (o.down) throw new Error('connect ECONNREFUSED');
      return did in (o.dids ?? {}) ? { flow: null, queue: 'q', recording: o.dids![did] } : undefined;
    },
    queues: { get: async (name: string) => (name in (o.queues ?? {}) ? { recording: o.queues![name] } : undefined) } as unknown as AcdDeps['queues'],
  };
}

describe('recording policy', () => {
  it('records when neither the DID nor the queue says no, and when they are unknown', async () => {
    assert.equal(await recordingOff(deps({ dids: { 100: true }, queues: { sales: true } }), { id: 'a', did: '100', queue: 'sales' }), undefined);
    assert.equal(await recordingOff(deps({}), { id: 'a', did: '999', queue: 'nowhere' }), undefined);
    assert.equal(await recordingOff(deps({}), { id: 'a', did: '', queue: '' }), undefined, 'click to dial: no DID, no queue');
  });

  it('a DID with recording off wins over a recorded queue', async () => {
    assert.equal(await recordingOff(deps({ dids: { 100: false }, queues: { sales: true } }), { id: 'a', did: '100', queue: 'sales' }), 'did');
  });

  it('a queue with recording off stops recording on a recorded DID', async () => {
    assert.equal(await recordingOff(deps({ dids: { 100: true }, queues: { sales: false } }), { id: 'a', did: '100', queue: 'sales' }), 'queue');
  });

  it('takes a DID that cannot be read (MariaDB down) as recorded, and still asks the queue', async () => {
    assert.equal(await recordingOff(deps({ down: true, queues: { sales: true } }), { id: 'a', did: '100', queue: 'sales' }), undefined);
    assert.equal(await recordingOff(deps({ down: true, queues: { sales: false } }), { id: 'a', did: '100', queue: 'sales' }), 'queue');
  });
});

describe('recording policy and the consent announcement', () => {
  it('a caller who declined at the consent announcement, or was never told, is not recorded, whatever the DID and queue say', async () => {
    const d = deps({ dids: { 100: true }, queues: { sales: true } });
    assert.equal(await recordingOff(d, { id: 'a', did: '100', queue: 'sales', consent: 'declined' }), 'consent');
    assert.equal(await recordingOff(d, { id: 'a', did: '100', queue: 'sales', consent: 'unavailable' }), 'consent');
    assert.equal(await recordingOff(d, { id: 'a', did: '100', queue: 'sales', consent: 'announced' }), undefined);
  });
});
