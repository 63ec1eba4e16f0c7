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
});
export type User = Static<typeof User>;

export const CreateUser = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' }),
  // The upper bound keeps a single sign-in from costing more than a hash of a normal password.
  password: Type.String({ minLength: 8, maxLength: 256 }),
  role: Role,
  displayName: Type.String({ minLength: 1, maxLength: 128 }),
  locale: Type.Optional(Type.String({ maxLength: 8 })),
});
export type CreateUser = Static<typeof CreateUser>;
