// IntegrationBus dashboard: one page, hash routes, plain JavaScript (no build, no dependencies).
// Every value from the server goes into the page as text (textContent / text nodes), never as HTML.
// It calls the management API at ./api/ relative to this page, so any prefix works.
'use strict';

(() => {
  const base = location.pathname.endsWith('/') ? location.pathname : location.pathname.replace(/[^/]*$/, '');
  const apiBase = base + 'api/';
  const refreshMs = 2000;
  const pageSize = 50;
  const chartPoints = 60;
  const statuses = ['Pending', 'Error', 'Skipped', 'Failed'];
  const directions = ['Outgoing', 'Incoming'];
  const taskTypes = ['CreateObject', 'UpdateObject', 'DeleteObject', 'AddToSite', 'RemoveFromSite', 'CreatePage', 'UpdatePage',
    'DeletePage', 'DeleteAllCultures', 'PublishPage', 'ArchivePage', 'MovePage'];
  const filterNames = ['connector', 'direction', 'status', 'objectType', 'taskType', 'text', 'createdFrom', 'createdBefore'];

  const main = document.getElementById('main');
  const notice = document.getElementById('notice');
  let me = { name: null, canOperate: false, antiforgeryToken: null, antiforgeryHeader: 'X-IntegrationBus-Antiforgery' };
  let refreshTimer = null;
  let generation = 0;           // bumps on every route change; a late answer for an old view is dropped
  let lastQueues = null;        // queue depths of the previous poll, for the drain rate
  const rates = [];             // { at, value } — tasks that left the queues per second, newest last

  // ---- DOM helpers -------------------------------------------------------------------------------------------
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
    return node;
  }

  function show(...children) {
    main.replaceChildren();
    append(main, children);
  }

  function say(text, isError) {
    notice.textContent = text;
    notice.className = isError ? 'notice error' : 'notice';
    notice.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { notice.hidden = true; }, isError ? 10000 : 5000);
  }

  function cell(label, content, className) {
    return el('td', { 'data-label': label, class: className }, content);
  }

  function table(headers, rows, className) {
    return el('div', { class: 'table-wrap' },
      el('table', { class: 'stack ' + (className || '') },
        el('thead', {}, el('tr', {}, headers.map(h => el('th', { class: h.num ? 'num' : null }, h.label || h)))),
        el('tbody', {}, rows)));
  }

  // ---- Formatting --------------------------------------------------------------------------------------------
  function seconds(span) {
    // TimeSpan "c" format: [-][d.]hh:mm:ss[.fffffff]
    if (typeof span !== 'string') return null;
    const m = /^(-)?(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(span);
    if (!m) return null;
    const value = (+(m[2] || 0)) * 86400 + (+m[3]) * 3600 + (+m[4]) * 60 + parseFloat(m[5]);
    return m[1] ? -value : value;
  }

  function age(totalSeconds) {
    if (totalSeconds === null || totalSeconds === undefined) return '–';
    const s = Math.max(0, Math.round(totalSeconds));
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
  }

  function when(iso) {
    if (!iso) return '–';
    const date = new Date(iso);
    return isNaN(date) ? String(iso) : date.toLocaleString();
  }

  function short(text) {
    return text.length > 24 ? text.slice(0, 23) + '…' : text;
  }

  function number(n) {
    return (n === null || n === undefined) ? '–' : Number(n).toLocaleString();
  }

  // ---- API ---------------------------------------------------------------------------------------------------
  async function call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET' && me.antiforgeryToken) headers[me.antiforgeryHeader || 'X-IntegrationBus-Antiforgery'] = me.antiforgeryToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(apiBase + path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch { data = text; }
    }

    if (!response.ok) {
      const detail = data && typeof data === 'object' ? (data.detail || data.title) : null;
      const error = new Error(detail || (response.status + ' ' + response.statusText));
      error.status = response.status;
      throw error;
    }

    return data;
  }

  function query(parameters) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(parameters)) {
      if (value !== null && value !== undefined && value !== '') search.set(key, value);
    }
    const text = search.toString();
    return text ? '?' + text : '';
  }

  async function act(what, action) {
    try {
      const message = await action();
      if (message) say(message);
      return true;
    } catch (error) {
      say(what + ' failed: ' + error.message, true);
      return false;
    }
  }

  function confirmDialog(text) {
    const dialog = document.getElementById('confirm');
    document.getElementById('confirm-text').textContent = text;
    return new Promise(resolve => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.returnValue = '';
      dialog.showModal();
    });
  }

  // The JSON of a task row: { task: {...}, synchronization: {...} } (the management service's TaskSummary), or flat.
  function row(item) {
    const task = item.task || item;
    const sync = item.synchronization || item;
    return {
      id: task.id ?? task.taskId, guid: task.guid, objectType: task.objectType, taskType: task.taskType,
      object: task.objectDisplayName || task.objectCodeName || (task.objectId ?? task.objectGuid ?? ''),
      createdAt: task.createdAt, site: task.site,
      connector: sync.connector, direction: sync.direction ?? task.direction, status: sync.status,
      attempts: sync.attempts, lastError: sync.lastError, nextAttemptAt: sync.nextAttemptAt,
    };
  }

  // ---- Routing -----------------------------------------------------------------------------------------------
  function route() {
    const hash = location.hash.replace(/^#/, '') || '/';
    const [path, search] = hash.split('?');
    const parameters = new URLSearchParams(search || '');
    const parts = path.split('/').filter(Boolean);
    clearTimeout(refreshTimer);
    generation++;
    const view = parts[0] || 'overview';
    for (const link of document.querySelectorAll('.nav a')) {
      link.classList.toggle('active', link.dataset.view === (view === 'task' ? 'tasks' : view === 'keys' ? 'overview' : view));
    }

    if (view === 'overview') overview(generation);
    else if (view === 'tasks') tasks(parameters, generation);
    else if (view === 'task' && parts[1]) task(parts[1], parameters, generation);
    else if (view === 'keys' && parts[1]) blockedKeys(decodeURIComponent(parts[1]), parameters, generation);
    else if (view === 'audit') audit(parameters, generation);
    else if (view === 'settings') settings(generation);
    else show(el('h1', {}, 'Not found'), el('p', {}, el('a', { href: '#/' }, 'Back to the overview')));
  }

  function go(hash) {
    if (location.hash === hash) route(); else location.hash = hash;
  }

  function tasksLink(filter) {
    return '#/tasks' + query(filter);
  }

  // ---- Overview ----------------------------------------------------------------------------------------------
  async function overview(current) {
    const chart = el('div', { class: 'chart', id: 'rate-chart' });
    const body = el('tbody', {});
    const totals = el('p', { class: 'muted', id: 'totals' });
    show(
      el('h1', {}, 'Queues'),
      el('div', { class: 'card' },
        el('h2', {}, 'Delivery rate'),
        chart,
        el('p', { class: 'muted' },
          'Tasks that left the queues per second, from the drop in queue depth between two polls every ' +
          (refreshMs / 1000) + ' s (net of new tasks, so a lower bound while tasks keep arriving).')),
      totals,
      el('div', { class: 'table-wrap' },
        el('table', { class: 'stack queues', id: 'queues' },
          el('thead', {}, el('tr', {}, ['Connector', 'Direction', 'State', 'Depth', 'Pending', 'Errors', 'Failed', 'Oldest', 'Lease holder', '']
            .map(h => el('th', { class: ['Depth', 'Pending', 'Errors', 'Failed'].includes(h) ? 'num' : null }, h)))),
          body)));
    drawChart(chart);

    const poll = async () => {
      try {
        const queues = await call('GET', 'queues');
        if (current !== generation) return;
        recordRate(queues);
        drawChart(chart);
        body.replaceChildren(...queues.map(queueRow));
        const depth = queues.reduce((sum, q) => sum + (q.depth ?? 0), 0);
        const errors = queues.reduce((sum, q) => sum + (q.errors ?? 0), 0);
        totals.textContent = queues.length + ' queues, ' + number(depth) + ' tasks waiting, ' + number(errors) +
          ' in error · updated ' + new Date().toLocaleTimeString();
      } catch (error) {
        if (current !== generation) return;
        totals.textContent = 'Could not read the queues: ' + error.message;
      }
      if (current === generation) refreshTimer = setTimeout(poll, refreshMs);
    };
    await poll();
  }

  function queueRow(q) {
    const lag = seconds(q.lag);
    const filter = { connector: q.connector, direction: q.direction };
    const actions = el('div', { class: 'actions' }, el('a', { class: 'button', href: tasksLink(filter) }, 'Tasks'),
      el('a', { class: 'button', 'data-action': 'keys', href: '#/keys/' + encodeURIComponent(q.connector) + query({ direction: q.direction }) }, 'Keys'));
    if (me.canOperate) {
      actions.append(
        el('button', {
          class: 'op', 'data-action': q.enabled ? 'disable' : 'enable',
          onclick: () => act(q.enabled ? 'Disable' : 'Enable', async () => {
            await call('POST', 'connectors/' + encodeURIComponent(q.connector) + '/' + (q.enabled ? 'disable' : 'enable'));
            route();
            return 'Connector ' + q.connector + (q.enabled ? ' disabled.' : ' enabled.');
          }),
        }, q.enabled ? 'Disable' : 'Enable'),
        el('button', {
          class: 'op', 'data-action': 'process',
          onclick: () => act('Process', async () => {
            await call('POST', 'processing' + query({ connector: q.connector, direction: q.direction }));
            return 'Asked ' + q.connector + ' (' + q.direction + ') to run now.';
          }),
        }, 'Run now'));
    }

    const errors = q.errors > 0
      ? el('a', { href: tasksLink({ ...filter, status: 'Error' }), class: 'bad' }, number(q.errors))
      : number(q.errors);
    const failed = q.failed > 0
      ? el('a', { href: tasksLink({ ...filter, status: 'Failed' }), class: 'bad' }, number(q.failed))
      : number(q.failed);
    return el('tr', { 'data-queue': q.connector + '/' + q.direction },
      cell('Connector', [el('strong', {}, q.connector), q.displayName && q.displayName !== q.connector ? el('div', { class: 'muted' }, q.displayName) : null]),
      cell('Direction', q.direction),
      cell('State', [el('span', { class: q.enabled ? 'pill on' : 'pill off' }, q.enabled ? 'enabled' : 'disabled'), breakerBadge(q.circuitBreaker)]),
      cell('Depth', number(q.depth), 'num depth'),
      cell('Pending', number(q.pending), 'num pending'),
      cell('Errors', errors, 'num errors'),
      cell('Failed', failed, 'num failed'),
      cell('Oldest', age(lag), lag > 300 ? 'warn' : null),
      cell('Lease holder', q.leaseOwner ? el('span', { title: q.leaseOwner + (q.leaseExpiresAt ? ' until ' + when(q.leaseExpiresAt) : '') }, short(q.leaseOwner)) : '–', 'wrap'),
      cell('', actions));
  }

  // The connector's circuit breaker, when it is not closed: open (until when, why) or half-open (a task probes).
  function breakerBadge(breaker) {
    if (!breaker || breaker.status === 'Closed') return null;
    const open = breaker.status === 'Open';
    const title = open
      ? 'Circuit breaker open' + (breaker.openUntil ? ' until ' + when(breaker.openUntil) : '') + (breaker.reason ? ': ' + breaker.reason : '')
      : 'Circuit breaker half-open: one task probes';
    return el('span', { class: open ? 'pill breaker open' : 'pill breaker half-open', 'data-breaker': breaker.status, title }, open ? 'breaker open' : 'breaker half-open');
  }

  function recordRate(queues) {
    const now = Date.now();
    if (lastQueues) {
      let drained = 0;
      for (const q of queues) {
        const before = lastQueues.depths.get(q.connector + '/' + q.direction);
        if (before !== undefined && q.depth < before) drained += before - q.depth;
      }
      const elapsed = Math.max(0.001, (now - lastQueues.at) / 1000);
      rates.push({ at: now, value: drained / elapsed });
      while (rates.length > chartPoints) rates.shift();
    }
    lastQueues = { at: now, depths: new Map(queues.map(q => [q.connector + '/' + q.direction, q.depth ?? 0])) };
  }

  function drawChart(container) {
    const width = 600, height = 120, left = 36, bottom = 16;
    const max = Math.max(1, ...rates.map(r => r.value));
    const top = Math.ceil(max);
    const picture = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Delivery rate, tasks per second' });
    for (const fraction of [0, 0.5, 1]) {
      const y = (height - bottom) - fraction * (height - bottom - 8);
      picture.append(svg('line', { class: 'grid', x1: left, x2: width, y1: y, y2: y }));
      const label = svg('text', { x: 2, y: y + 4 });
      label.textContent = (top * fraction).toFixed(top * fraction < 10 && fraction !== 0 ? 1 : 0);
      picture.append(label);
    }
    const axis = svg('text', { x: left, y: height - 2 });
    axis.textContent = 'last ' + Math.round(chartPoints * refreshMs / 1000) + ' s';
    picture.append(axis);
    if (rates.length > 1) {
      const step = (width - left) / (chartPoints - 1);
      const offset = chartPoints - rates.length;
      const points = rates.map((r, i) => [left + (offset + i) * step, (height - bottom) - (r.value / top) * (height - bottom - 8)]);
      const line = points.map(p => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ');
      picture.append(svg('polygon', { class: 'area', points: `${points[0][0]},${height - bottom} ${line} ${points[points.length - 1][0]},${height - bottom}` }));
      picture.append(svg('polyline', { class: 'line', points: line }));
    }
    const latest = rates.length ? rates[rates.length - 1].value : 0;
    const peak = Math.max(0, ...rates.map(r => r.value));
    container.replaceChildren(picture, el('div', {},
      el('div', { class: 'figure', id: 'rate-now', 'data-peak': peak.toFixed(1) }, latest.toFixed(1)),
      el('div', { class: 'muted' }, 'tasks/s now')));
  }

  // ---- Task list ---------------------------------------------------------------------------------------------
  function filterFrom(parameters) {
    const filter = {};
    for (const name of filterNames) {
      const value = parameters.get(name);
      if (value) filter[name] = value;
    }
    return filter;
  }

  function describe(filter) {
    const parts = Object.entries(filter).map(([k, v]) => k + ' = ' + v);
    return parts.length ? parts.join(', ') : 'no filter (every task of every connector)';
  }

  async function tasks(parameters, current) {
    const filter = filterFrom(parameters);
    const after = parameters.get('after');
    const form = filterForm(filter);
    const results = el('div', { id: 'task-results' }, el('p', { class: 'muted' }, 'Loading…'));
    const bulk = me.canOperate ? el('div', { class: 'toolbar', id: 'bulk' },
      el('span', { class: 'muted' }, 'Every task matching the filter:'),
      el('button', { class: 'op', 'data-action': 'bulk-retry', onclick: () => bulkAction('retry', filter) }, 'Retry all…'),
      el('button', { class: 'op danger', 'data-action': 'bulk-delete', onclick: () => bulkAction('delete', filter) }, 'Delete all…')) : null;
    show(el('h1', {}, 'Tasks'), el('div', { class: 'card' }, form), bulk, results);

    try {
      const page = await call('GET', 'tasks' + query({ ...filter, after, limit: pageSize }));
      if (current !== generation) return;
      const items = (page.items || []).map(row);
      const pager = el('div', { class: 'toolbar' },
        el('button', { disabled: !after, onclick: () => go(tasksLink(filter)) }, 'First page'),
        el('button', { disabled: !page.next, id: 'next-page', onclick: () => go(tasksLink({ ...filter, after: page.next })) }, 'Next page'),
        el('span', { class: 'muted' }, items.length ? items.length + ' tasks on this page' : ''));
      results.replaceChildren(
        items.length === 0 ? el('p', { class: 'muted', id: 'no-tasks' }, 'No tasks match.') : table(
          ['ID', 'Connector', 'Direction', 'Status', { label: 'Attempts', num: true }, 'Object type', 'Object', 'Task type', 'Created', 'Last error'],
          items.map(t => el('tr', { 'data-task': t.id },
            cell('ID', el('a', { href: '#/task/' + encodeURIComponent(t.id) + query({ connector: t.connector }) }, String(t.id))),
            cell('Connector', t.connector),
            cell('Direction', t.direction),
            cell('Status', el('span', { class: t.status === 'Pending' ? null : 'bad' }, t.status)),
            cell('Attempts', number(t.attempts), 'num'),
            cell('Object type', t.objectType),
            cell('Object', String(t.object), 'wrap'),
            cell('Task type', t.taskType),
            cell('Created', when(t.createdAt)),
            cell('Last error', t.lastError || '', 'wrap'))),
          'tasks'),
        pager);
    } catch (error) {
      if (current === generation) results.replaceChildren(el('p', { class: 'bad' }, 'Could not list the tasks: ' + error.message));
    }
  }

  function filterForm(filter) {
    const input = (name, label, type) => el('label', {}, label, el('input', { name, type: type || 'text', value: filter[name] ? toInput(filter[name], type) : null }));
    const select = (name, label, options) => el('label', {}, label,
      el('select', { name }, el('option', { value: '' }, 'any'), options.map(o => el('option', { value: o, selected: filter[name] === o }, o))));
    const form = el('form', { class: 'filters', id: 'filters' },
      input('connector', 'Connector'),
      select('direction', 'Direction', directions),
      select('status', 'Status', statuses),
      input('objectType', 'Object type'),
      select('taskType', 'Task type', taskTypes),
      input('text', 'Text (object, error)'),
      input('createdFrom', 'Created from', 'datetime-local'),
      input('createdBefore', 'Created before', 'datetime-local'),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'primary' }, 'Apply'),
        el('button', { type: 'button', onclick: () => go('#/tasks') }, 'Clear')));
    form.addEventListener('submit', event => {
      event.preventDefault();
      const next = {};
      for (const name of filterNames) {
        const value = form.elements[name].value.trim();
        if (!value) continue;
        next[name] = form.elements[name].type === 'datetime-local' ? new Date(value).toISOString() : value;
      }
      go(tasksLink(next));
    });
    return form;
  }

  function toInput(value, type) {
    if (type !== 'datetime-local') return value;
    const date = new Date(value);
    if (isNaN(date)) return '';
    const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    return local.toISOString().slice(0, 16);
  }

  async function bulkAction(kind, filter) {
    const body = { ...filter };
    const everything = Object.keys(filter).length === 0;
    if (everything) body.all = true;
    await act(kind === 'retry' ? 'Retry' : 'Delete', async () => {
      const dryRun = await call('POST', 'tasks/' + kind, { ...body, dryRun: true });
      const count = dryRun.count;
      if (!count) return 'No tasks match: nothing to ' + kind + '.';
      const verb = kind === 'retry' ? 'Retry' : 'Delete';
      const ok = await confirmDialog(verb + ' ' + number(count) + (count === 1 ? ' task' : ' tasks') + ' matching ' + describe(filter) + '?' +
        (kind === 'delete' ? ' Deleted tasks are gone for good.' : ''));
      if (!ok) return null;
      const done = await call('POST', 'tasks/' + kind, { ...body, dryRun: false });
      route();
      return (kind === 'retry' ? 'Retried ' : 'Deleted ') + number(done.count) + ' tasks.';
    });
  }

  // ---- Task detail -------------------------------------------------------------------------------------------
  async function task(id, parameters, current) {
    show(el('h1', {}, 'Task ' + id), el('p', { class: 'muted' }, 'Loading…'));
    let inspection;
    try {
      inspection = await call('GET', 'tasks/' + encodeURIComponent(id));
    } catch (error) {
      if (current !== generation) return;
      show(el('h1', {}, 'Task ' + id),
        el('p', { class: error.status === 404 ? 'muted' : 'bad', id: 'task-missing' },
          error.status === 404 ? 'This task does not exist (any more): it was delivered or deleted.' : 'Could not read the task: ' + error.message),
        el('p', {}, el('a', { href: '#/tasks' }, 'Back to the tasks')));
      return;
    }
    if (current !== generation) return;

    const detail = inspection.detail || inspection;
    const info = detail.task || detail;
    const synchronizations = detail.synchronizations || inspection.synchronizations || [];
    const attempts = inspection.attempts || [];
    const payload = detail.payload ?? inspection.payload;
    const focus = parameters.get('connector');

    const facts = el('dl', { class: 'facts' });
    for (const [label, value] of [
      ['Object type', info.objectType], ['Task type', info.taskType], ['Data type', info.dataType], ['Direction', info.direction],
      ['Object', info.objectDisplayName || info.objectCodeName], ['Object ID', info.objectId], ['Object GUID', info.objectGuid],
      ['Site', info.site], ['Task GUID', info.guid], ['Created', when(info.createdAt)], ['Origin', info.originConnector],
      ['Incoming policy', info.direction === 'Incoming' ? info.policy : null], ['Trace', detail.traceParent]]) {
      if (value === null || value === undefined || value === '') continue;
      facts.append(el('dt', {}, label), el('dd', {}, String(value)));
    }

    const actionsFor = connector => me.canOperate ? el('div', { class: 'actions' },
      el('button', { class: 'op primary', 'data-action': 'retry', onclick: () => taskAction('retry', id, connector) }, 'Retry'),
      el('button', { class: 'op danger', 'data-action': 'delete', onclick: () => taskAction('delete', id, connector) }, 'Delete')) : null;

    const syncRows = synchronizations.map(s => el('tr', { 'data-connector': s.connector, class: s.connector === focus ? 'focus' : null },
      cell('Connector', s.connector),
      cell('Direction', s.direction),
      cell('Status', el('span', { class: s.status === 'Pending' ? null : 'bad' }, s.status)),
      cell('Attempts', number(s.attempts), 'num'),
      cell('Last run', when(s.lastRunAt)),
      cell('Next attempt', when(s.nextAttemptAt)),
      cell('Last error', s.lastError || '', 'wrap'),
      cell('', actionsFor(s.connector))));

    let pretty = payload;
    try { pretty = JSON.stringify(typeof payload === 'string' ? JSON.parse(payload) : payload, null, 2); } catch { /* shown as stored */ }

    const attemptList = el('div', { id: 'attempts' }, attempts.length === 0 ? el('p', { class: 'muted' }, 'No attempts yet.') : null,
      attempts.map(a => el('div', { class: 'attempt ' + a.result },
        el('div', {}, el('strong', {}, a.result), ' · ', when(a.attemptedAt), ' · ', a.connector, a.direction ? ' (' + a.direction + ')' : ''),
        a.message ? el('div', { class: 'message' }, a.message) : null,
        a.details ? el('details', {}, el('summary', {}, 'Details (stack trace)'), el('pre', {}, a.details)) : null)));

    show(
      el('h1', {}, 'Task ' + (info.id ?? id)),
      el('div', { class: 'toolbar' }, el('a', { href: '#/tasks' + query({ connector: focus }) }, '← Tasks'), actionsFor(null) ? el('span', { class: 'muted' }, 'All connectors of this task:') : null, actionsFor(null)),
      el('div', { class: 'card' }, facts),
      el('h2', {}, 'Connectors'),
      table(['Connector', 'Direction', 'Status', { label: 'Attempts', num: true }, 'Last run', 'Next attempt', 'Last error', ''], syncRows, 'synchronizations'),
      el('h2', {}, 'Attempt log'),
      attemptList,
      el('h2', {}, 'Payload'),
      inspection.payloadError ? el('p', { class: 'bad' }, inspection.payloadError) : null,
      el('pre', { id: 'payload' }, pretty ?? ''));
  }

  async function taskAction(kind, id, connector) {
    const target = connector ? ' for ' + connector : '';
    if (kind === 'delete' && !await confirmDialog('Delete task ' + id + target + '? It is gone for good.')) return;
    const ok = await act(kind === 'retry' ? 'Retry' : 'Delete', async () => {
      const path = 'tasks/' + encodeURIComponent(id) + (kind === 'retry' ? '/retry' : '') + query({ connector });
      const result = await call(kind === 'retry' ? 'POST' : 'DELETE', path);
      const count = result && result.count !== undefined ? result.count : 1;
      return (kind === 'retry' ? 'Task ' + id + ' will run again now' : 'Task ' + id + ' deleted') + target + ' (' + count + ').';
    });
    if (ok) route();
  }

  // ---- Blocked keys (per-object ordering) ------------------------------------------------------------------------
  // A connector's keys that a parked task holds: its later tasks of that key wait until an operator acts on the head.
  async function blockedKeys(connector, parameters, current) {
    const direction = parameters.get('direction');
    const after = parameters.get('after');
    const title = 'Blocked keys of ' + connector + (direction ? ' (' + direction + ')' : '');
    show(el('h1', {}, title), el('p', { class: 'muted' }, 'Loading…'));
    let page;
    try {
      page = await call('GET', 'connectors/' + encodeURIComponent(connector) + '/blocked-keys' +
        query({ direction, after, afterDirection: parameters.get('afterDirection'), limit: 50 }));
    } catch (error) {
      if (current !== generation) return;
      show(el('h1', {}, title), el('p', { class: 'bad', id: 'keys-error' }, 'Could not read the blocked keys: ' + error.message));
      return;
    }
    if (current !== generation) return;

    const actionsFor = k => me.canOperate ? el('div', { class: 'actions' },
      el('button', { class: 'op primary', 'data-action': 'retry', onclick: () => keyAction('retry', connector, k) }, 'Retry head'),
      el('button', { class: 'op danger', 'data-action': 'skip', onclick: () => keyAction('skip', connector, k) }, 'Skip head'),
      el('button', { class: 'op', 'data-action': 'release', onclick: () => keyAction('release', connector, k) }, 'Release')) : null;
    const rows = page.items.map(k => el('tr', { 'data-key': k.key },
      cell('Key', el('code', {}, k.key), 'wrap'),
      cell('Direction', k.direction),
      cell('Head task', el('a', { href: '#/task/' + encodeURIComponent(k.taskId) + query({ connector }) }, String(k.taskId))),
      cell('Object', [k.objectType, ' ', k.objectDisplayName || (k.objectId ?? k.objectGuid ?? '')]),
      cell('Attempts', number(k.attempts), 'num'),
      cell('Last run', when(k.lastRunAt)),
      cell('Waiting', number(k.waiting), 'num waiting'),
      cell('Last error', k.lastError || '', 'wrap'),
      cell('', actionsFor(k))));
    const next = page.next === null || page.next === undefined ? null
      : el('a', { href: '#/keys/' + encodeURIComponent(connector) + query({ direction, after: page.next, afterDirection: page.nextDirection }) }, 'Next page →');
    show(
      el('h1', {}, title),
      el('div', { class: 'toolbar' }, el('a', { href: '#/' }, '← Queues')),
      el('p', { class: 'muted' }, 'Under per-object ordering a task parked as failed holds its key: later tasks of the key wait while other keys flow. ' +
        'Retry head runs it again first; skip head deletes it for this connector; release leaves it failed but lets the key go on.'),
      rows.length === 0 ? el('p', { class: 'muted', id: 'no-keys' }, 'No key of this connector is blocked.')
        : table(['Key', 'Direction', 'Head task', 'Object', { label: 'Attempts', num: true }, 'Last run', { label: 'Waiting', num: true }, 'Last error', ''], rows, 'blocked-keys'),
      next);
  }

  async function keyAction(kind, connector, k) {
    const names = { retry: 'Retry head', skip: 'Skip head', release: 'Release' };
    if (kind === 'skip' && !await confirmDialog('Skip task ' + k.taskId + ', the head of key ' + k.key + '? It is deleted for ' + connector + ' for good.')) return;
    const ok = await act(names[kind], async () => {
      await call('POST', 'connectors/' + encodeURIComponent(connector) + '/blocked-keys/' + kind, { key: k.key, direction: k.direction });
      return { retry: 'Task ' + k.taskId + ' will run again now', skip: 'Task ' + k.taskId + ' skipped', release: 'Key ' + k.key + ' released' }[kind] +
        ' (key ' + k.key + ' of ' + connector + ').';
    });
    if (ok) route();
  }

  // ---- Audit log ---------------------------------------------------------------------------------------------
  async function audit(parameters, current) {
    const beforeId = parameters.get('beforeId');
    show(el('h1', {}, 'Audit log'), el('p', { class: 'muted' }, 'Loading…'));
    try {
      const entries = await call('GET', 'audit' + query({ beforeId, limit: pageSize }));
      if (current !== generation) return;
      const last = entries.length ? entries[entries.length - 1] : null;
      show(
        el('h1', {}, 'Audit log'),
        el('p', { class: 'muted' }, 'Every change made through the dashboard, the API or ibus: who, when, what and how many tasks.'),
        entries.length === 0 ? el('p', { class: 'muted' }, 'Nothing yet.') : table(
          ['When', 'Who', 'Action', 'Target', { label: 'Tasks', num: true }],
          entries.map(e => el('tr', {},
            cell('When', when(e.at)), cell('Who', e.actor || '–'), cell('Action', e.action), cell('Target', e.target || '', 'wrap'), cell('Tasks', number(e.count), 'num'))),
          'audit'),
        el('div', { class: 'toolbar' },
          el('button', { disabled: !beforeId, onclick: () => go('#/audit') }, 'Newest'),
          el('button', { disabled: !(last && entries.length === pageSize), onclick: () => go('#/audit' + query({ beforeId: last.id })) }, 'Older')));
    } catch (error) {
      if (current === generation) show(el('h1', {}, 'Audit log'), el('p', { class: 'bad' }, 'Could not read the audit log: ' + error.message));
    }
  }

  // ---- Settings ----------------------------------------------------------------------------------------------
  const flags = [
    ['enabled', 'Bus enabled'], ['logOutgoing', 'Log outgoing changes'], ['processOutgoing', 'Process outgoing tasks'],
    ['logIncoming', 'Log incoming changes'], ['processIncoming', 'Process incoming tasks'], ['historyEnabled', 'Keep a history of delivered tasks']];
  const spans = [
    ['historyRetention', 'Keep history for'], ['attemptLogRetention', 'Keep attempt log for'],
    ['failedTaskRetention', 'Keep failed tasks for'], ['auditRetention', 'Keep audit log for']];

  async function settings(current) {
    show(el('h1', {}, 'Settings'), el('p', { class: 'muted' }, 'Loading…'));
    let values;
    try {
      values = await call('GET', 'settings');
    } catch (error) {
      if (current === generation) show(el('h1', {}, 'Settings'), el('p', { class: 'bad' }, 'Could not read the settings: ' + error.message));
      return;
    }
    if (current !== generation) return;

    const readOnly = !me.canOperate;
    const form = el('form', { id: 'settings' },
      el('div', { class: 'card' }, flags.map(([name, label]) => el('label', { class: 'check' },
        el('input', { type: 'checkbox', name, checked: !!values[name], disabled: readOnly }), label))),
      el('div', { class: 'card filters' }, spans.map(([name, label]) => el('label', {}, label + ' (d.hh:mm:ss, empty = keep everything)',
        el('input', { name, value: values[name] ?? '', placeholder: 'keep everything', disabled: readOnly, pattern: '^(\\d+\\.)?\\d{1,2}:\\d{2}:\\d{2}$' })))),
      readOnly ? el('p', { class: 'muted' }, 'You may read the settings but not change them.')
        : el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'op primary', 'data-action': 'save-settings' }, 'Save settings')));
    form.addEventListener('submit', event => {
      event.preventDefault();
      const next = { ...values };
      for (const [name] of flags) next[name] = form.elements[name].checked;
      for (const [name] of spans) next[name] = form.elements[name].value.trim() || null;
      act('Saving the settings', async () => {
        await call('PUT', 'settings', next);
        route();
        return 'Settings saved.';
      });
    });

    const purge = readOnly ? null : el('div', { class: 'card' },
      el('h2', {}, 'Retention'),
      el('p', { class: 'muted' }, 'Retention runs on a schedule; purge applies it now (attempt log, failed tasks, history, audit entries past their periods).'),
      el('button', {
        class: 'op danger', 'data-action': 'purge',
        onclick: async () => {
          if (!await confirmDialog('Purge now everything the retention settings no longer keep?')) return;
          act('Purge', async () => {
            const result = await call('POST', 'retention/purge');
            return 'Purged: ' + Object.entries(result || {}).map(([k, v]) => k + ' ' + v).join(', ') + '.';
          });
        },
      }, 'Purge now…'));
    show(el('h1', {}, 'Settings'), form, purge);
  }

  // ---- Start -------------------------------------------------------------------------------------------------
  async function start() {
    try {
      me = { ...me, ...await call('GET', 'me') };
    } catch (error) {
      show(el('h1', {}, 'IntegrationBus'), el('p', { class: 'bad' }, 'Could not reach the management API: ' + error.message));
      return;
    }
    document.getElementById('who').textContent = (me.name || 'anonymous') + (me.canOperate ? ' · operator' : ' · read-only');
    document.body.classList.toggle('read-only', !me.canOperate);
    window.addEventListener('hashchange', route);
    route();
  }

  start();
})();
