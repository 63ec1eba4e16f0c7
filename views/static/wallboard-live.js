// The wallboard: every 'board' event carries the whole floor; cards are updated in place
// (a queue added later gets a card cloned from the page's <template>). The longest wait
// ticks every second from the oldest waiting caller's queue time, without a reload.
(() => {
  'use strict';
  const root = document.getElementById('wallboard');
  if (!root || !('EventSource' in window) || !window.ccLive) return;
  const live = window.ccLive;
  const labels = JSON.parse(root.dataset.labels || '{}');
  const container = document.getElementById('queues');
  const template = document.getElementById('queue-card');
  const strip = live.alertStrip(labels);

  function set(card, field, text, standing) {
    const el = card.querySelector(`[data-field="${field}"]`);
    if (!el) return;
    el.textContent = String(text);
    if (standing !== undefined) el.dataset.standing = standing;
  }

  function cardFor(name) {
    for (const c of container.querySelectorAll('.wb-queue')) if (c.dataset.queue === name) return c;
    const card = template.content.firstElementChild.cloneNode(true);
    card.dataset.queue = name;
    container.querySelector('.empty')?.remove();
    container.append(card);
    return card;
  }

  /** A caller waiting up to T is good, up to 2T warn, longer bad (as the server's waitStanding). */
  function waitStanding(sec, slSec) {
    if (sec === null) return 'none';
    if (sec <= slSec) return 'good';
    return sec <= 2 * slSec ? 'warn' : 'bad';
  }

  function tickCard(card) {
    const el = card.querySelector('[data-field="longestWait"]');
    const oldest = el?.dataset.oldest;
    const sec = oldest ? live.since(oldest) : null;
    if (el) {
      el.textContent = live.clock(sec);
      el.dataset.standing = waitStanding(sec, Number(card.dataset.slSec || 20));
    }
  }

  function applyQueue(q) {
    const card = cardFor(q.name);
    const k = q.today;
    card.dataset.slSec = String(q.thresholds.serviceLevelSec);
    set(card, 'name', q.name);
    set(card, 'waiting', q.waiting);
    card.querySelector('[data-field="longestWait"]').dataset.oldest = q.oldestQueuedAt || '';
    set(card, 'serviceLevel', live.percent(k.serviceLevelInclusive), q.standing.serviceLevel);
    set(card, 'abandonRate', live.percent(k.abandonRate), q.standing.abandonRate);
    set(card, 'slTarget', q.thresholds.serviceLevelTargetPct);
    set(card, 'slSec', q.thresholds.serviceLevelSec);
    for (const f of ['offered', 'answered', 'abandoned', 'shortAbandoned', 'timedOut', 'callbacks']) set(card, f, k[f]);
    set(card, 'asa', live.clock(k.asaSec));
    set(card, 'serviceLevelAnswered', live.percent(k.serviceLevel));
    for (const [state, n] of Object.entries(q.agents)) set(card, `agents.${state}`, n);
    tickCard(card);
  }

  function applyBoard(snap) {
    live.setServerTime(snap.at);
    const day = root.querySelector('[data-field="day"]');
    if (day) day.textContent = snap.day;
    const names = new Set(snap.queues.map((q) => q.name));
    for (const c of container.querySelectorAll('.wb-queue')) if (!names.has(c.dataset.queue)) c.remove();
    snap.queues.forEach(applyQueue);
  }

  live.tickers.push(() => container.querySelectorAll('.wb-queue').forEach(tickCard));
  container.querySelectorAll('.wb-queue').forEach(tickCard);
  live.follow(root.dataset.events, { board: applyBoard, alerts: (a) => strip.replace(a), alert: (n) => strip.apply(n) });
})();
