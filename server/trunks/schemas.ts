import { Type, type Static } from '@sinclair/typebox';
import { CODECS, MAX_MATCH, TRUNK_KINDS } from './trunk-rules.js';

// Shapes and bounds only; trunk-rules.ts gives each broken rule its own message. No string
// may hold a control character: every value but the label is written into a line of
// pjsip-trunks.conf, and a line break there would let a value add its own [section].
const oneLine = '^[^\\x00-\\x1f\\x7f]*$';
const Text = (max: number, description?: string, min = 0) => Type.String({ minLength: min, maxLength: max, pattern: oneLine, ...(description ? { description } : {}) });

export const TrunkInput = Type.Object({
  name: Text(40, 'PJSIP id: letters, digits, - and _; not the config trunk\'s name nor a phone\'s extension', 1),
  label: Type.Optional(Text(64, 'what admins call it; shown on the pages only')),
  kind: Type.Union(TRUNK_KINDS.map((k) => Type.Literal(k)), { description: 'ip: the carrier is known by its addresses; register: we register to it with a username and password' }),
  host: Text(253, 'the carrier\'s SIP address: IP or DNS name', 1),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: 5060 })),
  transport: Type.Optional(Type.Literal('udp', { default: 'udp' })),
  match: Type.Optional(Type.Array(Text(49), { maxItems: MAX_MATCH, description: 'source addresses or networks (CIDR) of the carrier\'s calls; empty: the host, when it is an IP address' })),
  username: Type.Optional(Text(64, 'register: the account the carrier gave')),
  password: Type.Optional(Text(128, 'register: write-only; empty or absent on a change keeps the stored one')),
  fromDomain: Type.Optional(Text(253, 'register: the domain of our From header when the carrier wants one (empty: the host)')),
  codecs: Type.Optional(Type.Array(Type.Union(CODECS.map((c) => Type.Literal(c))), { minItems: 1, maxItems: CODECS.length, uniqueItems: true, description: 'in order of preference' })),
  enabled: Type.Optional(Type.Boolean({ default: true, description: 'a disabled trunk is kept here and removed from Asterisk' })),
  outbound: Type.Optional(Type.Boolean({ default: false, description: 'outgoing calls go through this trunk instead of the config\'s (at most one)' })),
}, { additionalProperties: false });
export type TrunkInput = Static<typeof TrunkInput>;

export const TrunkView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  label: Type.String(),
  kind: Type.String(),
  host: Type.String(),
  port: Type.Integer(),
  transport: Type.String(),
  match: Type.Array(Type.String()),
  username: Type.String({ description: 'register: the account; the password is never returned' }),
  hasPassword: Type.Boolean(),
  fromDomain: Type.String(),
  codecs: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  outbound: Type.Boolean(),
  updatedAt: Type.String(),
});
export type TrunkView = Static<typeof TrunkView>;

/** What Asterisk says of a registering trunk's registration (PJSIPShowRegistrationsOutbound). */
export const TrunkStatus = Type.Object({
  name: Type.String(),
  registration: Type.Union([Type.String(), Type.Null()], { description: 'Registered, Unregistered, Rejected, ...; null: an IP trunk, a disabled trunk, or Asterisk unreachable' }),
});
export type TrunkStatus = Static<typeof TrunkStatus>;

export const TrunkWithStatus = Type.Composite([TrunkView, Type.Object({ registration: TrunkStatus.properties.registration })]);
export type TrunkWithStatus = Static<typeof TrunkWithStatus>;
