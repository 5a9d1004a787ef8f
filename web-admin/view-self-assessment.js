// The self-assessment on a yearly assessment's page (self-assessment.js holds its rules):
// the unit's 自评表 for submit_self_assessment — every indicator of the plan in force, a
// 已完成 box, the evidence one piece per line and a note, started from the last
// submission, the items the audit sent back marked and listed first, checked as the
// server checks it before anything is sent — and the 自评报告 as everyone who may see it
// reads it, every submission kept (self_assessment/<year>/<scheme>/<unit>).
import { api, ApiError, unitNames, signedInAs } from './api.js';
import { h, clear, notice, facts } from './dom.js';
import { stateLabel } from './labels.js';
import { planIdOf } from './view-scoring.js';
import { nodesById } from './adjust.js';
import {
  recordIdOf, submissionsOf, submissionLabel, currentSendBack, sheetRows, buildReport, reportRows, reportCounts, evidenceLines,
} from './self-assessment.js';

// The record of the assessment's submissions, or null when there is none yet (or the
// user may not read it). Every submission and send-back moves the assessment's version
// too, so the record read for one version of the page serves all its sections and
// sheets (the 自评报告 section, the score sheet, the 自评表) for the user signed in:
// fetched once, not three times.
let lastRecord = { key: '', record: null };
export function selfAssessmentRecord(inst) {
  if (!(inst.data || {}).self_assessment) return Promise.resolve(null);
  const key = signedInAs() + ':' + inst.id + '@' + inst.version;
  if (lastRecord.key !== key) {
    lastRecord = { key, record: api.instance(recordIdOf(inst)).catch(() => null) };
  }
  return lastRecord.record;
}

const latestTree = (plan) => {
  const versions = (plan && plan.data && plan.data.versions) || [];
  return versions.length ? versions[versions.length - 1] : null;
};

// A send_back as a line: when, who, why, which items (by name where the plan has them:
// nodes is nodesById of the plan in force).
function sendBackText(s, nodes) {
  const item = (i) => {
    const id = (typeof i === 'string' ? i : i && i.indicator_id) || '';
    const node = nodes.get(id);
    return (node ? '“' + node.name + '”' : '') + '（' + id + (i && i.note ? '：' + i.note : '') + '）';
  };
  return '退回补正 ' + (s.on || '') + '（' + (s.by || '') + '）：' + (s.reason || '') + '；退回的指标：' + (s.items || []).map(item).join('、');
}

// ---- the sheet (the unit, in self_assessing) ---------------------------------------

function sheetRow(row, names) {
  const { node, entry, sentBack } = row;
  const completed = h('input', { type: 'checkbox', name: 'completed', 'aria-label': node.name + ' 已完成' });
  completed.checked = entry.completed;
  const evidence = h('textarea', { name: 'evidence', rows: 2, 'aria-label': node.name + ' 佐证（每行一项）' });
  evidence.value = entry.evidence.join('\n');
  const note = h('textarea', { name: 'note', rows: 2, 'aria-label': node.name + ' 说明' });
  note.value = entry.note;
  const tr = h('tr', { class: sentBack ? 'sent-back' : null, dataset: { indicator: row.id } },
    h('td', { class: 'muted' }, [row.type.name, ...row.path].join(' › ')),
    h('td', {}, h('strong', {}, node.name), h('code', {}, row.id),
      sentBack ? h('div', { class: 'sent-back-mark' }, '退回修改' + (sentBack.note ? '：' + sentBack.note : '') +
        (sentBack.item !== row.id ? '（随“' + sentBack.item + '”退回）' : '')) : null),
    h('td', {}, node.target || ''),
    h('td', { class: 'num' }, node.weight === undefined ? '' : String(node.weight)),
    h('td', {}, names.get(node.lead_assessor) || node.lead_assessor || ''),
    h('td', { class: 'check' }, completed),
    h('td', {}, evidence),
    h('td', {}, note));
  return { id: row.id, tr, completed, evidence, note };
}

