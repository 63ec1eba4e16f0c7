// The supervisor agent list: rows keyed by data-agent-id, updated in place from the floor
// snapshots; time in state and talk time tick every second. The actions cell is left to
// the monitoring controls.
(() => {
  'use strict';
  const table = document.getElementById('supervisor-agents');
  if (!table || !('EventSource' in window) || !window.ccLive) return;
  const live = window.ccLive;
  const labels = JSON.parse(table.dataset.labels || '{}');
  const strip = live.alertStrip(labels);
  const FIELDS = ['number', 'name', 'extension', 'state', 'since', 'pauseReason', 'registered', 'call', 'queues', 'actions'];

  function newRow(a) {
    const tr = document.createElement('tr');
    tr.dataset.agentId = String(a.id);
    for (const f of FIELDS) {
      const td = document.createElement('td');
      td.dataset.field = f;
      if (f === 'actions') td.className = 'agent-actions';
      if (f === 'call') {
        for (const part of ['caller', 'queue', 'talking']) {
          const span = document.createElement('span');
          span.dataset.part = part;
          td.append(span, ' ');
        }
      }
      tr.append(td);
    }
    table.querySelector('tbody .empty')?.remove();
    table.querySelector('tbody').append(tr);
    return tr;
  }

  const cell = (row, field) => row.querySelector(`[data-field="${field}"]`);
  function text(row, field, value) {
    const el = cell(row, field);
    if (el) el.textContent = value;
    return el;
  }

  function applyAgent(a) {
    const row = table.querySelector(`tbody tr[data-agent-id="${Number(a.id)}"]`) || newRow(a);
    row.dataset.extension = a.extension;
    text(row, 'number', a.number);
    text(row, 'name', a.name);
    text(row, 'extension', a.extension);
    const state = text(row, 'state', (labels.states || {})[a.state] || a.state);
    state.dataset.value = a.state;
    state.className = `state state-${a.state}`;
    cell(row, 'since').dataset.since = a.since || '';
    text(row, 'pauseReason', a.state === 'paused' ? a.pauseReason || '' : '');
    const reg = text(row, 'registered', a.registered ? labels.registeredYes : labels.registeredNo);
    reg.dataset.value = String(a.registered);
    reg.className = `registered-${a.registered}`;
    const call = cell(row, 'call');
    call.dataset.since = a.call?.since || '';
    call.dataset.callState = a.call?.state || '';
    call.querySelector('[data-part="caller"]').textContent = a.call?.callerNumber || '';
    call.querySelector('[data-part="queue"]').textContent = a.call?.queue || '';
    text(row, 'queues', (a.queues || []).join(', '));
    tickRow(row);
  }

  function tickRow(row) {
    const since = cell(row, 'since');
    since.textContent = since.dataset.since ? live.clock(live.since(since.dataset.since)) : '';
    const call = cell(row, 'call');
    const talking = call.querySelector('[data-part="talking"]');
    if (call.dataset.callState === 'offering') talking.textContent = labels.ringing || '';
    else talking.textContent = call.dataset.since ? live.clock(live.since(call.dataset.since)) : '';
  }

  function applyBoard(snap) {
    live.setServerTime(snap.at);
    const ids = new Set(snap.agents.map((a) => String(a.id)));
    for (const row of table.querySelectorAll('tbody tr[data-agent-id]')) if (!ids.has(row.dataset.agentId)) row.remove();
    snap.agents.forEach(applyAgent);
  }

  const tickAll = () => table.querySelectorAll('tbody tr[data-agent-id]').forEach(tickRow);
  live.tickers.push(tickAll);
  tickAll();
  live.follow(table.dataset.events, { board: applyBoard, alerts: (a) => strip.replace(a), alert: (n) => strip.apply(n) });
})();
