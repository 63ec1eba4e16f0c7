// Every Redis key the suite uses is built here, so the layout of live state reads in one place.
const P = 'cc:';

export const keys = {
  agent: (agentId: number) => `${P}agent:${agentId}`,
  agentsReady: () => `${P}agents:ready`,
  agentsReadyInQueue: (queue: string) => `${P}queue:${queue}:ready`,
  queueWaiting: (queue: string) => `${P}queue:${queue}:waiting`,
  call: (interactionId: string) => `${P}call:${interactionId}`,
  callsActive: () => `${P}calls:active`,
  channelCall: (channelId: string) => `${P}channel:${channelId}`,
  device: (endpoint: string) => `${P}device:${endpoint}`,
  deviceContacts: (endpoint: string) => `${P}device:${endpoint}:contacts`,
  outbox: () => `${P}outbox`,
  ariLease: (app: string) => `${P}lease:ari:${app}`,
  jobLock: (job: string) => `${P}lock:job:${job}`,
  session: (sid: string) => `${P}sess:${sid}`,
  events: (topic: string) => `${P}events:${topic}`,
};
