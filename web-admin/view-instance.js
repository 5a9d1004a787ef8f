// One instance: where it stands, what the signed-in user may do to it now (from the
// command catalogue: the commands accepted in this state that this role may send), who
// else may act, and its history in the audit trail. Any workflow type works; yearly
// assessments also get their steps and key dates.
import { api, ApiError, unitNames, unitDirectory } from './api.js';
import { parseCsv, toCsv, planFromRows, planToRows, unitResolver, categoryPoints } from './plan-csv.js';
import { indicators } from './adjust.js';
import { h, clear, fill, notice, table, beijing } from './dom.js';
import { ROLE, STATE, STEP, COMMAND, LIFECYCLE_STEPS, label, stateLabel } from './labels.js';
import { stateChip } from './view-assessments.js';
import { scoreSheet, planIdOf } from './view-scoring.js';
import { instanceReplayer } from './patch.js';
import { adjustmentSheet } from './view-adjustment.js';
import { LEVEL, leadCell } from './view-registry.js';

const HISTORY_ROLES = ['office', 'auditor', 'admin'];

// A payload to start from: the schema's required members with empty values.
function skeleton(schema, data, depth = 0) {
  if (!schema || depth > 3) return {};
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'array') return [];
  if (type === 'string') return '';
  if (type === 'number' || type === 'integer') return 0;
  if (type === 'boolean') return false;
  if (type !== 'object') return {};
  const out = {};
  for (const name of schema.required || []) {
    const prop = (schema.properties || {})[name];
    out[name] = name === 'adjustment' ? lastAdjustment(data) : skeleton(prop, data, depth + 1);
  }
  return out;
}

function lastAdjustment(data) {
  const list = (data && data.adjustments) || [];
  const last = list[list.length - 1];
  return last && last.id ? last.id : '';
}

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

