// A cycle's results (考评结果), read from its data as the grade command writes them
// (workflows/cycle_workflow.cc: data.grades[category] is the category's units by rank,
// data.overrides the affirmations and downgrades recorded): per category the units with
// their totals, the grade by rank and the final one, and the reasons; for a category not
// graded yet, how far its units are; and all of it as a table to publish (CSV).
// Pure: no page.
import { toCsv, plainText } from './plan-csv.js';

export const GRADE = { first: '一等', second: '二等', third: '三等', fail: '不合格' };
const gradeName = (id) => GRADE[id] || id || '';

// The states from which a unit's assessment counts as ready for grading: scored,
// published, its appeal window closed (the grade command's own rule), and on.
const READY = ['ready_for_ratification', 'ratified', 'archived'];

// The cycle's categories in the order of its work plan: {id, name, rows}, rows null
// when the category has not been graded. Each row: {rank, size, unit, name, total,
// byRank, grade, changed (the final grade is not the one by rank), reasons}.
export function categoryResults(data, names = new Map()) {
  const categories = ((data || {}).config || {}).categories || [];
  const grades = (data || {}).grades || {};
  return categories.map((c) => ({
    id: c.id,
    name: c.name || c.id,
    rows: Array.isArray(grades[c.id]) ? grades[c.id].map((g) => ({
      rank: g.rank,
      size: g.category_size,
      unit: g.unit,
      name: names.get(g.unit) || g.unit,
      total: g.total,
      byRank: gradeName(g.grade_by_rank),
      grade: g.grade_name || gradeName(g.grade),
      changed: g.grade !== g.grade_by_rank,
      reasons: g.reasons || [],
    })) : null,
  }));
}

// How far a category's units are before it can be graded, from the cycle's
// assessments ({id, state, data: {cycle, category, unit, unit_name}}): {total, ready,
// waiting: [{id, unit, name, state}]} — every unit must be ready before the office grades.
export function readiness(lifecycles, cycleId, categoryId) {
  const mine = lifecycles.filter((l) => (l.data || {}).cycle === cycleId && (l.data || {}).category === categoryId);
  const waiting = mine.filter((l) => !READY.includes(l.state))
    .map((l) => ({ id: l.id, unit: l.data.unit, name: l.data.unit_name || l.data.unit, state: l.state }))
    .sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  return { total: mine.length, ready: mine.length - waiting.length, waiting };
}

// What the readiness says, in words: to the office every unit's count; to a unit, which
// reads only its own assessment, whether its own is ready (a count of one would read as
// the category's). `ready` is readiness()'s answer.
export function readinessText(ready, { ownOnly = false } = {}) {
  if (!ready.total) return ownOnly ? '尚未评定。' : '尚未评定；本周期还没有这一类别的考评。';
  if (ownOnly) {
    return ready.waiting.length ? '尚未评定；本单位的考评尚未就绪（须结果公示、复核期满）：'
      : '尚未评定；本单位的考评已可评定（结果公示、复核期满），待这一类别全部单位就绪后由绩效办评定。';
  }
  return '尚未评定：' + ready.ready + ' / ' + ready.total + ' 个单位已可评定（结果公示、复核期满）' +
    (ready.waiting.length ? '；评定前须全部就绪，尚未就绪：' : '，绩效办可以评定。');
}

const OVERRIDE = { affirmation: '一票肯定', downgrade: '降等' };

// The affirmations and downgrades recorded for the cycle, with the unit's name:
// [{unit, name, kind, area, reason, approver, by}].
export function overrides(data, names = new Map()) {
  return ((data || {}).overrides || []).map((o) => ({
    unit: o.unit,
    name: names.get(o.unit) || o.unit,
    kind: OVERRIDE[o.kind] || o.kind,
    area: o.area || '',
    reason: o.reason || '',
    approver: o.approver || '',
    by: o.recorded_by || '',
  }));
}

export const CSV_HEADER = ['年度', '考评周期', '类别', '名次', '单位', '单位编号', '总分', '按名次等次', '等次', '说明'];

// The graded categories as one table (CSV with a BOM, as spreadsheets open it): a row per
// unit, by category in the work plan's order and by rank; reasons joined with "；".
export function resultsCsv(cycleId, data, names = new Map()) {
  const year = String(((data || {}).config || {}).year || '');
  const rows = [CSV_HEADER];
  for (const c of categoryResults(data, names)) {
    for (const r of c.rows || []) {
      rows.push([year, cycleId, c.name, String(r.rank), r.name, r.unit, String(r.total), r.byRank, r.grade,
        plainText(r.reasons.join('；'))]);
    }
  }
  return toCsv(rows);
}
