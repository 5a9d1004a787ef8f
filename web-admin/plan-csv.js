// A performance plan as a table (CSV, as a spreadsheet saves it) and back: one row per
// indicator, its target type and levels in the first columns, as in the framework tables
// of the yearly work plan (目标类型 | 一级指标 | 二级指标 | 三级指标 | 具体指标 | 分值 | 目标值 |
// 牵头考核单位 | 数据提供单位 | 评分办法). Pure functions, no page: the instance page and the
// tests (node) use them alike.
//
// Reading is forgiving where spreadsheets are: a byte-order mark, CRLF, quoted cells with
// commas or line breaks, blank rows, and merged cells — a blank level cell repeats the
// one above it. It is strict about meaning: every problem is reported by row and column,
// and a table with any problem gives no plan. Lead assessors and data providers may be
// written as the unit directory writes them (full name, a short name no other unit has,
// or the id); the plan holds unit ids. Ids are given by position (functional.1.2.3.4);
// inner weights are not read (the server checks the indicators' sum per target type).

export const COLUMNS = [
  { key: 'type', title: '目标类型', required: true, fill: true },
  { key: 'l1', title: '一级指标', required: true, fill: true },
  { key: 'l2', title: '二级指标', required: true, fill: true },
  { key: 'l3', title: '三级指标', required: true, fill: true },
  { key: 'name', title: '具体指标', required: true },
  { key: 'weight', title: '分值', required: true },
  { key: 'target', title: '目标值', required: true },
  { key: 'lead', title: '牵头考核单位', required: true },
  { key: 'provider', title: '数据提供单位' },
  { key: 'rule', title: '评分办法' },
];

// Other headings spreadsheets use for the same columns.
const ALIASES = { 指标: 'name', 权重: 'weight', 分数: 'weight', 目标: 'target', 指标要求: 'target',
  牵头单位: 'lead', 主考单位: 'lead', 数据提供: 'provider', 评分标准: 'rule', 评分细则: 'rule' };

// RFC 4180 text → rows of cells. Tolerates a BOM, CRLF or LF, and a last line without
// a line break. Throws on a quote left open.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"' && cell === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (quoted) throw new Error('第 ' + (rows.length + 1) + ' 行有未闭合的引号');
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const quote = (v) => {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
};

// Text people typed (a reason, a note) for a table that is read, not read back in: a
// cell a spreadsheet would take for a formula (=, +, -, @) is made plain text with a
// leading apostrophe, as the server's CSV does.
export const plainText = (v) => {
  const s = v === undefined || v === null ? '' : String(v);
  return /^[=+\-@]/.test(s) ? "'" + s : s;
};

