// The score sheet (考核评分表) for record_scores: the indicators of the unit's plan (its
// latest version) that the signed-in user may score — a lead assessor the ones it
// leads, the office all — with their targets, weights and the points recorded so far.
// Points are sent by indicator; they join what other leads recorded (docs/lifecycle.md,
// "Who scores what"). The office may also give a target type one raw score out of 100.
// The special target type is the results of special assessments: each of its indicators'
// points name the licensed item they come from (no licence, no assessment), chosen from
// the items the indicator's lead leads or co-leads. Beside each indicator, what the unit's
// latest self-assessment says of it (view-self-assessment.js gives it).
import { api, listWithData } from './api.js';
import { h, clear, notice } from './dom.js';
import { indicators } from './adjust.js';

// lifecycle/<year>/<scheme>/<unit> → plan/<year>/<scheme>/<unit>
export const planIdOf = (lifecycleId) => lifecycleId.replace(/^lifecycle\//, 'plan/');

function recorded(scores, targetType) {
  const byId = new Map();
  const entry = (scores || {})[targetType];
  for (const s of (entry && entry.indicators) || []) byId.set(s.indicator_id, s);
  return { byId, raw: entry && entry.raw_score !== undefined ? entry : null };
}

function pointsInput(indicator, current) {
  const input = h('input', {
    type: 'number', min: 0, max: indicator.weight, step: '0.01', class: 'points',
    name: indicator.id, 'aria-label': indicator.name + ' 得分', dataset: { indicator: indicator.id },
  });
  if (current) input.value = input.dataset.recorded = String(current.points);
  return input;
}

const SPECIAL = 'special';
const ledBy = (item, unit) => item.data.lead === unit || (item.data.co_leads || []).includes(unit);

// The licensed special assessment an indicator's points come from: the items its lead
// leads or co-leads (for the office, every licensed item when the lead has none); the
// one recorded, or the only candidate, chosen.
function itemSelect(node, current, items) {
  const own = items.filter((i) => ledBy(i, node.lead_assessor));
  const candidates = own.length ? own : items;
  const chosen = current && current.registry_item ? current.registry_item : candidates.length === 1 ? candidates[0].id : '';
  const select = h('select', { class: 'registry-item', dataset: { itemFor: node.id, recorded: (current && current.registry_item) || '' },
    'aria-label': node.name + ' 依据的专项考核' },
  h('option', { value: '' }, candidates.length ? '请选择专项考核' : '没有可用的已许可专项考核'),
  candidates.map((i) => h('option', { value: i.id }, (i.data.name || i.id) + (i.data.licence ? '（' + i.data.licence.number + '）' : ''))));
  select.value = chosen;
  return select;
}

function typeSection(tt, scores, user, inputs, items, self) {
  const mine = indicators({ target_types: [tt] }).filter(({ node }) => user.role === 'office' || node.lead_assessor === user.unit);
  if (!mine.length) return null;
  const special = tt.id === SPECIAL;
  const { byId, raw } = recorded(scores, tt.id);
  const rows = mine.map(({ node, path }) => {
    const current = byId.get(node.id);
    const input = pointsInput(node, current);
    const item = special ? itemSelect(node, current, items) : null;
    inputs.push({ targetType: tt.id, input, item, name: node.name });
    return h('tr', {},
      h('td', {}, h('code', {}, node.id)),
      h('td', {}, path.slice(1).join(' › '), h('br'), h('strong', {}, node.name)),
      h('td', {}, node.target || ''),
      h('td', {}, node.lead_assessor || ''),
      h('td', { class: 'num' }, String(node.weight)),
      h('td', { class: 'num' }, input),
      special ? h('td', {}, item) : null,
      h('td', { class: 'muted' }, current ? current.recorded_by : ''),
      self.cell(self.byId.get(node.id)));
  });
  let rawInput = null;
  // A raw score of the special target type would need its own item; the sheet scores it
  // by indicator.
  if (user.role === 'office' && !special) {
    rawInput = h('input', { type: 'number', min: 0, max: 100, step: '0.01', class: 'points', dataset: { rawFor: tt.id },
      'aria-label': tt.name + ' 整体得分（百分制）' });
    if (raw) rawInput.value = rawInput.dataset.recorded = String(raw.raw_score);
    inputs.push({ targetType: tt.id, raw: rawInput });
  }
  return h('section', { class: 'score-type', dataset: { targetType: tt.id } },
    h('h3', {}, tt.name + '（' + tt.id + '）'),
    rawInput ? h('label', { class: 'inline' }, '整体得分（百分制，填写则不按指标计分）', rawInput) : null,
    h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, ['编号', '指标', '目标', '牵头考核单位', '分值', '得分', special ? '依据的专项考核' : null, '评分人',
        '单位自评' + (self.label ? '（' + self.label + '）' : '')].filter(Boolean).map((t) => h('th', {}, t)))),
      h('tbody', {}, rows)));
}

