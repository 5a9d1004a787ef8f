// The audit trail for auditors, the office and admins: filter the journal by actor,
// role, unit, entity, command, outcome and time; export what is shown as CSV; verify
// the hash chain (optionally against a head exported earlier) and see the first event
// that was altered, removed or reordered.
import { api } from './api.js';
import { h, clear, fill, notice, table, beijing, latest } from './dom.js';
import { ROLE, COMMAND, label } from './labels.js';

const FIELDS = [
  ['actor', '操作人（用户名）'], ['role', '角色'], ['unit', '单位'], ['entity', '对象编号'],
  ['command', '命令'], ['outcome', '结果（accepted / refused）'],
  ['from', '起（YYYY-MM-DD，UTC）'], ['to', '止（YYYY-MM-DD，UTC）'],
];
const LIMIT = 200;

function eventRow(e) {
  const who = e.actor.user + '（' + label(ROLE, e.actor.role) + (e.actor.unit ? ' · ' + e.actor.unit : '') + '）';
  return h('tr', { class: e.outcome === 'accepted' ? '' : 'refused' },
    h('td', { class: 'num' }, String(e.seq)), h('td', { class: 'nowrap' }, beijing(e.ts)),
    h('td', { title: e.actor.origin ? '来源：' + e.actor.origin : undefined }, who),
    h('td', {}, label(COMMAND, e.command), ' ', h('code', {}, e.command)),
    h('td', {}, e.entity ? h('a', { href: '#/i/' + encodeURIComponent(e.entity) }, e.entity) : ''),
    h('td', { class: 'nowrap' }, e.outcome === 'accepted' ? '通过' : '拒绝'),
    h('td', {}, e.reason || ''),
    h('td', { class: 'hash', title: e.hash }, e.hash.slice(0, 12)));
}

async function verifyPanel() {
  const expect = h('input', { id: 'expect-head', placeholder: '导出的链头 <seq>:<hash>（可选）', size: 40 });
  const out = h('div', { class: 'status-slot', id: 'verify-result' });
  const head = await api.head();
  const run = async () => {
    clear(out);
    try {
      const r = await api.verify(expect.value.trim() ? { expect_head: expect.value.trim() } : {});
      out.append(r.ok ? notice('ok', '日志完整：' + r.events + ' 条事件，链头 ' + r.head)
        : notice('error', '日志校验未通过：' + (r.error || JSON.stringify(r))));
    } catch (e) {
      out.append(notice('error', e.message));
    }
  };
  return h('section', { class: 'card' }, h('h2', {}, '校验哈希链'),
    h('p', {}, '当前链头（请另行保存，日后可据此核对）：', h('code', { id: 'audit-head' }, head.head)),
    h('div', { class: 'filters' }, expect, h('button', { type: 'button', id: 'verify', onclick: run }, '校验')),
    out);
}

export async function auditView(slot) {
  const inputs = Object.fromEntries(FIELDS.map(([k]) => [k, h('input', { name: k, id: 'audit-' + k })]));
  const body = h('tbody');
  const more = h('button', { type: 'button', id: 'audit-more', hidden: true }, '更多');
  const csv = h('a', { id: 'audit-csv', href: '#' }, '导出 CSV');
  const status = h('div', { class: 'status-slot' });
  let cursor = 0;

  const params = () => Object.fromEntries(FIELDS.map(([k]) => [k, inputs[k].value.trim()]));
  // A filter submitted while the last page is on its way: the late page draws nothing.
  const load = latest(async (current, fresh) => {
    clear(status);
    if (fresh) {
      cursor = 0;
      clear(body);
    }
    try {
      const page = await api.audit({ ...params(), cursor: cursor || undefined, limit: LIMIT });
      if (!current()) return;
      body.append(...page.events.map(eventRow));
      cursor = page.next_cursor;
      more.hidden = page.events.length < LIMIT;
      csv.href = api.auditCsvUrl(params());
      if (!body.children.length) status.append(notice('info', '没有符合条件的事件。'));
    } catch (e) {
      if (current()) status.append(notice('error', e.message));
    }
  });
  more.addEventListener('click', () => load(false));
  const form = h('form', { class: 'grid-form', id: 'audit-filter' },
    FIELDS.map(([k, t]) => h('label', {}, t, inputs[k])),
    h('div', {}, h('button', { type: 'submit' }, '查询'), ' ', csv));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load(true);
  });
  const t = table(['序号', '时间（北京）', '操作人（角色 · 单位）', '命令', '对象', '结果', '理由', '哈希'], [],
    { id: 'audit', class: 'list' });
  t.replaceChild(body, t.querySelector('tbody'));
  fill(slot, h('h1', {}, '审计日志'), await verifyPanel(), form, status, t, more);
  await load(true);
}
