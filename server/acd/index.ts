import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AcdService } from './acd-service.js';
import { LiveCalls } from './live-calls.js';
import { LiveStats } from './live-stats.js';
import { QueueCache } from './queue-cache.js';
import { AgentRouting } from './agent-routing.js';
import { RoutingStore } from './routing/routing-store.js';
import { WaitingService } from './waiting-service.js';
import { AcdStasisHandler } from './stasis-handler.js';
import { LiveCallbacks } from './callbacks/live-callbacks.js';
import { CallbackRepository } from './callbacks/callback-repository.js';
import { CallbackRecords } from './callbacks/callback-records.js';
import { RoutingResync, wireRoutingResync } from './routing-resync.js';
import { ReservationSweeper } from './reservation-sweeper.js';
import type { AgentStateUpdate } from '../agents/schemas.js';
import { ControlContext } from './call-control/control-context.js';
import { CallControlService } from './call-control/call-control-service.js';
import { DialPolicy } from './outbound/dial-policy.js';
import { DialRuleRepository } from './outbound/dial-rule-repository.js';
import { OutboundCap } from './outbound/outbound-cap.js';

export { AcdService } from './acd-service.js';
/** Read by the wallboard: the calls in progress, as the ACD keeps them in Redis. */
export { LiveCalls } from './live-calls.js';
export type { CallControlService, CallView, TargetRequest } from './call-control/call-control-service.js';
export type { CallbackRecord } from './callbacks/callback-repository.js';
export type { LiveCall } from './live-calls.js';

declare module 'fastify' {
  interface FastifyInstance {
    acd: AcdService;
    /** Hold, transfers, conference, hang up, recording pause, DTMF, click to dial. */
    callControl: CallControlService;
    /** Outbound dial rules: international and premium numbers only where a rule allows. */
    dialPolicy: DialPolicy;
    /** Which trunk outside numbers are dialled through: the config's, until another room names one. */
    outboundRoute: OutboundRoute;
  }
}

/** Where outside numbers go out: PJSIP/<endpoint>/sip:<number>@<host>. */
export interface OutboundTrunk {
  endpoint: string;
  host: string;
}

export interface OutboundRoute {
  current(): OutboundTrunk;
  /** Dial out through this trunk from now on; undefined: back to the config's trunk. */
  set(trunk: OutboundTrunk | undefined): void;
}

/** How a number is dialled out: PJSIP/<trunk endpoint>/sip:<number>@<carrier address>. */
function trunkDial(trunk: { name: string; match: string[]; outbound: string }): { endpoint: string; host: string } {
  return { endpoint: trunk.name, host: trunk.outbound || `${trunk.match[0]}:5060` };
}

/**
 * One object the dialers read at each call: the trunks room (server/trunks) changes it in
 * place when an admin makes a managed trunk the outbound one, without a restart.
 */
function outboundRoute(configTrunk: { name: string; match: string[]; outbound: string }): { outbound: OutboundTrunk; route: OutboundRoute } {
  const outbound = trunkDial(configTrunk);
  return {
    outbound,
    route: { current: () => ({ ...outbound }), set: (t) => void Object.assign(outbound, t ?? trunkDial(configTrunk)) },
  };
}

async function acd(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'acd' });
  const live = new LiveCalls(app.redis);
  const routing = new RoutingStore(app.redis);
  const stats = new LiveStats(app.redis);
  const queues = new QueueCache({ queues: app.queues, log });
  const skillsOf = (agentId: number) => app.queues.skillsOf(agentId);
  const holdersOf = async (skill: string) => (await app.queues.skillHolders(skill)).map((h) => h.agentId);
  const agentRouting = new AgentRouting({ agents: app.agents, routing, queues, stats, skillsOf, holdersOf, log });
  const { routing: settings, instanceName } = app.config;
  const policy = new DialPolicy(new DialRuleRepository(app.db), {
    internationalPrefix: app.config.crm.internationalPrefix, countryCode: app.config.crm.countryCode, premiumPrefixes: app.config.trunk.premiumPrefixes,
  }, new OutboundCap({ redis: app.redis, limits: app.config.outbound, maxCallSec: app.config.outbound.maxCallSec }));
  const { outbound, route } = outboundRoute(app.config.trunk);
  app.decorate('outboundRoute', route);
  const service = new AcdService({
    calls: app.calls, agents: app.agents, interactions: app.interactions, recordings: app.recordings, ivr: app.ivr,
    didRoute: (did) => app.dids.route(did), schedule: (id) => app.schedules.forCall(id), live, routing, queues, stats, agentRouting, log,
    callbacks: { live: new LiveCallbacks(app.redis), records: new CallbackRecords(new CallbackRepository(app.db), app.outbox), trunk: outbound, policy },
    settings: { greeting: settings.greeting, ringTimeoutSec: settings.ringTimeoutSec, wrapUpSec: settings.wrapUpSec, instanceName },
  });
  const waiting = new WaitingService(service.deps, service);
  app.decorate('acd', service);
  app.decorate('dialPolicy', policy);
  const control = new CallControlService(new ControlContext(service.deps, service, app.live, app.pbx));
  app.decorate('callControl', control);
  new AcdStasisHandler({ calls: app.calls, acd: service, waiting, live, control, log }).attach();

  const guard = (what: string, p: Promise<unknown>) => void p.catch((err: Error) => log.warn({ err: err.message }, `${what} failed`));
  // An agent turning ready on any instance is a reason to match now, not at the next tick;
  // leaving ready takes it out of the ready sets at once.
  await app.live.subscribe('agents', (u) => {
    const { agentId, state } = u as AgentStateUpdate;
    if (!app.calls.isUp()) return;
    guard('agent match', state === 'ready' ? service.matcher.matchAgent(agentId) : agentRouting.sync(agentId));
  });
  await wireRoutingResync({
    resync: new RoutingResync({ agentRouting, routing, queues, live, holdersOf, log }),
    queues, bus: app.live, log,
    onChange: (listener) => app.queues.onRoutingChange(listener),
    isStasisOwner: () => app.calls.isUp(),
    match: (c) => (c.kind === 'queue' ? service.matcher.matchQueue(c.queue) : service.matcher.matchAgent(c.agentId)),
  });
  // A phone that registers or hangs up may make its ready agent offerable again.
  await app.live.subscribe('devices', () => app.calls.isUp() && guard('match', service.matcher.matchAll()));
  const tick = setInterval(() => {
    if (!app.calls.isUp()) return;
    guard('tick', waiting.tick().then(() => service.callbacks.tick()).then(() => service.matcher.matchAll()));
  }, settings.matchTickMs);
  tick.unref();
  const sweeper = new ReservationSweeper({
    calls: app.calls, agents: app.agents, interactions: app.interactions, live, routing, log, callbacks: service.deps.callbacks.live,
    end: (call, by) => service.completion.end(call, by), rematch: (q) => service.matcher.matchQueue(q),
    serial: (key, fn) => service.serial(key, fn), graceMs: settings.reservationGraceSec * 1000,
  });
  // isUp() is true only on the instance holding the ARI lease (telephony/index.ts): it alone sweeps.
  const sweep = setInterval(() => app.calls.isUp() && guard('reservation sweep', sweeper.sweep()), settings.sweepEverySec * 1000);
  sweep.unref();
  app.addHook('onClose', async () => {
    clearInterval(tick);
    clearInterval(sweep);
  });
}

export default fp(acd, { name: 'acd', dependencies: ['core', 'live', 'telephony', 'agents', 'interactions', 'recordings', 'acd-queues', 'ivr'] });
