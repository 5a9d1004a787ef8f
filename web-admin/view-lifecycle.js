// A yearly assessment's page, above its commands: the lifecycle's steps and key dates,
// the result and how it came about, an appeal, the adjustments asked for, the mid-year
// check's findings and their rectification (rectify.js), the unit's self-assessment
// report (view-self-assessment.js), the plan to export; and the submit form's reader of
// plans drafted in a spreadsheet.
import { api, unitNames, unitDirectory } from './api.js';
import { parseCsv, toCsv, planFromRows, planToRows, unitResolver, categoryPoints } from './plan-csv.js';
import { indicators, nodesById } from './adjust.js';
import { h, clear, notice, table, facts, beijingToday } from './dom.js';
import { ROLE, STATE, STEP, LIFECYCLE_STEPS, ADJUSTMENT_STATUS, label } from './labels.js';
import { planIdOf } from './view-scoring.js';
import { selfAssessmentSection } from './view-self-assessment.js';
import { rectificationView } from './rectify.js';

// Side states sit at the step they branch from: a returned plan is drafted again, an
// appeal is decided while the result stands published.
const SIDE = { returned: 'drafting', appealed: 'published', decided: 'published' };

function stepsBar(state) {
  const at = LIFECYCLE_STEPS.indexOf(SIDE[state] || state);
  return h('ol', { class: 'steps', 'aria-label': '考评流程' },
    LIFECYCLE_STEPS.map((s, i) => h('li', {
      class: i < at ? 'done' : i === at ? 'current' : '',
      'aria-current': i === at ? 'step' : undefined,
    }, label(STATE, s), i === at && SIDE[state] ? '（' + label(STATE, state) + '）' : '')));
}

function lifecycleFacts(d) {
  const late = (d.late_steps || []).map((s) => label(STEP, s.step) + '（' + s.working_days_late + '个工作日）').join('，');
  const win = d.appeal_window;
  return facts([
    ['单位', (d.unit_name || '') + (d.unit ? '（' + d.unit + '）' : '')],
    ['考评周期', d.cycle ? h('a', { href: '#/i/' + encodeURIComponent(d.cycle) }, d.cycle) : ''], ['类别', d.category],
    ['计划版本', d.plan_version ? 'v' + d.plan_version : ''],
    ['报送', d.submitted_on], ['审定', d.approved_on], ['印发', d.issued_on],
    ['逾期', (d.overdue || []).map((s) => label(STEP, s) + (d.overdue_since && d.overdue_since[s] ? '（自' + d.overdue_since[s] + '）' : '')).join('，')], ['逾期完成', late],
    ['总分', d.total !== undefined ? Number(d.total).toFixed(2) : ''],
    ['等次', d.grade ? (d.grade.grade_name || d.grade.grade) + (d.grade.rank ? '（第' + d.grade.rank + '名 / ' + d.grade.category_size + '）' : '') : ''],
    ['公示', d.published_on],
    ['复核期', win ? win.received + ' 至 ' + win.closes + '（' + win.working_days + '个工作日）' : ''],
    ['审定（领导小组）', d.ratified_on], ['归档', d.archived_on],
  ]);
}

// The result as the unit reads it before deciding whether to appeal: each target type's
// points against what it is worth in the category, and how they came about — a score
// for the whole type, or each indicator's points, who recorded them and (for special
// assessments) from which licensed item.
async function resultSection(inst, plan) {
  const d = inst.data || {};
  if (!d.target_type_points || !d.scores) return null;
  const cycle = await api.instance(d.cycle).catch(() => null);
  const cfg = (cycle && cycle.data && cycle.data.config) || {};
  const worth = categoryPoints(cfg, d.category);
  const versions = (plan && plan.data && plan.data.versions) || [];
  const tree = versions.length ? versions[versions.length - 1].tree : { target_types: [] };
  const leaves = new Map(indicators(tree).map((i) => [i.node.id, i.node]));
  const typeName = (id) => ((cfg.target_types || []).find((t) => t.id === id) || { name: id }).name;
  const rows = Object.entries(d.target_type_points).map(([type, points]) => {
    const score = d.scores[type] || {};
    let how;
    if (score.raw_score !== undefined) {
      how = '整体评分 ' + score.raw_score + ' / ' + (score.raw_max || 100) + (score.recorded_by ? '（' + score.recorded_by + '）' : '');
    } else {
      const list = score.indicators || [];
      how = h('details', { class: 'change' }, h('summary', {}, list.length + ' 个指标'),
        table(['指标', '分值', '得分', '评分人', '依据的专项考核'], list.map((x) => {
          const leaf = leaves.get(x.indicator_id);
          return h('tr', { dataset: { indicator: x.indicator_id } },
            h('td', {}, leaf ? leaf.name : '', ' ', h('code', {}, x.indicator_id)),
            h('td', { class: 'num' }, leaf ? String(leaf.weight) : ''), h('td', { class: 'num' }, String(x.points)),
            h('td', {}, x.recorded_by || ''), h('td', {}, x.registry_item ? h('a', { href: '#/i/' + encodeURIComponent(x.registry_item) }, x.registry_item) : ''));
        }), { class: 'diff' }));
    }
    return h('tr', { dataset: { targetType: type } }, h('td', {}, typeName(type)),
      h('td', { class: 'num' }, worth.has(type) ? String(worth.get(type)) : ''), h('td', { class: 'num' }, Number(points).toFixed(2)), h('td', {}, how));
  });
  return h('section', { id: 'result' }, h('h2', {}, '考评得分'),
    table(['目标类型', '满分', '得分', '评分情况'], rows, { class: 'list' }),
    h('p', {}, '总分 ', h('strong', {}, Number(d.total).toFixed(2)), d.appeal_window ? '；复核申请期至 ' + d.appeal_window.closes + '（收到结果后 ' + d.appeal_window.working_days + ' 个工作日内）' : ''));
}

