// The audit trail as the page reads it (web-admin/audit.js) without a browser: Beijing
// days as the API's instants, events in words, refusals in the Chinese the user saw,
// and the export of what is shown.
// usage: node audit_test.mjs <source dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const { beijingDays, beijingSecond, eventView, auditCsv, AUDIT_CSV_HEADER } =
  await import(join(process.argv[2], 'web-admin/audit.js'));
const { parseCsv } = await import(join(process.argv[2], 'web-admin/plan-csv.js'));

check('a Beijing day runs from 16:00 UTC the day before to 15:59:59.999 UTC on the day', () => {
  assert.deepEqual(beijingDays('2026-03-16', '2026-03-16'),
    { from: '2026-03-15T16:00:00.000Z', to: '2026-03-16T15:59:59.999Z' });
  // Across a month's and a year's end; a leap day.
  assert.deepEqual(beijingDays('2026-01-01', '2028-02-29'),
    { from: '2025-12-31T16:00:00.000Z', to: '2028-02-29T15:59:59.999Z' });
  // An open end stays open.
  assert.deepEqual(beijingDays('', '2026-10-08'), { to: '2026-10-08T15:59:59.999Z' });
  assert.deepEqual(beijingDays('2026-10-08', ''), { from: '2026-10-07T16:00:00.000Z' });
  assert.deepEqual(beijingDays('', ''), {});
});

check('a day that is not one, or a range backwards, is an error and no bound', () => {
  assert.match(beijingDays('2026-02-29', '').error, /起始日期“2026-02-29”不是有效日期/);
  assert.match(beijingDays('', '2026-13-01').error, /截止日期“2026-13-01”不是有效日期/);
  assert.match(beijingDays('26-3-1', '').error, /不是有效日期/);
  assert.deepEqual(beijingDays('2026-03-17', '2026-03-16'), { error: '截止日期早于起始日期' });
});

check('times to the second in Beijing time, across midnight', () => {
  assert.equal(beijingSecond('2026-03-15T16:00:00.000Z'), '2026-03-16 00:00:00');
  assert.equal(beijingSecond('2026-04-29T01:00:05.250Z'), '2026-04-29 09:00:05');
  assert.equal(beijingSecond('not a time'), 'not a time');
});

const names = new Map([['gx-nanning', '南宁市']]);
const refused = {
  seq: 41, ts: '2026-11-19T23:30:00.000Z', actor: { user: 'li.nanning', role: 'unit', unit: 'gx-nanning', origin: 'http 127.0.0.1' },
  command: 'request_adjustment', entity: 'lifecycle/2026/city/gx-nanning', outcome: 'refused',
  reason: 'adjustments are filed 2026-11-20..2026-11-30 (cycle 2026 city); today is 2026-11-19',
  hash: 'ab'.repeat(32),
};
const accepted = {
  seq: 42, ts: '2026-11-20T01:00:00.000Z', actor: { user: 'zhang.office', role: 'office', unit: '', origin: 'http 127.0.0.1' },
  command: 'disable', entity: 'user/clerk', outcome: 'accepted', reason: '=HYPERLINK("http://example")',
  hash: 'cd'.repeat(32),
};

check('an event in words: role, unit by name, command, outcome; a refusal as the user was told it', () => {
  const v = eventView(refused, names);
  assert.equal(v.time, '2026-11-20 07:30:00');
  assert.equal(v.role, '被考评单位');
  assert.equal(v.unit, '南宁市');
  assert.equal(v.unitId, 'gx-nanning');
  assert.equal(v.command, '申请调整指标');
  assert.equal(v.outcome, '拒绝');
  assert.ok(v.refused);
  assert.match(v.reason, /[\u4e00-\u9fff]/, 'in Chinese: ' + v.reason);
  assert.match(v.reason, /2026-11-20/);
  assert.match(v.reason, /2026-11-19/);
  assert.equal(v.original, refused.reason);
  // An accepted command's reason is what its sender wrote, as written.
  const a = eventView(accepted, names);
  assert.equal(a.reason, accepted.reason);
  assert.equal(a.outcome, '通过');
  assert.equal(a.unit, '');
  // A unit the directory does not know is shown by its id.
  assert.equal(eventView(refused).unit, 'gx-nanning');
});

check('the export: a row per event as shown, the full hash, nothing that runs as a formula', () => {
  const text = auditCsv([refused, accepted], names);
  assert.ok(text.startsWith('\ufeff'));
  const rows = parseCsv(text.slice(1));
  assert.deepEqual(rows[0], AUDIT_CSV_HEADER);
  assert.equal(rows.length, 3);
  const col = (name) => AUDIT_CSV_HEADER.indexOf(name);
  assert.equal(rows[1][col('序号')], '41');
  assert.equal(rows[1][col('时间（北京时间）')], '2026-11-20 07:30:00');
  assert.equal(rows[1][col('单位')], '南宁市');
  assert.equal(rows[1][col('操作')], '申请调整指标');
  assert.equal(rows[1][col('命令')], 'request_adjustment');
  assert.equal(rows[1][col('结果')], '拒绝');
  assert.equal(rows[1][col('理由')], eventView(refused, names).reason);
  assert.equal(rows[1][col('理由（日志原文）')], refused.reason);
  assert.equal(rows[1][col('哈希')], refused.hash);
  assert.equal(rows[2][col('理由')], "'" + accepted.reason);
  assert.equal(rows[2][col('理由（日志原文）')], "'" + accepted.reason);
});

done();
