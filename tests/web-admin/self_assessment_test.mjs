// The self-assessment as the page builds it (web-admin/self-assessment.js) without a
// browser, on the sample plan: the sheet's rows from the plan, the last report and the
// items sent back; the report checked as the server checks it; the report as the audit
// reads it. usage: node self_assessment_test.mjs <source dir>
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const root = process.argv[2];
const sa = await import(join(root, 'web-admin/self-assessment.js'));
const { indicators } = await import(join(root, 'web-admin/adjust.js'));
const plan = JSON.parse(readFileSync(join(root, 'workflows/data/sample-plan-nanning-2026.json'), 'utf8'));
const ids = indicators(plan).map((i) => i.node.id);
const lifecycle = (state, data) => ({ id: 'lifecycle/2026/city/gx-nanning', type: 'lifecycle', state, data });

// Every indicator completed with one piece of evidence, as the page would send it.
const allDone = () => Object.fromEntries(ids.map((id) => [id, { completed: true, evidence: '统计公报', note: '' }]));

check('the record of a lifecycle, and its submissions (or the one report older code kept)', () => {
  assert.equal(sa.recordIdOf(lifecycle('self_assessing', {})), 'self_assessment/2026/city/gx-nanning');
  assert.equal(sa.recordIdOf(lifecycle('auditing', { self_assessment: { record: 'self_assessment/x' } })), 'self_assessment/x');
  const subs = [{ n: 1, report: {}, submitted_on: '2026-11-20', by: 'nanning.clerk' }, { n: 2, report: {}, submitted_on: '2026-11-23', by: 'nanning.clerk' }];
  assert.deepEqual(sa.submissionsOf({ data: { submissions: subs } }, {}), subs);
  assert.deepEqual(sa.submissionsOf(null, {}), []);
  assert.deepEqual(sa.submissionsOf(null, { self_assessment: { report: { a: 1 }, submitted_on: '2025-12-01', by: 'x' } }),
    [{ n: 1, report: { a: 1 }, submitted_on: '2025-12-01', by: 'x' }]);
  assert.equal(sa.submissionLabel(subs[1]), '第 2 次（2026-11-23，nanning.clerk）');
});

check('the sheet has every indicator of the plan, in plan order, with its type and the names above it, empty before any report', () => {
  const rows = sa.sheetRows(plan, null, null);
  assert.equal(rows.length, 159);
  assert.deepEqual(rows.map((r) => r.id), ids);
  assert.deepEqual([rows[0].type, rows[0].path, rows[0].node.name, rows[0].node.target],
    [{ id: 'functional', name: '职能目标' }, ['经济建设', '经济增长', 'GDP增长'], '地区生产总值', '地区生产总值增速达到自治区下达的年度预期目标']);
  assert.ok(rows.every((r) => !r.reported && !r.sentBack && !r.entry.completed && !r.entry.evidence.length && r.entry.note === ''));
});

check('a sheet sent back: started from the last report, the items sent back first, with the audit\'s note and reason', () => {
  const last = Object.fromEntries(ids.map((id) => [id, { completed: true, evidence: ['统计公报', '年报'] }]));
  last['special.1.1.1.1'] = { completed: false, note: '结果尚未公布' };
  const data = { sent_back: [
    { on: '2026-11-20', by: 'tongji.clerk', items: ['functional.1.1.1.1'], reason: '旧的退回' },
    { on: '2026-11-23', by: 'zhang.office', reason: '佐证不足', items: [{ indicator_id: 'special.1.1.1.1', note: '请附考核结果' }, 'innovation.1'] },
  ] };
  // Only while the unit holds the self-assessment again is the last send_back current.
  assert.equal(sa.currentSendBack(lifecycle('auditing', data)), null);
  const sendBack = sa.currentSendBack(lifecycle('self_assessing', data));
  assert.equal(sendBack.reason, '佐证不足');
  const rows = sa.sheetRows(plan, last, sendBack);
  const innovation = ids.filter((id) => id.startsWith('innovation.1.'));
  assert.ok(innovation.length > 1, 'a level sends back every indicator under it');
  const marked = rows.filter((r) => r.sentBack);
  assert.deepEqual(marked.map((r) => r.id), ['special.1.1.1.1', ...innovation]);
  assert.deepEqual(rows.slice(0, marked.length).map((r) => r.id), marked.map((r) => r.id), 'sent back first');
  assert.deepEqual(rows.slice(marked.length).map((r) => r.id), ids.filter((id) => !marked.some((r) => r.id === id)), 'then plan order');
  assert.deepEqual(marked[0].sentBack, { item: 'special.1.1.1.1', note: '请附考核结果', reason: '佐证不足', on: '2026-11-23', by: 'zhang.office' });
  assert.deepEqual(marked[1].sentBack, { item: 'innovation.1', note: '', reason: '佐证不足', on: '2026-11-23', by: 'zhang.office' });
  assert.deepEqual(marked[0].entry, { completed: false, evidence: [], note: '结果尚未公布' });
  const first = rows.find((r) => r.id === 'functional.1.1.1.1');
  assert.deepEqual([first.reported, first.sentBack, first.entry], [true, null, { completed: true, evidence: ['统计公报', '年报'], note: '' }]);
});

