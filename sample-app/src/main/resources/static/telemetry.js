// The logs and traces panel: runs a traced request, then shows what the embedded sink received for its trace.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const text = (value) => document.createTextNode(value === null || value === undefined ? '' : String(value));

  function cell(row, value, className) {
    const td = document.createElement('td');
    if (className) { td.className = className; }
    td.appendChild(text(value));
    row.appendChild(td);
  }

  function show(record) {
    const pre = $('telemetry-json');
    pre.textContent = JSON.stringify(record, null, 2);
    pre.hidden = false;
  }

  function depth(span, byId) {
    let d = 0;
    let parent = byId[span.parentSpanId];
    while (parent && d < 10) { d++; parent = byId[parent.parentSpanId]; }
    return d;
  }

  function renderSpans(spans) {
    const box = $('telemetry-spans');
    box.textContent = '';
    if (!spans.length) { box.appendChild(text('no span yet')); return; }
    const total = Math.max(...spans.map((s) => s.offsetMillis + s.durationMillis), 0.001);
    const byId = {};
    spans.forEach((s) => { byId[s.spanId] = s; });
    spans.forEach((s) => {
      const row = document.createElement('div');
      row.className = 'span';
      row.dataset.name = s.name;
      const name = document.createElement('span');
      name.className = 'name';
      name.style.paddingLeft = (depth(s, byId) * 0.8) + 'rem';
      name.title = s.name + ' · ' + s.durationMillis.toFixed(2) + ' ms';
      name.appendChild(text(s.name));
      const track = document.createElement('span');
      track.className = 'track';
      const bar = document.createElement('span');
      bar.className = 'bar' + (s.error ? ' error' : '');
      bar.style.left = (100 * s.offsetMillis / total) + '%';
      bar.style.width = (100 * s.durationMillis / total) + '%';
      track.appendChild(bar);
      row.appendChild(name);
      row.appendChild(track);
      row.addEventListener('click', () => show(s.record));
      box.appendChild(row);
    });
  }

  function renderLogs(logs) {
    const body = $('telemetry-logs');
    body.textContent = '';
    if (!logs.length) {
      const row = document.createElement('tr');
      cell(row, 'none yet', 'muted');
      row.firstChild.colSpan = 4;
      body.appendChild(row);
      return;
    }
    logs.forEach((l) => {
      const row = document.createElement('tr');
      cell(row, l.severity);
      cell(row, l.body);
      cell(row, l.attributes.posthogDistinctId, 'mono');
      cell(row, l.spanId, 'mono');
      row.addEventListener('click', () => show(l.record));
      body.appendChild(row);
    });
  }

  async function poll(traceId, tries) {
    const response = await fetch('/api/telemetry?traceId=' + encodeURIComponent(traceId));
    const data = await response.json();
    renderSpans(data.spans);
    renderLogs(data.logs);
    // the request's own span arrives last (it ends after the response): keep polling a little
    if (tries > 0 && (data.spans.length < 3 || data.logs.length < 4)) {
      setTimeout(() => poll(traceId, tries - 1), 700);
    }
  }

  $('btn-telemetry').addEventListener('click', async () => {
    const button = $('btn-telemetry');
    button.disabled = true;
    try {
      const response = await fetch('/api/telemetry/run?items=3', {
        method: 'POST',
        headers: { 'X-POSTHOG-DISTINCT-ID': 'alice', 'X-POSTHOG-SESSION-ID': 'dashboard-session' }
      });
      const body = await response.json();
      $('telemetry-result').textContent = 'Trace ' + body.traceId + ': waiting for the sink…';
      $('telemetry').dataset.traceId = body.traceId;
      await poll(body.traceId, 15);
      $('telemetry-result').textContent = 'Trace ' + body.traceId;
    } catch (e) {
      $('telemetry-result').textContent = 'failed: ' + e;
    } finally {
      button.disabled = false;
    }
  });
}());