const FIELD = { name: '名称', weight: '分值', target: '目标值', lead_assessor: '牵头考核单位', data_provider: '数据提供单位', scoring_rule: '评分办法' };

// One operation of an adjustment in words, against the plan it would change (`nodes`:
// the latest version while the request is open; after it was filed the values it
// replaced are in the version before, so only the new ones are said).
function describeOperation(op, nodes, names) {
  const unit = (id) => names.get(id) || id;
  const show = (field, v) => (field === 'lead_assessor' || field === 'data_provider' ? unit(v) : String(v));
  const node = nodes.get(op.id || op.parent_id);
  const named = (id) => (nodes.get(id) ? '“' + nodes.get(id).name + '”（' + id + '）' : id);
  if (op.op === 'add') {
    const n = op.node || {};
    return '新增 “' + n.name + '”（' + n.id + '，' + n.weight + ' 分，牵头：' + unit(n.lead_assessor) + '）于 ' + named(op.parent_id);
  }
  if (op.op === 'remove') return '删除 ' + named(op.id) + (node && node.weight !== undefined ? '（' + node.weight + ' 分）' : '');
  const changes = Object.keys(FIELD).filter((f) => f in op)
    .map((f) => FIELD[f] + ' ' + (node && node[f] !== undefined && node[f] !== op[f] ? show(f, node[f]) + ' → ' : '→ ') + show(f, op[f]));
  return '修改 ' + named(op.id) + '：' + changes.join('；');
}

// The indicator adjustments asked for on this assessment, each with its operations in
// words and the steps it went through: what the office and the leader decide on.
function adjustmentsSection(inst, plan, names) {
  const list = (inst.data || {}).adjustments || [];
  if (!list.length) return null;
  const versions = (plan && plan.data && plan.data.versions) || [];
  const nodes = nodesById(versions.length ? versions[versions.length - 1].tree : null);
  return h('section', { id: 'adjustments' }, h('h2', {}, '指标调整申请'), list.map((a) => {
    const open = a.status !== 'filed' && a.status !== 'rejected';
    return h('div', { class: 'card', dataset: { adjustment: a.id } },
      h('p', {}, h('strong', {}, a.id), ' · ', ADJUSTMENT_STATUS[a.status] || a.status, ' · ',
        a.kind === 'new_task' ? '新增重大任务（' + a.document_received + ' 收到交办文件）' : '指标调整',
        ' · ', a.requested_by + '（' + label(ROLE, a.requested_role) + '）于 ' + a.requested_on, '：', a.reason),
      h('ul', { class: 'operations' }, ((a.change && a.change.operations) || []).map((op) => h('li', {}, describeOperation(op, open ? nodes : new Map(), names)))),
      (a.steps || []).length ? h('p', { class: 'muted' }, (a.steps || []).map((st) =>
        (ADJUSTMENT_STATUS[st.status] || st.status) + '：' + st.by + '（' + label(ROLE, st.role) + '）' + st.on + (st.reason ? '，' + st.reason : '')).join('；')) : null);
  }));
}

