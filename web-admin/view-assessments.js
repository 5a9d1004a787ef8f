// The board: every yearly assessment the user may see (a unit sees its own), with its
// state, overdue steps, plan version, total and grade; counts by state; filters.
import { api, readInstances } from './api.js';
import { h, fill, table, beijing } from './dom.js';
import { STATE, STEP, label } from './labels.js';

const PAGE = 200; // instances listed per request

// All lifecycle instances the user may see, id order, with their data.
async function loadAll() {
  const list = [];
  let after;
  do {
    const page = await api.listInstances({ type: 'lifecycle', limit: PAGE, after });
    list.push(...page.instances);
    after = page.next_after;
  } while (after);
  return readInstances(list.map((i) => i.id));
}

export function stateChip(state) {
  return h('span', { class: 'chip state-' + state, title: state }, label(STATE, state));
}

function overdueText(data) {
  const steps = data.overdue || [];
  return steps.map((s) => label(STEP, s)).join('，');
}

function row(inst) {
  const d = inst.data || {};
  return h('tr', { dataset: { id: inst.id, state: inst.state } },
    h('td', {}, h('a', { href: '#/i/' + encodeURIComponent(inst.id) }, d.unit_name || d.unit || inst.id)),
    h('td', {}, d.year ? String(d.year) : ''),
    h('td', {}, d.category || ''),
    h('td', {}, stateChip(inst.state)),
    h('td', { class: 'warn' }, overdueText(d)),
    h('td', { class: 'num' }, d.plan_version ? 'v' + d.plan_version : ''),
    h('td', { class: 'num' }, d.total !== undefined ? Number(d.total).toFixed(2) : ''),
    h('td', {}, d.grade ? d.grade.grade_name || d.grade.grade : ''),
    h('td', { class: 'muted' }, beijing(inst.updated_at)));
}

export async function assessmentsView(slot, user) {
  const all = await loadAll();
  const counts = {};
  for (const i of all) counts[i.state] = (counts[i.state] || 0) + 1;

  const years = [...new Set(all.map((i) => (i.data || {}).year).filter(Boolean))].sort().reverse();
  const yearSel = h('select', { id: 'filter-year', 'aria-label': '年度' },
    h('option', { value: '' }, '全部年度'), years.map((y) => h('option', { value: y }, String(y))));
  const stateSel = h('select', { id: 'filter-state', 'aria-label': '状态' },
    h('option', { value: '' }, '全部状态'),
    Object.keys(counts).map((s) => h('option', { value: s }, label(STATE, s) + ' (' + counts[s] + ')')));
  const text = h('input', { id: 'filter-text', type: 'search', placeholder: '单位名称或编号', 'aria-label': '单位' });
  const overdueOnly = h('input', { id: 'filter-overdue', type: 'checkbox' });
  const body = h('tbody');
  const shown = h('span', { class: 'muted', id: 'shown-count' });

  const apply = () => {
    const q = text.value.trim().toLowerCase();
    const rows = all.filter((i) => {
      const d = i.data || {};
      if (yearSel.value && String(d.year) !== yearSel.value) return false;
      if (stateSel.value && i.state !== stateSel.value) return false;
      if (overdueOnly.checked && !(d.overdue || []).length) return false;
      return !q || (d.unit_name || '').toLowerCase().includes(q) || i.id.toLowerCase().includes(q);
    });
    fill(body, ...rows.map(row));
    shown.textContent = '显示 ' + rows.length + ' / ' + all.length;
  };
  for (const el of [yearSel, stateSel, overdueOnly]) el.addEventListener('change', apply);
  text.addEventListener('input', apply);

  const summary = h('div', { class: 'chips', id: 'state-counts' },
    Object.entries(counts).map(([s, n]) => h('button', {
      type: 'button', class: 'chip state-' + s,
      onclick: () => { stateSel.value = s; apply(); },
    }, label(STATE, s) + ' ' + n)));

  const t = table(['单位', '年度', '类别', '状态', '逾期步骤', '计划', '总分', '等次', '最近更新（北京时间）'], [],
    { id: 'assessments', class: 'list' });
  t.replaceChild(body, t.querySelector('tbody'));

  fill(slot, 
    h('h1', {}, '考评对象'),
    user.role === 'unit' ? h('p', { class: 'muted' }, '您的单位的年度考评。') : null,
    all.length ? summary : h('p', {}, '还没有考评对象。绩效办用“创建”命令为每个单位建立年度考评（docs/lifecycle.md）。'),
    h('div', { class: 'filters' }, yearSel, stateSel, text, h('label', { class: 'inline' }, overdueOnly, '只看逾期'), shown),
    t);
  apply();
}