// Rows of cells → CSV text with CRLF and a BOM, as spreadsheets open it.
export function toCsv(rows) {
  return '\ufeff' + rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

// Unit names to ids from unit directories' units ({id, name, short_name}): full names,
// ids, and short names only one unit has.
export function unitResolver(units) {
  const ids = new Map();
  const shortCount = new Map();
  for (const u of units) if (u.short_name) shortCount.set(u.short_name, (shortCount.get(u.short_name) || 0) + 1);
  for (const u of units) {
    ids.set(u.id, u.id);
    if (u.name) ids.set(u.name, u.id);
  }
  for (const u of units) if (u.short_name && shortCount.get(u.short_name) === 1 && !ids.has(u.short_name)) ids.set(u.short_name, u.id);
  return (text) => ids.get(text.trim());
}

// The points each target type is worth in a category of a cycle's configuration (its
// weight percent of max_score; a category's own weights replace the cycle's, and the
// types it does not name are worth 0), as the server checks a plan against them.
export function categoryPoints(config, categoryId) {
  const category = (config.categories || []).find((c) => c.id === categoryId);
  const weights = category && category.target_type_weights
    ? category.target_type_weights
    : Object.fromEntries((config.target_types || []).map((t) => [t.id, t.weight]));
  const max = (config.grade_rules && config.grade_rules.max_score) || 1000;
  return new Map((config.target_types || []).map((t) => [t.id, ((weights[t.id] || 0) * max) / 100]));
}

// The table of a plan's tree (its latest version's, or a plan being drafted): a header
// row and one row per indicator, units written by name where `unitName` knows them.
export function planToRows(tree, targetTypeName = (t) => t.name, unitName = (id) => id) {
  const rows = [COLUMNS.map((c) => c.title)];
  for (const tt of tree.target_types || []) {
    for (const l1 of tt.children || []) {
      for (const l2 of l1.children || []) {
        for (const l3 of l2.children || []) {
          for (const leaf of l3.children || []) {
            rows.push([targetTypeName(tt), l1.name, l2.name, l3.name, leaf.name, leaf.weight, leaf.target,
              leaf.lead_assessor ? unitName(leaf.lead_assessor) : '', leaf.data_provider ? unitName(leaf.data_provider) : '',
              leaf.scoring_rule || '']);
          }
        }
      }
    }
  }
  return rows;
}

// Rows (the first the headings) → {plan, problems, summary}. `context`: {year, unitId,
// categoryId, targetTypes: [{id, name}] of the cycle, resolveUnit(text) → id|undefined,
// and optionally points: Map(target type id → points in the category) (categoryPoints)}.
// With any problem, plan is null; problems name the row (as the spreadsheet numbers it)
// and the column, or the target type whose indicators do not sum to its points.
export function planFromRows(rows, context) {
  const problems = [];
  const body = rows.map((r, i) => ({ cells: r, line: i + 1 }));
  const headerAt = body.findIndex((r) => r.cells.some((c) => c.trim() !== ''));
  if (headerAt < 0) return { plan: null, problems: ['表格是空的'], summary: null };
  const header = body[headerAt].cells.map((c) => c.trim());
  const index = {};
  header.forEach((title, i) => {
    const col = COLUMNS.find((c) => c.title === title || c.key === title);
    const key = col ? col.key : ALIASES[title];
    if (key && index[key] === undefined) index[key] = i;
  });
  for (const c of COLUMNS) if (c.required && index[c.key] === undefined) problems.push('缺少“' + c.title + '”列');
  if (problems.length) return { plan: null, problems, summary: null };

  const typeOf = (text) => context.targetTypes.find((t) => t.id === text || t.name === text);
  const types = [];
  const last = {};
  const at = (r, key) => (index[key] === undefined ? '' : (r.cells[index[key]] || '').trim());
  const childNamed = (list, name, prefix) => {
    let node = list.find((n) => n.name === name);
    if (!node) {
      node = { id: prefix + '.' + (list.length + 1), name, children: [] };
      list.push(node);
    }
    return node;
  };
  for (const r of body.slice(headerAt + 1)) {
    if (r.cells.every((c) => c.trim() === '')) continue;
    const where = '第 ' + r.line + ' 行';
    const v = {};
    for (const c of COLUMNS) {
      v[c.key] = at(r, c.key);
      if (c.fill) {
        if (v[c.key] === '') {
          v[c.key] = last[c.key] || '';
        } else if (v[c.key] !== last[c.key]) {
          // A new target type or level starts the levels below it afresh: a blank cell
          // under it is not its predecessor's.
          last[c.key] = v[c.key];
          for (const b of COLUMNS.slice(COLUMNS.indexOf(c) + 1)) if (b.fill && at(r, b.key) === '') delete last[b.key];
        }
      }
    }
    const before = problems.length;
    for (const c of COLUMNS) if (c.required && v[c.key] === '') problems.push(where + '：“' + c.title + '”为空');
    const type = v.type && typeOf(v.type);
    if (v.type && !type) {
      problems.push(where + '：目标类型“' + v.type + '”不是本考评周期的目标类型（' + context.targetTypes.map((t) => t.name).join('、') + '）');
    }
    const weight = Number(v.weight);
    if (v.weight !== '' && !(Number.isFinite(weight) && weight > 0)) problems.push(where + '：分值“' + v.weight + '”不是正数');
    const lead = v.lead && context.resolveUnit(v.lead);
    if (v.lead && !lead) problems.push(where + '：牵头考核单位“' + v.lead + '”不在单位目录中');
    const provider = v.provider && context.resolveUnit(v.provider);
    if (v.provider && !provider) problems.push(where + '：数据提供单位“' + v.provider + '”不在单位目录中');
    if (problems.length > before) continue;

    let tt = types.find((t) => t.id === type.id);
    if (!tt) {
      tt = { id: type.id, name: type.name, children: [] };
      types.push(tt);
    }
    const l1 = childNamed(tt.children, v.l1, tt.id);
    const l2 = childNamed(l1.children, v.l2, l1.id);
    const l3 = childNamed(l2.children, v.l3, l2.id);
    const leaf = { id: l3.id + '.' + (l3.children.length + 1), name: v.name, weight, target: v.target, lead_assessor: lead };
    if (provider) leaf.data_provider = provider;
    if (v.rule) leaf.scoring_rule = v.rule;
    l3.children.push(leaf);
  }
  if (!problems.length && !types.length) problems.push('表格中没有指标');
  if (problems.length) return { plan: null, problems, summary: null };
  // Target types in the cycle's order.
  types.sort((a, b) => context.targetTypes.findIndex((t) => t.id === a.id) - context.targetTypes.findIndex((t) => t.id === b.id));
  const summary = { indicators: 0, points: 0, byType: [] };
  for (const tt of types) {
    let n = 0;
    let p = 0;
    for (const l1 of tt.children) for (const l2 of l1.children) for (const l3 of l2.children) for (const leaf of l3.children) {
      n += 1;
      p += leaf.weight;
    }
    summary.indicators += n;
    summary.points += p;
    summary.byType.push({ id: tt.id, name: tt.name, indicators: n, points: Math.round(p * 100) / 100 });
  }
  summary.points = Math.round(summary.points * 100) / 100;
  if (context.points) {
    const nameOf = (id) => (context.targetTypes.find((t) => t.id === id) || { name: id }).name;
    for (const t of summary.byType) {
      const want = context.points.get(t.id) || 0;
      if (want <= 0) problems.push('目标类型“' + t.name + '”在本类别不考评，表中却有 ' + t.indicators + ' 个指标');
      else if (Math.abs(t.points - want) > 1e-6) problems.push(t.name + '的指标合计 ' + t.points + ' 分，本类别应为 ' + want + ' 分');
    }
    for (const [id, want] of context.points) {
      if (want > 0 && !summary.byType.some((t) => t.id === id)) problems.push('缺少目标类型“' + nameOf(id) + '”（本类别 ' + want + ' 分）');
    }
    if (problems.length) return { plan: null, problems, summary };
  }
  const plan = { year: context.year, unit_id: context.unitId, category_id: context.categoryId, target_types: types };
  return { plan, problems: [], summary };
}
