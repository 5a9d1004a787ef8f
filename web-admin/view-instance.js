// One instance: where it stands, what the signed-in user may do to it now (from the
// command catalogue: the commands accepted in this state that this role may send), who
// else may act, and its history in the audit trail. Any workflow type works; yearly
// assessments also get their steps and key dates.
import { api, ApiError } from './api.js';
import { h, clear, fill, notice, beijing } from './dom.js';
import { ROLE, COMMAND, label, stateLabel } from './labels.js';
import { stateChip } from './view-assessments.js';
import { scoreSheet } from './view-scoring.js';
import { adjustmentSheet } from './view-adjustment.js';
import { selfAssessmentSheet, latestReport } from './view-self-assessment.js';
import { registrySections } from './view-registry.js';
import { lifecycleSections, loadPlanTable } from './view-lifecycle.js';
import { history } from './view-history.js';
import { cycleSections } from './view-cycle.js';

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
    async () => scoreSheet(inst, user, h('input', { name: 'reason', placeholder: '说明（可选）' }), onDone, await latestReport(inst))),
  request_adjustment: (inst, user, onDone) => sheetAction('adjustment-sheet-action', '指标调整申请表（在计划上修改、删除或新增指标）',
    () => adjustmentSheet(inst, user, onDone)),
  submit_self_assessment: (inst, user, onDone) => sheetAction('self-assessment-sheet-action', '自评表（逐项填报完成情况和佐证）',
    () => selfAssessmentSheet(inst, onDone)),
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
    inst.type === 'lifecycle' ? await lifecycleSections(inst, user) : null,
    inst.type === 'special_assessment' ? await registrySections(inst, user, catalogue, reload) : null,
    inst.type === 'cycle' ? await cycleSections(inst, user) : null,
    actions(inst, catalogue, user, reload),
    await history(inst.id, user),
    h('details', { class: 'raw' }, h('summary', {}, '全部数据（JSON）'), h('pre', {}, JSON.stringify(d, null, 2))));
}
