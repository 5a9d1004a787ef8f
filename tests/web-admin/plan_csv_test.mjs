// The plan table (web-admin/plan-csv.js) without a browser: the sample plan written as a
// table and read back, a table as a spreadsheet saves it (BOM, CRLF, quotes, merged
// cells, units by name), and every kind of problem reported by row and column with no
// plan given. usage: node plan_csv_test.mjs <source dir>
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const root = process.argv[2];
const { parseCsv, toCsv, planToRows, planFromRows, unitResolver, categoryPoints, COLUMNS } = await import(join(root, 'web-admin/plan-csv.js'));
const read = (p) => JSON.parse(readFileSync(join(root, p), 'utf8'));
const sample = read('workflows/data/sample-plan-nanning-2026.json');
const units = read('workflows/data/units-guangxi.json').units;
const cycle = read('workflows/data/cycle-2026-city.json');
const names = new Map(units.map((u) => [u.id, u.name]));
const context = {
  year: 2026, unitId: 'gx-nanning', categoryId: 'cities',
  targetTypes: cycle.target_types, resolveUnit: unitResolver(units),
};

const leavesOf = (tree) => {
  const out = [];
  const walk = (n) => (n.children && n.children.length ? n.children.forEach(walk) : out.push(n));
  tree.target_types.forEach(walk);
  return out;
};


check('the sample plan written as a table and read back is the same plan, units written by name', () => {
  const rows = planToRows(sample, (t) => t.name, (id) => names.get(id) || id);
  assert.deepEqual(rows[0], COLUMNS.map((c) => c.title));
  assert.equal(rows.length - 1, leavesOf(sample).length);
  assert.ok(rows.slice(1).every((r) => !/^gx-/.test(r[7])), 'leads by name');
  const text = toCsv(rows);
  const { plan, problems, summary } = planFromRows(parseCsv(text), context);
  assert.deepEqual(problems, []);
  assert.deepEqual(leavesOf(plan), leavesOf(sample));
  assert.deepEqual(plan.target_types.map((t) => t.id), sample.target_types.map((t) => t.id));
  assert.equal(plan.year, 2026);
  assert.equal(plan.unit_id, 'gx-nanning');
  assert.equal(summary.points, 1000);
  assert.equal(summary.indicators, leavesOf(sample).length);
});

check('a table as a spreadsheet saves it: BOM, CRLF, quoted cells, merged level cells, units by short name or id', () => {
  const text = '\ufeff目标类型,一级指标,二级指标,三级指标,具体指标,分值,目标值,牵头考核单位,评分办法\r\n' +
    '职能目标,经济建设,经济增长,GDP增长,地区生产总值,400,"增速达到6%, 高于全区",自治区统计局,"按""统计公报""计分"\r\n' +
    ',,,,人均地区生产总值,300,"完成年度目标\n（含调整）",统计局,\r\n' +
    '\r\n' +
    '专项目标,优化营商环境和乡村振兴,专项考核,优化营商环境专项考核,优化营商环境专项考核,30,达到年度目标,发展改革委,\r\n' +
    ',,,乡村振兴战略专项考核,乡村振兴战略专项考核,30,完成年度任务,gx-rural-work-office,\r\n' +
    'innovation,创新,创新,创新,创新项目,90,创新,自治区统计局,\r\n' +
    '满意目标,满意度,满意度,满意度,群众满意度,150,满意,自治区统计局,';
  const { plan, problems, summary } = planFromRows(parseCsv(text), context);
  assert.deepEqual(problems, []);
  const leaves = leavesOf(plan);
  assert.deepEqual(leaves.map((l) => [l.id, l.name, l.weight, l.lead_assessor]), [
    ['functional.1.1.1.1', '地区生产总值', 400, 'gx-statistics'],
    ['functional.1.1.1.2', '人均地区生产总值', 300, 'gx-statistics'],
    ['special.1.1.1.1', '优化营商环境专项考核', 30, 'gx-development-reform'],
    ['special.1.1.2.1', '乡村振兴战略专项考核', 30, 'gx-rural-work-office'],
    ['innovation.1.1.1.1', '创新项目', 90, 'gx-statistics'],
    ['satisfaction.1.1.1.1', '群众满意度', 150, 'gx-statistics'],
  ]);
  assert.equal(leaves[0].target, '增速达到6%, 高于全区');
  assert.equal(leaves[0].scoring_rule, '按"统计公报"计分');
  assert.equal(leaves[1].target, '完成年度目标\n（含调整）');
  assert.equal(leaves[1].scoring_rule, undefined, 'an empty rule is left out');
  assert.deepEqual(summary.byType.map((t) => [t.id, t.points]), [['functional', 700], ['special', 60], ['innovation', 90], ['satisfaction', 150]]);
});

