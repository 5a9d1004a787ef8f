// The mid-year check and its rectification items (web-admin/rectify.js) without a
// browser, on data of the shape the lifecycle writes (workflows/lifecycle_workflow.cc,
// RecordMidyear and MoveRectification).
// usage: node rectify_test.mjs <source dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const { rectificationView } = await import(join(process.argv[2], 'web-admin/rectify.js'));

const data = {
  midyear_findings: [
    { on: '2025-07-10', by: 'zhang.office', items: [], note: '未发现问题' },
    { on: '2025-07-15', by: 'zhang.office', items: ['rect-1', 'rect-2'], note: '' },
    { on: '2025-07-20', by: 'zhang.office', items: ['rect-3'], note: '' },
  ],
  rectifications: [
    { id: 'rect-1', finding: '进度偏慢', found_on: '2025-07-15', rectify_by: '2025-09-30', status: 'open', steps: [] },
    { id: 'rect-2', finding: '台账不全', indicator: 'functional.1.1.1.1', found_on: '2025-07-15', rectify_by: '2025-08-30',
      status: 'closed', steps: [
        { status: 'reported', by: 'gx-wuzhou.staff', role: 'unit', on: '2025-08-01', reason: '已补齐台账', evidence: ['台账', '说明'] },
        { status: 'closed', by: 'zhang.office', role: 'office', on: '2025-08-12', reason: '' }] },
    { id: 'rect-3', finding: '宣传不足', found_on: '2025-07-20', rectify_by: '2025-08-15', status: 'reported', steps: [
      { status: 'reported', by: 'gx-wuzhou.staff', role: 'unit', on: '2025-08-14', reason: '已整改', evidence: ['报道'] }] },
  ],
};

check('each check in words, with or without findings', () => {
  const v = rectificationView(data, '2025-10-01');
  assert.equal(v.checks.length, 3);
  assert.equal(v.checks[0].text, '2025-07-10 zhang.office 记录中期核验：未发现需整改的问题；未发现问题');
  assert.equal(v.checks[1].text, '2025-07-15 zhang.office 记录中期核验：发现 2 个需整改的问题（rect-1、rect-2）');
});

check('an open item past its day is overdue; a reported or closed one is not', () => {
  const v = rectificationView(data, '2025-10-01');
  assert.deepEqual(v.items.map((i) => [i.id, i.statusText, i.overdue]),
    [['rect-1', '待整改', true], ['rect-2', '已销号', false], ['rect-3', '已报告整改', false]]);
  assert.equal(v.summary, '共 3 项：待整改 1，已报告 1，已销号 1，其中逾期 1');
  // On its last day it is not overdue yet.
  assert.equal(rectificationView(data, '2025-09-30').items[0].overdue, false);
  assert.equal(rectificationView(data, '2025-09-30').summary, '共 3 项：待整改 1，已报告 1，已销号 1');
});

check('the steps in words: who, as what role, when, why and the evidence', () => {
  const v = rectificationView(data, '2025-10-01');
  assert.deepEqual(v.items[1].steps, [
    '已报告整改：gx-wuzhou.staff（被考评单位）2025-08-01，已补齐台账（佐证：台账；说明）',
    '已销号：zhang.office（绩效办）2025-08-12',
  ]);
  assert.equal(v.items[1].indicator, 'functional.1.1.1.1');
});

check("the timer's mark and a late report as the lifecycle records them", () => {
  const marked = {
    rectifications: [
      { id: 'rect-1', finding: '资金拨付滞后', found_on: '2025-08-20', rectify_by: '2025-09-15', status: 'open',
        overdue_since: '2025-09-16', steps: [] },
      { id: 'rect-2', finding: '台账不全', found_on: '2025-08-20', rectify_by: '2025-09-15', status: 'reported', steps: [
        { status: 'reported', by: 'gx-wuzhou.staff', role: 'unit', on: '2025-09-18', reason: '已拨付', evidence: ['凭证'],
          overdue_since: '2025-09-16', working_days_late: 3 }] },
    ],
  };
  // Marked by its timer: overdue whatever day the browser thinks it is, and since when.
  const v = rectificationView(marked, '2025-09-15');
  assert.deepEqual(v.items.map((i) => [i.id, i.overdue, i.overdueSince]),
    [['rect-1', true, '2025-09-16'], ['rect-2', false, '']]);
  assert.equal(v.items[1].steps[0],
    '已报告整改：gx-wuzhou.staff（被考评单位）2025-09-18，已拨付（佐证：凭证）（逾期 3 个工作日，自 2025-09-16 起逾期）');
});

check('an assessment without a mid-year check has nothing to show', () => {
  const v = rectificationView({}, '2025-10-01');
  assert.deepEqual(v, { checks: [], items: [], summary: '' });
  assert.deepEqual(rectificationView(undefined, '2025-10-01').items, []);
});

done();
