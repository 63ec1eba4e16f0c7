import { Type, type Static } from '@sinclair/typebox';

// quality: listens to recordings and scores calls; reports: reads reports and exports only.
export const ROLES = ['admin', 'supervisor', 'agent', 'quality', 'reports'] as const;
export const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
export type Role = (typeof ROLES)[number];

/** A user as every other room sees it: never with the password hash. */
export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: Role,
  displayName: Type.String(),
  locale: Type.String(),
  active: Type.Boolean(),
  totpEnabled: Type.Boolean({ description: 'signs in with a TOTP code after the password' }),
});
export type User = Static<typeof User>;

export const CreateUser = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' }),
  // The upper bound keeps a single sign-in from costing more than a hash of a normal password.
  // The real rules (length from the config, not the username, not common) are password-rules.ts.
  password: Type.String({ minLength: 1, maxLength: 256 }),
  role: Role,
  displayName: Type.String({ minLength: 1, maxLength: 128 }),
  locale: Type.Optional(Type.String({ maxLength: 8 })),
});
export type CreateUser = Static<typeof CreateUser>;

export const UpdateUser = Type.Object({
  role: Type.Optional(Role),
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  locale: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('zh-CN')])),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });
export type UpdateUser = Static<typeof UpdateUser>;

export const SetPassword = Type.Object({
  password: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });
export type SetPassword = Static<typeof SetPassword>;

export const ChangeOwnPassword = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });
export type ChangeOwnPassword = Static<typeof ChangeOwnPassword>;

/** Who may enrol a second factor: the roles that can change what others do. */
export const TOTP_ROLES: readonly Role[] = ['admin', 'supervisor'];