// The form, or a notice when the plan is missing.
export async function selfAssessmentSheet(inst, onDone) {
  const [plan, record, names] = await Promise.all([api.instance(planIdOf(inst.id)), selfAssessmentRecord(inst), unitNames()]);
  const latest = latestTree(plan);
  if (!latest) return notice('error', '该单位还没有印发的绩效计划。');
  const submissions = submissionsOf(record, inst.data);
  const last = submissions[submissions.length - 1];
  const sendBack = currentSendBack(inst);
  const rows = sheetRows(latest.tree, last ? last.report : null, sendBack).map((r) => sheetRow(r, names));
  const marked = rows.filter((r) => r.tr.classList.contains('sent-back')).length;

  const answers = () => Object.fromEntries(rows.map((r) => [r.id, { completed: r.completed.checked, evidence: r.evidence.value, note: r.note.value }]));
  const all = h('input', { type: 'checkbox', id: 'self-all-completed', 'aria-label': '全部标为已完成' });
  const progress = h('p', { id: 'self-progress', class: 'muted' });
  const count = () => {
    const a = answers();
    let done = 0;
    let notDone = 0;
    for (const x of Object.values(a)) {
      if (x.completed && evidenceLines(x.evidence).length) done += 1;
      else if (!x.completed && x.note.trim()) notDone += 1;
    }
    all.checked = rows.length > 0 && rows.every((r) => r.completed.checked);
    progress.textContent = '共 ' + rows.length + ' 个指标：已完成 ' + done + '，未完成（已说明）' + notDone + '，待填写 ' + (rows.length - done - notDone) + '。';
  };
  // On 'input', before the form's own listener counts (and sets this box from the rows).
  all.addEventListener('input', () => {
    for (const r of rows) r.completed.checked = all.checked;
  });

  const reason = h('input', { name: 'reason', placeholder: '提交说明（可选）' });
  const status = h('div', { class: 'status-slot' });
  const form = h('form', { id: 'self-assessment-sheet', class: 'self-sheet' },
    h('p', { class: 'muted' }, '绩效计划第 ' + latest.number + ' 版，共 ' + rows.length + ' 个指标。已完成的勾选“已完成”并填写佐证（每行一项，至少一项）；' +
      '未完成的在说明中写明原因。整份报告一并提交。' + (last ? '已按' + submissionLabel(last) + '的报告预填。' : '')),
    sendBack ? notice('warn', sendBackText(sendBack, nodesById(latest.tree)) + '。退回修改的 ' + marked + ' 个指标列在最前，请修改后重新提交整份报告。') : null,
    progress,
    h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, h('th', {}, '目标类型 › 所属'), h('th', {}, '指标'), h('th', {}, '目标值'), h('th', {}, '分值'),
        h('th', {}, '牵头考核单位'), h('th', { class: 'check' }, h('label', { class: 'inline' }, all, '已完成')),
        h('th', {}, '佐证（每行一项）'), h('th', {}, '说明'))),
      h('tbody', {}, rows.map((r) => r.tr))),
    h('label', {}, '提交说明', reason),
    h('button', { type: 'submit' }, '提交自评报告'),
    status);
  form.addEventListener('input', count);
  count();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    const { report, problems, wrong, counts } = buildReport(latest.tree, answers());
    for (const r of rows) r.tr.classList.toggle('problem', wrong.includes(r.id));
    if (!report) {
      return status.append(notice('error', '未提交：有 ' + problems.length + ' 处需要补充。',
        h('ul', {}, problems.slice(0, 20).map((p) => h('li', {}, p))), problems.length > 20 ? '另有 ' + (problems.length - 20) + ' 处。' : null));
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const r = await api.command(inst.id, 'submit_self_assessment', { reason: reason.value.trim(), payload: { report }, version: inst.version });
      onDone(notice('ok', '自评报告已提交：' + rows.length + ' 个指标，已完成 ' + counts.completed + '，未完成 ' + counts.notCompleted +
        '；现为“' + stateLabel(r.instance.state, inst.type) + '”（日志第 ' + r.event.seq + ' 条）'));
    } catch (e) {
      button.disabled = false;
      if (e instanceof ApiError && e.status === 409) {
        // What was typed stays: reloading would lose it.
        return status.append(notice('error', '该记录已被他人修改（如已在别处提交，或被退回补正），未提交。本表填写的内容仍在；请核对后',
          h('button', { type: 'button', class: 'link', onclick: () => onDone(null) }, '重新载入本页'), '。'));
      }
      status.append(notice('error', e.message));
    }
  });
  return form;
}

// ---- the report (everyone who may see it, once there is one) -----------------------

const completion = (entry) => (!entry ? '未填报' : entry.completed ? '已完成' : '未完成');

