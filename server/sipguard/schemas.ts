import { Type, type Static } from '@sinclair/typebox';

export const SipBan = Type.Object({
  id: Type.Integer(),
  address: Type.String(),
  reason: Type.String(),
  failures: Type.Integer({ description: 'security events counted in the window that led to the ban (0 for a ban by hand)' }),
  bannedAt: Type.String({ description: 'ISO time' }),
  expiresAt: Type.String({ description: 'ISO time' }),
  liftedAt: Type.Union([Type.String(), Type.Null()], { description: 'ISO time the ban ended early or expired; null while active' }),
  liftedBy: Type.Union([Type.String(), Type.Null()], { description: "'expiry' or the admin's username" }),
  active: Type.Boolean(),
});
export type SipBan = Static<typeof SipBan>;

export const ManualBan = Type.Object({
  address: Type.String({ minLength: 2, maxLength: 45, description: 'an IPv4 or IPv6 address' }),
  minutes: Type.Integer({ minimum: 1, maximum: 43200 }),
  reason: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });
export type ManualBan = Static<typeof ManualBan>;

export const BanListQuery = Type.Object({
  state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('all')], { default: 'active' })),
});

export const FirewallStatus = Type.Object({
  backend: Type.Union([Type.Literal('nftables'), Type.Literal('acl')], { description: "nftables: banned addresses' SIP packets are dropped (no answer) and the PJSIP ACL refuses them too; acl: the ACL only (403 answers)" }),
  why: Type.Optional(Type.String({ description: 'acl: why nftables is not used' })),
  table: Type.Optional(Type.String({ description: 'nftables: our table, family inet' })),
  dropped: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'nftables: packets dropped since the table was created; null when nft cannot tell' })),
  lastAppliedAt: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'ISO time the sets were last written' })),
  lastError: Type.Optional(Type.Union([Type.Object({ message: Type.String(), at: Type.String() }), Type.Null()], { description: 'the last nft failure; null once a write succeeds again' })),
});
