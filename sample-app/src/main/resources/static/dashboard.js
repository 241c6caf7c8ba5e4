// The sample app's dashboard: polls the JSON API, draws the chart, wires the buttons. No build step.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const fmt = (n) => (n === null || n === undefined) ? '–' : Number(n).toLocaleString('en-US');
  const errors = [];

  function showError(message) {
    errors.push(message);
    const box = $('errors');
    box.textContent = errors.slice(-3).join(' · ');
    box.hidden = false;
  }
  window.addEventListener('error', (e) => showError('script error: ' + e.message));

  async function json(url, options) {
    const response = await fetch(url, Object.assign({ headers: { 'Accept': 'application/json' } }, options || {}));
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (ignored) { body = text; }
    return { status: response.status, ok: response.ok, body: body };
  }

  function setNumber(id, value) {
    const el = $(id);
    el.dataset.value = (value === null || value === undefined) ? '' : String(value);
    el.textContent = fmt(value);
  }

  // ---------------------------------------------------------------- counters

  function renderStatus(s) {
    $('disabled').hidden = s.enabled;
    if (!s.enabled) { return; }
    const c = s.client;
    const state = c.backingOff ? 'unreachable' : (c.running ? 'up' : 'stopped');
    const engine = $('engine');
    engine.dataset.state = state;
    engine.textContent = c.backingOff ? 'PostHog unreachable: probing, events stay queued'
      : (c.running ? 'delivering' : 'engine stopped');
    setNumber('captured', c.captured);
    setNumber('sent', c.sent);
    setNumber('delivered', s.sink.delivered);
    setNumber('dropped', c.dropped);
    setNumber('queue', c.queue);
    setNumber('consumers', c.consumers);
    setNumber('restarts', c.restarts);
    const reasons = Object.entries(c.droppedByReason).filter(([, n]) => n > 0).map(([r, n]) => r + ' ' + fmt(n));
    $('dropped-reasons').textContent = 'by reason: ' + (reasons.length ? reasons.join(', ') : 'none');
    $('queue-capacity').textContent = 'of ' + fmt(c.queueCapacity);
    $('retries').textContent = fmt(c.retries) + ' retries' + (s.sink.duplicates ? ', ' + fmt(s.sink.duplicates) + ' duplicates' : '');
    const f = s.flags;
    $('flag-sources').textContent = 'local ' + fmt(f.local) + ' · remote ' + fmt(f.remote) + ' · fallback ' + fmt(f.fallback)
      + (f.failed ? ' · failed ' + fmt(f.failed) : '');
    $('flag-definitions').textContent = f.definitionsLoaded
      ? fmt(f.flagCount) + ' definitions, ' + fmt(f.definitionsAgeSeconds) + ' s old' : 'definitions not loaded yet';
    renderOutage(s.outage, s.sink);
    if (s.burst) {
      $('burst-result').textContent = 'Last burst: ' + fmt(s.burst.accepted) + ' of ' + fmt(s.burst.requested)
        + ' accepted in ' + fmt(s.burst.captureMillis) + ' ms on the request thread.';
    }
  }

  function renderOutage(o, sink) {
    const box = $('outage');
    if (!o) { return; }
    box.dataset.state = o.state;
    $('outage-state').textContent = o.state === 'down'
      ? 'PostHog down, ' + Math.ceil(sink.downForMillis / 1000) + ' s left'
      : (o.state === 'draining' ? 'PostHog back, draining…'
        : (o.droppedDuringOutage ? 'drained, ' + fmt(o.droppedDuringOutage) + ' dropped' : 'drained, nothing lost'));
    setNumber('outage-captured', o.capturedWhileDown);
    setNumber('outage-peak', o.peakQueue);
    const drain = $('drain-time');
    drain.dataset.value = (o.drainMillis === undefined) ? '' : String(o.drainMillis);
    drain.textContent = (o.drainMillis === undefined) ? '–' : (o.drainMillis / 1000).toFixed(1) + ' s';
    setNumber('outage-dropped', o.droppedDuringOutage === undefined ? null : o.droppedDuringOutage);
    $('btn-outage').disabled = o.state !== 'drained';
  }

  async function pollStatus() {
    try {
      const r = await json('/api/dashboard/status');
      if (r.ok) { renderStatus(r.body); } else { showError('status: HTTP ' + r.status); }
    } catch (e) { showError('status: ' + e); }
  }

  // ---------------------------------------------------------------- chart

  function drawChart(points) {
    const canvas = $('chart');
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth, height = canvas.clientHeight;
    if (canvas.width !== width * ratio) { canvas.width = width * ratio; canvas.height = height * ratio; }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const left = 56, right = 56, top = 10, bottom = 24;
    const w = width - left - right, h = height - top - bottom;
    const now = Date.now(), span = 180000;
    const maxQueue = niceMax(Math.max(10, ...points.map((p) => p.queue)));
    const maxSent = niceMax(Math.max(10, ...points.map((p) => p.sentPerSecond)));
    g.strokeStyle = '#e3e5e8'; g.fillStyle = '#6b7280'; g.font = '11px system-ui, sans-serif'; g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = top + h - (h * i) / 4;
      g.beginPath(); g.moveTo(left, y); g.lineTo(left + w, y); g.stroke();
      g.textAlign = 'right'; g.fillStyle = '#1d4aff'; g.fillText(fmt(Math.round((maxQueue * i) / 4)), left - 6, y + 4);
      g.textAlign = 'left'; g.fillStyle = '#f54e00'; g.fillText(fmt(Math.round((maxSent * i) / 4)), left + w + 6, y + 4);
    }
    g.textAlign = 'center'; g.fillStyle = '#6b7280';
    for (let m = 0; m <= 6; m++) {
      g.fillText(m === 0 ? 'now' : '-' + (m * 30) + ' s', left + w - (w * m) / 6, top + h + 16);
    }
    const x = (t) => left + w - (w * (now - t)) / span;
    line(g, points, x, (p) => top + h - (h * p.queue) / maxQueue, '#1d4aff');
    line(g, points, x, (p) => top + h - (h * p.sentPerSecond) / maxSent, '#f54e00');
    canvas.dataset.lastQueue = points.length ? String(points[points.length - 1].queue) : '';
  }

  function line(g, points, x, y, color) {
    g.strokeStyle = color; g.lineWidth = 2; g.beginPath();
    points.forEach((p, i) => (i ? g.lineTo(x(p.t), y(p)) : g.moveTo(x(p.t), y(p))));
    g.stroke();
  }

  function niceMax(v) {
    const magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (const step of [1, 2, 2.5, 5, 10]) { if (v <= step * magnitude) { return step * magnitude; } }
    return 10 * magnitude;
  }

  async function pollHistory() {
    try {
      const r = await json('/api/dashboard/history');
      if (r.ok) { drawChart(r.body); }
    } catch (e) { showError('history: ' + e); }
  }

  // ---------------------------------------------------------------- events

  let events = [];
  let selected = null;

  function renderEvents() {
    const rows = $('event-rows');
    rows.textContent = '';
    if (!events.length) {
      const tr = rows.insertRow(); const td = tr.insertCell(); td.colSpan = 4; td.className = 'muted';
      td.textContent = 'no event yet';
      return;
    }
    events.slice(0, 60).forEach((e) => {
      const tr = rows.insertRow();
      if (e.event === '$exception') { tr.className = 'exception'; }
      if (e.uuid === selected) { tr.classList.add('selected'); }
      [e.receivedAt.substring(11, 23), e.event, e.distinctId, e.uuid].forEach((v, i) => {
        const td = tr.insertCell(); td.textContent = v; if (i !== 1) { td.className = 'mono'; }
      });
      tr.addEventListener('click', () => {
        selected = e.uuid;
        const pre = $('event-json');
        pre.textContent = JSON.stringify(e, null, 2);
        pre.hidden = false;
        renderEvents();
      });
    });
  }

  async function pollEvents() {
    try {
      const r = await json('/sink/events');
      if (r.ok) { events = r.body.events; renderEvents(); }
    } catch (e) { showError('events: ' + e); }
  }

  // ---------------------------------------------------------------- flags

  async function loadFlags() {
    const user = $('flag-user').value.trim();
    if (!user) { return; }
    const r = await json('/api/flags?user=' + encodeURIComponent(user));
    const rows = $('flag-rows');
    rows.textContent = '';
    if (!r.ok) { showError('flags: HTTP ' + r.status); return; }
    if (!r.body.flags.length) {
      const td = rows.insertRow().insertCell(); td.colSpan = 4; td.className = 'muted';
      td.textContent = 'no flag could be evaluated (definitions not loaded yet?)';
    }
    r.body.flags.forEach((f) => {
      const tr = rows.insertRow();
      [f.key, String(f.value), f.source + (f.reason ? ' (' + f.reason + ')' : ''), f.payload || ''].forEach((v, i) => {
        const td = tr.insertCell(); td.textContent = v; if (i === 3) { td.className = 'mono'; }
      });
    });
  }

  // ---------------------------------------------------------------- buttons

  async function press(button, action) {
    button.disabled = true;
    try { await action(); } catch (e) { showError(button.textContent + ': ' + e); } finally { button.disabled = false; }
    pollStatus();
  }

  $('btn-burst').addEventListener('click', (e) => press(e.target, async () => {
    const r = await json('/api/dashboard/burst?count=10000', { method: 'POST' });
    if (!r.ok) { showError('burst: HTTP ' + r.status); }
  }));
  $('btn-outage').addEventListener('click', (e) => press(e.target, async () => {
    const r = await json('/api/dashboard/outage?seconds=10', { method: 'POST' });
    if (!r.ok) { showError('outage: ' + (r.body && r.body.error ? r.body.error : 'HTTP ' + r.status)); }
  }));
  $('btn-restart').addEventListener('click', (e) => press(e.target, async () => {
    const r = await json('/api/dashboard/restart', { method: 'POST' });
    $('restart-result').textContent = r.ok ? 'Restarted: ' + fmt(r.body.restarts) + ' restart(s) so far, queue kept.'
      : 'restart failed: HTTP ' + r.status;
  }));
  $('btn-throw').addEventListener('click', (e) => press(e.target, async () => {
    const r = await json('/api/dashboard/throw', { method: 'POST', headers: { 'X-POSTHOG-DISTINCT-ID': 'dashboard-user' } });
    $('throw-result').textContent = 'HTTP ' + r.status + ' at ' + new Date().toLocaleTimeString()
      + ': with error tracking on, the $exception event appears below (in red).';
  }));
  $('btn-chat').addEventListener('click', (e) => press(e.target, async () => {
    const r = await json('/api/chat', { method: 'POST',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/json', 'X-POSTHOG-DISTINCT-ID': 'dashboard-user' },
      body: JSON.stringify({ message: 'hello from the dashboard' }) });
    $('chat-result').textContent = r.ok ? 'The model (' + r.body.model + ') said: ' + r.body.answer
      + '. Its $ai_generation event appears in "Last events".' : 'chat failed: HTTP ' + r.status;
  }));
  $('flag-user').addEventListener('change', loadFlags);

  async function pollException() {
    try {
      const response = await fetch('/api/dashboard/latest-exception', { headers: { 'Accept': 'text/html' } });
      if (response.ok) { $('latest-exception').innerHTML = await response.text(); }
    } catch (e) { /* the next poll tries again */ }
  }

  pollStatus(); pollHistory(); pollEvents(); loadFlags().catch((e) => showError('flags: ' + e));
  setInterval(pollStatus, 500);
  setInterval(pollHistory, 1000);
  setInterval(pollEvents, 1000);
  pollException();
  setInterval(pollException, 2000);
  setInterval(() => loadFlags().catch(() => {}), 10000);
})();
