// Sensitive fields at rest (server/core/field-crypto.ts) against real MariaDB: the raw columns
// hold no plain text while the API and pages show it, TOTP sign-in still works, rows from
// before encryption still read and scripts/encrypt-existing.ts seals them (again: nothing to
// do), a key rotation re-seals, and an altered value is an error, never garbage.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Secret, TOTP } from 'otpauth';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';
import { testEnv, TEST_DATA_KEY, TEST_DATA_KEY_ID } from '../../support/config.js';
import { csrfTokenIn, postForm, postLogin, signIn } from '../../support/web-session.js';
import { FieldCipher, generateDataKey } from '../../../server/core/field-crypto.js';
import { ResealRepository } from '../../../server/core/reseal-repository.js';
import { SEALED_TABLES } from '../../../server/core/sealed-columns.js';

const run = promisify(execFile);
const root = new URL('../../..', import.meta.url).pathname;
const ENVELOPE = new RegExp(`^enc:v1:${TEST_DATA_KEY_ID}:`);

let h: Harness;
let agentCookie: string;

const search = async (q: string) => ((await h.app.inject({ url: `/api/v1/customers?q=${encodeURIComponent(q)}`, headers: { cookie: agentCookie } })).json().items as Array<{ name: string }>).map((c) => c.name);
const raw = async (table: string, id: number | string, column: string) => (await h.app.db(table).where({ id }).first(column))?.[column] as string | null;

async function encryptExisting(env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/encrypt-existing.ts', '--batch', '2'], {
    cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...testEnv(env) },
  });
  return stdout;
}

async function newInteraction(wrapNote?: string, callerNumber = '+8613700001234'): Promise<string> {
  const id = randomUUID();
  await h.app.db('interactions').insert({ id, direction: 'inbound', caller_number: callerNumber, did: '5551000', queue: 'support', entered_at: new Date(), outcome: 'answered', wrap_note: wrapNote ?? null });
  return id;
}

