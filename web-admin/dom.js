// Building the page: elements from plain values, never from HTML text, so names,
// reasons and messages that came from users are always shown as text.

// h('a', {href: '#/', class: 'x', onclick: f}, 'text', child, [more, children])
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// A loader whose calls may overlap: a filter changed, or submitted again, while the
// last answer is still on its way. Each call gets `current()`, true until a later call
// starts, so that an answer that comes late draws nothing over a newer one:
//   const load = latest(async (current, …) => { const r = await api…; if (!current()) return; draw(r); });
export function latest(load) {
  let calls = 0;
  return (...args) => {
    const mine = ++calls;
    return load(() => mine === calls, ...args);
  };
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// Replaces el's children; like h(), skips null/false and flattens arrays.
export function fill(el, ...children) {
  append(clear(el), children);
  return el;
}

// A message box: kind is 'error', 'warn' (allowed, but mind what it does), 'ok' or 'info'.
export function notice(kind, ...children) {
  return h('div', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

export function table(headers, rows, attrs = {}) {
  return h('table', attrs,
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows));
}

export const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

// "2026-04-29T01:00:05.000Z" → "2026-04-29 09:00" (Beijing time, as the office reads it),
// with `seconds` "2026-04-29 09:00:05".
export function beijing(ts, { seconds = false } = {}) {
  if (!ts) return '';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return String(ts);
  const b = new Date(d.getTime() + BEIJING_OFFSET_MS);
  return b.toISOString().slice(0, seconds ? 19 : 16).replace('T', ' ');
}

// Today and this year in Beijing: "YYYY-MM-DD", 2026.
export const beijingToday = () => new Date(Date.now() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
export const beijingYear = () => new Date(Date.now() + BEIJING_OFFSET_MS).getUTCFullYear();

// Pairs of term and value as a definition list; empty values are left out.
export function facts(pairs) {
  return h('dl', { class: 'facts' },
    pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}