// The mid-year check (中期核验): each check the office recorded, and each finding's
// rectification (整改) — its indicator by name, its deadline (marked when passed with the
// item still open), its status and what was done: what the unit reports on and the
// office closes or sends back (report_rectification, close_rectification,
// reopen_rectification below, by payload.item).
function rectificationSection(inst, plan) {
  const v = rectificationView(inst.data, beijingToday());
  if (!v.checks.length) return null;
  const versions = (plan && plan.data && plan.data.versions) || [];
  const nodes = nodesById(versions.length ? versions[versions.length - 1].tree : null);
  const indicator = (id) => (id ? (nodes.get(id) ? nodes.get(id).name + '（' + id + '）' : id) : '');
  return h('section', { id: 'rectifications' }, h('h2', {}, '中期核验与整改'),
    h('ul', {}, v.checks.map((c) => h('li', {}, c.text))),
    v.items.length ? [h('p', { id: 'rectification-summary' }, v.summary),
      table(['编号', '问题', '指标', '整改期限', '状态', '办理经过'], v.items.map((i) => h('tr', { dataset: { item: i.id } },
        h('td', { class: 'nowrap' }, h('code', {}, i.id)), h('td', {}, i.finding), h('td', {}, indicator(i.indicator)),
        h('td', { class: 'nowrap' }, i.rectifyBy, i.overdue ? [' ', h('span', { class: 'chip urgency-overdue', title: i.overdueSince ? '自 ' + i.overdueSince + ' 起逾期' : '' }, '已逾期')] : ''),
        h('td', { class: 'nowrap' }, i.statusText), h('td', {}, i.steps.length ? h('ol', {}, i.steps.map((st) => h('li', {}, st))) : ''))))] : null);
}

// An appeal (复核申请): the unit's reasons and evidence, and the office's decision.
function appealSection(inst) {
  const a = (inst.data || {}).appeal;
  if (!a) return null;
  const decision = { upheld: '复核成立：重新评分', rejected: '复核不成立：维持原结果' }[a.decision];
  return h('section', { id: 'appeal', class: 'card' }, h('h2', {}, '复核申请'),
    facts([['提出', a.filed_on + '，' + a.by], ['理由', a.reasons],
      ['证据', h('ul', {}, (a.evidence || []).map((e) => h('li', {}, typeof e === 'string' ? e : JSON.stringify(e))))],
      ['决定', decision ? decision + '（' + a.decided_by + (a.decision_reason ? '：' + a.decision_reason : '') + '）' : '待绩效办决定'],
      ['原总分', a.previous_total !== undefined ? Number(a.previous_total).toFixed(2) : '']]));
}

// A plan drafted in a spreadsheet (saved as CSV, one row per indicator; plan-csv.js)
// turned into the submit payload, for the clerk to check before sending. The cycle gives
// the year and target types, the unit directories the lead assessors' ids. A table with
// problems leaves the payload as it was and lists them.
export async function loadPlanTable(input, inst, payload, status) {
  const f = input.files[0];
  input.value = '';
  if (!f) return;
  clear(status);
  try {
    const d = inst.data || {};
    const [cycle, units] = await Promise.all([api.instance(d.cycle), unitDirectory()]);
    const cfg = (cycle.data && cycle.data.config) || {};
    const { plan, problems, summary } = planFromRows(parseCsv(await f.text()), {
      year: cfg.year, unitId: d.unit, categoryId: d.category,
      targetTypes: cfg.target_types || [], resolveUnit: unitResolver(units), points: categoryPoints(cfg, d.category),
    });
    if (!plan) {
      return status.append(notice('error', f.name + ' 有 ' + problems.length + ' 处问题，未载入：',
        h('ul', {}, problems.slice(0, 12).map((p) => h('li', {}, p))), problems.length > 12 ? '另有 ' + (problems.length - 12) + ' 处。' : null));
    }
    payload.value = JSON.stringify({ plan }, null, 2);
    status.append(notice('info', '已从 ' + f.name + ' 载入绩效计划：' + summary.indicators + ' 个指标，合计 ' + summary.points + ' 分（' +
      summary.byType.map((t) => t.name + ' ' + t.points).join('，') + '）。请核对后报送。'));
  } catch (e) {
    status.append(notice('error', f.name + '：' + e.message));
  }
}

// The latest issued version of the assessment's plan as a table (CSV), units by name:
// for reading in a spreadsheet, and for drafting next year's plan from it.
async function planExport(inst, plan, names) {
  const versions = (plan && plan.data && plan.data.versions) || [];
  const latest = versions[versions.length - 1];
  if (!latest) return null;
  const text = toCsv(planToRows(latest.tree, (t) => t.name || t.id, (id) => names.get(id) || id));
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const file = (inst.data.unit || 'plan') + '-plan-v' + latest.number + '.csv';
  return h('p', {}, h('a', { id: 'plan-csv', href: url, download: file }, '导出绩效计划第 ' + latest.number + ' 版（CSV）'));
}

// What a lifecycle's page shows above its commands: its steps and facts, the result,
// an appeal, the adjustments asked for, the mid-year check and its rectification, the
// self-assessment report, the plan to export.
export async function lifecycleSections(inst, user) {
  const [plan, names] = await Promise.all([api.instance(planIdOf(inst.id)).catch(() => null), unitNames()]);
  return [stepsBar(inst.state), lifecycleFacts(inst.data || {}), await resultSection(inst, plan), appealSection(inst),
    adjustmentsSection(inst, plan, names), rectificationSection(inst, plan), await selfAssessmentSection(inst, plan, names, user), await planExport(inst, plan, names)];
}
