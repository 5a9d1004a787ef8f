// The special assessments an office already runs, as a table (CSV, as a spreadsheet
// saves it), turned into the registry book's `import` payload: one row per item, columns
// 名称 | 牵头单位 | 指标 | and optionally 配合单位, 考核对象, 依据, 许可证号, 有效期自, 有效期至,
// 编号. Lists (indicators, co-leads, assessed units) are separated by 、；; or line breaks
// inside the cell. Units stay as written: the import resolves them through the unit
// directory it names (docs/registry.md). Every problem is reported by row; a table with
// any problem gives no items. Pure functions, no page.
import { parseCsv } from './plan-csv.js';

export const ITEM_COLUMNS = [
  { key: 'name', title: '名称', required: true },
  { key: 'lead', title: '牵头单位', required: true },
  { key: 'indicators', title: '指标', required: true, list: true },
  { key: 'co_leads', title: '配合单位', list: true },
  { key: 'assessed_units', title: '考核对象', list: true },
  { key: 'basis', title: '依据' },
  { key: 'licence_number', title: '许可证号' },
  { key: 'valid_from', title: '有效期自', date: true },
  { key: 'valid_to', title: '有效期至', date: true },
  { key: 'id', title: '编号' },
];

const SLUG = /^[A-Za-z0-9._-]{1,64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
// A real calendar day written YYYY-MM-DD (Date alone would roll 02-30 into March).
const isDay = (v) => DAY.test(v) && !Number.isNaN(Date.parse(v + 'T00:00:00Z')) &&
  new Date(v + 'T00:00:00Z').toISOString().slice(0, 10) === v;
const split = (cell) => cell.split(/[、；;\n]+/).map((x) => x.trim()).filter(Boolean);

// CSV text → {items, problems}.
export function itemsFromCsv(text) {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (e) {
    return { items: null, problems: [e.message] };
  }
  const headerAt = rows.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (headerAt < 0) return { items: null, problems: ['表格是空的'] };
  const header = rows[headerAt].map((c) => c.trim());
  const index = {};
  header.forEach((title, i) => {
    const col = ITEM_COLUMNS.find((c) => c.title === title || c.key === title);
    if (col && index[col.key] === undefined) index[col.key] = i;
  });
  const problems = ITEM_COLUMNS.filter((c) => c.required && index[c.key] === undefined).map((c) => '缺少“' + c.title + '”列');
  if (problems.length) return { items: null, problems };
  const items = [];
  const ids = new Set();
  rows.slice(headerAt + 1).forEach((cells, k) => {
    if (cells.every((c) => c.trim() === '')) return;
    const where = '第 ' + (headerAt + k + 2) + ' 行';
    const item = {};
    for (const c of ITEM_COLUMNS) {
      const v = index[c.key] === undefined ? '' : (cells[index[c.key]] || '').trim();
      if (v === '') {
        if (c.required) problems.push(where + '：“' + c.title + '”为空');
        continue;
      }
      if (c.date && !isDay(v)) {
        problems.push(where + '：“' + c.title + '”应为日期 YYYY-MM-DD，不是“' + v + '”');
        continue;
      }
      if (c.key === 'id') {
        if (!SLUG.test(v)) problems.push(where + '：编号“' + v + '”只能用字母、数字和 . _ -（最多64个字符）');
        else if (ids.has(v)) problems.push(where + '：编号“' + v + '”重复');
        ids.add(v);
      }
      item[c.key] = c.list ? split(v) : v;
    }
    if (item.valid_from && item.valid_to && item.valid_to < item.valid_from) problems.push(where + '：有效期止于起始之前');
    items.push(item);
  });
  if (!problems.length && !items.length) problems.push('表格中没有专项考核');
  return problems.length ? { items: null, problems } : { items, problems: [] };
}