check('every problem is named by row and column, and a table with any gives no plan', () => {
  const text = '目标类型,一级指标,二级指标,三级指标,具体指标,分值,目标值,牵头考核单位\n' +
    '职能目标,经济建设,经济增长,GDP增长,地区生产总值,七十,增速,自治区统计局\n' +
    '职能目标,社会建设,,,就业,10,就业,自治区统计局\n' +
    '年度目标,x,x,x,x,10,x,自治区统计局\n' +
    '满意目标,满意度,满意度,满意度,群众满意度,150,满意,自治区不存在局\n' +
    '满意目标,满意度,满意度,满意度,,150,满意,自治区统计局\n';
  const { plan, problems } = planFromRows(parseCsv(text), context);
  assert.equal(plan, null);
  assert.deepEqual(problems, [
    '第 2 行：分值“七十”不是正数',
    '第 3 行：“二级指标”为空',
    '第 3 行：“三级指标”为空',
    '第 4 行：目标类型“年度目标”不是本考评周期的目标类型（职能目标、专项目标、创新目标、满意目标）',
    '第 5 行：牵头考核单位“自治区不存在局”不在单位目录中',
    '第 6 行：“具体指标”为空',
  ]);
  assert.deepEqual(planFromRows(parseCsv('具体指标,分值\n地区生产总值,10\n'), context).problems,
    ['缺少“目标类型”列', '缺少“一级指标”列', '缺少“二级指标”列', '缺少“三级指标”列', '缺少“目标值”列', '缺少“牵头考核单位”列']);
  assert.deepEqual(planFromRows(parseCsv(''), context).problems, ['表格是空的']);
  assert.deepEqual(planFromRows(parseCsv(COLUMNS.map((c) => c.title).join(',') + '\n'), context).problems, ['表格中没有指标']);
  assert.throws(() => parseCsv('a,"b\n'), /未闭合的引号/);
});

check('the indicators of each target type sum to its points in the unit\'s category, or the table is refused', () => {
  const points = categoryPoints(cycle, 'cities');
  assert.deepEqual([...points], [['functional', 700], ['special', 60], ['innovation', 90], ['satisfaction', 150]]);
  const heading = '目标类型,一级指标,二级指标,三级指标,具体指标,分值,目标值,牵头考核单位\n';
  const table = (rows) => planFromRows(parseCsv(heading + rows.join('\n')), { ...context, points });
  const full = ['职能目标,a,a,a,a,700,x,统计局', '专项目标,b,b,b,b,60,x,统计局', '创新目标,c,c,c,c,90,x,统计局', '满意目标,d,d,d,d,150,x,统计局'];
  assert.deepEqual(table(full).problems, []);
  assert.deepEqual(table(['职能目标,a,a,a,a,690,x,统计局', '创新目标,c,c,c,c,90,x,统计局', '满意目标,d,d,d,d,150,x,统计局']).problems,
    ['职能目标的指标合计 690 分，本类别应为 700 分', '缺少目标类型“专项目标”（本类别 60 分）']);
  assert.equal(table(['职能目标,a,a,a,a,690,x,统计局']).plan, null);
  // A department category with weights of its own: a type it does not name is not assessed there.
  const dept = JSON.parse(readFileSync(join(root, 'workflows/data/cycle-2026-department.json'), 'utf8'));
  const category = dept.categories.find((c) => c.target_type_weights);
  const deptPoints = categoryPoints(dept, category.id);
  assert.equal(deptPoints.get('functional'), category.target_type_weights.functional * 10);
  const named = new Set(Object.keys(category.target_type_weights));
  const unnamed = dept.target_types.find((t) => !named.has(t.id));
  if (unnamed) assert.equal(deptPoints.get(unnamed.id), 0);
});

check('a short name two units share is not a unit', () => {
  const resolve = unitResolver([{ id: 'a', name: '甲市水利局', short_name: '水利局' }, { id: 'b', name: '乙市水利局', short_name: '水利局' },
    { id: 'c', name: '自治区水利厅', short_name: '水利厅' }]);
  assert.equal(resolve('水利局'), undefined);
  assert.equal(resolve('水利厅'), 'c');
  assert.equal(resolve(' 甲市水利局 '), 'a');
  assert.equal(resolve('b'), 'b');
});

done();
