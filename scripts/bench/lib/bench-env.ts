// Imported before test/support/config.ts, which reads these when it loads: the telephony
// benchmarks use their own database and Redis db unless told otherwise, and empty both.
process.env.CC_TEST_DB ??= 'cc_bench';
process.env.CC_TEST_REDIS_DB ??= '6';
if (!/^cc_(bench|test)\w*$/.test(process.env.CC_TEST_DB)) {
  throw new Error(`CC_TEST_DB=${process.env.CC_TEST_DB}: the benchmark drops and re-creates this database; use a cc_bench* or cc_test* name`);
}
