// A cycle's results (web-admin/results.js) without a browser: categories in the work
// plan's order, graded or not; readiness before grading; overrides; the published CSV.
// The cycle data has the shape the grade command writes (workflows/cycle_workflow.cc).
// usage: node results_test.mjs <source dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const { categoryResults, readiness, readinessText, overrides, resultsCsv, CSV_HEADER } =
  await import(join(process.argv[2], 'web-admin/results.js'));
const { parseCsv } = await import(join(process.argv[2], 'web-admin/plan-csv.js'));

const names = new Map([['gx-nanning', '南宁市'], ['gx-liuzhou', '柳州市'], ['gx-wuzhou', '梧州市']]);
const row = (unit, rank, total, byRank, grade, reasons) => ({
  unit, rank, total, category_size: 3, grade_by_rank: byRank, grade,
  grade_name: { first: '一等', second: '二等', third: '三等', fail: '不合格' }[grade], reasons,
});
const cycle = {
  config: {
    year: 2025,
    categories: [{ id: 'cities', name: '设区市' }, { id: 'departments', name: '区直部门' }],
  },
  grades: {
    cities: [
      row('gx-nanning', 1, 950, 'first', 'second', ['“设区市”类第 1 名（共 3 个）→ 一等（名额：一等 1、二等 1、三等 1）',
        '因生态环境保护方面的重大问题降等：一等 → 二等（中央环保督察通报；绩效考评领导小组批准）']),
      row('gx-liuzhou', 2, 900, 'second', 'second', ['“设区市”类第 2 名（共 3 个）→ 二等（名额：一等 1、二等 1、三等 1）']),
      row('gx-wuzhou', 3, 790, 'fail', 'fail', ['“设区市”类第 3 名（共 3 个）→ 三等（名额：一等 1、二等 1、三等 1）',
        '总分 790 低于 800 分 → 不合格']),
    ],
  },
  overrides: [{ kind: 'downgrade', unit: 'gx-nanning', area: '生态环境保护', reason: '中央环保督察通报',
    approver: '绩效考评领导小组', recorded_by: 'zhang.office' }],
  units: 'units/guangxi',
};

check('graded and ungraded categories in the work plan\'s order, names from the directory', () => {
  const cats = categoryResults(cycle, names);
  assert.deepEqual(cats.map((c) => [c.id, c.name, c.rows && c.rows.length]), [['cities', '设区市', 3], ['departments', '区直部门', null]]);
  const [nanning, liuzhou, wuzhou] = cats[0].rows;
  assert.deepEqual([nanning.name, nanning.byRank, nanning.grade, nanning.changed], ['南宁市', '一等', '二等', true]);
  assert.equal(liuzhou.changed, false);
  assert.deepEqual([wuzhou.byRank, wuzhou.grade, wuzhou.changed, wuzhou.reasons.length], ['不合格', '不合格', false, 2]);
  assert.equal(categoryResults(cycle)[0].rows[0].name, 'gx-nanning', 'an id when the directory has no name');
  assert.deepEqual(categoryResults({}), []);
});

check('readiness: every unit of the category and cycle counted; those not ready by id, with their state', () => {
  const l = (unit, state, category = 'departments', cycleId = 'cycle/2025/city') =>
    ({ id: 'lifecycle/2025/city/' + unit, state, data: { cycle: cycleId, category, unit, unit_name: unit.toUpperCase() } });
  const r = readiness([l('b', 'auditing'), l('a', 'ready_for_ratification'), l('c', 'ratified'), l('d', 'appeal_window'),
    l('e', 'archived'), l('x', 'drafting', 'cities'), l('y', 'drafting', 'departments', 'cycle/2026/city')], 'cycle/2025/city', 'departments');
  assert.deepEqual([r.total, r.ready], [5, 3]);
  assert.deepEqual(r.waiting, [
    { id: 'lifecycle/2025/city/b', unit: 'b', name: 'B', state: 'auditing' },
    { id: 'lifecycle/2025/city/d', unit: 'd', name: 'D', state: 'appeal_window' }]);
  assert.deepEqual(readiness([], 'cycle/2025/city', 'cities'), { total: 0, ready: 0, waiting: [] });
});

check('readiness in words: the office counts every unit; a unit, which reads only its own, hears of its own', () => {
  const waiting = { total: 14, ready: 12, waiting: [{ id: 'x', unit: 'x', name: 'X', state: 'auditing' }, { id: 'y', unit: 'y', name: 'Y', state: 'published' }] };
  assert.equal(readinessText(waiting), '尚未评定：12 / 14 个单位已可评定（结果公示、复核期满）；评定前须全部就绪，尚未就绪：');
  assert.equal(readinessText({ total: 14, ready: 14, waiting: [] }), '尚未评定：14 / 14 个单位已可评定（结果公示、复核期满），绩效办可以评定。');
  assert.equal(readinessText({ total: 0, ready: 0, waiting: [] }), '尚未评定；本周期还没有这一类别的考评。');
  const own = { total: 1, ready: 0, waiting: [{ id: 'x', unit: 'x', name: 'X', state: 'auditing' }] };
  assert.match(readinessText(own, { ownOnly: true }), /^尚未评定；本单位的考评尚未就绪/);
  assert.doesNotMatch(readinessText(own, { ownOnly: true }), /\d+ \/ \d+/);
  assert.match(readinessText({ total: 1, ready: 1, waiting: [] }, { ownOnly: true }), /本单位的考评已可评定.*待这一类别全部单位就绪后由绩效办评定/);
  assert.equal(readinessText({ total: 0, ready: 0, waiting: [] }, { ownOnly: true }), '尚未评定。');
});

check('overrides recorded, in Chinese, with the unit\'s name', () => {
  assert.deepEqual(overrides(cycle, names), [{ unit: 'gx-nanning', name: '南宁市', kind: '降等', area: '生态环境保护',
    reason: '中央环保督察通报', approver: '绩效考评领导小组', by: 'zhang.office' }]);
  assert.deepEqual(overrides({}), []);
});

check('the CSV to publish: a BOM, the header, a row per graded unit by rank, reasons joined', () => {
  const text = resultsCsv('cycle/2025/city', cycle, names);
  assert.equal(text.charCodeAt(0), 0xfeff);
  const rows = parseCsv(text);
  assert.deepEqual(rows[0], CSV_HEADER);
  assert.deepEqual(rows.slice(1).map((r) => r.slice(0, 9)), [
    ['2025', 'cycle/2025/city', '设区市', '1', '南宁市', 'gx-nanning', '950', '一等', '二等'],
    ['2025', 'cycle/2025/city', '设区市', '2', '柳州市', 'gx-liuzhou', '900', '二等', '二等'],
    ['2025', 'cycle/2025/city', '设区市', '3', '梧州市', 'gx-wuzhou', '790', '不合格', '不合格']]);
  assert.match(rows[1][9], /→ 一等（名额：一等 1、二等 1、三等 1）；因生态环境保护方面的重大问题降等/);
  assert.deepEqual(parseCsv(resultsCsv('cycle/2026/city', { config: cycle.config }, names)), [CSV_HEADER]);
});

done();
