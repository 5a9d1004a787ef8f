// The self-assessment (自查自评) as a unit fills it in and as the audit reads it: the
// plan in force's indicators with what the last submission said of each and the items
// the audit sent back; the report submit_self_assessment takes, checked as the server
// checks it — an entry for every indicator of the plan and nothing else, completed with
// at least one piece of evidence, or not completed with its reason in the note
// (docs/lifecycle.md, "Self-assessment reports"). Problems are in Chinese and name the
// indicator. Pure functions, no page.
import { indicators } from './adjust.js';

// The record every submission is kept in: lifecycle/<year>/<scheme>/<unit> →
// self_assessment/<year>/<scheme>/<unit> (or the one the lifecycle names).
export function recordIdOf(lifecycle) {
  const kept = lifecycle.data && lifecycle.data.self_assessment;
  return (kept && kept.record) || lifecycle.id.replace(/^lifecycle\//, 'self_assessment/');
}

// Every submission [{n, report, submitted_on, by}], oldest first: the record's, or for an
// assessment from older code the one report its lifecycle kept (data.self_assessment.report).
export function submissionsOf(record, lifecycleData) {
  const list = record && record.data && Array.isArray(record.data.submissions) ? record.data.submissions : [];
  if (list.length) return list;
  const kept = lifecycleData && lifecycleData.self_assessment;
  if (kept && kept.report && typeof kept.report === 'object') {
    return [{ n: 1, report: kept.report, submitted_on: kept.submitted_on || '', by: kept.by || '' }];
  }
  return [];
}

// "第 2 次（2026-11-23，nanning.clerk）"
export const submissionLabel = (s) => '第 ' + s.n + ' 次（' + [s.submitted_on, s.by].filter(Boolean).join('，') + '）';

// The last send_back ({on, by, reason, items}) while the self-assessment is the unit's
// again, else null: in self_assessing, a send_back is what reopened it.
export function currentSendBack(lifecycle) {
  if (lifecycle.state !== 'self_assessing') return null;
  const list = (lifecycle.data && lifecycle.data.sent_back) || [];
  return list.length ? list[list.length - 1] : null;
}

// A send_back's items by id: {note} (an item is an indicator id, or {indicator_id, note}).
function itemsById(sendBack) {
  const out = new Map();
  for (const item of (sendBack && sendBack.items) || []) {
    const id = typeof item === 'string' ? item : item && item.indicator_id;
    if (typeof id !== 'string' || !id) continue;
    out.set(id, { note: item && typeof item.note === 'string' ? item.note : '' });
  }
  return out;
}

// The plan's indicators with the ids above them (target type and levels), in plan order:
// an item sent back may be a level, which sends back every indicator under it.
function leavesWithAncestors(tree) {
  const out = [];
  const walk = (node, ancestors) => {
    if (!node.children || !node.children.length) {
      out.push({ node, ancestors });
      return;
    }
    for (const c of node.children) walk(c, [...ancestors, node.id]);
  };
  for (const tt of (tree && tree.target_types) || []) for (const c of tt.children || []) walk(c, [tt.id]);
  return out;
}

// An entry of a report as the sheet shows it: {completed, evidence: [texts], note}.
function entryOf(entry) {
  if (!entry || typeof entry !== 'object') return { completed: false, evidence: [], note: '' };
  return {
    completed: entry.completed === true,
    evidence: Array.isArray(entry.evidence) ? entry.evidence.filter((e) => typeof e === 'string') : [],
    note: typeof entry.note === 'string' ? entry.note : '',
  };
}

// The rows of the sheet: every indicator of the plan (tree: its latest version) with its
// target type, the names above it, and what `lastReport` said of it (or nothing), and
// — when `sendBack` is the audit's send_back — whether it was sent back, with the item's
// note and the send_back's reason. Sent-back rows come first; otherwise plan order.
// Row: {id, node, type: {id, name}, path: [level names], entry: {completed, evidence,
// note}, reported: bool, sentBack: {note, reason, on, by, item} | null}.
export function sheetRows(tree, lastReport, sendBack) {
  const items = itemsById(sendBack);
  const names = new Map(indicators(tree || {}).map((i) => [i.node.id, i]));
  const rows = leavesWithAncestors(tree).map(({ node, ancestors }) => {
    const { type, path } = names.get(node.id);
    const item = [node.id, ...[...ancestors].reverse()].find((id) => items.has(id));
    const reported = !!(lastReport && Object.prototype.hasOwnProperty.call(lastReport, node.id));
    return {
      id: node.id, node, type: { id: type.id, name: type.name }, path: path.slice(1),
      entry: entryOf(reported ? lastReport[node.id] : null), reported,
      sentBack: item === undefined ? null : {
        item, note: items.get(item).note, reason: sendBack.reason || '', on: sendBack.on || '', by: sendBack.by || '',
      },
    };
  });
  return [...rows.filter((r) => r.sentBack), ...rows.filter((r) => !r.sentBack)];
}

// Evidence typed one piece per line: the lines, trimmed, without empty ones.
export const evidenceLines = (text) => String(text || '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

const named = (node) => '“' + node.name + '”（' + node.id + '）';

// The report from what was typed, checked as the server will check it. tree: the plan in
// force; answers: {indicator id: {completed: bool, evidence: text (one per line) or
// [texts], note: text}}. Returns {report, problems, wrong, counts: {completed,
// notCompleted}}: the report (in plan order; texts trimmed, empty evidence and notes left
// out) only when there are no problems, else null, with each problem in Chinese by
// indicator and the ids of the indicators at fault in `wrong`.
export function buildReport(tree, answers) {
  const report = {};
  const problems = [];
  const wrong = [];
  const counts = { completed: 0, notCompleted: 0 };
  const leaves = leavesWithAncestors(tree);
  const known = new Set(leaves.map((l) => l.node.id));
  for (const { node } of leaves) {
    const a = answers[node.id];
    const evidence = a ? (Array.isArray(a.evidence) ? a.evidence.map((e) => String(e).trim()).filter(Boolean) : evidenceLines(a.evidence)) : [];
    const note = a && typeof a.note === 'string' ? a.note.trim() : '';
    const problem = !a || (!a.completed && !evidence.length && !note) ? '未填写（已完成的勾选“已完成”并填写佐证，未完成的在说明中写明原因）'
      : a.completed && !evidence.length ? '标为已完成，但没有佐证（每行一项）'
        : !a.completed && !note ? '未完成，须在说明中写明原因' : null;
    if (problem) {
      problems.push(named(node) + '：' + problem);
      wrong.push(node.id);
      continue;
    }
    const entry = { completed: !!a.completed };
    if (evidence.length) entry.evidence = evidence;
    if (note) entry.note = note;
    report[node.id] = entry;
    counts[a.completed ? 'completed' : 'notCompleted'] += 1;
  }
  for (const id of Object.keys(answers)) {
    if (known.has(id)) continue;
    problems.push('绩效计划中没有指标 ' + id);
    wrong.push(id);
  }
  if (!leaves.length) problems.push('绩效计划中没有指标');
  return { report: problems.length ? null : report, problems, wrong, counts };
}

// A submitted report as the audit reads it, in plan order: every indicator of the plan
// with what the report says of it (entry null: not in the report), then what the report
// holds that the plan does not (node null). Row: {id, node, type, path, entry}.
export function reportRows(tree, report) {
  const r = report && typeof report === 'object' ? report : {};
  const has = (id) => Object.prototype.hasOwnProperty.call(r, id);
  const rows = indicators(tree || {}).map(({ node, type, path }) => ({
    id: node.id, node, type: { id: type.id, name: type.name }, path: path.slice(1), entry: has(node.id) ? entryOf(r[node.id]) : null,
  }));
  const known = new Set(rows.map((x) => x.id));
  for (const id of Object.keys(r)) if (!known.has(id)) rows.push({ id, node: null, type: null, path: [], entry: entryOf(r[id]) });
  return rows;
}

// How many indicators a report gives as completed and as not completed.
export function reportCounts(report) {
  const entries = Object.values(report && typeof report === 'object' ? report : {});
  const completed = entries.filter((e) => e && e.completed === true).length;
  return { total: entries.length, completed, notCompleted: entries.length - completed };
}
