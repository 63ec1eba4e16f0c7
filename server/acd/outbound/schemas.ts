import { Type, type Static } from '@sinclair/typebox';

export const DialRuleView = Type.Object({
  id: Type.Integer(),
  prefix: Type.String({ description: 'digits as dialled, e.g. 0044' }),
  action: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
  label: Type.String(),
});

export const DialRuleInput = Type.Object({
  prefix: Type.String({ pattern: '^[0-9]{1,15}$', description: 'digits as dialled; an international rule starts with the international prefix (00...)' }),
  action: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
  label: Type.String({ minLength: 1, maxLength: 128 }),
}, { additionalProperties: false });
export type DialRuleInput = Static<typeof DialRuleInput>;