describe('sensitive fields encrypted at rest', { timeout: 120000 }, () => {
  before(async () => {
    h = await routingHarness();
    agentCookie = await h.signInAs('agent');
  });

  after(async () => {
    await h?.close();
  });

  it('stores email, company, notes and customer notes sealed, and shows them as typed on the API and the page', async () => {
    const created = await h.app.inject({
      method: 'POST', url: '/api/v1/customers', headers: { cookie: agentCookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Zhao Min', email: 'zhao.min@example.cn', company: 'Shenzhen Widgets', notes: 'prefers Mandarin 普通话', numbers: ['+8613912345678'] }),
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as number;
    const note = await h.app.inject({ method: 'POST', url: `/api/v1/customers/${id}/notes`, headers: { cookie: agentCookie, 'content-type': 'application/json' }, payload: JSON.stringify({ text: 'promised a refund by Friday' }) });
    assert.equal(note.statusCode, 201, note.body);

    const row = await h.app.db('customers').where({ id }).first('name', 'email', 'company', 'notes');
    assert.equal(row.name, 'Zhao Min', 'names stay clear for the search');
    for (const col of ['email', 'company', 'notes']) assert.match(row[col], ENVELOPE, col);
    assert.doesNotMatch(JSON.stringify(row), /zhao\.min|Widgets|Mandarin|普通话/);
    const body = (await h.app.db('customer_notes').where({ customer_id: id }).first('body')).body as string;
    assert.match(body, ENVELOPE);
    assert.doesNotMatch(body, /refund/);
    assert.equal((await h.app.db('customer_numbers').where({ customer_id: id }).first('number')).number, '+8613912345678');

    const got = (await h.app.inject({ url: `/api/v1/customers/${id}`, headers: { cookie: agentCookie } })).json();
    assert.deepEqual([got.email, got.company, got.notes, got.latestNotes[0].text], ['zhao.min@example.cn', 'Shenzhen Widgets', 'prefers Mandarin 普通话', 'promised a refund by Friday']);
    const page = await h.app.inject({ url: `/customers/${id}`, headers: { cookie: agentCookie } });
    assert.equal(page.statusCode, 200);
    for (const text of ['zhao.min@example.cn', 'Shenzhen Widgets', 'promised a refund by Friday']) assert.ok(page.body.includes(text), text);
    assert.equal((await h.app.crm.lookup('+8613912345678'))?.email, 'zhao.min@example.cn', 'the caller-id lookup still finds and opens it');
  });

  it('searches parts of names and numbers, and whole emails and company names through their blind indexes', async () => {
    assert.deepEqual(await search('Zhao'), ['Zhao Min']);
    assert.deepEqual(await search('139 1234'), ['Zhao Min']);
    assert.deepEqual(await search('Zhao.Min@EXAMPLE.cn'), ['Zhao Min'], 'a whole email, in any case');
    assert.deepEqual(await search('  shenzhen   WIDGETS '), ['Zhao Min'], 'a whole company name, in any case and spacing');
    assert.deepEqual(await search('Widgets'), [], 'a part of a sealed value is not found');
    assert.deepEqual(await search('zhao.min@example'), []);
    const row = await h.app.db('customers').where({ name: 'Zhao Min' }).first('email_bidx', 'company_bidx');
    for (const col of ['email_bidx', 'company_bidx']) assert.match(row[col], /^[0-9a-f]{32}$/, col);
    assert.notEqual(row.email_bidx, row.company_bidx);
  });

  it('keeps the index in step with an edit, and an email typed as a company does not match the email', async () => {
    const id = (await h.app.db('customers').where({ name: 'Zhao Min' }).first('id')).id as number;
    const other = await h.api('POST', '/api/v1/customers', { name: 'Qian Wu', company: 'zhao.min@example.cn' });
    assert.equal(other.statusCode, 201, other.body);
    assert.deepEqual(await search('zhao.min@example.cn'), ['Qian Wu', 'Zhao Min'], 'each row matches by its own column');
    assert.equal((await h.api('PATCH', `/api/v1/customers/${id}`, { email: 'min.zhao@example.cn' })).statusCode, 200);
    assert.deepEqual(await search('min.zhao@example.cn'), ['Zhao Min']);
    assert.deepEqual(await search('zhao.min@example.cn'), ['Qian Wu'], 'the old email no longer finds her');
    assert.equal((await h.api('PATCH', `/api/v1/customers/${id}`, { email: 'zhao.min@example.cn' })).statusCode, 200);
  });

  it('seals the wrap-up note and shows it on the interaction API and the customer history', async () => {
    // From Zhao Min's number: her history lists it.
    const id = await newInteraction(undefined, '+8613912345678');
    await h.app.interactions.update(id, { wrapNote: 'customer angry about invoice 42' });
    await h.app.interactions.settled(id);
    const stored = await raw('interactions', id, 'wrap_note');
    assert.match(stored ?? '', ENVELOPE);
    assert.doesNotMatch(stored ?? '', /invoice/);
    const detail = await h.api('GET', `/api/v1/interactions/${id}`);
    assert.equal(detail.statusCode, 200, detail.body);
    assert.ok(detail.body.includes('customer angry about invoice 42'));
    const customerId = (await h.app.db('customers').where({ name: 'Zhao Min' }).first('id')).id as number;
    const history = await h.app.inject({ url: `/api/v1/customers/${customerId}/history`, headers: { cookie: agentCookie } });
    assert.ok((history.json().items as Array<{ note: string | null }>).some((i) => i.note === 'customer angry about invoice 42'), history.body);
    const csv = await h.api('GET', '/api/v1/interactions.csv?number=13912345678');
    assert.ok(csv.body.includes('customer angry about invoice 42'));
  });

  it('keeps TOTP secrets sealed and signs in with a code from the authenticator', async () => {
    await h.app.users.create({ username: 'sealed-sup', password: 'a long password 1', role: 'supervisor', displayName: 'Sealed Sup' });
    const cookie = await signIn(h.app, 'sealed-sup', 'a long password 1');
    const started = await postForm(h.app, cookie, '/account', '/account/totp/start', {});
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(started.body)?.[1];
    assert.ok(secret);
    const user = await h.app.db('users').where({ username: 'sealed-sup' }).first('id', 'totp_pending_secret');
    assert.match(user.totp_pending_secret, ENVELOPE);
    assert.ok(!user.totp_pending_secret.includes(secret));
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    assert.equal((await postForm(h.app, cookie, '/account', '/account/totp/confirm', { code: totp.generate() })).statusCode, 200);
    const enabled = await raw('users', user.id, 'totp_secret');
    assert.match(enabled ?? '', ENVELOPE);
    assert.ok(!enabled?.includes(secret));

    const first = await postLogin(h.app, 'sealed-sup', 'a long password 1');
    assert.match(first.res.body, /id="totp-form"/);
    const ok = await h.app.inject({
      method: 'POST', url: '/login/totp', headers: { cookie: first.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfTokenIn(first.res.body), code: totp.generate({ timestamp: Date.now() + 30000 }) }).toString(),
    });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
  });

  it('reads rows written before encryption, and encrypt-existing seals them once without touching updated_at', async () => {
    const [customerId] = await h.app.db('customers').insert({ name: 'Legacy Lu', email: 'lu@old.example', company: 'Old Co', notes: 'legacy standing note', updated_at: new Date('2026-01-02T03:04:05Z') });
    await h.app.db('customer_notes').insert({ customer_id: customerId, author_name: 'Old Agent', body: 'legacy dated note' });
    const interactionId = await newInteraction('legacy wrap note');
    const legacyTotp = 'JBSWY3DPEHPK3PXP';
    const [userId] = await h.app.db('users').insert({ username: 'legacy-admin', password_hash: 'x', role: 'admin', display_name: 'Legacy', locale: 'en', totp_secret: legacyTotp });

    const before = (await h.api('GET', `/api/v1/customers/${customerId}`)).json();
    assert.deepEqual([before.email, before.company, before.notes, before.latestNotes[0].text], ['lu@old.example', 'Old Co', 'legacy standing note', 'legacy dated note']);

    const out = await encryptExisting();
    assert.match(out, /customers\.email: [1-9]\d* sealed/);
    assert.match(out, /users\.totp_secret: [1-9]\d* sealed/);
    const row = await h.app.db('customers').where({ id: customerId }).first('email', 'company', 'notes', 'updated_at');
    for (const col of ['email', 'company', 'notes']) assert.match(row[col], ENVELOPE, col);
    assert.equal(new Date(row.updated_at).toISOString(), '2026-01-02T03:04:05.000Z', 'sealing is not an edit: the caller-id lookup orders by updated_at');
    assert.match((await h.app.db('customer_notes').where({ customer_id: customerId }).first('body')).body, ENVELOPE);
    assert.match((await raw('interactions', interactionId, 'wrap_note')) ?? '', ENVELOPE);
    assert.match((await raw('users', Number(userId), 'totp_secret')) ?? '', ENVELOPE);
    assert.equal((await h.app.users.get(Number(userId))).totpEnabled, true);

    // A row stored before the index columns existed is found once the boot fills its index.
    const legacy = await h.app.db('customers').where({ id: customerId }).first('email_bidx');
    assert.ok(legacy.email_bidx, 'encrypt-existing wrote the index with the sealed value');
    await h.app.db('customers').where({ id: customerId }).update({ email_bidx: null, company_bidx: null, updated_at: h.app.db.raw('updated_at') });
    assert.deepEqual(await search('lu@old.example'), []);
    assert.equal(await new ResealRepository(h.app.db, h.app.fieldCipher).fillIndexes(SEALED_TABLES.find((t) => t.table === 'customers')!, 2), 2);
    assert.deepEqual(await search('LU@old.example'), ['Legacy Lu']);
    assert.deepEqual(await search('old co'), ['Legacy Lu']);
    assert.equal(await new ResealRepository(h.app.db, h.app.fieldCipher).fillIndexes(SEALED_TABLES.find((t) => t.table === 'customers')!, 2), 0, 'nothing left to fill');

    const afterSeal = (await h.api('GET', `/api/v1/customers/${customerId}`)).json();
    assert.deepEqual([afterSeal.email, afterSeal.notes, afterSeal.latestNotes[0].text], ['lu@old.example', 'legacy standing note', 'legacy dated note']);
    const sealedRows = JSON.stringify(await h.app.db('customers').select('email', 'company', 'notes'));

    const again = await encryptExisting();
    assert.match(again, /done: 0 values sealed/);
    assert.equal(JSON.stringify(await h.app.db('customers').select('email', 'company', 'notes')), sealedRows, 'a second run changes nothing');
  });

  it('after a rotation re-seals every value under the new key, which alone then opens them', async () => {
    const newKey = generateDataKey();
    const out = await encryptExisting({ CC__SECURITY__DATA_KEY_ID: 'k2', CC__SECURITY__DATA_KEYS: JSON.stringify({ [TEST_DATA_KEY_ID]: TEST_DATA_KEY, k2: newKey }) });
    assert.match(out, /done: [1-9]\d* values sealed under data key 'k2'/);
    const rows = await h.app.db('customers').whereNotNull('email').select('email');
    assert.ok(rows.length >= 2);
    const onlyNew = new FieldCipher({ currentKeyId: 'k2', keys: { k2: Buffer.from(newKey, 'base64') } });
    for (const r of rows) {
      assert.match(r.email, /^enc:v1:k2:/);
      assert.match(onlyNew.open(r.email, 'customers.email'), /@/);
    }
    // The indexes were rewritten under the new key: a server holding only k2 still finds her.
    const zhao = await h.app.db('customers').where({ name: 'Zhao Min' }).first('email_bidx');
    assert.deepEqual(onlyNew.blindIndexCandidates('zhao.min@example.cn', 'customers.email'), [zhao.email_bidx]);
    // The running server still holds only the old key: it says so instead of showing garbage.
    const id = (await h.app.db('customers').where({ name: 'Zhao Min' }).first('id')).id as number;
    const res = await h.api('GET', `/api/v1/customers/${id}`);
    assert.equal(res.statusCode, 500);
    assert.equal(res.json().error.code, 'field-decrypt-failed');
  });

  it('answers an altered value with a clear error and no plain text', async () => {
    const created = await h.api('POST', '/api/v1/customers', { name: 'Tamper Test', email: 'tamper@example.cn' });
    const id = created.json().id as number;
    const sealed = (await raw('customers', id, 'email')) ?? '';
    const parts = sealed.split(':');
    const body = Buffer.from(parts[5] as string, 'base64');
    body[0] = (body[0] as number) ^ 0xff;
    await h.app.db('customers').where({ id }).update({ email: [...parts.slice(0, 5), body.toString('base64')].join(':') });
    const res = await h.api('GET', `/api/v1/customers/${id}`);
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json().error, { code: 'field-decrypt-failed', message: 'internal server error' });
  });
});
