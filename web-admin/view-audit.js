// The audit trail for auditors, the office and admins: filter the journal by actor,
// role, the actor's unit, entity, command, outcome and days in Beijing time; see each
// event in words (a refusal's reason as the user was told it, the journal's own words
// beside it); export every event the filter finds as the page shows it, or the API's raw
// CSV; verify the hash chain (optionally against a head exported earlier) and see the
// first event that was altered, removed or reordered.
import { api, unitDirectory } from './api.js';
import { h, clear, fill, notice, table, latest } from './dom.js';
import { ROLE, COMMAND } from './labels.js';
import { beijingDays, beijingSecond, eventView, auditCsv, OUTCOME } from './audit.js';

const LIMIT = 200;
const EXPORT_PAGE = 5000;  // events per request when exporting

const options = (pairs) => [h('option', { value: '' }, '全部'), ...pairs.map(([v, t]) => h('option', { value: v }, t))];

// The filter's fields: who acted (user name; role; the unit the actor belongs to), on
// what (instance id), which command, its outcome, and days in Beijing time.
function filterFields(units) {
  const byLabel = (a, b) => a[1].localeCompare(b[1], 'zh');
  return {
    actor: h('input', { name: 'actor', id: 'audit-actor' }),
    role: h('select', { name: 'role', id: 'audit-role' }, options(Object.entries(ROLE))),
    unit: h('select', { name: 'unit', id: 'audit-unit' }, options(units.map((u) => [u.id, u.name || u.id]))),
    entity: h('input', { name: 'entity', id: 'audit-entity', placeholder: '如 lifecycle/2026/city/gx-nanning' }),
    command: h('select', { name: 'command', id: 'audit-command' },
      options(Object.entries(COMMAND).map(([code, t]) => [code, t + '（' + code + '）']).sort(byLabel))),
    outcome: h('select', { name: 'outcome', id: 'audit-outcome' }, options(Object.entries(OUTCOME))),
    from: h('input', { name: 'from', id: 'audit-from', type: 'date' }),
    to: h('input', { name: 'to', id: 'audit-to', type: 'date' }),
  };
}
const FIELD_LABELS = {
  actor: '操作人（用户名）', role: '角色', unit: '操作人所在单位', entity: '对象编号', command: '命令',
  outcome: '结果', from: '起（北京时间）', to: '止（北京时间）',
};

function eventRow(e, names) {
  const v = eventView(e, names);
  const who = v.user + '（' + v.role + (v.unit ? ' · ' + v.unit : '') + '）';
  return h('tr', { class: v.refused ? 'refused' : '' },
    h('td', { class: 'num' }, String(v.seq)), h('td', { class: 'nowrap' }, v.time),
    h('td', { title: v.origin ? '来源：' + v.origin : undefined }, who),
    h('td', {}, v.command, ' ', h('code', {}, v.commandCode)),
    h('td', {}, v.entity ? h('a', { href: '#/i/' + encodeURIComponent(v.entity) }, v.entity) : ''),
    h('td', { class: 'nowrap' }, v.outcome),
    h('td', { title: v.original !== v.reason ? '日志原文：' + v.original : undefined }, v.reason),
    h('td', { class: 'hash', title: v.hash }, v.hash.slice(0, 12)));
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
  const units = await unitDirectory().catch(() => []);
  const names = new Map(units.map((u) => [u.id, u.name]));
  const inputs = filterFields(units);
  const body = h('tbody');
  const more = h('button', { type: 'button', id: 'audit-more', hidden: true }, '更多');
  const exportButton = h('button', { type: 'button', id: 'audit-export' }, '导出所见（CSV）');
  const raw = h('a', { id: 'audit-csv', href: '#', title: '接口的原始格式：代码、UTC 时间、日志原文' }, '原始记录（CSV）');
  const status = h('div', { class: 'status-slot', id: 'audit-status' });
  let cursor = 0;

  // The query for the fields as they are; null, with the problem shown, for days that
  // are not days.
  const params = () => {
    clear(status);
    const days = beijingDays(inputs.from.value, inputs.to.value);
    if (days.error) {
      status.append(notice('error', days.error));
      return null;
    }
    const out = {};
    for (const k of ['actor', 'role', 'unit', 'entity', 'command', 'outcome']) out[k] = inputs[k].value.trim();
    return { ...out, ...days };
  };
  // A filter submitted while the last page is on its way: the late page draws nothing.
  const load = latest(async (current, fresh) => {
    const q = params();
    if (!q) return;
    if (fresh) {
      cursor = 0;
      clear(body);
    }
    try {
      const page = await api.audit({ ...q, cursor: cursor || undefined, limit: LIMIT });
      if (!current()) return;
      body.append(...page.events.map((e) => eventRow(e, names)));
      cursor = page.next_cursor;
      more.hidden = page.events.length < LIMIT;
      raw.href = api.auditCsvUrl(q);
      if (!body.children.length) status.append(notice('info', '没有符合条件的事件。'));
    } catch (e) {
      if (current()) status.append(notice('error', e.message));
    }
  });
  more.addEventListener('click', () => load(false));
  // Every event the filter finds (not only the pages drawn), in the words of the page.
  exportButton.addEventListener('click', async () => {
    const q = params();
    if (!q) return;
    exportButton.disabled = true;
    try {
      const events = [];
      let after;
      do {
        const page = await api.audit({ ...q, cursor: after, limit: EXPORT_PAGE });
        events.push(...page.events);
        after = page.next_cursor === null ? undefined : page.next_cursor;
      } while (after !== undefined);
      const url = URL.createObjectURL(new Blob([auditCsv(events, names)], { type: 'text/csv;charset=utf-8' }));
      const a = h('a', { href: url, download: 'govassess-audit-' + beijingSecond(new Date().toISOString()).slice(0, 10) + '.csv' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      status.append(notice('ok', '已导出 ' + events.length + ' 条事件。'));
    } catch (e) {
      status.append(notice('error', e.message));
    } finally {
      exportButton.disabled = false;
    }
  });
  const form = h('form', { class: 'grid-form', id: 'audit-filter' },
    Object.entries(inputs).map(([k, input]) => h('label', {}, FIELD_LABELS[k], input)),
    h('div', {}, h('button', { type: 'submit' }, '查询'), ' ', exportButton, ' ', raw));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load(true);
  });
  const t = table(['序号', '时间（北京时间）', '操作人（角色 · 单位）', '命令', '对象', '结果', '理由', '哈希'], [],
    { id: 'audit', class: 'list' });
  t.replaceChild(body, t.querySelector('tbody'));
  fill(slot, h('h1', {}, '审计日志'), await verifyPanel(), form, status, t, more);
  await load(true);
}
