import { Type, type Static } from '@sinclair/typebox';

// Every setting the server reads. Defaults live here; the installed config file
// and CC__SECTION__KEY environment variables override them (see config.ts).
const Phone = Type.Object({
  extension: Type.String({ pattern: '^[0-9]{2,8}$' }),
  password: Type.String({ minLength: 12 }),
  name: Type.String({ minLength: 1 }),
});

export const ConfigSchema = Type.Object({
  instanceName: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_-]+$' }),
  timezone: Type.String({ default: 'UTC' }),
  http: Type.Object({
    host: Type.String({ default: '0.0.0.0' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 8080 }),
    publicUrl: Type.String({ default: 'http://localhost:8080' }),
    bodyLimitBytes: Type.Integer({ minimum: 1024, default: 1048576 }),
    // HTTPS when both are set: PEM files, replaceable (install.sh makes a self-signed pair
    // under the config dir; put the real certificate at the same paths and restart).
    tls: Type.Object({
      cert: Type.String({ default: '' }),
      key: Type.String({ default: '' }),
    }, { default: {} }),
    // With TLS on: a plain-HTTP listener on this port that only redirects to HTTPS; 0: none.
    redirectPort: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
  }, { default: {} }),
  db: Type.Object({
    host: Type.String({ default: '127.0.0.1' }),
    port: Type.Integer({ default: 3306 }),
    user: Type.String({ default: 'cc' }),
    password: Type.String({ minLength: 1 }),
    database: Type.String({ default: 'cc', pattern: '^[A-Za-z0-9_]+$' }),
    poolMax: Type.Integer({ minimum: 1, default: 10 }),
  }, { default: {} }),
  redis: Type.Object({
    host: Type.String({ default: '127.0.0.1' }),
    port: Type.Integer({ default: 6379 }),
    db: Type.Integer({ minimum: 0, maximum: 15, default: 0 }),
    password: Type.Optional(Type.String()),
  }, { default: {} }),
  ari: Type.Object({
    url: Type.String({ default: 'http://127.0.0.1:8088' }),
    username: Type.String({ default: 'cc' }),
    password: Type.String({ minLength: 1 }),
    app: Type.String({ default: 'cc' }),
  }, { default: {} }),
  ami: Type.Object({
    host: Type.String({ default: '127.0.0.1' }),
    port: Type.Integer({ default: 5038 }),
    username: Type.String({ default: 'cc' }),
    password: Type.String({ minLength: 1 }),
    actionTimeoutMs: Type.Integer({ minimum: 100, default: 5000 }),
  }, { default: {} }),
  asterisk: Type.Object({
    // Host path of the chroot Asterisk runs in; empty when it is the OS package.
    root: Type.String({ default: '' }),
    recordingsDir: Type.String({ default: '/var/spool/asterisk/recording/cc' }),
    cdrJournal: Type.String({ default: '/var/log/asterisk/cdr-custom/cc-journal.csv' }),
  }, { default: {} }),
  session: Type.Object({
    secret: Type.String({ minLength: 32 }),
    // Forced on when http.tls is set.
    secureCookie: Type.Boolean({ default: false }),
    // A session unused this long is gone (every request restarts the count).
    idleTimeoutSec: Type.Integer({ minimum: 2, maximum: 604800, default: 28800 }),
    // A session this old is gone however busy it is: sign in again.
    absoluteTimeoutSec: Type.Integer({ minimum: 2, maximum: 2592000, default: 43200 }),
  }, { default: {} }),
  login: Type.Object({
    // Sign-in failures for one username within windowSec lock that username for lockoutSec.
    maxFailuresPerUser: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
    // The same from one client address (any usernames): stops guessing across many accounts.
    maxFailuresPerAddress: Type.Integer({ minimum: 1, maximum: 10000, default: 20 }),
    windowSec: Type.Integer({ minimum: 1, maximum: 86400, default: 900 }),
    lockoutSec: Type.Integer({ minimum: 1, maximum: 86400, default: 900 }),
    passwordMinLength: Type.Integer({ minimum: 8, maximum: 128, default: 10 }),
    // The app name a TOTP authenticator shows next to the account.
    totpIssuer: Type.String({ minLength: 1, maxLength: 64, default: 'Contact Center' }),
  }, { default: {} }),
  // Sensitive customer fields and TOTP secrets are sealed with AES-256-GCM under a data key
  // (server/core/field-crypto.ts). install.sh generates one; the server refuses to boot
  // without it. To rotate: add a new key, make it dataKeyId, keep the old one here until
  // scripts/encrypt-existing.ts has re-sealed every value, then remove it.
  security: Type.Object({
    dataKeyId: Type.String({ default: '' }),
    // Key id -> 32 random bytes in base64.
    dataKeys: Type.Record(Type.String(), Type.String(), { default: {} }),
  }, { default: {} }),
  log: Type.Object({
    level: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
  }, { default: {} }),
  routing: Type.Object({
    ringTimeoutSec: Type.Integer({ minimum: 5, maximum: 120, default: 15 }),
    wrapUpSec: Type.Integer({ minimum: 0, maximum: 600, default: 0 }),
    greeting: Type.String({ default: 'sound:queue-thankyou' }),
    matchTickMs: Type.Integer({ minimum: 100, default: 1000 }),
    // The stuck-reservation sweep (acd/reservation-sweeper.ts): how often it runs, and how
    // old a reservation without an offer channel must be before it counts as lost.
    sweepEverySec: Type.Integer({ minimum: 1, maximum: 3600, default: 10 }),
    reservationGraceSec: Type.Integer({ minimum: 2, maximum: 600, default: 10 }),
  }, { default: {} }),
  jobs: Type.Object({
    enabled: Type.Boolean({ default: true }),
    cdrReconcileCron: Type.String({ default: '*/1 * * * *' }),
    // Recording retention (recordings/retention-service.ts): nightly, a batch of rows at a time.
    retentionCron: Type.String({ default: '30 3 * * *' }),
    retentionBatchSize: Type.Integer({ minimum: 1, maximum: 10000, default: 500 }),
  }, { default: {} }),
  reports: Type.Object({
    // FCR (server/reports/CONTEXT.md): a handled call is a repeat when the same caller had
    // another answered call within this many hours before it (QueueMetrics' default margin).
    fcrWindowH: Type.Integer({ minimum: 1, maximum: 2160, default: 168 }),
    // How often the KPI summary re-folds buckets a late or new row marked (queries do it too).
    refreshEverySec: Type.Integer({ minimum: 1, maximum: 3600, default: 15 }),
    // The site named in a printed report's header; empty: instanceName.
    siteName: Type.String({ default: '', maxLength: 120 }),
    // Scheduled reports are mailed from this address through `smtp`.
    emailFrom: Type.String({ default: 'cc-reports@localhost' }),
    // Headless Chromium renders the PDFs; where it is missing, emails go without a PDF.
    chromiumPath: Type.String({ default: '/usr/bin/chromium' }),
    pdfTimeoutMs: Type.Integer({ minimum: 1000, maximum: 300000, default: 30000 }),
    // How often the jobs look for a report schedule that is due (each schedule has its own send time).
    scheduleCheckCron: Type.String({ default: '* * * * *' }),
  }, { default: {} }),
  demo: Type.Object({
    enabled: Type.Boolean({ default: false }),
    did: Type.String({ default: '5551000' }),
    queue: Type.String({ default: 'support' }),
    // The IVR flow the demo DID is routed to when the seed first writes it ('main' is the
    // seeded menu); empty routes the DID straight to `queue`.
    flow: Type.String({ default: 'main', pattern: '^([A-Za-z0-9_-]{1,64})?$' }),
    readyAgents: Type.Array(Type.String(), { default: [] }),
    adminUser: Type.String({ default: 'admin' }),
    adminPassword: Type.Optional(Type.String({ minLength: 8 })),
    // Demo agent users agent<extension> (one per configured phone) sign in with this; unset: none.
    agentPassword: Type.Optional(Type.String({ minLength: 8 })),
  }, { default: {} }),
  trunk: Type.Object({
    name: Type.String({ default: 'carrier' }),
    match: Type.Array(Type.String(), { minItems: 1, default: ['127.0.0.2'] }),
    /**
     * Where outgoing calls (callbacks) are sent: the carrier's SIP address as host[:port].
     * Empty: the first `match` address on port 5060.
     */
    outbound: Type.String({ default: '', pattern: '^$|^[A-Za-z0-9.-]+(:[0-9]{1,5})?$' }),
    // Premium-rate ranges of this country, as national numbers (e.g. 1600 in China, 900 in
    // the US): refused like international numbers unless a dial rule allows them.
    premiumPrefixes: Type.Array(Type.String({ pattern: '^[0-9]{1,15}$' }), { default: [] }),
    // The file the server writes the trunks added from the admin pages into (server/trunks),
    // as Asterisk names it; pjsip.conf includes it with #tryinclude.
    managedFile: Type.String({ default: '/etc/asterisk/pjsip-trunks.conf', pattern: '^/' }),
  }, { default: {} }),
  // Toll-fraud caps on outside calls up at once (server/acd/outbound/outbound-cap.ts): click
  // to dial, transfers to a number and callbacks count; 0 means no cap.
  outbound: Type.Object({
    maxPerAgent: Type.Integer({ minimum: 0, maximum: 100, default: 2 }),
    maxTotal: Type.Integer({ minimum: 0, maximum: 10000, default: 30 }),
    // A slot whose release was lost (a crash) is dropped after this long whatever happens.
    maxCallSec: Type.Integer({ minimum: 60, maximum: 86400, default: 14400 }),
  }, { default: {} }),
  alerts: Type.Object({
    enabled: Type.Boolean({ default: true }),
    // Rules are evaluated on this tick (by one instance, under a Redis lease) and after call and agent events.
    evaluateEverySec: Type.Integer({ minimum: 1, maximum: 300, default: 5 }),
    // Raised and cleared alerts are POSTed here as JSON; empty: no webhook.
    webhookUrl: Type.String({ default: '', pattern: '^$|^https?://' }),
    webhookTimeoutMs: Type.Integer({ minimum: 100, maximum: 60000, default: 3000 }),
    // Raised and cleared alerts are mailed to these addresses through `smtp`; empty: no email.
    emailTo: Type.Array(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$' }), { default: [] }),
    emailFrom: Type.String({ default: 'cc-alerts@localhost' }),
  }, { default: {} }),
  smtp: Type.Object({
    host: Type.String({ default: '' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 25 }),
    // true: TLS from the first byte (port 465); false: STARTTLS when the server offers it.
    secure: Type.Boolean({ default: false }),
    user: Type.String({ default: '' }),
    password: Type.String({ default: '' }),
    timeoutMs: Type.Integer({ minimum: 1000, maximum: 120000, default: 10000 }),
  }, { default: {} }),
  phones: Type.Array(Phone, { default: [] }),
  // The SIP attack blocker (server/sipguard): an address with maxFailures security events
  // (unknown account, wrong password, ACL refusal) within windowSec is banned for banSec.
  sipGuard: Type.Object({
    enabled: Type.Boolean({ default: true }),
    maxFailures: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
    windowSec: Type.Integer({ minimum: 10, maximum: 86400, default: 300 }),
    banSec: Type.Integer({ minimum: 60, maximum: 30 * 86400, default: 3600 }),
    // Never banned, whatever they send: loopback and the trunk's addresses always; add the
    // office's own networks here (addresses or CIDR).
    neverBan: Type.Array(Type.String({ pattern: '^[0-9a-fA-F.:]+(/[0-9]{1,3})?$' }), { default: [] }),
    // The PJSIP ACL file the bans are written to, as Asterisk sees it (pjsip.conf includes it).
    aclFile: Type.String({ default: '/etc/asterisk/pjsip-bans.conf', pattern: '^/' }),
    // Where bans are also enforced in the kernel, so a banned address gets no answer at all
    // (the ACL alone answers it with 403): 'auto' = nftables when `nft list tables` works for
    // this process and Asterisk runs on this host (AMI on loopback); 'acl' = the ACL only.
    firewall: Type.Union([Type.Literal('auto'), Type.Literal('nftables'), Type.Literal('acl')], { default: 'auto' }),
    // Our own nftables table (family inet); nothing else of the host's firewall is touched.
    nftTable: Type.String({ default: 'cc_sipguard', pattern: '^[a-z][a-z0-9_]{0,31}$' }),
    // The ports Asterisk's SIP transports listen on; provisioning.sipPort is added to them.
    sipPorts: Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), { default: [5060, 5061], minItems: 1, maxItems: 16 }),
  }, { default: {} }),
  // Desk phones managed from the admin pages (server/phones). The phones in `phones` above
  // stay rendered into pjsip.conf as before; managed phones go to `phonesFile`.
  provisioning: Type.Object({
    // The address and port desk phones register to, as they reach Asterisk (a LAN address,
    // not 127.0.0.1 in a real office). Empty: the host of http.publicUrl.
    sipHost: Type.String({ default: '', pattern: '^$|^[A-Za-z0-9.-]+$' }),
    sipPort: Type.Integer({ minimum: 1, maximum: 65535, default: 5060 }),
    transport: Type.Union([Type.Literal('udp'), Type.Literal('tcp'), Type.Literal('tls')], { default: 'udp' }),
    // The base URL phones fetch /provision/<secret>/<file> from. Empty: http.publicUrl.
    publicHttpUrl: Type.String({ default: '', pattern: '^$|^https?://[^\\s]+$' }),
    // The file the server writes the managed phones' endpoints into, as Asterisk names it;
    // pjsip.conf includes it with #tryinclude.
    phonesFile: Type.String({ default: '/etc/asterisk/pjsip-phones.conf', pattern: '^/' }),
    // Failed provisioning fetches one address may make per minute before it gets 429s.
    failuresPerMinute: Type.Integer({ minimum: 1, maximum: 10000, default: 20 }),
  }, { default: {} }),
  crm: Type.Object({
    // How a caller id the trunk delivers in national form becomes the international form
    // customers' numbers are stored in (server/crm/phone-number.ts). An empty country code
    // leaves national numbers as their digits.
    countryCode: Type.String({ default: '', pattern: '^([1-9][0-9]{0,2})?$' }),
    nationalPrefix: Type.String({ default: '0', pattern: '^[0-9]{0,2}$' }),
    internationalPrefix: Type.String({ default: '00', pattern: '^[0-9]{2,4}$' }),
    nationalMinDigits: Type.Integer({ minimum: 4, maximum: 15, default: 8 }),
  }, { default: {} }),
  privacy: Type.Object({
    // The roles that see callers' and customers' phone numbers in full on pages, in the API,
    // in live feeds and in CSV exports; every other role sees them masked (the rule is in
    // server/core/number-mask.ts and docs/privacy.md). Role names as in server/users/schemas.ts.
    unmaskedRoles: Type.Array(Type.Union(['admin', 'supervisor', 'agent', 'quality', 'reports'].map((r) => Type.Literal(r))), {
      default: ['admin', 'supervisor'], uniqueItems: true, maxItems: 5,
    }),
  }, { default: {} }),
});

export type Config = Static<typeof ConfigSchema>;
export type PhoneConfig = Static<typeof Phone>;
