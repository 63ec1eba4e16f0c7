// The agent desk: follows /desk/events (state, screen pop, call progress, pushes from
// call control) and sends the agent's own actions to /api/v1. Everything received is
// written with textContent, never innerHTML, so a customer called <script> stays text.
(() => {
  'use strict';
  const root = document.getElementById('desk');
  if (!root || !('EventSource' in window)) return;
  const L = JSON.parse(root.dataset.labels || '{}');
  const $ = (id) => document.getElementById(id);
  const view = { interactionId: null, card: null, callStatus: null, callSince: null, state: null, stateSince: null };

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  const clear = (node) => { while (node.firstChild) node.removeChild(node.firstChild); };
  const secs = (ms) => (ms === null || ms === undefined ? '' : `${Math.round(ms / 1000)} s`);
  function clock(sinceIso) {
    if (!sinceIso) return '';
    const s = Math.max(0, Math.floor((Date.now() - Date.parse(sinceIso)) / 1000));
    const mm = String(Math.floor(s / 60)).padStart(2, '0');
    return `${mm}:${String(s % 60).padStart(2, '0')}`;
  }
  function dl(node, pairs) {
    clear(node);
    for (const [k, v] of pairs) {
      if (v === null || v === undefined || v === '') continue;
      node.append(el('dt', k), el('dd', v));
    }
  }
  function showError(message) {
    const box = $('desk-error');
    box.textContent = message || '';
    box.hidden = !message;
  }

  // The agent's own day, read again whenever the state changes (a push, not a timer).
  const minutes = (s) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
  async function refreshDay() {
    const res = await fetch('/api/v1/desk/day', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (!res.ok) return;
    const d = await res.json();
    const pairs = [[L.callsHandled, String(d.callsHandled)], [L.aht, d.ahtSec === null ? '–' : minutes(d.ahtSec)]];
    for (const [state, sec] of Object.entries(d.stateSec)) if (sec > 0) pairs.push([(L.states && L.states[state]) || state, minutes(sec)]);
    for (const [reason, sec] of Object.entries(d.pauseSec)) if (sec > 0) pairs.push([`${L.paused}: ${reason}`, minutes(sec)]);
    dl($('day-figures'), pairs);
    $('day-figures').dataset.callsHandled = String(d.callsHandled);
  }

  function setState(state, since, pauseReason) {
    if (state !== view.state) refreshDay().catch(() => undefined);
    view.state = state;
    view.stateSince = since;
    const s = $('agent-state');
    s.dataset.value = state;
    s.className = `state state-${state}`;
    s.textContent = (L.states && L.states[state]) || state;
    $('pause-shown').textContent = state === 'paused' && pauseReason ? pauseReason : '';
    $('wrapup').hidden = !(state === 'wrap_up' && view.card) && !$('wrapup').dataset.pending;
  }

  function renderCustomer(card) {
    const box = $('customer');
    clear(box);
    const c = card.customer;
    $('new-customer').hidden = !!c;
    if (!c) {
      box.append(el('p', L.newCustomer, 'muted new-customer'));
      return;
    }
    const name = el('p', c.name, 'customer-name');
    name.dataset.customerId = String(c.id);
    box.append(name);
    if (c.company) box.append(el('p', c.company, 'customer-company'));
    if (c.level) box.append(el('p', `${L.level}: ${(L.levels && L.levels[c.level]) || c.level}`, 'customer-level'));
    if (c.remarks) box.append(el('p', c.remarks, 'customer-remarks'));
    if (c.tags && c.tags.length) {
      const tags = el('ul', null, 'tags');
      for (const t of c.tags) tags.append(el('li', t, 'tag'));
      box.append(tags);
    }
    for (const n of c.notes || []) box.append(el('p', `${n.at.slice(0, 10)} ${n.author || ''}: ${n.text}`, 'customer-note'));
  }

  function renderHistory(card) {
    const body = $('history').querySelector('tbody');
    clear(body);
    if (!card.history.length) {
      const row = el('tr', null, 'empty');
      const cell = el('td', L.noHistory);
      cell.colSpan = 8;
      row.append(cell);
      body.append(row);
      return;
    }
    for (const h of card.history) {
      const row = el('tr');
      row.dataset.interactionId = h.interactionId;
      for (const v of [new Date(h.at).toLocaleString(), h.queue, h.agentName, h.outcome, secs(h.talkMs), h.disposition, h.note, String(h.recordings.length)]) row.append(el('td', v ?? ''));
      body.append(row);
    }
  }

  function renderCard(card, status) {
    view.card = card;
    view.interactionId = card.interactionId;
    const box = $('card');
    box.dataset.interactionId = card.interactionId;
    $('card-number').textContent = card.callerNumber;
    $('card-caller-name').textContent = card.callerName || '';
    renderCustomer(card);
    dl($('call-facts'), [[L.queue, card.queue], [L.did, card.did], [L.waited, card.queuedAt ? clock(card.queuedAt) : '']]);
    const path = $('ivr-path');
    clear(path);
    for (const s of card.ivrPath) path.append(el('li', `${s.flow} / ${s.step}${s.input ? ` [${s.input}]` : ''}${s.result ? ` → ${s.result}` : ''}`));
    dl($('attributes'), Object.entries(card.attributes));
    renderHistory(card);
    fillDispositions(card.dispositions);
    setCallStatus(status);
    box.hidden = false;
    $('idle').hidden = true;
  }

  function setCallStatus(status, at) {
    showButtons(status);
    view.callStatus = status;
    view.callSince = at || new Date().toISOString();
    const s = $('card-status');
    s.dataset.value = status;
    s.textContent = L[`call_${status}`] || status;
  }

  function fillDispositions(list) {
    const select = $('wrap-disposition');
    clear(select);
    select.append(el('option', L.noDisposition));
    select.firstChild.value = '';
    for (const d of list || []) {
      const o = el('option', d.label);
      o.value = d.code;
      select.append(o);
    }
  }

  function closeCard() {
    view.card = null;
    view.interactionId = null;
    $('card').hidden = true;
    $('idle').hidden = false;
    $('wrapup').hidden = true;
    delete $('wrapup').dataset.pending;
  }

  // Which call-control buttons make sense in each state of the call (server/acd/call-state.ts).
  const BUTTONS = {
    talking: ['cc-hold', 'cc-hangup', 'cc-rec-pause', 'cc-rec-resume', 'cc-blind', 'cc-consult', 'cc-conference', 'cc-dtmf'],
    held: ['cc-resume', 'cc-hangup', 'cc-blind', 'cc-consult'],
    consulting: ['cc-complete', 'cc-cancel', 'cc-conference', 'cc-hangup'],
    conference: ['cc-complete', 'cc-cancel', 'cc-hangup'],
    transferring: ['cc-cancel', 'cc-hangup'],
  };
  function showButtons(status) {
    const allowed = BUTTONS[status] || [];
    for (const b of document.querySelectorAll('#controls button')) b.disabled = !allowed.includes(b.id);
  }
  // The call's state as call control reports it, in the desk's words.
  const CONTROL_STATUS = { connected: 'talking', held: 'held', consulting: 'consulting', conference: 'conference', transferring: 'transferring' };

  const CALL_STATUS = { connect: 'talking', complete: 'ended', abandon: 'gone', end: 'ended', hold: 'held', resume: 'talking' };
  function setRegistered(registered) {
    const reg = $('agent-registered');
    reg.dataset.value = String(registered);
    reg.className = `registered-${registered}`;
    reg.textContent = registered ? L.registeredYes : L.registeredNo;
    // Why no calls come: the ACD offers calls only to a registered desk phone.
    $('unregistered-warning').hidden = registered;
  }

  const handlers = {
    snapshot(d) {
      const a = d.agent;
      setState(a.state, a.stateSince, a.pauseReason);
      $('agent-phone').textContent = a.phone;
      setRegistered(a.registered);
      if (d.card) {
        renderCard(d.card, a.state === 'ringing' ? 'ringing' : a.state === 'on_call' ? 'talking' : 'ended');
        if (a.state === 'wrap_up') $('wrapup').hidden = false;
      } else if (!['ringing', 'on_call', 'wrap_up'].includes(a.state)) closeCard();
    },
    state(d) {
      setState(d.state, d.since, d.pauseReason);
      if (d.state === 'wrap_up' && view.card) $('wrapup').hidden = false;
      if (d.state === 'ready' && view.callStatus !== 'talking' && !$('wrapup').dataset.pending) closeCard();
    },
    device(d) {
      setRegistered(d.registered === true);
    },
    offer(d) {
      if (d.card) renderCard(d.card, 'ringing');
    },
    call(d) {
      if (d.interactionId !== view.interactionId) return;
      // Never answered (rang out, or the caller gave up while it rang): nothing to wrap up.
      if (d.type === 'ring-no-answer' || (view.callStatus === 'ringing' && (d.type === 'abandon' || d.type === 'end'))) return closeCard();
      const status = CALL_STATUS[d.type];
      if (status) setCallStatus(status, d.at);
      if (status === 'ended' || status === 'gone') {
        $('wrapup').hidden = false;
        $('wrapup').dataset.pending = '1';
      }
    },
    control(d) {
      if (d.interactionId !== view.interactionId) return;
      if (d.kind === 'recording-paused' || d.kind === 'recording-resumed') $('rec-state').textContent = d.kind === 'recording-paused' ? L.recPaused : '';
      // This agent handed the call on (blind, or completed): its part is over, wrap-up follows.
      const mine = !!d.from && d.from.agentId === Number(root.dataset.agentId);
      const handedOn = mine && ((d.kind === 'transfer' && d.transferKind === 'blind') || d.kind === 'transfer-complete' || (d.kind === 'conference-leave' && d.who === 'agent'));
      if (handedOn) {
        setCallStatus('transferred', new Date().toISOString());
        $('wrapup').hidden = false;
        $('wrapup').dataset.pending = '1';
        return;
      }
      const status = CONTROL_STATUS[d.state];
      if (status && status !== view.callStatus) setCallStatus(status, new Date().toISOString());
    },
    card(d) {
      if (d.card && d.interactionId === view.interactionId) renderCard(d.card, view.callStatus || 'talking');
    },
    'wrap-up-saved'(d) {
      if (d.interactionId !== view.interactionId) return;
      $('wrap-saved').textContent = L.saved;
      if (d.done) closeCard();
    },
  };

  async function post(url, body) {
    showError('');
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((json.error && json.error.message) || res.statusText);
    return json;
  }
  const act = (fn) => () => fn().catch((err) => showError(err.message));

  const callAction = (path, body) => post(`/api/v1/calls/${view.interactionId}/${path}`, body || {});
  for (const b of document.querySelectorAll('#controls button[data-call]')) b.addEventListener('click', act(() => callAction(b.dataset.call)));
  function target() {
    const type = $('xfer-type').value;
    const value = $('xfer-target').value.trim();
    return type === 'agent' ? { type, agent: value } : type === 'queue' ? { type, queue: value } : { type, number: value };
  }
  $('cc-blind').addEventListener('click', act(() => callAction('transfer', { kind: 'blind', target: target() })));
  $('cc-consult').addEventListener('click', act(() => callAction('transfer', { kind: 'attended', target: target() })));
  $('cc-conference').addEventListener('click', act(() => callAction('conference', view.callStatus === 'consulting' ? {} : { target: target() })));
  $('cc-dtmf').addEventListener('click', act(async () => {
    await callAction('dtmf', { digits: $('dtmf-digits').value });
    $('dtmf-digits').value = '';
  }));
  $('dial-form').addEventListener('submit', (e) => {
    e.preventDefault();
    act(() => post('/api/v1/calls/dial', { number: $('dial-number').value }))();
  });
  // Call back by reference: the server dials the caller of the interaction on screen.
  $('card-call-back').addEventListener('click', act(() => post('/api/v1/calls/dial', { interactionId: view.interactionId })));
  $('btn-login').addEventListener('click', act(() => post('/api/v1/desk/login', {})));
  $('btn-ready').addEventListener('click', act(() => post('/api/v1/desk/state', { state: 'ready' })));
  $('btn-pause').addEventListener('click', act(() => post('/api/v1/desk/state', { state: 'paused', reason: $('pause-reason').value })));
  $('btn-logout').addEventListener('click', act(() => post('/api/v1/desk/state', { state: 'logged_out' })));
  function wrapUp(done) {
    return act(async () => {
      if (!view.interactionId) return;
      const body = { note: $('wrap-note').value, followUp: $('wrap-follow-up').checked, done };
      if ($('wrap-disposition').value) body.disposition = $('wrap-disposition').value;
      await post(`/api/v1/interactions/${view.interactionId}/wrap-up`, body);
      if (done) {
        $('wrap-note').value = '';
        $('wrap-follow-up').checked = false;
      }
    });
  }
  $('new-customer').addEventListener('submit', (e) => {
    e.preventDefault();
    act(async () => {
      if (!view.card) return;
      const id = view.interactionId;
      const created = await post('/api/v1/customers', { name: $('nc-name').value, level: $('nc-level').value });
      // The server files the call under the new customer, adds the caller's number (which this
      // page may only see masked) and pushes the new card to every tab.
      await post(`/api/v1/interactions/${id}/customer`, { customerId: created.id, addCallerNumber: true });
      $('nc-name').value = '';
    })();
  });
  $('wrap-save').addEventListener('click', wrapUp(false));
  $('wrap-done').addEventListener('click', wrapUp(true));

  setInterval(() => {
    $('state-clock').textContent = clock(view.stateSince || $('agent-state').dataset.since);
    $('card-clock').textContent = view.card ? clock(view.callSince) : '';
  }, 1000);

  // EventSource reconnects by itself after a drop; the server then sends a fresh snapshot.
  const source = new EventSource(root.dataset.events);
  const status = $('live-status');
  source.addEventListener('open', () => { status.hidden = true; });
  source.addEventListener('error', () => { status.hidden = false; });
  for (const [name, fn] of Object.entries(handlers)) {
    source.addEventListener(name, (e) => {
      try {
        fn(JSON.parse(e.data));
      } catch (err) {
        console.warn('desk: ignored event', name, err);
      }
    });
  }
  window.ccDesk = { handlers, post, view };
})();
