import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeature, phoneOfChannel, runFeature, type PhoneSessions } from '../../../server/agents/phone-dialog.js';
import type { AgentRecord } from '../../../server/agents/agent-repository.js';
import type { PauseReason } from '../../../server/agents/pause-reason-repository.js';
import { fakeIo } from '../ivr/fake-io.js';

const ANN: AgentRecord = { id: 7, number: '2001', name: 'Ann', extension: '1001', userId: null };
const LUNCH: PauseReason = { id: 2, name: 'lunch', code: '2', label: 'Lunch', paid: false, active: true, system: false };

/** Sessions that record what the dialog asked for; Ann (2001, PIN 1234) is at phone 1001. */
function sessions(o: { atPhone?: AgentRecord; refuse?: boolean } = {}) {
  const done: string[] = [];
  const s: PhoneSessions = {
    agentAt: async () => o.atPhone,
    checkPin: async (number, pin) => (number === '2001' && pin === '1234' ? ANN : undefined),
    login: async (id, phone) => { if (o.refuse) throw new Error('refused'); done.push(`login ${id} ${phone}`); },
    ready: async (id) => void done.push(`ready ${id}`),
    pause: async (id, r) => void done.push(`pause ${id} ${r.name}`),
    logout: async (id) => void done.push(`logout ${id}`),
    reason: async (code) => (code === '2' ? LUNCH : undefined),
  };
  return { s, done };
}

describe('feature codes: parsing', () => {
  it('reads the kind and the digits keyed with the code', () => {
    assert.deepEqual(parseFeature(['feature', 'login']), { kind: 'login' });
    assert.deepEqual(parseFeature(['feature', 'pause', '2']), { kind: 'pause', digits: '2' });
    assert.deepEqual(parseFeature(['feature', 'pause', '2;x#']), { kind: 'pause', digits: '2' });
  });

  it('refuses what is not a feature code', () => {
    assert.equal(parseFeature(['inbound', '5551000']), undefined);
    assert.equal(parseFeature(['feature', 'dance']), undefined);
    assert.equal(parseFeature([]), undefined);
  });

  it('takes the phone from the PJSIP channel name only', () => {
    assert.equal(phoneOfChannel('PJSIP/1002-0000001a'), '1002');
    assert.equal(phoneOfChannel('PJSIP/carrier-0000001a'), undefined);
    assert.equal(phoneOfChannel('Local/1002@x-00000001;1'), undefined);
  });
});

describe('feature codes: dialogs', () => {
  it('*70 logs the agent in on this phone with the right number and PIN, and confirms', async () => {
    const { io, said } = fakeIo({ answers: ['2001', '1234'] });
    const { s, done } = sessions();
    assert.equal(await runFeature({ kind: 'login' }, '1003', io, s), 'done');
    assert.deepEqual(done, ['login 7 1003']);
    assert.deepEqual(said.at(-1), { play: ['sound:agent-loginok'] });
  });

  it('a wrong PIN says so and changes nothing; three wrong tries end the call', async () => {
    const { io, said } = fakeIo({ answers: ['2001', '9999', '2001', '0000', '5555', '1234'] });
    const { s, done } = sessions();
    assert.equal(await runFeature({ kind: 'login' }, '1003', io, s), 'too-many-tries');
    assert.deepEqual(done, []);
    assert.equal(said.filter((x) => 'play' in x && x.play[0] === 'sound:agent-incorrect').length, 3);
    assert.deepEqual(said.at(-1), { play: ['sound:vm-goodbye'] });
  });

  it('a wrong PIN then the right one logs in on the second try', async () => {
    const { io } = fakeIo({ answers: ['2001', '1111', '2001', '1234'] });
    const { s, done } = sessions();
    assert.equal(await runFeature({ kind: 'login' }, '1003', io, s), 'done');
    assert.deepEqual(done, ['login 7 1003']);
  });

  it('a refused log-in (the phone is busy with another agent\'s call) is said, not thrown', async () => {
    const { io, said } = fakeIo({ answers: ['2001', '1234'] });
    const { s } = sessions({ refuse: true });
    assert.equal(await runFeature({ kind: 'login' }, '1003', io, s), 'refused');
    assert.match(JSON.stringify(said.at(-1)), /not possible now/);
  });

  it('*722 pauses the agent on this phone with the reason of code 2', async () => {
    const { io } = fakeIo();
    const { s, done } = sessions({ atPhone: ANN });
    assert.equal(await runFeature({ kind: 'pause', digits: '2' }, '1001', io, s), 'done');
    assert.deepEqual(done, ['pause 7 lunch']);
  });

  it('*72 alone asks for the code; an unknown code says so and changes nothing', async () => {
    const { io, said } = fakeIo({ answers: ['8'] });
    const { s, done } = sessions({ atPhone: ANN });
    assert.equal(await runFeature({ kind: 'pause' }, '1001', io, s), 'bad-input');
    assert.deepEqual(done, []);
    assert.ok('ask' in (said[0] ?? {}));
    assert.match(JSON.stringify(said.at(-1)), /not known/);
  });

  it('*71 and *73 act on the agent at this phone; with nobody there they say so', async () => {
    const ready = sessions({ atPhone: ANN });
    assert.equal(await runFeature({ kind: 'ready' }, '1001', fakeIo().io, ready.s), 'done');
    assert.equal(await runFeature({ kind: 'logout' }, '1001', fakeIo().io, ready.s), 'done');
    assert.deepEqual(ready.done, ['ready 7', 'logout 7']);
    const nobody = sessions();
    const { io, said } = fakeIo();
    assert.equal(await runFeature({ kind: 'ready' }, '1004', io, nobody.s), 'no-agent');
    assert.match(JSON.stringify(said), /not logged in/);
  });
});
