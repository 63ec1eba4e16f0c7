// Every Redis key the suite uses is built here, so the layout of live state reads in one place.
const P = 'cc:';

export const keys = {
  agent: (agentId: number) => `${P}agent:${agentId}`,
  agentsReady: () => `${P}agents:ready`,
  queueWaiting: (queue: string) => `${P}queue:${queue}:waiting`,
  call: (interactionId: string) => `${P}call:${interactionId}`,
  callsActive: () => `${P}calls:active`,
  /** Sorted set: outside (trunk) calls up now, `<callId>|<agentId>|<leg>` scored by when they were let through (ms). */
  outboundSlots: () => `${P}outbound:slots`,
  /** Counter of an interaction's call events (their seq). */
  interactionSeq: (interactionId: string) => `${P}interaction:${interactionId}:seq`,
  channelCall: (channelId: string) => `${P}channel:${channelId}`,
  device: (endpoint: string) => `${P}device:${endpoint}`,
  deviceContacts: (endpoint: string) => `${P}device:${endpoint}:contacts`,
  outbox: () => `${P}outbox`,
  ariLease: (app: string) => `${P}lease:ari:${app}`,
  jobLock: (job: string) => `${P}lock:job:${job}`,
  /** Held by the one instance that evaluates alert rules. */
  alertsLease: () => `${P}lease:alerts`,
  session: (sid: string) => `${P}sess:${sid}`,
  /** Set of the session ids a user signed in with, so all of them can be ended at once. */
  userSessions: (userId: number) => `${P}user:${userId}:sessions`,
  /** Counter of recent sign-in failures, by `user:<name>` or `addr:<ip>`. */
  loginFailures: (subject: string) => `${P}login:fail:${subject}`,
  /** Present while sign-in is locked for `user:<name>` or `addr:<ip>`; its TTL says until when. */
  loginLock: (subject: string) => `${P}login:lock:${subject}`,
  /** Present once a TOTP time step was used to sign in, so the same code cannot be replayed. */
  totpUsed: (userId: number, step: number) => `${P}user:${userId}:totp:${step}`,
  events: (topic: string) => `${P}events:${topic}`,
  /** List of recent handle times (talk + wrap-up, seconds) of a queue, newest first. */
  queueHandleTimes: (queue: string) => `${P}queue:${queue}:handle-times`,
  /** Calls an agent connected on one day (YYYY-MM-DD), for the fewest-calls strategy. */
  agentCallsOn: (agentId: number, day: string) => `${P}agent:${agentId}:calls:${day}`,
  /** Offers in a row the agent let ring out; reset by an answer. */
  agentMisses: (agentId: number) => `${P}agent:${agentId}:misses`,
  /** The desk phone (extension) a logged-in agent takes calls on (hot-desking). */
  agentPhone: (agentId: number) => `${P}agent:${agentId}:phone`,
  /** The agent logged in on a desk phone, by extension. */
  phoneAgent: (extension: string) => `${P}phone:${extension}:agent`,
  /** Counter of an agent's state changes (their seq in agent_state_log). */
  agentStateSeq: (agentId: number) => `${P}agent:${agentId}:state-seq`,

  /** JSON: the agent desk's screen-pop card of one interaction (server/desk). */
  deskCard: (interactionId: string) => `${P}desk:card:${interactionId}`,

  /** Hash: the live state of one callback (server/acd/callbacks), by interaction id. */
  callback: (interactionId: string) => `${P}callback:${interactionId}`,
  /** Set of callbacks not yet finished. */
  callbacksActive: () => `${P}callbacks:active`,
  /** Sorted set: scheduled callbacks by the time (ms) they may be queued again. */
  callbacksScheduled: () => `${P}callbacks:scheduled`,

  // ---- Supervision (server/supervision) ----------------------------------------------------
  /** Hash: one monitoring session (a supervisor listening in on a call), by its number. */
  monitor: (sessionId: number) => `${P}monitor:${sessionId}`,
  /** Counter giving monitoring sessions their numbers (and their channel ids). */
  monitorSeq: () => `${P}monitor:seq`,
  /** Set of the monitoring sessions not yet ended. */
  monitorsActive: () => `${P}monitors:active`,
  /** Set of monitoring sessions a channel belongs to (supervisor leg, snoop, or the agent leg listened to). */
  monitorChannel: (channelId: string) => `${P}monitor:channel:${channelId}`,

  // ---- Routing engine (server/acd/routing) ---------------------------------------------
  // The waiting set of a queue is `queueWaiting` above (score = virtual time in ms).
  // The routing Lua scripts turn ids found inside sorted sets into keys by appending the
  // id to a prefix, so each `...Prefix()` below must stay the exact prefix of its builder
  // (checked by test/unit/acd/routing-keys.test.ts).
  /** Ready agents of a queue holding its skill at `level` (1..5); score from routing/strategy.ts. */
  queueReadyAtLevel: (queue: string, level: number) => `${P}queue:${queue}:ready:${level}`,
  /** Counter bumped at every offer in the queue; round robin ranks agents by it. */
  queueOfferSeq: (queue: string) => `${P}queue:${queue}:offer-seq`,
  /** Hash agentId -> the queue's offer counter at that agent's last offer there. */
  queueLastOffer: (queue: string) => `${P}queue:${queue}:last-offer`,
  /** Failed provisioning fetches from one address in the current minute (phones/provisioning-guard.ts). */
  provisioningFailures: (ip: string) => `${P}provision:fail:${ip}`,
  agentPrefix: () => `${P}agent:`,
  /** Hash: minLevel, score, offeredTo, and q:<queue> -> waiting key of each queue it sits in. */
  routingCall: (callId: string) => `${P}routing:call:${callId}`,
  routingCallPrefix: () => `${P}routing:call:`,
  /** Hash: q:<queue> -> "<level>|<ready key>" of each ready set it sits in, device -> device key. */
  routingAgent: (agentId: number) => `${P}routing:agent:${agentId}`,
  routingAgentPrefix: () => `${P}routing:agent:`,
  // ---- end of routing engine keys ----------------------------------------------------------
};
