import { Type, type Static } from '@sinclair/typebox';

const Number_ = Type.String({ minLength: 2, maxLength: 32, description: 'digits; spaces, dots, dashes, brackets and a leading + are allowed and dropped. 2-6 digits: a desk phone; 7-15: an outside number through the trunk' });

export const TransferTarget = Type.Union([
  Type.Object({ type: Type.Literal('agent'), agent: Type.String({ minLength: 1, maxLength: 32, description: 'agent number' }) }),
  Type.Object({ type: Type.Literal('queue'), queue: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }),
  Type.Object({ type: Type.Literal('number'), number: Number_ }),
]);

export const TransferRequest = Type.Object({
  kind: Type.Union([Type.Literal('blind'), Type.Literal('attended')], { description: 'blind: the agent leaves now; attended: the caller is held while the agent talks to the target first' }),
  target: TransferTarget,
}, { additionalProperties: false });
export type TransferRequest = Static<typeof TransferRequest>;

export const ConferenceRequest = Type.Object({
  target: Type.Optional(TransferTarget),
}, { additionalProperties: false, description: 'with a target: ring it and join all three when it answers; without: the consulted target joins' });
export type ConferenceRequest = Static<typeof ConferenceRequest>;

export const DtmfRequest = Type.Object({ digits: Type.String({ pattern: '^[0-9*#A-Da-d]{1,32}$' }) }, { additionalProperties: false });
export type DtmfRequest = Static<typeof DtmfRequest>;

// Exactly one of number, customerId or interactionId: roles that see numbers masked dial by
// reference and the server looks the number up (docs/privacy.md).
export const DialRequest = Type.Object({
  number: Type.Optional(Number_),
  customerId: Type.Optional(Type.Integer({ minimum: 1, description: "dial this customer's number (the first, or numberIndex)" })),
  numberIndex: Type.Optional(Type.Integer({ minimum: 0, maximum: 9, description: "with customerId: which of the customer's numbers, from 0" })),
  interactionId: Type.Optional(Type.String({ pattern: '^[0-9a-f-]{36}$', description: 'call back the caller of this interaction' })),
  agentId: Type.Optional(Type.Integer({ minimum: 1, description: 'admins and supervisors: whose desk phone rings; agents always use their own' })),
}, { additionalProperties: false });
export type DialRequest = Static<typeof DialRequest>;

export const CallView = Type.Object({
  interactionId: Type.String(),
  state: Type.String({ description: 'connected, held, transferring, consulting, conference, waiting, agent-dialing, dialing, ended...' }),
  agentId: Type.Union([Type.Integer(), Type.Null()]),
  holdMs: Type.Integer(),
  recordingPaused: Type.Boolean(),
  transfer: Type.Union([Type.Object({ kind: Type.String(), to: Type.Unknown(), answered: Type.Boolean() }), Type.Null()]),
});

export const CallParams = Type.Object({ interactionId: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
export type CallParams = Static<typeof CallParams>;
