// The adjustment sheet (指标调整申请) for request_adjustment: the indicators of the unit's
// plan (its latest version) with their fields editable, a box to drop each, and rows for
// new indicators under a level-3 item; the points per target type before and after as
// they are typed. Only what changed is sent, as the change's operations (adjust.js);
// an adjustment in the filing window, or a new major task with the day its assigning
// document was received (docs/lifecycle.md).
import { api, unitDirectory } from './api.js';
import { h, clear, notice } from './dom.js';
import { indicators, level3Items, buildAdjustment } from './adjust.js';
import { unitResolver } from './plan-csv.js';
import { planIdOf } from './view-scoring.js';

const text = (name, value, attrs = {}) => h('input', { name, value: value === undefined ? '' : String(value), ...attrs });

export async function adjustmentSheet(inst, user, onDone) {
  const plan = await api.instance(planIdOf(inst.id));
  const versions = (plan.data && plan.data.versions) || [];
  const latest = versions[versions.length - 1];
  if (!latest) return notice('error', '该单位还没有印发的绩效计划。');
  const tree = latest.tree;
  const units = await unitDirectory();
  const resolve = unitResolver(units);
  const nameOf = new Map(units.map((u) => [u.id, u.name]));
  const unitList = h('datalist', { id: 'adjust-units' }, units.map((u) => h('option', { value: u.name }, u.id)));

  // A lead assessor asks about the indicators it leads (the server refuses the others).
  const lead = user.role === 'lead_assessor' ? user.unit : null;
  const rows = indicators(tree).filter(({ node }) => !lead || node.lead_assessor === lead).map(({ node, path }) => {
    const inputs = {
      name: text('name', node.name),
      weight: text('weight', node.weight, { type: 'number', min: 0, step: 'any', class: 'points' }),
      target: text('target', node.target),
      lead_assessor: text('lead_assessor', nameOf.get(node.lead_assessor) || node.lead_assessor, { list: 'adjust-units' }),
      scoring_rule: text('scoring_rule', node.scoring_rule || ''),
    };
    const drop = h('input', { type: 'checkbox', name: 'remove', 'aria-label': '删除 ' + node.name });
    return { node, inputs, drop, tr: h('tr', { dataset: { indicator: node.id } },
      h('td', {}, h('code', {}, node.id)), h('td', { class: 'muted' }, path.slice(1).join(' › ')),
      h('td', {}, inputs.name), h('td', { class: 'num' }, inputs.weight), h('td', {}, inputs.target),
      h('td', {}, inputs.lead_assessor), h('td', {}, inputs.scoring_rule), h('td', {}, drop)) };
  });

  const parents = level3Items(tree);
  const added = [];
  const addedBody = h('tbody');
  const addRow = () => {
    const parent = h('select', { name: 'parent_id' }, h('option', { value: '' }, '所属三级指标…'),
      parents.map((p) => h('option', { value: p.node.id }, p.path.join(' › '))));
    const inputs = { parent, name: text('name', ''), weight: text('weight', '', { type: 'number', min: 0, step: 'any', class: 'points' }),
      target: text('target', ''), lead_assessor: text('lead_assessor', lead ? nameOf.get(lead) || lead : '', { list: 'adjust-units', readonly: !!lead }),
      scoring_rule: text('scoring_rule', '') };
    added.push(inputs);
    addedBody.append(h('tr', { class: 'new-indicator' }, Object.values(inputs).map((i) => h('td', {}, i))));
    totals();
  };

  const totalsBox = h('p', { id: 'adjust-totals', class: 'muted' });
  const number = (input) => (input.value.trim() === '' ? NaN : Number(input.value));
  // The adjustment as typed; lead assessors by name or id.
  const collect = () => {
    const edits = {};
    const removals = [];
    for (const { node, inputs, drop } of rows) {
      if (drop.checked) {
        removals.push(node.id);
        continue;
      }
      const changed = {};
      if (inputs.name.value.trim() !== node.name) changed.name = inputs.name.value;
      if (number(inputs.weight) !== node.weight) changed.weight = number(inputs.weight);
      if (inputs.target.value.trim() !== node.target) changed.target = inputs.target.value;
      const lead = resolve(inputs.lead_assessor.value) || inputs.lead_assessor.value.trim();
      if (lead !== node.lead_assessor) changed.lead_assessor = lead;
      if (inputs.scoring_rule.value.trim() !== (node.scoring_rule || '')) changed.scoring_rule = inputs.scoring_rule.value;
      if (Object.keys(changed).length) edits[node.id] = changed;
    }
    const additions = added.map((a) => ({
      parent_id: a.parent.value, name: a.name.value, weight: number(a.weight), target: a.target.value,
      lead_assessor: resolve(a.lead_assessor.value) || '', scoring_rule: a.scoring_rule.value,
    }));
    return { edits, removals, additions };
  };
  const unknownLeads = () => [...rows.filter((r) => !r.drop.checked).map((r) => r.inputs.lead_assessor), ...added.map((a) => a.lead_assessor)]
    .map((i) => i.value.trim()).filter((v) => v && !resolve(v));
  function totals() {
    const r = buildAdjustment(tree, collect());
    totalsBox.textContent = '各目标类型分值（调整前 → 调整后）：' + r.totals.map((t) => t.name + ' ' + t.before + ' → ' + t.after).join('；');
  }

  const kind = h('select', { name: 'kind' }, h('option', { value: 'adjust' }, '指标调整（在调整申报期内）'),
    h('option', { value: 'new_task' }, '新增重大任务（收到交办文件后规定工作日内）'));
  const received = h('input', { type: 'date', name: 'document_received' });
  const receivedBox = h('label', { hidden: true }, '交办文件收到日期', received);
  kind.addEventListener('change', () => {
    receivedBox.hidden = kind.value !== 'new_task';
    received.required = kind.value === 'new_task';
  });
  const reason = h('input', { name: 'reason', required: true, placeholder: '必填：调整理由' });
  const status = h('div', { class: 'status-slot' });
  const form = h('form', { id: 'adjustment-sheet', class: 'adjustment-sheet' },
    h('p', { class: 'muted' }, '绩效计划第 ' + latest.number + ' 版。改动的字段、勾选删除的指标和新增的指标作为一项调整申请报送；同一目标类型内的分值须增减平衡。'),
    unitList,
    h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, ['编号', '所属', '指标', '分值', '目标值', '牵头考核单位', '评分办法', '删除'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.map((r) => r.tr))),
    h('h3', {}, '新增指标'),
    h('table', { class: 'list', id: 'adjust-new' },
      h('thead', {}, h('tr', {}, ['所属三级指标', '指标', '分值', '目标值', '牵头考核单位', '评分办法'].map((t) => h('th', {}, t)))), addedBody),
    h('button', { type: 'button', id: 'adjust-add-row', onclick: addRow }, '添加一行'),
    totalsBox,
    h('div', { class: 'grid-form' }, h('label', {}, '类型', kind), receivedBox),
    h('label', {}, '理由', reason),
    h('button', { type: 'submit' }, '报送调整申请'),
    status);
  form.addEventListener('input', totals);
  totals();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    const unknown = unknownLeads();
    const r = buildAdjustment(tree, collect());
    const problems = [...unknown.map((v) => '牵头考核单位“' + v + '”不在单位目录中'), ...r.problems];
    if (problems.length) return status.append(notice('error', '未报送：', h('ul', {}, problems.map((p) => h('li', {}, p)))));
    const payload = { change: { operations: r.operations }, kind: kind.value };
    if (kind.value === 'new_task') payload.document_received = received.value;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const done = await api.command(inst.id, 'request_adjustment', { reason: reason.value.trim(), payload, version: inst.version });
      onDone(notice('ok', '调整申请已报送（' + (done.result && done.result.adjustment ? done.result.adjustment : '') + '，' +
        r.operations.length + ' 项变动），等待审核。'));
    } catch (e) {
      button.disabled = false;
      status.append(notice('error', e.message));
    }
  });
  return form;
}
