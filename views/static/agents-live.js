// Live agent board: follows /admin/agents/events and updates the state and
// desk-phone cells in place. Text goes in through textContent only, never
// innerHTML, so nothing received can become markup.
(() => {
  'use strict';
  const table = document.getElementById('agents');
  if (!table || !('EventSource' in window)) return;

  const url = table.dataset.events;
  const labels = JSON.parse(table.dataset.labels || '{}');
  const status = document.getElementById('live-status');
  const MIN_RETRY_MS = 1000;
  const MAX_RETRY_MS = 30000;
  let retryMs = MIN_RETRY_MS;

  const rows = () => Array.from(table.querySelectorAll('tbody tr[data-extension]'));

  function setCell(row, field, value, text) {
    const cell = row.querySelector(`[data-field="${field}"]`);
    if (!cell) return;
    cell.dataset.value = String(value);
    cell.textContent = text;
    cell.className = field === 'state' ? `state state-${value}` : `registered-${value}`;
  }

  function applyAgent(update) {
    const text = (labels.states && labels.states[update.state]) || String(update.state);
    for (const row of rows()) {
      if (row.dataset.agentId === String(update.agentId)) setCell(row, 'state', update.state, text);
    }
  }

  function applyDevice(update) {
    const registered = update.registered === true;
    const text = registered ? labels.registeredYes : labels.registeredNo;
    for (const row of rows()) {
      if (row.dataset.extension === String(update.extension)) setCell(row, 'registered', registered, text);
    }
  }

  function applySnapshot(agents) {
    for (const a of agents) {
      applyAgent({ agentId: a.id, state: a.state });
      applyDevice({ extension: a.extension, registered: a.registered });
    }
  }

  function on(source, event, apply) {
    source.addEventListener(event, (e) => {
      try {
        apply(JSON.parse(e.data));
      } catch (err) {
        // One bad event must not stop the others from being shown.
        console.warn('agents-live: ignored event', event, err);
      }
    });
  }

  function connect() {
    const source = new EventSource(url);
    source.addEventListener('open', () => {
      retryMs = MIN_RETRY_MS;
      if (status) status.hidden = true;
    });
    on(source, 'snapshot', applySnapshot);
    on(source, 'agent', applyAgent);
    on(source, 'device', applyDevice);
    source.addEventListener('error', () => {
      if (status) status.hidden = false;
      // While CONNECTING the browser retries by itself. CLOSED means it gave up
      // (the server answered with an error, e.g. during a restart): retry ourselves,
      // backing off so a down server is not hammered by every open tab.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      }
    });
  }

  connect();
})();
