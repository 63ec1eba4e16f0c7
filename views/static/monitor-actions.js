// Supervisor actions on the agent board: listen / whisper / barge ring the supervisor's own
// desk phone (POST /api/v1/monitor), modes switch during the call (PATCH), force pause and
// log out go to the agents API. Sessions follow /admin/monitor/events. Text goes in through
// textContent only, never innerHTML, so nothing received can become markup.
(() => {
  'use strict';
  const panel = document.getElementById('supervise');
  if (!panel) return;
  const label = (name) => panel.dataset[`label${name.replace(/(^|-)(\w)/g, (_m, _d, c) => c.toUpperCase())}`] || name;
  const select = document.getElementById('supervise-agent');
  const extension = document.getElementById('supervise-extension');
  const status = document.getElementById('supervise-status');
  const tbody = panel.querySelector('#monitor-sessions tbody');
  const none = document.getElementById('monitor-none');
  const sessions = new Map();
  const agentNames = new Map();

  // The agent list comes from the board's own rows, whatever columns they carry.
  for (const row of document.querySelectorAll('#agents tbody tr[data-agent-id], #supervisor-agents tbody tr[data-agent-id]')) {
    const name = row.querySelector('[data-field="name"]');
    const number = row.querySelector('[data-field="number"]');
    const text = `${number ? number.textContent : ''} ${name ? name.textContent : ''}`.trim();
    agentNames.set(row.dataset.agentId, text);
    const option = document.createElement('option');
    option.value = row.dataset.agentId;
    option.textContent = text;
    select.appendChild(option);
  }
  extension.value = localStorage.getItem('cc.supervisorExtension') || '';

  function say(text) {
    status.textContent = text;
  }

  async function send(method, url, body) {
    const res = await fetch(url, {
      method, credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body || {}),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((data.error && data.error.message) || String(res.status));
    return data;
  }

  async function act(action) {
    const agentId = Number(select.value);
    try {
      if (action === 'force-pause' || action === 'force-logout') {
        await send('POST', `/api/v1/agents/${agentId}/${action}`, {});
      } else {
        const ext = extension.value.trim();
        if (!/^[0-9]{1,20}$/.test(ext)) return say(label('need-extension'));
        localStorage.setItem('cc.supervisorExtension', ext);
        const mine = [...sessions.values()].find((s) => s.agentId === agentId && s.extension === ext && s.state !== 'ended');
        if (mine) upsert(await send('PATCH', `/api/v1/monitor/${mine.id}`, { mode: action }));
        else upsert(await send('POST', '/api/v1/monitor', { agentId, mode: action, extension: ext }));
      }
      say(label('done'));
    } catch (err) {
      say(label('failed').replace('{message}', err.message));
    }
  }

  function button(text, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }

  function render() {
    tbody.textContent = '';
    const live = [...sessions.values()].filter((s) => s.state !== 'ended').sort((a, b) => a.id - b.id);
    none.hidden = live.length > 0;
    for (const s of live) {
      const tr = document.createElement('tr');
      tr.dataset.monitorId = String(s.id);
      for (const text of [agentNames.get(String(s.agentId)) || String(s.agentId), s.extension, label(s.mode), label(s.state)]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      }
      const actions = document.createElement('td');
      for (const mode of ['listen', 'whisper', 'barge']) {
        if (mode !== s.mode) actions.appendChild(button(label(mode), () => send('PATCH', `/api/v1/monitor/${s.id}`, { mode }).then(upsert, (e) => say(label('failed').replace('{message}', e.message)))));
      }
      actions.appendChild(button(label('stop'), () => send('DELETE', `/api/v1/monitor/${s.id}`).then(upsert, (e) => say(label('failed').replace('{message}', e.message)))));
      tr.appendChild(actions);
      tbody.appendChild(tr);
    }
  }

  function upsert(s) {
    if (!s || typeof s.id !== 'number') return;
    sessions.set(s.id, s);
    render();
  }

  for (const b of panel.querySelectorAll('button[data-action]')) b.addEventListener('click', () => act(b.dataset.action));

  if ('EventSource' in window) {
    const source = new EventSource(panel.dataset.events);
    source.addEventListener('snapshot', (e) => {
      sessions.clear();
      for (const s of JSON.parse(e.data)) sessions.set(s.id, s);
      render();
    });
    source.addEventListener('monitor', (e) => upsert(JSON.parse(e.data)));
  }
  render();
})();
