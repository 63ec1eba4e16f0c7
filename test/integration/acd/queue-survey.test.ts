// A queue's post-call survey settings, over the API and the admin page (one service).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;

const problems = (body: string) => (JSON.parse(body) as { error: { details: { problems: Array<{ path: string; code: string }> } } }).error.details.problems;
const form = (url: string, fields: Record<string, string>) =>
  h.app.inject({
    method: 'POST', url,
    headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: h.csrf, ...fields }).toString(),
  });
const base = { name: 'rated', skill: 'support', strategy: 'longest_idle' };
const fields = { skill: 'support', minLevel: '1', strategy: 'longest_idle', ringTimeoutSec: '15', wrapUpSec: '0', maxMisses: '2', maxWaiting: '', announceEverySec: '0', serviceLevelSec: '20', advanced: '' };

describe('a queue\'s post-call survey settings', () => {
  before(async () => {
    h = await routingHarness();
  });

  after(async () => {
    await h?.close();
  });

  it('is off by default, with six seconds to answer', async () => {
    const res = await h.api('POST', '/api/v1/queues', base);
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().survey, { enabled: false, timeoutSec: 6 });
    assert.deepEqual((await h.api('GET', `/api/v1/queues/${h.config.demo.queue}`)).json().survey, { enabled: false, timeoutSec: 6 }, 'a queue stored before surveys existed');
  });

  it('turns on with a stored prompt as the question', async () => {
    const prompt = (await h.api('POST', '/api/v1/ivr/prompts/tts', { text: 'How did we do today? Press 1 to 5.', lang: 'en' })).json();
    const res = await h.api('PUT', '/api/v1/queues/rated', { ...base, survey: { enabled: true, promptId: prompt.id, timeoutSec: 8 } });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((await h.api('GET', '/api/v1/queues/rated')).json().survey, { enabled: true, promptId: prompt.id, timeoutSec: 8 });
  });

  it('refuses a prompt that does not exist and a timeout out of range, and keeps the queue as it was', async () => {
    const before = (await h.api('GET', '/api/v1/queues/rated')).json().survey;
    const missing = await h.api('PUT', '/api/v1/queues/rated', { ...base, survey: { enabled: true, promptId: 99999 } });
    assert.equal(missing.statusCode, 422, missing.body);
    assert.deepEqual(problems(missing.body).map((p) => [p.path, p.code]), [['/survey/promptId', 'missing-prompt']]);
    const slow = await h.api('PUT', '/api/v1/queues/rated', { ...base, survey: { enabled: true, timeoutSec: 600, colour: 'red' } });
    assert.equal(slow.statusCode, 422, slow.body);
    const paths = problems(slow.body).map((p) => p.path);
    assert.ok(paths.includes('/survey/timeoutSec') && paths.includes('/survey/colour'), paths.join(' '));
    assert.deepEqual((await h.api('GET', '/api/v1/queues/rated')).json().survey, before);
  });

  it('is set from the queue page, whose refusals are shown beside the form with the fields kept', async () => {
    const shown = await h.app.inject({ method: 'GET', url: '/admin/queues/rated', headers: { cookie: h.cookie } });
    assert.match(shown.body, /<input id="q-survey" name="surveyEnabled" type="checkbox" value="1" checked>/);
    const bad = await form('/admin/queues/rated', { ...fields, surveyEnabled: '1', surveyPromptId: '99999', surveyTimeoutSec: '7' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /<strong>\/survey\/promptId<\/strong>: names prompt 99999, which does not exist/);
    assert.match(bad.body, /name="surveyPromptId" type="number" min="1" value="99999"/);
    const off = await form('/admin/queues/rated', { ...fields, surveyTimeoutSec: '' });
    assert.equal(off.statusCode, 303, off.body);
    assert.deepEqual((await h.api('GET', '/api/v1/queues/rated')).json().survey, { enabled: false, timeoutSec: 6 });
    const on = await form('/admin/queues/rated', { ...fields, surveyEnabled: '1', surveyTimeoutSec: '10' });
    assert.equal(on.statusCode, 303, on.body);
    assert.deepEqual((await h.api('GET', '/api/v1/queues/rated')).json().survey, { enabled: true, timeoutSec: 10 });
  });

  it('labels the survey fields in Chinese too', async () => {
    const zh = await h.app.inject({ method: 'GET', url: '/admin/queues/rated', headers: { cookie: `${h.cookie}; lang=zh-CN` } });
    assert.match(zh.body, /通话后满意度调查/);
  });
});
