// The job schedules in the configuration: defaults, and a schedule node-cron cannot read
// stopping the boot with a message that names the key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, validateConfig } from '../../../server/core/config.js';

const base = { instanceName: 'test', db: { password: 'x' }, ari: { password: 'x' }, ami: { password: 'x' }, session: { secret: 's'.repeat(32) } };

describe('job settings', () => {
  it('runs recording retention at 03:30 in batches of 500 unless told otherwise', () => {
    const c = validateConfig(base);
    assert.equal(c.jobs.retentionCron, '30 3 * * *');
    assert.equal(c.jobs.retentionBatchSize, 500);
  });

  it('refuses a schedule that is not a cron expression, naming the key', () => {
    assert.throws(() => validateConfig({ ...base, jobs: { retentionCron: 'every night' } }), (e: unknown) =>
      e instanceof ConfigError && e.problems.some((p) => p.startsWith('jobs.retentionCron: not a cron expression')));
    assert.throws(() => validateConfig({ ...base, jobs: { cdrReconcileCron: '61 * * * *' } }), (e: unknown) =>
      e instanceof ConfigError && e.problems.some((p) => p.startsWith('jobs.cdrReconcileCron')));
  });

  it('refuses a batch size out of range', () => {
    assert.throws(() => validateConfig({ ...base, jobs: { retentionBatchSize: 0 } }), (e: unknown) =>
      e instanceof ConfigError && e.problems.some((p) => p.startsWith('jobs.retentionBatchSize')));
  });
});
