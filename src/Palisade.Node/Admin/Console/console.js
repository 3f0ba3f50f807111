// The Palisade console. Every value that comes from the API (request data is attacker-controlled) is put on the
// page with textContent, never as markup.
const TOKEN_KEY = 'palisade-admin-token';
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

class Unauthorized extends Error {}

// fetch with the admin token when one was given; a 401 asks for the token once.
async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    byTestId('token-form').hidden = false;
    byTestId('status').textContent = 'admin token required';
    throw new Unauthorized('the admin token is missing or wrong');
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const field = data && data.field ? `${data.field}: ` : '';
    throw new Error(`${response.status}: ${field}${(data && data.error) || response.statusText}`);
  }
  return data;
}

// An element with text content (never markup) and optional class, test id and children.
function el(tag, { text, cls, testId } = {}, ...children) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  if (testId) node.dataset.testid = testId;
  for (const child of children) node.append(child);
  return node;
}

function report(where, error) {
  if (error instanceof Unauthorized) return;
  const target = byTestId(where);
  target.hidden = false;
  target.textContent = error.message;
}

// Live attack feed: newest first, polled every 2 s; rows not seen before are highlighted.
const seen = new Set();
let firstLoad = true;
let selectedId = null;

async function refreshFeed() {
  try {
    const { events } = await api('/api/events?limit=100');
    const rows = events.map((event) => {
      const row = el('tr', { testId: 'event-row' },
        el('td', { text: event.time.replace('T', ' ').replace('Z', '') }),
        el('td', { text: event.client_ip }),
        el('td', { text: event.method ?? '' }),
        el('td', { text: event.path ?? '' }),
        el('td', { text: event.route ?? '' }),
        el('td', { text: event.attack_types.length ? event.attack_types.join(', ') : event.event }),
        el('td', { text: event.action, cls: `action-${event.action}`, testId: 'event-action' }));
      row.dataset.eventId = String(event.id);
      if (!seen.has(event.id) && !firstLoad) row.classList.add('new');
      if (event.id === selectedId) row.classList.add('selected');
      seen.add(event.id);
      row.addEventListener('click', () => explain(event.id));
      return row;
    });
    byTestId('feed').replaceChildren(...rows);
    byTestId('feed-error').hidden = true;
    byTestId('status').textContent = '';
    firstLoad = false;
  } catch (error) {
    report('feed-error', error);
  }
}

async function refreshStats() {
  try {
    const stats = await api('/api/stats');
    byTestId('stats-total').textContent = `(latest ${stats.events} events)`;
    for (const [key, id] of [['by_type', 'stats-type'], ['by_route', 'stats-route'], ['by_action', 'stats-action']]) {
      const items = Object.entries(stats[key]).sort((a, b) => b[1] - a[1]).map(([name, count]) => el('li', { text: `${name}: ${count}` }));
      byTestId(id).replaceChildren(...items);
    }
  } catch (error) {
    if (!(error instanceof Unauthorized)) byTestId('stats-total').textContent = error.message;
  }
}

// The explain view: why one request was decided as it was.
async function explain(id) {
  selectedId = id;
  for (const row of byTestId('feed').children) row.classList.toggle('selected', row.dataset.eventId === String(id));
  let event;
  try {
    event = await api(`/api/events/${encodeURIComponent(id)}`);
  } catch (error) {
    report('feed-error', error);
    return;
  }
  const panel = byTestId('explain');
  panel.hidden = false;
  panel.dataset.eventId = String(id);
  byTestId('explain-id').textContent = `#${event.id}`;
  const summary = document.getElementById('explain-summary');
  summary.replaceChildren();
  for (const [label, value] of [['Time', event.time], ['Request', event.request_id], ['Client', event.client_ip],
    ['Request line', `${event.method ?? ''} ${event.host ?? ''}${event.path ?? ''}`], ['Route', event.route ?? '-'],
    ['Mode', event.mode ?? '-'], ['Action', event.action], ['Reason', event.reason ?? ''],
    ['Body', event.body_truncated ? 'truncated: only the inspected part was seen' : 'inspected whole']]) {
    if (value) summary.append(el('dt', { text: label }), el('dd', { text: value }));
  }
  byTestId('explain-decision').textContent = event.decision;
  const findings = event.findings.map((finding) => el('div', { cls: 'finding', testId: 'finding' },
    el('div', {}, el('strong', { text: finding.type }), ' at ', el('code', { text: finding.point, testId: 'finding-point' }),
      ` (score ${finding.score})`),
    el('div', {}, 'location ', el('code', { text: finding.location }), ', decoders ',
      el('code', { text: finding.decoders.length ? finding.decoders.join(' → ') : 'none' })),
    el('div', {}, 'detector ', el('code', { text: finding.detector, testId: 'finding-detector' }), ': ', el('span', { text: finding.reason })),
    el('div', {}, 'evidence ', el('code', { text: finding.evidence, testId: 'finding-evidence' }))));
  byTestId('findings').replaceChildren(...(findings.length ? findings : [el('p', { text: 'No detector findings.', cls: 'muted' })]));
  document.getElementById('proposal').hidden = true;
  byTestId('exclusion-result').textContent = '';
  document.getElementById('exclude').hidden = event.event !== 'attack' || findings.length === 0;
}

