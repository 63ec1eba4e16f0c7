// Shared by the wallboard and the supervisor agent list: the event stream with its
// reconnects, the alert strip, a one-second ticker and the number formats. Data goes into
// the page through textContent only, never innerHTML, so nothing received becomes markup.
(() => {
  'use strict';
  const MIN_RETRY_MS = 1000;
  const MAX_RETRY_MS = 30000;

  /** Follows an event stream; EventSource reconnects by itself, and the server sends a fresh snapshot on every connect. */
  function follow(url, handlers) {
    const status = document.getElementById('live-status');
    let retryMs = MIN_RETRY_MS;
    function connect() {
      const source = new EventSource(url);
      source.addEventListener('open', () => {
        retryMs = MIN_RETRY_MS;
        if (status) status.hidden = true;
      });
      for (const [event, apply] of Object.entries(handlers)) {
        source.addEventListener(event, (e) => {
          try {
            apply(JSON.parse(e.data));
          } catch (err) {
            console.warn('live-feed: ignored event', event, err);
          }
        });
      }
      source.addEventListener('error', () => {
        if (status) status.hidden = false;
        // CLOSED means the browser gave up (an error answer during a restart): retry ourselves, backing off.
        if (source.readyState === EventSource.CLOSED) {
          source.close();
          setTimeout(connect, retryMs);
          retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        }
      });
    }
    connect();
  }

  /** Server time minus page time, from the last snapshot: ticking waits use the server's clock. */
  let skewMs = 0;
  const serverNow = () => Date.now() + skewMs;
  const setServerTime = (iso) => { skewMs = Date.parse(iso) - Date.now(); };

  function clock(sec) {
    if (sec === null || sec === undefined || Number.isNaN(sec)) return '—';
    const s = Math.max(0, Math.floor(sec));
    const hh = Math.floor(s / 3600);
    const mm = Math.floor((s % 3600) / 60);
    const ss = String(s % 60).padStart(2, '0');
    return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
  }
  const percent = (r) => (r === null || r === undefined ? '—' : `${Math.round(r * 100)}%`);
  const since = (iso) => (iso ? (serverNow() - Date.parse(iso)) / 1000 : null);

  const tickers = [];
  setInterval(() => tickers.forEach((fn) => fn()), 1000);

  // ---- the alert strip ----
  function alertItem(a, labels) {
    const li = document.createElement('li');
    li.className = 'alert-item';
    li.dataset.alertId = String(a.id);
    const parts = [['strong', 'rule', a.ruleName], ['span', 'label', a.label], ['span', 'kind', `${(labels.alertKinds || {})[a.kind] || a.kind}${a.kind === 'phone_unregistered' ? '' : ` ${a.threshold}`}`], ['time', 'since', '']];
    for (const [tag, field, text] of parts) {
      const el = document.createElement(tag);
      el.dataset.field = field;
      el.textContent = text;
      if (field === 'kind') el.className = 'muted';
      if (field === 'since') el.setAttribute('datetime', a.startedAt);
      li.append(el, ' ');
    }
    return li;
  }

  function alertStrip(labels) {
    const list = document.getElementById('alerts');
    const tick = () => {
      if (!list) return;
      for (const t of list.querySelectorAll('time[data-field="since"]')) t.textContent = clock(since(t.getAttribute('datetime')));
    };
    tickers.push(tick);
    tick();
    return {
      replace(alerts) {
        if (!list) return;
        list.replaceChildren(...alerts.map((a) => alertItem(a, labels)));
        tick();
      },
      apply(notice) {
        if (!list) return;
        const old = list.querySelector(`li[data-alert-id="${Number(notice.alert.id)}"]`);
        if (notice.kind === 'ended') old?.remove();
        else if (!old) list.append(alertItem(notice.alert, labels));
        tick();
      },
    };
  }

  window.ccLive = { follow, clock, percent, since, setServerTime, serverNow, tickers, alertStrip };
})();
