// An instance's history from the audit trail (office, auditor, admin): every event,
// oldest first, a page at a time, and each accepted change with its state and every
// field before and after, rebuilt in the page from the journal's change records.
import { api } from './api.js';
import { h, clear, notice, table, beijing } from './dom.js';
import { ROLE, COMMAND, label, stateLabel } from './labels.js';
import { instanceReplayer } from './patch.js';

const HISTORY_ROLES = ['office', 'auditor', 'admin'];
const HISTORY_PAGE = 200;

// A value as an auditor reads it: text as it is, anything else as JSON; long ones cut
// (the whole on hover, when it is not too long to hold there).
function shown(v) {
  if (v === undefined) return h('span', { class: 'none' }, '—');
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (text.length <= 160) return text;
  return h('span', { title: text.length <= 4000 ? text : undefined }, text.slice(0, 160) + '…（共 ' + text.length + ' 字）');
}

// What one event did to this instance: its state and version, and each field before and
// after (rebuilt from the journal's change records, patch.js).
function changeCell(step, type) {
  if (!step) return h('td');
  const name = (state) => stateLabel(state, type);
  const state = step.created ? '新建为“' + name(step.to) + '”'
    : step.from !== step.to ? name(step.from) + ' → ' + name(step.to) : '状态不变';
  const rows = step.diffs.map((d) => h('tr', {}, h('td', {}, h('code', {}, d.path)), h('td', {}, shown(d.before)), h('td', {}, shown(d.after))));
  return h('td', {}, h('details', { class: 'change', dataset: { version: step.version } },
    h('summary', {}, state + ' · 第 ' + step.version + ' 版 · ' + step.diffs.length + ' 处'),
    step.gap ? h('p', { class: 'muted' }, '之前的记录不在此页，只列出之后的值。') : null,
    h('table', { class: 'diff' }, h('thead', {}, h('tr', {}, h('th', {}, '字段'), h('th', {}, '之前'), h('th', {}, '之后'))), h('tbody', {}, rows))));
}

// The instance's whole history from the audit trail, oldest first, a page at a time, each
// accepted change with its fields before and after.
export async function history(id, user) {
  if (!HISTORY_ROLES.includes(user.role)) return null;
  const replay = instanceReplayer(id);
  const body = h('tbody');
  const more = h('button', { type: 'button', id: 'history-more', hidden: true }, '更多');
  const status = h('div', { class: 'status-slot' });
  let cursor;
  const load = async () => {
    clear(status);
    more.disabled = true;
    try {
      const page = await api.audit({ entity: id, limit: HISTORY_PAGE, cursor });
      body.append(...page.events.map((e) => h('tr', { class: e.outcome === 'accepted' ? '' : 'refused', dataset: { seq: e.seq } },
        h('td', { class: 'num' }, String(e.seq)), h('td', {}, beijing(e.ts)),
        h('td', {}, e.actor.user + '（' + label(ROLE, e.actor.role) + '）'),
        h('td', {}, label(COMMAND, e.command)),
        h('td', {}, e.outcome === 'accepted' ? '通过' : '拒绝'),
        h('td', {}, e.reason || ''),
        changeCell(e.outcome === 'accepted' ? replay(e) : null, e.entity_type),
        h('td', { class: 'hash', title: e.hash }, e.hash.slice(0, 12)))));
      cursor = page.next_cursor;
      more.hidden = !cursor;
    } catch (e) {
      status.append(notice('error', e.message));
    }
    more.disabled = false;
  };
  more.addEventListener('click', load);
  await load();
  const t = table(['序号', '时间（北京）', '操作人', '操作', '结果', '理由', '变更', '哈希'], [], { id: 'history', class: 'list' });
  t.replaceChild(body, t.querySelector('tbody'));
  return h('section', {}, h('h2', {}, '历史（审计日志）'), t, more, status);
}
