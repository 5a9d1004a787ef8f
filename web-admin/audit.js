// The audit trail as an auditor reads it (审计日志): days counted in Beijing time, codes
// as the pages name them, a refusal's reason in the Chinese the user was shown, and the
// export of what the page shows — the same events, the same words — as a table.
// Pure: no page (dom.js only for its Beijing time).
import { ROLE, COMMAND, label } from './labels.js';
import { sayInChinese } from './say.js';
import { toCsv, plainText } from './plan-csv.js';
import { msOfDay } from './calendar-days.js';
import { BEIJING_OFFSET_MS, beijing } from './dom.js';

export const OUTCOME = { accepted: '通过', refused: '拒绝' };

// The filter's days, read in Beijing time, as the instants the API filters by (UTC, to
// the millisecond, both ends included): from the first millisecond of `from` to the
// last of `to`. An empty day leaves its end open. {error} names a day that is not one,
// or a range that ends before it starts.
export function beijingDays(from, to) {
  const out = {};
  const f = from ? msOfDay(from) : null;
  const t = to ? msOfDay(to) : null;
  if (from && Number.isNaN(f)) return { error: '起始日期“' + from + '”不是有效日期（YYYY-MM-DD）' };
  if (to && Number.isNaN(t)) return { error: '截止日期“' + to + '”不是有效日期（YYYY-MM-DD）' };
  if (f !== null && t !== null && t < f) return { error: '截止日期早于起始日期' };
  if (f !== null) out.from = new Date(f - BEIJING_OFFSET_MS).toISOString();
  if (t !== null) out.to = new Date(t + 24 * 3600 * 1000 - 1 - BEIJING_OFFSET_MS).toISOString();
  return out;
}

// "2026-04-29T01:00:05.250Z" → "2026-04-29 09:00:05" (Beijing time, to the second).
export const beijingSecond = (ts) => beijing(ts, { seconds: true });

// One journal event (GET /api/v1/audit) as the page shows it: names for codes (a unit by
// the directory's name), and for a refusal the reason in Chinese where say.js knows it —
// `reason` as shown, `original` as the journal keeps it.
export function eventView(e, names = new Map()) {
  const actor = e.actor || {};
  const original = e.reason || '';
  const reason = e.outcome === 'refused' ? sayInChinese(original) || original : original;
  return {
    seq: e.seq,
    time: beijingSecond(e.ts),
    user: actor.user || '',
    role: label(ROLE, actor.role || ''),
    unit: actor.unit ? names.get(actor.unit) || actor.unit : '',
    unitId: actor.unit || '',
    origin: actor.origin || '',
    command: label(COMMAND, e.command),
    commandCode: e.command,
    entity: e.entity || '',
    outcome: OUTCOME[e.outcome] || e.outcome,
    refused: e.outcome === 'refused',
    reason,
    original,
    hash: e.hash || '',
  };
}

export const AUDIT_CSV_HEADER = ['序号', '时间（北京时间）', '操作人', '角色', '单位', '单位编号', '来源', '操作',
  '命令', '对象', '结果', '理由', '理由（日志原文）', '哈希'];

// The events as a table (CSV with a BOM, as spreadsheets open it), a row per event in
// the order given; the full hash, so that a row can be checked against the chain; what
// people typed never runs as a formula.
export function auditCsv(events, names = new Map()) {
  const rows = [AUDIT_CSV_HEADER];
  for (const e of events) {
    const v = eventView(e, names);
    rows.push([String(v.seq), v.time, plainText(v.user), v.role, plainText(v.unit), plainText(v.unitId),
      plainText(v.origin), v.command, plainText(v.commandCode), plainText(v.entity), v.outcome,
      plainText(v.reason), plainText(v.original), v.hash]);
  }
  return toCsv(rows);
}