function facts(pairs) {
  return h('dl', { class: 'facts' },
    pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
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

function registryFacts(d, names) {
  const unit = (id) => (names.has(id) ? names.get(id) + '（' + id + '）' : id);
  return facts([
    ['名称', d.name], ['牵头单位', unit(d.lead)], ['配合单位', (d.co_leads || []).map(unit).join('，')],
    ['依据', d.basis], ['指标', (d.indicators || []).join('；')],
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

const ADJUSTMENT_STATUS = { requested: '已申请', first_reviewed: '牵头单位已初审', agreed: '绩效办已同意', approved: '领导已批准',
  filed: '已备案（计划已更新）', rejected: '已驳回' };
const FIELD = { name: '名称', weight: '分值', target: '目标值', lead_assessor: '牵头考核单位', data_provider: '数据提供单位', scoring_rule: '评分办法' };

// One operation of an adjustment in words, against the plan it would change (`tree`:
// the latest version while the request is open; after it was filed the values it
// replaced are in the version before, so only the new ones are said).
function describeOperation(op, tree, names) {
  const nodes = new Map();
  const walk = (n) => {
    nodes.set(n.id, n);
    (n.children || []).forEach(walk);
  };
  (tree ? tree.target_types : []).forEach(walk);
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
  const tree = versions.length ? versions[versions.length - 1].tree : null;
  return h('section', { id: 'adjustments' }, h('h2', {}, '指标调整申请'), list.map((a) => {
    const open = a.status !== 'filed' && a.status !== 'rejected';
    return h('div', { class: 'card', dataset: { adjustment: a.id } },
      h('p', {}, h('strong', {}, a.id), ' · ', ADJUSTMENT_STATUS[a.status] || a.status, ' · ',
        a.kind === 'new_task' ? '新增重大任务（' + a.document_received + ' 收到交办文件）' : '指标调整',
        ' · ', a.requested_by + '（' + label(ROLE, a.requested_role) + '）于 ' + a.requested_on, '：', a.reason),
      h('ul', { class: 'operations' }, ((a.change && a.change.operations) || []).map((op) => h('li', {}, describeOperation(op, open ? tree : null, names)))),
      (a.steps || []).length ? h('p', { class: 'muted' }, (a.steps || []).map((st) =>
        (ADJUSTMENT_STATUS[st.status] || st.status) + '：' + st.by + '（' + label(ROLE, st.role) + '）' + st.on + (st.reason ? '，' + st.reason : '')).join('；')) : null);
  }));
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

const MATCH_KIND = { licensed: '已许可项目', pending: '待审申请', comprehensive_indicator: '综合考评指标' };
const ABSORBABLE = ['submitted', 'returned'];
const SURVIVES = ['submitted', 'returned', 'approved', 'licensed'];
const itemIdOf = (id) => (id.startsWith('registry/') ? id : 'registry/item/' + id);

// The duplicate review attached when the application was submitted, match by match:
// similarity, the overlapping indicators, what the match is now. The office merges
// from here: this application into a match (the match survives), or a pending match
// into this one — merge is sent to the survivor with the other to absorb.
async function reviewSection(inst, user, catalogue, onDone) {
  const review = (inst.data || {}).review;
  const matches = review && Array.isArray(review.matches) ? review.matches : [];
  if (!matches.length) return null;
  const merge = catalogue.commands.find((c) => c.name === 'merge');
  const mayMerge = !!merge && merge.roles.includes(user.role);
  const [names, current] = await Promise.all([unitNames(),
    Promise.all(matches.map((m) => (m.kind === 'comprehensive_indicator' ? null : api.instance(itemIdOf(m.id)).catch(() => null))))]);
  const reason = h('input', { id: 'merge-reason', placeholder: '合并理由（必填）', size: 40 });
  const status = h('div', { class: 'status-slot' });
  const send = async (survivor, absorbed, button) => {
    clear(status);
    if (!reason.value.trim()) return status.append(notice('error', '请先填写合并理由。'));
    button.disabled = true;
    try {
      const target = await api.instance(survivor);
      const r = await api.command(survivor, 'merge', { reason: reason.value.trim(), payload: { absorb: [absorbed] }, version: target.version });
      onDone(notice('ok', '已合并：' + absorbed + ' 并入 ' + survivor + '（日志第 ' + r.event.seq + ' 条）'));
    } catch (e) {
      button.disabled = false;
      status.append(notice('error', e.message));
    }
  };
  const rows = matches.map((m, i) => {
    const item = current[i];
    const id = m.kind === 'comprehensive_indicator' ? null : itemIdOf(m.id);
    const buttons = [];
    if (mayMerge && item) {
      if (ABSORBABLE.includes(inst.state) && SURVIVES.includes(item.state)) {
        const b = h('button', { type: 'button', class: 'merge-into', dataset: { survivor: id } }, '本申请并入此项');
        b.addEventListener('click', () => send(id, inst.id, b));
        buttons.push(b);
      }
      if (SURVIVES.includes(inst.state) && ABSORBABLE.includes(item.state)) {
        const b = h('button', { type: 'button', class: 'absorb', dataset: { absorbed: id } }, '将此项并入本申请');
        b.addEventListener('click', () => send(inst.id, id, b));
        buttons.push(b);
      }
    }
    return h('tr', { class: 'level-' + m.level, dataset: { match: m.id } },
      h('td', {}, id ? h('a', { href: '#/i/' + encodeURIComponent(id) }, m.name) : m.name),
      leadCell(names, m.lead),
      h('td', {}, (MATCH_KIND[m.kind] || m.kind) + (item ? '（' + stateLabel(item.state, item.type) + '）' : '')),
      h('td', {}, LEVEL[m.level] || m.level),
      h('td', { class: 'num', title: '名称 ' + Number(m.name_score).toFixed(2) + ' · 指标 ' + Number(m.indicator_score).toFixed(2) }, Number(m.score).toFixed(2)),
      h('td', {}, (m.overlaps || []).map((x) => x.candidate + ' ≈ ' + x.existing).join('；')),
      mayMerge ? h('td', {}, buttons) : null);
  });
  return h('section', { id: 'review' }, h('h2', {}, '查重结果（报送时）'),
    h('p', { class: 'muted' }, '相似度 ≥ ' + review.likely_duplicate + ' 为疑似重复，≥ ' + review.needs_review + ' 需复核；批准疑似重复的申请需说明理由。'),
    table(['名称', '牵头单位', '类型（现状态）', '判断', '相似度', '相同或相近的指标', mayMerge ? '合并' : null].filter(Boolean), rows, { class: 'list' }),
    mayMerge ? h('div', { class: 'filters' }, reason) : null, status);
}

const MAX_BODY = 1024 * 1024; // the server refuses bodies over 1 MiB (413)

// Reads a local JSON file (e.g. a whole plan) into the payload box; a file that is not
// JSON leaves the box as it was.
async function loadFile(input, payload, status) {
  const f = input.files[0];
  input.value = ''; // choosing the same file again, after editing, loads it again
  if (!f) return;
  clear(status);
  if (f.size > MAX_BODY) return status.append(notice('error', f.name + ' 超过 1 MiB，服务器不会接受。'));
  try {
    const text = await f.text();
    JSON.parse(text);
    payload.value = text;
    status.append(notice('info', '已载入 ' + f.name + '（' + f.size + ' 字节），请核对后发送。'));
  } catch (e) {
    status.append(notice('error', f.name + ' 不是有效的 JSON：' + e.message));
  }
}

// A plan drafted in a spreadsheet (saved as CSV, one row per indicator; plan-csv.js)
// turned into the submit payload, for the clerk to check before sending. The cycle gives
// the year and target types, the unit directories the lead assessors' ids. A table with
// problems leaves the payload as it was and lists them.
async function loadPlanTable(input, inst, payload, status) {
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

// The form for one command: a reason, the payload as JSON, and the server's answer.
function commandForm(inst, cmd, onDone) {
  const reason = h('input', { name: 'reason', required: cmd.reason_required, placeholder: cmd.reason_required ? '必填：理由' : '理由（可选）' });
  const noPayload = !cmd.payload || !cmd.payload.properties || !Object.keys(cmd.payload.properties).length;
  const payload = h('textarea', { name: 'payload', rows: 4, spellcheck: 'false' });
  payload.value = JSON.stringify(skeleton(cmd.payload, inst.data), null, 2);
  const status = h('div', { class: 'status-slot' });
  const file = h('input', { type: 'file', name: 'payload-file', accept: '.json,application/json' });
  file.addEventListener('change', () => loadFile(file, payload, status));
  // A unit's plan is drafted in a spreadsheet more often than in JSON.
  let table = null;
  if (inst.type === 'lifecycle' && cmd.name === 'submit') {
    table = h('input', { type: 'file', name: 'plan-table', accept: '.csv,text/csv' });
    table.addEventListener('change', () => loadPlanTable(table, inst, payload, status));
  }
  const form = h('form', { class: 'command', dataset: { command: cmd.name } },
    h('p', { class: 'muted' }, cmd.summary),
    h('label', {}, '理由', reason),
    noPayload ? null : [h('label', {}, '内容（JSON）', payload), h('label', { class: 'file' }, '从文件载入…', file)],
    table ? h('label', { class: 'file' }, '从表格（CSV）载入绩效计划…', table,
      h('span', { class: 'hint' }, '列：' + ['目标类型', '一级指标', '二级指标', '三级指标', '具体指标', '分值', '目标值', '牵头考核单位', '数据提供单位（可选）', '评分办法（可选）'].join('、') +
        '；合并的单元格可留空。')) : null,
    h('button', { type: 'submit' }, label(COMMAND, cmd.name)),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    let body;
    if (!noPayload) {
      try {
        body = JSON.parse(payload.value || '{}');
      } catch (e) {
        return status.append(notice('error', '内容不是有效的 JSON：' + e.message));
      }
    }
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const r = await api.command(inst.id, cmd.name, { reason: reason.value.trim(), payload: body, version: inst.version });
      onDone(notice('ok', '已执行“' + label(COMMAND, cmd.name) + '”：现为“' + stateLabel(r.instance.state, inst.type) +
        '”（日志第 ' + r.event.seq + ' 条）'));
    } catch (e) {
      button.disabled = false;
      if (e instanceof ApiError && e.status === 409) {
        return onDone(notice('error', '该记录已被他人修改，已重新载入，请核对后再操作。'));
      }
      status.append(notice('error', e.message));
    }
  });
  return h('details', { class: 'action' }, h('summary', {}, label(COMMAND, cmd.name), h('code', {}, cmd.name)), form);
}

// The score sheet, loaded when first opened (it reads the unit's plan).
// A sheet that stands for a command's generic form (kept below it for payloads typed
// by hand), built when first opened.
function sheetAction(id, summary, build) {
  const body = h('div', {}, h('p', { class: 'muted' }, '加载中…'));
  const details = h('details', { class: 'action', id }, h('summary', {}, summary), body);
  let loaded = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || loaded) return;
    loaded = true;
    try {
      fill(body, await build());
    } catch (e) {
      fill(body, notice('error', e.message));
    }
  });
  return details;
}

const SHEETS = {
  record_scores: (inst, user, onDone) => sheetAction('score-sheet-action', '评分表（按指标录入评分）',
    () => scoreSheet(inst, user, h('input', { name: 'reason', placeholder: '说明（可选）' }), onDone)),
  request_adjustment: (inst, user, onDone) => sheetAction('adjustment-sheet-action', '指标调整申请表（在计划上修改、删除或新增指标）',
    () => adjustmentSheet(inst, user, onDone)),
};

function actions(inst, catalogue, user, onDone) {
  const now = catalogue.commands.filter((c) => !c.system && c.states.includes(inst.state));
  const mine = now.filter((c) => c.roles.includes(user.role));
  const others = now.filter((c) => !c.roles.includes(user.role));
  return h('section', { id: 'actions', dataset: { instance: inst.id } },
    h('h2', {}, '您现在可以'),
    mine.length ? mine.map((c) => [
      inst.type === 'lifecycle' && SHEETS[c.name] ? SHEETS[c.name](inst, user, onDone) : null,
      commandForm(inst, c, onDone)])
      : h('p', { class: 'muted', id: 'no-actions' }, '在当前状态下，您的角色（' + label(ROLE, user.role) + '）没有可执行的操作。'),
    others.length ? h('p', { class: 'muted', id: 'others' }, '其他角色可以：',
      others.map((c) => label(COMMAND, c.name) + '（' + c.roles.map((r) => label(ROLE, r)).join('、') + '）').join('；')) : null);
}

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
function changeCell(step) {
  if (!step) return h('td');
  const state = step.created ? '新建为“' + label(STATE, step.to) + '”'
    : step.from !== step.to ? label(STATE, step.from) + ' → ' + label(STATE, step.to) : '状态不变';
  const rows = step.diffs.map((d) => h('tr', {}, h('td', {}, h('code', {}, d.path)), h('td', {}, shown(d.before)), h('td', {}, shown(d.after))));
  return h('td', {}, h('details', { class: 'change', dataset: { version: step.version } },
    h('summary', {}, state + ' · 第 ' + step.version + ' 版 · ' + step.diffs.length + ' 处'),
    step.gap ? h('p', { class: 'muted' }, '之前的记录不在此页，只列出之后的值。') : null,
    h('table', { class: 'diff' }, h('thead', {}, h('tr', {}, h('th', {}, '字段'), h('th', {}, '之前'), h('th', {}, '之后'))), h('tbody', {}, rows))));
}

// The instance's whole history from the audit trail, oldest first, a page at a time, each
// accepted change with its fields before and after.
async function history(id, user) {
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
        changeCell(e.outcome === 'accepted' ? replay(e) : null),
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

// What a lifecycle's page shows above its commands: its steps and facts, the result,
// an appeal, the adjustments asked for, the plan to export.
async function lifecycleSections(inst) {
  const [plan, names] = await Promise.all([api.instance(planIdOf(inst.id)).catch(() => null), unitNames()]);
  return [stepsBar(inst.state), lifecycleFacts(inst.data || {}), await resultSection(inst, plan), appealSection(inst),
    adjustmentsSection(inst, plan, names), await planExport(inst, plan, names)];
}

export async function instanceView(slot, user, id, flash) {
  let inst;
  try {
    inst = await api.instance(id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      return fill(slot, notice('error', '没有 ' + id + '，或您无权查看。'), h('a', { href: '#/' }, '返回'));
    }
    throw e;
  }
  const catalogue = await api.workflow(inst.type);
  const reload = (message) => instanceView(slot, user, id, message);
  const d = inst.data || {};
  fill(slot,
    h('p', {}, h('a', { href: inst.type === 'special_assessment' ? '#/registry' : '#/assessments' }, '← 返回列表')),
    h('h1', {}, d.unit_name || d.name || inst.id, ' ', stateChip(inst.state, inst.type)),
    h('p', { class: 'muted' }, h('code', {}, inst.id), ' · 版本 ' + inst.version + ' · 更新于 ' + beijing(inst.updated_at)),
    flash || null,
    inst.type === 'lifecycle' ? await lifecycleSections(inst) : null,
    inst.type === 'special_assessment' ? [registryFacts(d, await unitNames()), await reviewSection(inst, user, catalogue, reload)] : null,
    actions(inst, catalogue, user, reload),
    await history(inst.id, user),
    h('details', { class: 'raw' }, h('summary', {}, '全部数据（JSON）'), h('pre', {}, JSON.stringify(d, null, 2))));
}