check('a report on every indicator: completed with evidence one per line, or not completed with a note; texts trimmed', () => {
  const answers = allDone();
  answers['functional.1.1.1.1'] = { completed: true, evidence: ' 2026年统计公报 \n\n  统计年鉴\r\n', note: '  按初步核算数  ' };
  answers['special.1.1.1.1'] = { completed: false, evidence: '', note: ' 专项考核结果尚未公布 ' };
  answers['special.1.1.2.1'] = { completed: false, evidence: '阶段性材料', note: '年底完成' };
  const r = sa.buildReport(plan, answers);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(Object.keys(r.report), ids, 'every indicator, in plan order, nothing else');
  assert.deepEqual(r.report['functional.1.1.1.1'], { completed: true, evidence: ['2026年统计公报', '统计年鉴'], note: '按初步核算数' });
  assert.deepEqual(r.report['special.1.1.1.1'], { completed: false, note: '专项考核结果尚未公布' });
  assert.deepEqual(r.report['special.1.1.2.1'], { completed: false, evidence: ['阶段性材料'], note: '年底完成' });
  assert.deepEqual(r.report['functional.1.1.1.2'], { completed: true, evidence: ['统计公报'] });
  assert.deepEqual(r.counts, { completed: 157, notCompleted: 2 });
  // Evidence given as a list (a report read back) is taken the same way.
  const listed = sa.buildReport(plan, { ...allDone(), 'functional.1.1.1.1': { completed: true, evidence: [' 年报 ', ''], note: '' } });
  assert.deepEqual(listed.report['functional.1.1.1.1'], { completed: true, evidence: ['年报'] });
});

check('what the server would refuse is listed by indicator name, and no report is built', () => {
  const answers = allDone();
  answers['functional.1.1.1.1'] = { completed: true, evidence: ' \n ', note: '已完成' };
  answers['functional.1.1.1.2'] = { completed: false, evidence: '半年报', note: '  ' };
  delete answers['special.1.1.1.1'];
  answers['innovation.1.1.1.1'] = { completed: false, evidence: '', note: '' };
  answers['functional.1.1'] = { completed: true, evidence: '一级指标不是指标', note: '' };
  const r = sa.buildReport(plan, answers);
  assert.equal(r.report, null);
  assert.deepEqual(r.problems, [
    '“地区生产总值”（functional.1.1.1.1）：标为已完成，但没有佐证（每行一项）',
    '“人均地区生产总值”（functional.1.1.1.2）：未完成，须在说明中写明原因',
    '“优化营商环境专项考核”（special.1.1.1.1）：未填写（已完成的勾选“已完成”并填写佐证，未完成的在说明中写明原因）',
    '“' + indicators(plan).find((i) => i.node.id === 'innovation.1.1.1.1').node.name + '”（innovation.1.1.1.1）：未填写（已完成的勾选“已完成”并填写佐证，未完成的在说明中写明原因）',
    '绩效计划中没有指标 functional.1.1',
  ]);
  assert.deepEqual(r.wrong, ['functional.1.1.1.1', 'functional.1.1.1.2', 'special.1.1.1.1', 'innovation.1.1.1.1', 'functional.1.1']);
  // A fresh sheet sent as it is: every indicator unanswered.
  const empty = sa.buildReport(plan, Object.fromEntries(sa.sheetRows(plan, null, null).map((x) => [x.id, { completed: false, evidence: '', note: '' }])));
  assert.equal(empty.problems.length, 159);
  assert.deepEqual(sa.buildReport({ target_types: [] }, {}).problems, ['绩效计划中没有指标']);
});

check('a report as the audit reads it: every indicator in plan order with what it says, then what the plan lacks; the counts', () => {
  const report = { 'functional.1.1.1.1': { completed: true, evidence: ['统计公报'], note: '初步核算' },
    'special.1.1.1.1': { completed: false, note: '结果未公布' }, 'gone.1': { completed: true, evidence: ['x'] } };
  const rows = sa.reportRows(plan, report);
  assert.equal(rows.length, 160);
  assert.deepEqual(rows.slice(0, -1).map((r) => r.id), ids);
  assert.deepEqual(rows[0].entry, { completed: true, evidence: ['统计公报'], note: '初步核算' });
  assert.deepEqual(rows.find((r) => r.id === 'special.1.1.1.1').entry, { completed: false, evidence: [], note: '结果未公布' });
  assert.equal(rows[1].entry, null, 'not in the report');
  assert.deepEqual([rows[159].id, rows[159].node, rows[159].entry.completed], ['gone.1', null, true]);
  assert.deepEqual(sa.reportCounts(report), { total: 3, completed: 2, notCompleted: 1 });
  assert.deepEqual(sa.reportCounts(null), { total: 0, completed: 0, notCompleted: 0 });
});

check('evidence is typed one piece per line', () => {
  assert.deepEqual(sa.evidenceLines('  a \r\n\n b\n'), ['a', 'b']);
  assert.deepEqual(sa.evidenceLines(''), []);
  assert.deepEqual(sa.evidenceLines(undefined), []);
});

done();
