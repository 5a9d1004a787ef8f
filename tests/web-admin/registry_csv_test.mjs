// Special assessments from a spreadsheet's CSV (web-admin/registry-csv.js) without a
// browser: the import payload's items, and every problem by row. usage: node
// registry_csv_test.mjs <source dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const { itemsFromCsv } = await import(join(process.argv[2], 'web-admin/registry-csv.js'));

check('rows become items: lists split on 、；; and line breaks, optional columns only when filled', () => {
  const text = '\ufeff名称,牵头单位,指标,配合单位,依据,许可证号,有效期自,有效期至,编号\r\n' +
    '统计数据质量考核,自治区统计局,"统计数据质量、统计执法检查；\n统计基层基础",自治区财政厅,《统计法》,专考〔2026〕3号,2026-01-01,2026-12-31,stats\r\n' +
    '\r\n' +
    '保密工作考核,自治区国家保密局,保密检查,,,,,,\r\n';
  const { items, problems } = itemsFromCsv(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(items, [
    { name: '统计数据质量考核', lead: '自治区统计局', indicators: ['统计数据质量', '统计执法检查', '统计基层基础'], co_leads: ['自治区财政厅'],
      basis: '《统计法》', licence_number: '专考〔2026〕3号', valid_from: '2026-01-01', valid_to: '2026-12-31', id: 'stats' },
    { name: '保密工作考核', lead: '自治区国家保密局', indicators: ['保密检查'] },
  ]);
});

check('every problem is named by row, and a table with any gives no items', () => {
  const text = '名称,牵头单位,指标,有效期自,有效期至,编号\n' +
    'a,,x,2026-13-01,,a/b\n' +
    'b,自治区统计局,x,2026-06-01,2026-01-01,dup\n' +
    'c,自治区统计局,x,,,dup\n' +
    'd,自治区统计局,x,2026-02-30,,\n';
  const { items, problems } = itemsFromCsv(text);
  assert.equal(items, null);
  assert.deepEqual(problems, [
    '第 2 行：“牵头单位”为空', '第 2 行：“有效期自”应为日期 YYYY-MM-DD，不是“2026-13-01”', '第 2 行：编号“a/b”只能用字母、数字和 . _ -（最多64个字符）',
    '第 3 行：有效期止于起始之前', '第 4 行：编号“dup”重复', '第 5 行：“有效期自”应为日期 YYYY-MM-DD，不是“2026-02-30”']);
  assert.deepEqual(itemsFromCsv('名称,指标\nx,y\n').problems, ['缺少“牵头单位”列']);
  assert.deepEqual(itemsFromCsv('').problems, ['表格是空的']);
  assert.deepEqual(itemsFromCsv('名称,牵头单位,指标\n').problems, ['表格中没有专项考核']);
  assert.match(itemsFromCsv('名称,牵头单位,指标\n"a,b,c\n').problems[0], /未闭合的引号/);
});

done();
