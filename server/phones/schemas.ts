import { Type, type Static } from '@sinclair/typebox';
import { PHONE_LANGUAGES, VENDORS } from './phone-rules.js';

// Lengths are bounded here so an oversized value is a 400 before any rule runs; the
// patterns are the service's (phone-rules.ts), which gives each refusal its own message.
export const PhoneInput = Type.Object({
  extension: Type.String({ minLength: 1, maxLength: 8, description: '3 to 8 digits; not a DID, a feature code or another phone' }),
  displayName: Type.String({ minLength: 1, maxLength: 64, description: 'shown on the phone and as its caller id name' }),
  mac: Type.String({ minLength: 12, maxLength: 17, description: 'e.g. 00:15:65:ab:cd:01; stored as 12 lower-case hex digits' }),
  vendor: Type.Union(VENDORS.map((v) => Type.Literal(v))),
  model: Type.Optional(Type.String({ maxLength: 32, pattern: '^[A-Za-z0-9 ._-]*$' })),
  language: Type.Optional(Type.Union(PHONE_LANGUAGES.map((l) => Type.Literal(l)), { default: 'en' })),
  blfKeys: Type.Optional(Type.Array(Type.String({ maxLength: 16 }), { maxItems: 32, description: 'agent numbers whose busy lamp (*75<number>) the phone shows, in key order' })),
}, { additionalProperties: false });
export type PhoneInput = Static<typeof PhoneInput>;

export const PhoneView = Type.Object({
  id: Type.Integer(),
  extension: Type.String(),
  displayName: Type.String(),
  mac: Type.String(),
  vendor: Type.String(),
  model: Type.String(),
  language: Type.String(),
  blfKeys: Type.Array(Type.String()),
  provisioningFile: Type.String({ description: 'the file name this phone fetches, e.g. 001565abcd01.cfg' }),
  updatedAt: Type.String(),
});
export type PhoneView = Static<typeof PhoneView>;

/** Shown when a phone is added or its secrets are regenerated, and to admins who ask. */
export const PhoneSecrets = Type.Object({
  sipPassword: Type.String(),
  provisioningUrl: Type.String({ description: 'the URL to give the phone (DHCP option 66 or its web page): <base>/provision/<secret>/' }),
});
export type PhoneSecrets = Static<typeof PhoneSecrets>;

export const PhoneCreated = Type.Composite([PhoneView, PhoneSecrets]);
export type PhoneCreated = Static<typeof PhoneCreated>;