// Whether the box holds a score that was not recorded already (scores shown as they
// were recorded are not sent again, so they keep who recorded them).
const changed = (box) => box.value !== '' && box.value !== box.dataset.recorded;

// The payload from what was typed: a raw score for a type replaces its indicators. An
// indicator whose special assessment was changed is sent again with its points. Throws
// when a special indicator to be sent has no item chosen.
function payloadOf(inputs) {
  const types = new Map();
  for (const { targetType, input, raw, item, name } of inputs) {
    const t = types.get(targetType) || { target_type: targetType, indicators: [] };
    if (raw && changed(raw)) t.raw_score = Number(raw.value);
    const itemChanged = item && input.value !== '' && item.value !== item.dataset.recorded;
    if (input && (changed(input) || itemChanged)) {
      const score = { indicator_id: input.dataset.indicator, points: Number(input.value) };
      if (item) {
        if (!item.value) throw new Error('请为“' + name + '”选择其得分所依据的已许可专项考核（无证不考）。');
        score.registry_item = item.value;
      }
      t.indicators.push(score);
    }
    types.set(targetType, t);
  }
  const out = [];
  for (const t of types.values()) {
    if (t.raw_score !== undefined) out.push({ target_type: t.target_type, raw_score: t.raw_score, raw_max: 100 });
    else if (t.indicators.length) out.push({ target_type: t.target_type, indicators: t.indicators });
  }
  return { target_types: out };
}

// The form, or null when the plan has nothing this user may score. self: the unit's
// latest self-assessment, {label, byId: indicator id → entry, cell: entry → <td>}.
export async function scoreSheet(inst, user, reason, onDone, self) {
  const plan = await api.instance(planIdOf(inst.id));
  const versions = (plan.data && plan.data.versions) || [];
  const latest = versions[versions.length - 1];
  if (!latest) return notice('error', '该单位还没有印发的绩效计划。');
  const inputs = [];
  const items = latest.tree.target_types.some((tt) => tt.id === SPECIAL)
    ? (await listWithData({ type: 'special_assessment', state: 'licensed' }))
      .filter((i) => user.role !== 'lead_assessor' || ledBy(i, user.unit))
    : [];
  const sections = latest.tree.target_types.map((tt) => typeSection(tt, (inst.data || {}).scores, user, inputs, items, self)).filter(Boolean);
  if (!sections.length) return notice('info', '计划第 ' + latest.number + ' 版中没有由您的单位（' + user.unit + '）牵头考核的指标。');
  const status = h('div', { class: 'status-slot' });
  const form = h('form', { class: 'score-sheet', id: 'score-sheet' },
    h('p', { class: 'muted' }, '绩效计划第 ' + latest.number + ' 版。只提交新填或改动的得分；其余已记录的得分不变。'),
    sections,
    h('label', {}, '说明', reason),
    h('button', { type: 'submit' }, '提交评分'),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    let payload;
    try {
      payload = payloadOf(inputs);
    } catch (e) {
      return status.append(notice('error', e.message));
    }
    if (!payload.target_types.length) return status.append(notice('error', '没有新的或改动的得分。'));
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await api.command(inst.id, 'record_scores', { reason: reason.value.trim(), payload, version: inst.version });
      onDone(notice('ok', '评分已记录（' + payload.target_types.map((t) => t.target_type).join('、') + '）'));
    } catch (e) {
      button.disabled = false;
      status.append(notice('error', e.message));
    }
  });
  return form;
}
