// The board: every yearly assessment the user may see (a unit sees its own), with its
// state, overdue steps, plan version, total and grade; counts by state; filters. The
// office (and admin) also start assessments here for units of a cycle that have none,
// and every role sends its routine steps to many at once (view-bulk.js).
import { api, listWithData } from './api.js';
import { h, clear, fill, notice, table, beijing } from './dom.js';
import { STATE, STEP, label, stateLabel } from './labels.js';
import { bulkSection } from './view-bulk.js';

// All lifecycle instances the user may see, id order, with their data.
const loadAll = () => listWithData({ type: 'lifecycle' });

export function stateChip(state, type) {
  return h('span', { class: 'chip state-' + state, title: state }, stateLabel(state, type));
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

const CREATORS = ['office', 'admin']; // who may send lifecycle `create`

// A cycle's year, scheme, unit directory and categories (cycle/<year>/<scheme>).
function cycleFacts(cycle) {
  const d = cycle.data || {};
  const cfg = d.config || {};
  const [, year, scheme] = cycle.id.split('/');
  return {
    year: cfg.year || Number(year), scheme: cfg.scheme || scheme, name: cfg.name || cycle.id, unitsId: d.units,
    categories: new Map((cfg.categories || []).map((c) => [c.id, c.name || c.id])),
  };
}

// "新建年度考评": pick a cycle; the units of its directory in one of its categories that
// have no assessment on the board yet are offered; `create` is sent for each ticked one
// in turn, and the board reloads with what happened to each.
function createSection(board, reload) {
  const have = new Set(board.map((i) => i.id));
  const cycleSel = h('select', { id: 'create-cycle', 'aria-label': '考评周期' });
  const out = h('div', { id: 'create-units' });
  const section = h('details', { class: 'card', id: 'create-assessments' },
    h('summary', {}, '新建年度考评'), h('label', { class: 'inline' }, '考评周期', cycleSel), out);
  let cycles = [];
  let started = false;

  const showUnits = async () => {
    clear(out);
    const c = cycles.find((x) => x.id === cycleSel.value);
    if (!c) return;
    const f = cycleFacts(c);
    const dir = await api.instance(f.unitsId);
    const units = ((dir.data || {}).units || []).filter((u) => f.categories.has(u.category_id));
    const idOf = (u) => 'lifecycle/' + f.year + '/' + f.scheme + '/' + u.id;
    const missing = units.filter((u) => !have.has(idOf(u)));
    if (!missing.length) {
      return out.append(notice('info', '“' + f.name + '”的 ' + units.length + ' 个考评单位都已有年度考评。'));
    }
    const boxes = missing.map((u) => h('input', { type: 'checkbox', value: u.id }));
    const all = h('input', { type: 'checkbox', id: 'create-all' });
    all.addEventListener('change', () => { for (const b of boxes) b.checked = all.checked; });
    const reason = h('input', { id: 'create-reason', placeholder: '理由（可选）' });
    const status = h('div', { class: 'status-slot' });
    const form = h('form', { id: 'create-form' },
      h('p', {}, units.length + ' 个考评单位中，' + missing.length + ' 个还没有年度考评（' + f.unitsId + '）：'),
      h('label', { class: 'inline' }, all, '全选'),
      h('div', { class: 'picks' }, missing.map((u, i) => h('label', { class: 'inline' }, boxes[i], u.name,
        h('span', { class: 'muted' }, '（' + f.categories.get(u.category_id) + '）')))),
      h('label', { for: 'create-reason' }, '理由'), reason,
      h('button', { type: 'submit' }, '创建'), status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear(status);
      const picked = missing.filter((u, i) => boxes[i].checked);
      if (!picked.length) return status.append(notice('error', '请先选择单位。'));
      form.querySelector('button').disabled = true;
      const lines = [];
      for (const u of picked) {
        const id = idOf(u);
        try {
          await api.create('lifecycle', id, reason.value.trim());
          lines.push(h('li', { class: 'ok', dataset: { id } }, u.name + '：已创建 ', h('code', {}, id)));
        } catch (e) {
          lines.push(h('li', { class: 'refused', dataset: { id } }, u.name + '：未创建——' + e.message));
        }
      }
      reload(h('section', { class: 'card', id: 'create-report' }, h('h2', {}, '新建年度考评的结果'), h('ul', {}, lines)));
    });
    out.append(form);
  };

  const load = async () => {
    cycles = (await listWithData({ type: 'cycle' })).sort((a, b) => (a.id < b.id ? 1 : -1));
    if (!cycles.length) return out.append(notice('info', '还没有考评周期。'));
    fill(cycleSel, cycles.map((c) => h('option', { value: c.id }, cycleFacts(c).name + '（' + c.id + '）')));
    await showUnits();
  };
  const run = (f) => f().catch((e) => out.append(notice('error', e.message)));
  cycleSel.addEventListener('change', () => run(showUnits));
  section.addEventListener('toggle', () => {
    if (section.open && !started) { started = true; run(load); }
  });
  return section;
}

