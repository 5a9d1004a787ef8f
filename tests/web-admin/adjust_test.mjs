// Indicator adjustments as the page builds them (web-admin/adjust.js) without a browser:
// the operations request_adjustment takes, and the points checked as the server checks
// them, on the sample plan. usage: node adjust_test.mjs <source dir>
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const root = process.argv[2];
const { buildAdjustment, indicators, level3Items } = await import(join(root, 'web-admin/adjust.js'));
const plan = JSON.parse(readFileSync(join(root, 'workflows/data/sample-plan-nanning-2026.json'), 'utf8'));


check('the plan\'s indicators and level-3 items, with the names above them', () => {
  const all = indicators(plan);
  assert.equal(all[0].node.id, 'functional.1.1.1.1');
  assert.deepEqual(all[0].path, ['职能目标', '经济建设', '经济增长', 'GDP增长']);
  assert.equal(all[0].type.id, 'functional');
  assert.ok(level3Items(plan).some((i) => i.node.id === 'functional.1.1.1'));
});

check('points moved within a target type, a target changed, an indicator dropped and one added: the operations', () => {
  // 地区生产总值 21 → 16, and a new indicator of 5 under GDP增长: 经济建设 keeps its 300.
  const r = buildAdjustment(plan, {
    edits: { 'functional.1.1.1.1': { weight: 16, target: '增速不低于6%' }, 'functional.1.1.1.2': { target: '  完成目标  ' } },
    additions: [{ parent_id: 'functional.1.1.1', name: '规上工业增加值', weight: 5, target: '增长7%', lead_assessor: 'gx-statistics', scoring_rule: ' ' }],
  });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.operations, [
    { op: 'modify', id: 'functional.1.1.1.1', weight: 16, target: '增速不低于6%' },
    { op: 'modify', id: 'functional.1.1.1.2', target: '完成目标' },
    { op: 'add', parent_id: 'functional.1.1.1', node: { id: 'functional.1.1.1.3', name: '规上工业增加值', weight: 5, target: '增长7%', lead_assessor: 'gx-statistics' } },
  ]);
  assert.deepEqual(r.totals.find((t) => t.id === 'functional'), { id: 'functional', name: '职能目标', before: 700, after: 700 });
});

check('a change that does not keep the points is refused, naming the target type and the declared inner node', () => {
  const r = buildAdjustment(plan, { edits: { 'functional.1.1.1.1': { weight: 11 } } });
  assert.deepEqual(r.operations, []);
  assert.deepEqual(r.problems, ['职能目标调整后合计 690 分，须保持 700 分（在同一目标类型内增减平衡）', '“经济建设”声明 300 分，调整后其下指标合计 290 分']);
  // Moving points between two level-1 items of one target type keeps the type but not
  // the items' declared points.
  const l1 = plan.target_types[0].children;
  const other = indicators(plan).find((i) => i.path[1] === l1[1].name).node;
  const moved = buildAdjustment(plan, { edits: { 'functional.1.1.1.1': { weight: 31 }, [other.id]: { weight: other.weight - 10 } } });
  assert.equal(moved.problems.length, 2, moved.problems.join('\n'));
  assert.ok(moved.problems.every((p) => p.includes('声明')));
});

check('removing an indicator removes the level items left empty, and its points must go elsewhere', () => {
  const lonely = indicators(plan).find((i) => {
    const l3 = level3Items(plan).find((x) => x.node.children.some((c) => c.id === i.node.id));
    return l3.node.children.length === 1 && i.type.id === 'special';
  });
  assert.ok(lonely, 'the special indicators each sit alone under their level-3 item');
  const r = buildAdjustment(plan, { removals: [lonely.node.id] });
  assert.deepEqual(r.operations, []);
  assert.match(r.problems[0], /^专项目标调整后合计 30 分，须保持 60 分/);
  const sibling = indicators(plan).find((i) => i.type.id === 'special' && i.node.id !== lonely.node.id).node;
  const ok = buildAdjustment(plan, { removals: [lonely.node.id], edits: { [sibling.id]: { weight: 60 } } });
  assert.deepEqual(ok.problems.filter((p) => !p.includes('声明')), []);
});

check('bad input is named and gives no operations', () => {
  const r = buildAdjustment(plan, {
    edits: { 'functional.1.1.1.1': { weight: -1, target: '' }, nope: { weight: 1 } },
    additions: [{ parent_id: '', name: '', weight: 0, target: '', lead_assessor: '' }],
  });
  assert.deepEqual(r.operations, []);
  assert.deepEqual(r.problems.slice(0, 3), ['“地区生产总值”（functional.1.1.1.1）：分值须为正数', '“地区生产总值”（functional.1.1.1.1）：目标值不能为空', '没有指标 nope']);
  assert.ok(r.problems.includes('新增第 1 项：请选择它所属的三级指标'));
  assert.deepEqual(buildAdjustment(plan, {}).problems, ['没有任何调整']);
});

done();
