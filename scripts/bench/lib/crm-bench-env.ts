// Imported before test/support/config.ts, which reads these when it loads. Like bench-env.ts,
// but any test database name is accepted (helpers each have their own), except the app's.
process.env.CC_TEST_DB ??= 'cc_bench';
if (process.env.CC_TEST_DB === 'cc') throw new Error('CC_TEST_DB=cc: the benchmark drops and re-creates this database; use a test database');
