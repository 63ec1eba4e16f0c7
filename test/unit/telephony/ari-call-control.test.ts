// AriCallControl waits for a channel it creates to enter Stasis before anyone may act on
// it: Asterisk answers POST /channels/create before the channel is registered in the app,
// and a dial in between was refused ("Channel not in Stasis application"). Pure logic
// over a fake connection: the REST operations are recorded, events are pushed by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { AriCallControl } from '../../../server/telephony/ari/call-control.js';
import type { AriConnection } from '../../../server/telephony/ari/ari-connection.js';
import { createLogger } from '../../../server/core/logger.js';

function fakeAri(create: (p: Record<string, unknown>) => Promise<unknown> = async () => ({})) {
  const calls: string[] = [];
  const conn = Object.assign(new EventEmitter(), {
    appName: 'cc',
    client: {
      channels: {
        create: async (p: Record<string, unknown>) => {
          calls.push(`create ${String(p.channelId)} app=${String(p.app)}`);
          return create(p);
        },
        dial: async (p: Record<string, unknown>) => void calls.push(`dial ${String(p.channelId)}`),
      },
    },
  });
  const control = new AriCallControl(conn as unknown as AriConnection, createLogger('fatal'));
  const stasisStart = (id: string) => conn.emit('event', { type: 'StasisStart', channel: { id, name: `PJSIP/x-${id}` }, args: [] });
  return { control, calls, stasisStart };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('AriCallControl.createChannel', () => {
  it('resolves only once the new channel\'s own StasisStart is seen, so a dial that follows finds it in the app', async () => {
    const { control, calls, stasisStart } = fakeAri();
    let created = false;
    const done = control.createChannel({ channelId: 'ctd-c-1', endpoint: 'PJSIP/555@trunk', appArgs: 'ctd,1' }).then(() => {
      created = true;
      return control.dial('ctd-c-1', 'ctd-a-1', 45);
    });
    await tick();
    assert.deepEqual(calls, ['create ctd-c-1 app=cc']);
    assert.equal(created, false, 'not yet in Stasis');
    stasisStart('ctd-c-2');
    await tick();
    assert.equal(created, false, 'another channel entering Stasis does not count');
    stasisStart('ctd-c-1');
    await done;
    assert.deepEqual(calls, ['create ctd-c-1 app=cc', 'dial ctd-c-1']);
  });

  it('resolves when StasisStart arrives on the websocket before the REST answer', async () => {
    let answer!: () => void;
    const { control, stasisStart } = fakeAri(() => new Promise((r) => (answer = () => r({}))));
    const done = control.createChannel({ channelId: 'xfer-1-a', endpoint: 'PJSIP/1002', appArgs: 'xfer,a' });
    await tick();
    stasisStart('xfer-1-a');
    answer();
    await done;
  });

  it('a refused create fails at once and leaves nothing waiting', async () => {
    const { control, stasisStart } = fakeAri(async () => {
      throw new Error('Conflict: channel id already exists');
    });
    await assert.rejects(control.createChannel({ channelId: 'ctd-a-9', endpoint: 'PJSIP/1001', appArgs: 'ctd,9' }), /already exists/);
    stasisStart('ctd-a-9');
  });

  it('a channel that never enters Stasis fails after 5 s with a message naming it', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { control } = fakeAri();
    const done = control.createChannel({ channelId: 'cb-7', endpoint: 'PJSIP/555@trunk', appArgs: 'callback,7' });
    await tick();
    t.mock.timers.tick(4999);
    t.mock.timers.tick(1);
    await assert.rejects(done, /channel cb-7 did not enter Stasis within 5000 ms/);
  });
});