// Whether an assessment waits for the signed-in role (待我处理): a step that is this
// role's duty in its state, or an adjustment request at this role's stage. Optional
// commands (an appeal, a new adjustment, the mid-year record) do not count.
const DUTY = {
  unit: ['drafting', 'returned', 'self_assessing'],
  office: ['submitted', 'approved', 'auditing', 'scored', 'appealed', 'decided'],
  leader: ['reviewed'],
  lead_assessor: ['auditing'],
  committee: ['ready_for_ratification'],
};
const ADJUSTMENT_DUTY = { office: ['first_reviewed', 'approved'], leader: ['agreed'], lead_assessor: ['requested'] };

export function waitsFor(inst, role) {
  if ((DUTY[role] || []).includes(inst.state)) return true;
  const stages = ADJUSTMENT_DUTY[role] || [];
  return inst.state === 'in_execution' && ((inst.data || {}).adjustments || []).some((a) => stages.includes(a.status));
}

export async function assessmentsView(slot, user, arg, flash) {
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
  const mineOnly = h('input', { id: 'filter-mine', type: 'checkbox' });
  const body = h('tbody');
  const shown = h('span', { class: 'muted', id: 'shown-count' });

  const apply = () => {
    const q = text.value.trim().toLowerCase();
    const rows = all.filter((i) => {
      const d = i.data || {};
      if (yearSel.value && String(d.year) !== yearSel.value) return false;
      if (stateSel.value && i.state !== stateSel.value) return false;
      if (overdueOnly.checked && !(d.overdue || []).length) return false;
      if (mineOnly.checked && !waitsFor(i, user.role)) return false;
      return !q || (d.unit_name || '').toLowerCase().includes(q) || i.id.toLowerCase().includes(q);
    });
    fill(body, ...rows.map(row));
    shown.textContent = '显示 ' + rows.length + ' / ' + all.length;
  };
  for (const el of [yearSel, stateSel, overdueOnly, mineOnly]) el.addEventListener('change', apply);
  const waiting = all.filter((i) => waitsFor(i, user.role)).length;
  text.addEventListener('input', apply);

  const summary = h('div', { class: 'chips', id: 'state-counts' },
    Object.entries(counts).map(([s, n]) => h('button', {
      type: 'button', class: 'chip state-' + s,
      onclick: () => { stateSel.value = s; apply(); },
    }, label(STATE, s) + ' ' + n)));

  const t = table(['单位', '年度', '类别', '状态', '逾期步骤', '计划', '总分', '等次', '最近更新（北京时间）'], [],
    { id: 'assessments', class: 'list' });
  t.replaceChild(body, t.querySelector('tbody'));

  const reload = (report) => assessmentsView(slot, user, arg, report).catch((e) => fill(slot, notice('error', e.message)));
  // The cycles of the assessments shown: their pages hold the category's grading and the
  // overrides (一票肯定, 降等).
  const cycles = [...new Set(all.map((i) => (i.data || {}).cycle).filter(Boolean))].sort().reverse();
  fill(slot,
    h('h1', {}, '考评对象'),
    user.role === 'unit' ? h('p', { class: 'muted' }, '您的单位的年度考评。') : null,
    cycles.length ? h('p', { id: 'cycles' }, '考评周期（评定等次、一票肯定与降等）：',
      cycles.map((c, i) => [i ? '，' : '', h('a', { href: '#/i/' + encodeURIComponent(c) }, c)])) : null,
    flash || null,
    CREATORS.includes(user.role) ? createSection(all, reload) : null,
    await bulkSection(all, user, reload),
    all.length ? summary : h('p', {}, '还没有考评对象。绩效办在“新建年度考评”中为各单位建立年度考评（docs/lifecycle.md）。'),
    h('div', { class: 'filters' }, yearSel, stateSel, text, h('label', { class: 'inline' }, overdueOnly, '只看逾期'),
      DUTY[user.role] ? h('label', { class: 'inline' }, mineOnly, '只看待我处理（' + waiting + '）') : null, shown),
    t);
  apply();
}