function reportTable(tree, submission, names, onlyUnit) {
  const rows = reportRows(tree, submission.report).filter((r) => !onlyUnit || (r.node && r.node.lead_assessor === onlyUnit));
  return h('table', { class: 'list self-report' },
    h('thead', {}, h('tr', {}, ['目标类型 › 所属', '指标', '牵头考核单位', '完成情况', '佐证', '说明'].map((t) => h('th', {}, t)))),
    h('tbody', {}, rows.map((r) => h('tr', { class: r.entry && !r.entry.completed ? 'not-completed' : null, dataset: { indicator: r.id } },
      h('td', { class: 'muted' }, r.type ? [r.type.name, ...r.path].join(' › ') : '（不在计划中）'),
      h('td', {}, r.node ? h('strong', {}, r.node.name) : null, h('code', {}, r.id)),
      h('td', {}, r.node ? names.get(r.node.lead_assessor) || r.node.lead_assessor || '' : ''),
      h('td', { class: 'completion' }, completion(r.entry)),
      h('td', {}, r.entry && r.entry.evidence.length ? h('ul', { class: 'evidence' }, r.entry.evidence.map((e) => h('li', {}, e))) : ''),
      h('td', {}, r.entry ? r.entry.note : '')))));
}

// The 自评报告 section, or null before the first submission: a submission to read (the
// latest, or an earlier one), what it says of every indicator, and the items the audit
// sent back. A lead assessor may keep to the indicators its unit leads.
export async function selfAssessmentSection(inst, plan, names, user) {
  const record = await selfAssessmentRecord(inst);
  const submissions = submissionsOf(record, inst.data);
  if (!submissions.length) return null;
  const latest = latestTree(plan);
  const tree = latest ? latest.tree : { target_types: [] };
  const choose = h('select', { id: 'self-submission', 'aria-label': '查看哪一次提交' },
    submissions.map((s, i) => h('option', { value: String(i) }, submissionLabel(s) + (i === submissions.length - 1 ? ' · 最新' : ''))));
  choose.value = String(submissions.length - 1);
  // A lead assessor that leads indicators of this plan starts from those.
  const lead = user && user.role === 'lead_assessor' && user.unit &&
    reportRows(tree, {}).some((r) => r.node && r.node.lead_assessor === user.unit) ? user.unit : null;
  const mine = lead ? h('input', { type: 'checkbox', id: 'self-only-mine' }) : null;
  if (mine) mine.checked = true;
  const summary = h('p', { id: 'self-summary' });
  const body = h('details', { id: 'self-report', class: 'change' });
  const show = () => {
    const s = submissions[Number(choose.value)];
    const c = reportCounts(s.report);
    summary.textContent = submissionLabel(s) + '：共 ' + c.total + ' 个指标，已完成 ' + c.completed + '，未完成 ' + c.notCompleted + '。';
    const open = body.open;
    const only = mine && mine.checked ? lead : null;
    clear(body).append(h('summary', {}, '逐项查看' + (only ? '（本单位牵头的指标）' : '')), reportTable(tree, s, names, only));
    body.open = open;
  };
  choose.addEventListener('change', show);
  if (mine) mine.addEventListener('change', show);
  show();
  const sentBack = (inst.data || {}).sent_back || [];
  const reopened = currentSendBack(inst);
  const nodes = nodesById(tree);
  return h('section', { id: 'self-assessment' }, h('h2', {}, '自评报告'),
    reopened ? notice('warn', sendBackText(reopened, nodes) + '。待单位修改后重新提交。') : null,
    h('div', { class: 'filters' }, h('label', { class: 'inline' }, '提交', choose),
      mine ? h('label', { class: 'inline' }, mine, '只看本单位牵头的指标') : null),
    summary,
    sentBack.length > (reopened ? 1 : 0) ? facts([['退回记录', h('ul', {}, sentBack.map((s) => h('li', {}, sendBackText(s, nodes))))]]) : null,
    body);
}

// What the latest submission says of each indicator, for the score sheet: {label, byId:
// indicator id → entry, cell: entry → <td>} (nothing recorded before any submission).
export async function latestReport(inst) {
  const submissions = submissionsOf(await selfAssessmentRecord(inst), inst.data);
  const last = submissions[submissions.length - 1];
  if (!last) return { label: '', byId: new Map(), cell: selfCell };
  const rows = reportRows({ target_types: [] }, last.report);
  return { label: '第 ' + last.n + ' 次提交', byId: new Map(rows.map((r) => [r.id, r.entry])), cell: selfCell };
}

// One indicator's self-assessment in a cell: 已完成 with its evidence, or 未完成 with why.
export function selfCell(entry) {
  if (!entry) return h('td', { class: 'self-entry muted' }, '未填报');
  return h('td', { class: 'self-entry' }, h('strong', {}, completion(entry)),
    entry.evidence.length ? h('ul', { class: 'evidence' }, entry.evidence.map((e) => h('li', {}, e))) : null,
    entry.note ? h('div', { class: 'muted' }, entry.note) : null);
}
