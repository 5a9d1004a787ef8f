// Special assessments (docs/registry.md): the year's quota, the applications and
// licensed items by state, and a duplicate review of a name and its indicators before
// anyone applies.
import { api, readInstances } from './api.js';
import { h, clear, fill, notice, table } from './dom.js';
import { STATE, label } from './labels.js';
import { stateChip } from './view-assessments.js';

const LEVEL = { likely_duplicate: '疑似重复', similar: '相近', distinct: '不同' };

function beijingYear() {
  return new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
}

async function quotaPanel() {
  const year = h('select', { id: 'quota-year', 'aria-label': '年度' },
    [beijingYear(), beijingYear() + 1].map((y) => h('option', { value: y }, String(y))));
  const out = h('div', { id: 'quota' });
  const load = async () => {
    clear(out);
    try {
      const q = await api.quota(year.value);
      const o = q.overall;
      out.append(h('p', {}, '上限 ' + o.cap + '：已许可 ' + o.licensed + '，已同意 ' + o.approved + '，待审 ' + o.pending +
        '；每个牵头单位最多 ' + q.per_lead_cap + ' 项。'));
      const leads = Object.entries(q.leads || {});
      if (leads.length) {
        out.append(h('details', {}, h('summary', {}, '按牵头单位（' + leads.length + '）'), table(['牵头单位', '已许可', '已同意', '待审'], leads.map(([lead, n]) =>
          h('tr', {}, h('td', {}, lead), h('td', { class: 'num' }, String(n.licensed || 0)),
            h('td', { class: 'num' }, String(n.approved || 0)), h('td', { class: 'num' }, String(n.pending || 0)))), { class: 'list' })));
      }
    } catch (e) {
      out.append(notice('error', e.message));
    }
  };
  year.addEventListener('change', load);
  await load();
  return h('section', { class: 'card' }, h('h2', {}, '年度数量上限'), year, out);
}

function checkPanel() {
  const name = h('input', { id: 'check-name', placeholder: '拟申请的专项考核名称', size: 40 });
  const indicators = h('textarea', { id: 'check-indicators', rows: 4, placeholder: '指标，每行一个' });
  const out = h('div', { id: 'check-result' });
  const form = h('form', { class: 'card' }, h('h2', {}, '查重'),
    h('label', {}, '名称', name), h('label', {}, '指标', indicators),
    h('button', { type: 'submit' }, '查重'), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    try {
      const list = indicators.value.split('\n').map((s) => s.trim()).filter(Boolean);
      const r = await api.checkDuplicates(name.value.trim(), list);
      out.append(h('p', { class: 'muted' }, '已与 ' + r.compared_with + ' 项比较，最相近的在前：'),
        table(['名称', '牵头单位', '判断', '相似度', '相同或相近的指标'], r.matches.map((m) => h('tr', { class: 'level-' + m.level },
          h('td', {}, m.name), h('td', {}, m.lead), h('td', {}, LEVEL[m.level] || m.level),
          h('td', { class: 'num' }, Number(m.score).toFixed(2)),
          h('td', {}, (m.overlaps || []).map((x) => x.candidate + ' ≈ ' + x.existing).join('；')))), { class: 'list' }));
    } catch (e) {
      out.append(notice('error', e.message));
    }
  });
  return form;
}

async function itemsPanel() {
  const state = h('select', { id: 'registry-state', 'aria-label': '状态' },
    ['submitted', 'returned', 'approved', 'licensed', 'draft', 'expired', 'retired', 'withdrawn', 'rejected', 'merged']
      .map((s) => h('option', { value: s }, label(STATE, s))));
  const out = h('div');
  const load = async () => {
    clear(out);
    const page = await api.listInstances({ type: 'special_assessment', state: state.value, limit: 1000 });
    const items = await readInstances(page.instances.map((i) => i.id));
    out.append(items.length ? table(['名称', '牵头单位', '状态', '指标数', '编号'], items.map((i) => h('tr', {},
      h('td', {}, h('a', { href: '#/i/' + encodeURIComponent(i.id) }, i.data.name || i.id)),
      h('td', {}, i.data.lead || ''), h('td', {}, stateChip(i.state)),
      h('td', { class: 'num' }, String((i.data.indicators || []).length)), h('td', {}, h('code', {}, i.id)))),
    { id: 'registry-items', class: 'list' }) : h('p', { class: 'muted' }, '没有处于该状态的专项考核。'));
  };
  state.addEventListener('change', () => load().catch((e) => out.append(notice('error', e.message))));
  await load();
  return h('section', {}, h('h2', {}, '申请与已许可项目'), state, out);
}

export async function registryView(slot) {
  const quota = await quotaPanel();
  const items = await itemsPanel();
  fill(slot, h('h1', {}, '专项考核'), quota, items, checkPanel());
}
