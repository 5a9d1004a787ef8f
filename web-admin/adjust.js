// An indicator adjustment (指标调整) as a clerk fills it in on the plan's indicators —
// changed fields, indicators to drop, new ones under a level-3 item — turned into the
// change request_adjustment takes ({"operations": [modify | remove | add]}; see
// workflows/indicator_tree.h, ApplyAdjustment), and checked as the server will check it:
// every target type keeps its points, an inner node that declares points keeps them, new
// indicators are complete. Problems are in Chinese and name the indicator. Pure
// functions, no page.

export const FIELDS = ['name', 'weight', 'target', 'lead_assessor', 'scoring_rule'];

// The indicators of a plan tree with their target type and the names above them.
export function indicators(tree) {
  const out = [];
  const walk = (node, type, path) => {
    if (!node.children || !node.children.length) {
      out.push({ node, type, path });
      return;
    }
    for (const c of node.children) walk(c, type, [...path, node.name]);
  };
  for (const tt of tree.target_types || []) for (const c of tt.children || []) walk(c, tt, [tt.name]);
  return out;
}

// Every node of a plan tree (target types, levels, indicators) by id.
export function nodesById(tree) {
  const nodes = new Map();
  const walk = (n) => {
    nodes.set(n.id, n);
    (n.children || []).forEach(walk);
  };
  ((tree && tree.target_types) || []).forEach(walk);
  return nodes;
}

// The level-3 items (三级指标), under which new indicators go, with their names above.
export function level3Items(tree) {
  const out = [];
  for (const tt of tree.target_types || []) {
    for (const l1 of tt.children || []) {
      for (const l2 of l1.children || []) {
        for (const l3 of l2.children || []) out.push({ node: l3, type: tt, path: [tt.name, l1.name, l2.name, l3.name] });
      }
    }
  }
  return out;
}

// The next free id under `parent`: its id and the next number after its children's.
function nextId(parent, taken) {
  let n = 0;
  for (const c of parent.children || []) {
    const m = String(c.id).match(/\.(\d+)$/);
    if (m) n = Math.max(n, Number(m[1]));
  }
  let id;
  do id = parent.id + '.' + ++n; while (taken.has(id));
  taken.add(id);
  return id;
}

const sum = (node) => (node.children && node.children.length ? node.children.reduce((s, c) => s + sum(c), 0) : Number(node.weight) || 0);
const round = (x) => Math.round(x * 1e6) / 1e6;

function findNode(tree, id) {
  let found = null;
  const walk = (n) => {
    if (n.id === id) found = n;
    for (const c of n.children || []) if (!found) walk(c);
  };
  for (const tt of tree.target_types || []) if (!found) walk(tt);
  return found;
}

// edits: {indicator id: {field: new value}} (only what changed; weight a number);
// removals: [indicator id]; additions: [{parent_id, name, weight, target, lead_assessor,
// scoring_rule?}]. Returns {operations, problems, totals: [{id, name, before, after}]}.
export function buildAdjustment(tree, { edits = {}, removals = [], additions = [] }) {
  const problems = [];
  const operations = [];
  const nameOf = (id) => {
    const n = findNode(tree, id);
    return n ? '“' + n.name + '”（' + id + '）' : id;
  };
  // The tree after the change, to check the points as the server will.
  const after = JSON.parse(JSON.stringify(tree));
  for (const [id, fields] of Object.entries(edits)) {
    const node = findNode(after, id);
    if (!node || (node.children && node.children.length)) {
      problems.push('没有指标 ' + id);
      continue;
    }
    const op = { op: 'modify', id };
    for (const f of FIELDS) {
      if (!(f in fields)) continue;
      const v = fields[f];
      if (f === 'weight') {
        if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) {
          problems.push(nameOf(id) + '：分值须为正数');
          continue;
        }
      } else if (f !== 'scoring_rule' && (typeof v !== 'string' || v.trim() === '')) {
        problems.push(nameOf(id) + '：' + { name: '名称', target: '目标值', lead_assessor: '牵头考核单位' }[f] + '不能为空');
        continue;
      }
      op[f] = f === 'weight' ? v : v.trim();
      node[f] = op[f];
    }
    if (Object.keys(op).length > 2) operations.push(op);
  }
  for (const id of removals) {
    const node = findNode(after, id);
    if (!node) {
      problems.push('没有指标 ' + id);
      continue;
    }
    operations.push({ op: 'remove', id });
    // Remove it, and inner nodes left empty, as the server does.
    const prune = (n) => {
      if (!Array.isArray(n.children)) return;
      n.children = n.children.filter((c) => c.id !== id);
      n.children.forEach(prune);
      n.children = n.children.filter((c) => !Array.isArray(c.children) || c.children.length > 0);
    };
    after.target_types.forEach(prune);
  }
  const taken = new Set();
  const walkIds = (n) => {
    taken.add(n.id);
    (n.children || []).forEach(walkIds);
  };
  tree.target_types.forEach(walkIds);
  additions.forEach((a, i) => {
    const where = '新增第 ' + (i + 1) + ' 项';
    const parent = findNode(after, a.parent_id);
    const before = problems.length;
    if (!parent) problems.push(where + '：请选择它所属的三级指标');
    if (!a.name || !a.name.trim()) problems.push(where + '：名称不能为空');
    if (!(typeof a.weight === 'number' && Number.isFinite(a.weight) && a.weight > 0)) problems.push(where + '：分值须为正数');
    if (!a.target || !a.target.trim()) problems.push(where + '：目标值不能为空');
    if (!a.lead_assessor) problems.push(where + '：牵头考核单位不能为空');
    if (problems.length > before) return;
    const node = { id: nextId(parent, taken), name: a.name.trim(), weight: a.weight, target: a.target.trim(), lead_assessor: a.lead_assessor };
    if (a.scoring_rule && a.scoring_rule.trim()) node.scoring_rule = a.scoring_rule.trim();
    operations.push({ op: 'add', parent_id: parent.id, node });
    parent.children = [...(parent.children || []), JSON.parse(JSON.stringify(node))];
  });
  // Every target type keeps its points; an inner node that declares points keeps them.
  const totals = tree.target_types.map((tt) => {
    const now = after.target_types.find((t) => t.id === tt.id);
    return { id: tt.id, name: tt.name, before: round(sum(tt)), after: now ? round(sum(now)) : 0 };
  });
  for (const t of totals) {
    if (t.before !== t.after) problems.push(t.name + '调整后合计 ' + t.after + ' 分，须保持 ' + t.before + ' 分（在同一目标类型内增减平衡）');
  }
  const declared = (n) => {
    if (!n.children || !n.children.length) return;
    if (n.weight !== undefined && round(sum(n)) !== round(n.weight)) problems.push('“' + n.name + '”声明 ' + n.weight + ' 分，调整后其下指标合计 ' + round(sum(n)) + ' 分');
    n.children.forEach(declared);
  };
  after.target_types.forEach((tt) => (tt.children || []).forEach(declared));
  if (!operations.length && !problems.length) problems.push('没有任何调整');
  return { operations: problems.length ? [] : operations, problems, totals };
}
