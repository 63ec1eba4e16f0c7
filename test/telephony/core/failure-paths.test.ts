// The server against a real Asterisk that is down, or that refuses its credentials.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { service } from '../../support/services.js';

const config = testConfig();
let server: ServerHandle | undefined;

const health = () => healthz().catch(() => undefined);

describe('the server and an unavailable or unwelcoming Asterisk', { timeout: 300000 }, () => {
  after(async () => {
    await server?.stop();
    await service('start', 'asterisk');
  });

  it('starts while Asterisk is down, reports ARI and AMI down, and connects when Asterisk comes up', async () => {
    await seededDatabase(config);
    await service('stop', 'asterisk');
    server = startServer();
    const down = await waitFor('healthz answering', health, 30000);
    assert.equal(down.status, 503);
    assert.equal(down.body.components.mariadb.up, true);
    assert.equal(down.body.components.redis.up, true);
    assert.equal(down.body.components.ari.up, false);
    assert.equal(down.body.components.ami.up, false);
    assert.ok(down.body.components.ami.error, 'the AMI component says why it is down');

    await service('start', 'asterisk');
    const up = await waitFor('healthz 200 after Asterisk started', async () => {
      const h = await health();
      return h?.status === 200 ? h : undefined;
    }, 90000).catch((err: Error) => {
      throw new Error(`${err.message}\n--- server log ---\n${server?.log().slice(-3000)}`);
    });
    assert.equal(up.body.components.ari.up, true);
    assert.equal(up.body.components.ami.up, true);
    await server.stop();
    server = undefined;
  });

  for (const part of ['ami', 'ari'] as const) {
    it(`a wrong ${part.toUpperCase()} password is a clear error in /healthz and in the log, and the password is not logged`, async () => {
      const wrong = `wrong-${part}-secret-${Date.now()}`;
      server = startServer({ [`CC__${part.toUpperCase()}__PASSWORD`]: wrong });
      const h = await waitFor(`${part} reported down with an error`, async () => {
        const r = await health();
        return r && r.body.components[part]?.error && r.body.components[part].error !== 'not connected yet' ? r : undefined;
      }, 40000);
      assert.equal(h.status, 503);
      assert.equal(h.body.components[part].up, false);
      assert.match(h.body.components[part].error, /authenticat|credential|password|401/i);
      const other = part === 'ami' ? 'ari' : 'ami';
      await waitFor(`${other} still connects`, async () => (await health())?.body.components[other].up, 30000);
      const log = server.log();
      assert.match(log, new RegExp(`${part === 'ami' ? 'AMI' : 'ARI'}[^\\n]*(authenticat|credential|password|401)`, 'i'));
      assert.ok(!log.includes(wrong), 'the wrong password never appears in the log');
      await server.stop();
      server = undefined;
    });
  }
});