async function proposeExclusion(confirm) {
  const id = byTestId('explain').dataset.eventId;
  const result = byTestId('exclusion-result');
  result.textContent = '';
  try {
    const answer = await api(`/api/exclusions/from-event/${encodeURIComponent(id)}`, confirm ? { method: 'POST', body: { confirm: true } } : { method: 'POST' });
    byTestId('exclusion-yaml').textContent = answer.yaml;
    document.getElementById('proposal').hidden = false;
    if (answer.applied) {
      document.getElementById('proposal').hidden = true;
      result.textContent = answer.written
        ? 'Applied: written to the configuration file and reloaded.'
        : `Applied in memory only, lost at restart (not written: ${answer.not_written_because ?? 'unknown'}). Add the YAML above to the file.`;
      byTestId('exclusion-yaml').textContent = answer.yaml;
      document.getElementById('proposal').hidden = answer.written;
      document.getElementById('exclude-confirm').hidden = true;
      document.getElementById('exclude').hidden = true;
      refreshConfig();
    } else {
      document.getElementById('exclude-confirm').hidden = false;
    }
  } catch (error) {
    if (!(error instanceof Unauthorized)) result.textContent = error.message;
  }
}

async function refreshIpLists() {
  try {
    const { entries } = await api('/api/ip-lists');
    byTestId('ip-entries').replaceChildren(...entries.map((entry) => {
      const remove = el('button', { text: 'Delete', cls: 'plain', testId: 'ip-delete' });
      remove.type = 'button';
      remove.addEventListener('click', async () => {
        try {
          await api(`/api/ip-lists/${encodeURIComponent(entry.list)}/${encodeURIComponent(entry.cidr)}`, { method: 'DELETE' });
          byTestId('ip-error').textContent = '';
        } catch (error) {
          report('ip-error', error);
        }
        refreshIpLists();
      });
      const row = el('tr', { testId: 'ip-row' }, el('td', { text: entry.list }), el('td', { text: entry.cidr }),
        el('td', { text: entry.reason ?? '' }), el('td', { text: entry.expires ?? 'never' }), el('td', { text: entry.source }), el('td', {}, remove));
      row.dataset.cidr = entry.cidr;
      return row;
    }));
  } catch (error) {
    report('ip-error', error);
  }
}

async function addIpEntry(submit) {
  submit.preventDefault();
  const value = (id) => document.getElementById(id).value.trim();
  const body = { list: value('ip-list'), cidr: value('ip-cidr') };
  if (value('ip-reason')) body.reason = value('ip-reason');
  if (value('ip-ttl')) body.ttl = value('ip-ttl');
  try {
    await api('/api/ip-lists', { method: 'POST', body });
    byTestId('ip-error').textContent = '';
    document.getElementById('ip-form').reset();
  } catch (error) {
    report('ip-error', error);
  }
  refreshIpLists();
}

async function refreshConfig() {
  try {
    const config = await api('/api/config');
    byTestId('mode').textContent = `mode: ${config.mode}`;
    byTestId('config-file').textContent = config.config_file ? `File: ${config.config_file}` : 'No configuration file (flags and environment only).';
    byTestId('config').textContent = JSON.stringify({ options: config.options, routes: config.routes, policy: config.policy }, null, 2);
  } catch (error) {
    if (!(error instanceof Unauthorized)) byTestId('config').textContent = error.message;
  }
}

async function reloadConfig() {
  try {
    const answer = await api('/api/config/reload', { method: 'POST' });
    byTestId('config-result').textContent = 'Reloaded from the file.';
  } catch (error) {
    if (!(error instanceof Unauthorized)) byTestId('config-result').textContent = error.message;
  }
  refreshConfig();
}

function refreshAll() {
  refreshFeed();
  refreshStats();
  refreshIpLists();
  refreshConfig();
}

document.getElementById('token-form').addEventListener('submit', (submit) => {
  submit.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, document.getElementById('token-input').value.trim());
  document.getElementById('token-input').value = '';
  byTestId('token-form').hidden = true;
  byTestId('status').textContent = '';
  refreshAll();
});
document.getElementById('exclude').addEventListener('click', () => proposeExclusion(false));
document.getElementById('exclude-confirm').addEventListener('click', () => proposeExclusion(true));
document.getElementById('ip-form').addEventListener('submit', addIpEntry);
document.getElementById('reload').addEventListener('click', reloadConfig);

refreshAll();
// While the token is being asked for, polling would only collect 401s (each one logged by the node).
setInterval(() => {
  if (!byTestId('token-form').hidden) return;
  refreshFeed();
  refreshStats();
}, 2000);
