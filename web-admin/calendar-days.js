// The working calendar's days as the admin's page reads and writes them: days as
// "YYYY-MM-DD", the lists of days off and make-up working days as calendars/cn.json
// writes them (each entry a day or an inclusive range "A..B"), a calendar document
// (govassess-calendar/1) chosen as a file checked before it is sent, what loading a year
// changes, and the Chinese texts made from the server's answers. Pure functions, no page:
// the calendar page (view-calendar.js), the notice's reading (notice.js) and the tests
// (node) use them alike.
//
// `cal` below is GET /api/v1/calendar's answer: {region, weekend, covered, years: [{year,
// origin, holidays, …}], …}.
import { CALENDAR_ORIGIN, WEEKDAY, WEEKDAY_KEYS, label } from './labels.js';

// The "format" of a calendar document this page reads and writes.
export const CALENDAR_FORMAT = 'govassess-calendar/1';

const DAY_MS = 24 * 3600 * 1000;
// A range holds at most this many days, first and last included (as the server reads it).
const MAX_RANGE_DAYS = 366;
const SHAPE = 'YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD';
const DOCUMENT_FIELDS = ['format', 'region', 'weekend', 'years'];
const YEAR_FIELDS = ['year', 'source', 'holidays'];
const HOLIDAY_FIELDS = ['name', 'off', 'work'];

// ---- days ---------------------------------------------------------------------------

const pad = (n, width = 2) => String(n).padStart(width, '0');

// A UTC time in ms → its day, "YYYY-MM-DD" (years 0–9999).
export function dayOfMs(ms) {
  const d = new Date(ms);
  return pad(d.getUTCFullYear(), 4) + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
}

// Year, month (1–12) and day of the month → "YYYY-MM-DD", or null when the month has no
// such day (2月30日, 13月1日). A year under 100 is taken as 19xx, as Date.UTC does.
export function dayOf(y, m, d) {
  if (m < 1 || m > 12 || d < 1) return null;
  const ms = Date.UTC(y, m - 1, d);
  const date = new Date(ms);
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? dayOfMs(ms) : null;
}

// "YYYY-MM-DD" → its UTC midnight in ms, or NaN when it is not written so or there is no
// such day. Never throws, whatever it is given.
export function msOfDay(day) {
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return NaN;
  const [y, m, d] = day.split('-').map(Number);
  return dayOf(y, m, d) === day ? Date.UTC(y, m - 1, d) : NaN;
}

// Days, each once and in order.
export const sortedDays = (days) => [...new Set(days)].sort();

// Every day from `from` to `to`, both included, in order; [] when `to` is before `from`.
// REQUIRES: both are days (msOfDay is not NaN). Any span: the 366-day limit of a
// calendar's ranges is daysOfSpans's.
export function daysBetween(from, to) {
  const out = [];
  for (let ms = msOfDay(from), end = msOfDay(to); ms <= end; ms += DAY_MS) out.push(dayOfMs(ms));
  return out;
}

// A day → its weekday as the calendar's "weekend" names it: 'mon' … 'sun'.
// REQUIRES: a day (msOfDay is not NaN).
export const weekdayOf = (day) => WEEKDAY_KEYS[new Date(msOfDay(day)).getUTCDay()];

// "2026-10-10（周六）", with a note: "2026-10-10（周六，国庆节调休上班）".
// REQUIRES: a day.
export const dayText = (day, note) => day + '（' + label(WEEKDAY, weekdayOf(day)) + (note ? '，' + note : '') + '）';

// ---- lists of days as the calendar writes them --------------------------------------

// An off or work list (each entry a day or an inclusive range "A..B" ending at most 366
// days after it starts) → its days, each once, sorted; null when it is not an array or an entry is neither (a
// day that does not exist, a range that ends before it starts). [] for [].
export function daysOfSpans(spans) {
  if (!Array.isArray(spans)) return null;
  const out = [];
  for (const span of spans) {
    if (typeof span !== 'string') return null;
    const parts = span.split('..');
    const [from, to = from] = parts;
    const a = msOfDay(from);
    const b = msOfDay(to);
    if (parts.length > 2 || Number.isNaN(a) || Number.isNaN(b) || b < a || b - a >= MAX_RANGE_DAYS * DAY_MS) return null;
    out.push(...daysBetween(from, to));
  }
  return sortedDays(out);
}

// Days → the calendar's way of writing them, as the server writes them: a run of 3 or
// more consecutive days as "first..last", shorter runs day by day. daysOfSpans gives the
// days back. REQUIRES: each a day.
export function spansOfDays(days) {
  const sorted = sortedDays(days);
  const out = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && msOfDay(sorted[j + 1]) - msOfDay(sorted[j]) === DAY_MS) j++;
    if (j - i >= 2) out.push(sorted[i] + '..' + sorted[j]);
    else out.push(...sorted.slice(i, j + 1));
    i = j + 1;
  }
  return out;
}

// An off or work list in words: "2027-01-01（周五）至 2027-01-03（周日）、…"; an entry that
// is not a day is shown as written, a list that is not one as JSON, no list as ''.
export function spansText(spans) {
  if (!Array.isArray(spans)) return spans === undefined ? '' : JSON.stringify(spans);
  return spans.map((span) => {
    if (!daysOfSpans([span])) return String(span);
    const [a, b] = span.split('..');
    return b === undefined ? dayText(a) : dayText(a) + ' 至 ' + dayText(b);
  }).join('、');
}

// ---- a year's holidays ----------------------------------------------------------------

// A year's holidays that are objects at all (a chosen file may hold anything).
const holidaysOf = (entry) => (Array.isArray(entry.holidays) ? entry.holidays : []).filter((hd) => hd && typeof hd === 'object');

// A year in the calendar's format (or a file's, unchecked) → "7 个节假日，放假 33 天，调休上班
// 6 天": lists that cannot be read count no days.
export function yearSummary(entry) {
  const holidays = holidaysOf(entry);
  const off = new Set(holidays.flatMap((hd) => daysOfSpans(hd.off) || []));
  const work = new Set(holidays.flatMap((hd) => daysOfSpans(hd.work || []) || []));
  return holidays.length + ' 个节假日，放假 ' + off.size + ' 天，调休上班 ' + work.size + ' 天';
}

// Each day the calendar names → what it is: "国庆节放假", "国庆节调休上班" (a Map).
export function dayNotes(cal) {
  const notes = new Map();
  for (const y of cal.years) {
    for (const hd of y.holidays) {
      for (const day of daysOfSpans(hd.off) || []) notes.set(day, hd.name + '放假');
      for (const day of daysOfSpans(hd.work || []) || []) notes.set(day, hd.name + '调休上班');
    }
  }
  return notes;
}

// GET /api/v1/calendar/day's answer {date, working_day, days?, result?} in words, each day
// with what `notes` (dayNotes) says of it: "2026-10-01（周四，国庆节放假）是休息日。3 个工作日后是 …。"
export function dayAnswerText(answer, notes) {
  const out = [dayText(answer.date, notes.get(answer.date)) + '是' + (answer.working_day ? '工作日' : '休息日') + '。'];
  if (answer.days !== undefined) {
    out.push((answer.days >= 0 ? answer.days + ' 个工作日后' : -answer.days + ' 个工作日前') + '是 ' +
      dayText(answer.result, notes.get(answer.result)) + '。');
  }
  return out.join('');
}

// ---- what the calendar covers ---------------------------------------------------------

// This year missing, or next year's arrangement not loaded from October on (the State
// Council publishes it in the autumn, when the year's last deadlines already run into
// it), with `today` a day in Beijing: {missing: 'this' | 'next', year, text}, or null when
// neither. `mayLoad`: the reader may load a year (the text says where; else who will).
export function coverageGap(cal, today, mayLoad) {
  const year = Number(today.slice(0, 4));
  const has = (y) => cal.years.some((c) => c.year === y);
  const who = mayLoad ? '公布后请在下方“载入节假日安排”中载入。' : '公布后由系统管理员载入。';
  if (!has(year)) {
    return { missing: 'this', year, text: '工作日历尚未载入今年（' + year + ' 年）的节假日安排，按工作日计算的期限暂无法计算。' + who };
  }
  if (Number(today.slice(5, 7)) >= 10 && !has(year + 1)) {
    return { missing: 'next', year: year + 1, text: '尚未载入 ' + (year + 1) + ' 年的节假日安排：跨入 ' + (year + 1) +
      ' 年的期限（如年底的复核申请、新增重大任务的 30 个工作日）暂无法计算。国务院办公厅通常在每年 10 月至 12 月公布下一年的安排，' + who };
  }
  return null;
}

// ---- a calendar document --------------------------------------------------------------

// A calendar's years (in its format: {year, source, holidays}) as the document `load`
// takes, for this calendar's region and weekend.
export const calendarDocument = (cal, years) => ({ format: CALENDAR_FORMAT, region: cal.region, weekend: cal.weekend, years });

// The fields of `object` that are not in `known`, each as “name”.
const unknownFields = (object, known) => Object.keys(object).filter((k) => !known.includes(k)).map((k) => '“' + k + '”');
const extra = (fields, known) => '有多余的字段' + fields.join('、') + '（应只有 ' + known.join('、') + '）。';

// A calendar document chosen as a file (JSON.parse's value, anything) → {entries: its
// years that have a year, problems: sentences in Chinese}, checked against `cal`: the
// format, the region and weekend of this calendar, the fields each level may have, and
// each year's year, source and holidays, each with a name and days off (and make-up
// working days) that can be read. No problems is no promise: the server checks it again,
// field by field (a day both off and at work, a day far from its year). Never throws.
export function readDocument(doc, cal) {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return { entries: [], problems: ['文件不是日历文档（应为一个 JSON 对象，格式 ' + CALENDAR_FORMAT + '）。'] };
  }
  const problems = [];
  const given = (v) => (v === undefined ? '没有写明' : '为“' + (typeof v === 'string' ? v : JSON.stringify(v)) + '”');
  if (doc.format !== CALENDAR_FORMAT) problems.push('文件的格式（format）' + given(doc.format) + '，应为“' + CALENDAR_FORMAT + '”。');
  if (doc.region !== cal.region) problems.push('文件的地区（region）' + given(doc.region) + '，本系统日历的地区是“' + cal.region + '”。');
  const weekend = Array.isArray(doc.weekend) ? [...doc.weekend].sort().join() : '';
  if (weekend !== [...cal.weekend].sort().join()) {
    problems.push('文件的周末与本系统日历的周末（' + cal.weekend.map((d) => label(WEEKDAY, d)).join('、') + '）不同。');
  }
  const unknown = unknownFields(doc, DOCUMENT_FIELDS);
  if (unknown.length) problems.push('文件' + extra(unknown, DOCUMENT_FIELDS));
  const years = Array.isArray(doc.years) ? doc.years : [];
  if (!years.length) problems.push('文件中没有年份（years）。');
  const entries = [];
  const seen = new Set();
  years.forEach((y, i) => {
    if (!y || !Number.isInteger(y.year)) return problems.push('第 ' + (i + 1) + ' 个年份没有写明年份（year）。');
    const where = y.year + ' 年';
    if (seen.has(y.year)) problems.push(where + '出现了两次。');
    seen.add(y.year);
    const unknownInYear = unknownFields(y, YEAR_FIELDS);
    if (unknownInYear.length) problems.push(where + extra(unknownInYear, YEAR_FIELDS));
    if (typeof y.source !== 'string' || !y.source.trim()) problems.push(where + '没有来源（source）。');
    if (!Array.isArray(y.holidays) || !y.holidays.length) return problems.push(where + '没有节假日（holidays）。');
    y.holidays.forEach((hd, j) => {
      const name = hd && typeof hd.name === 'string' && hd.name ? '“' + hd.name + '”' : '第 ' + (j + 1) + ' 个节假日';
      if (!hd || typeof hd.name !== 'string' || !hd.name) problems.push(where + '第 ' + (j + 1) + ' 个节假日没有名称。');
      const unknownInHoliday = hd && typeof hd === 'object' ? unknownFields(hd, HOLIDAY_FIELDS) : [];
      if (unknownInHoliday.length) problems.push(where + name + extra(unknownInHoliday, HOLIDAY_FIELDS));
      if (!hd || !daysOfSpans(hd.off) || !hd.off.length) problems.push(where + name + '的放假日期无法读取（每项为 ' + SHAPE + '）。');
      if (hd && hd.work !== undefined && !daysOfSpans(hd.work)) problems.push(where + name + '的调休上班日期无法读取（每项为 ' + SHAPE + '）。');
    });
    entries.push(y);
  });
  return { entries, problems };
}

// ---- loading and withdrawing ----------------------------------------------------------

// What loading `entry` (a year in the calendar's format) does to `cal`: {year, replaces:
// whether it replaces a year in force (which needs a reason), text: that or the year
// added, in Chinese, elsewhere: the days of other years it makes days off or working days
// ("2026-12-31（元旦放假）", "2026-12-26（调休上班）"), elsewhereText: them in a sentence,
// or null}.
export function loadEffect(cal, entry) {
  const held = cal.years.find((c) => c.year === entry.year);
  const elsewhere = [];
  for (const hd of holidaysOf(entry)) {
    for (const day of daysOfSpans(hd.off) || []) if (!day.startsWith(entry.year + '-')) elsewhere.push(day + '（' + hd.name + '放假）');
    for (const day of daysOfSpans(hd.work || []) || []) if (!day.startsWith(entry.year + '-')) elsewhere.push(day + '（调休上班）');
  }
  return {
    year: entry.year,
    replaces: Boolean(held),
    text: held
      ? '将替换现有 ' + entry.year + ' 年安排（' + label(CALENDAR_ORIGIN, held.origin) + '），须填写理由。'
      : '将新增 ' + entry.year + ' 年（现已覆盖 ' + cal.covered + '），载入后即用于按工作日计算的期限。',
    elsewhere,
    elsewhereText: elsewhere.length ? '同时调整其他年份的日期：' + elsewhere.join('、') + '。' : null,
  };
}

const yearList = (list) => list.join('、');

// Loading `years` with `reason`: the sentence saying a reason is needed when some of them
// replace a year in force and the reason is blank; else null.
export function missingReason(cal, years, reason) {
  const replacing = years.filter((y) => cal.years.some((c) => c.year === y));
  return replacing.length && !String(reason || '').trim() ? '将替换现有 ' + yearList(replacing) + ' 年安排，须填写理由。' : null;
}

// The load's result in Chinese: "已载入 2027 年；同时调整 2026-12-31；现已覆盖 2007–2027。"
export function loadedText(r) {
  const parts = [];
  if (r.added && r.added.length) parts.push('已载入 ' + yearList(r.added) + ' 年');
  if (r.replaced && r.replaced.length) parts.push('已替换 ' + yearList(r.replaced) + ' 年的安排');
  if (r.unchanged && r.unchanged.length) parts.push(yearList(r.unchanged) + ' 年与现有安排相同，未改动');
  if (r.also_changes && r.also_changes.length) parts.push('同时调整 ' + r.also_changes.map((span) => span.replace('..', ' 至 ')).join('、'));
  parts.push('现已覆盖 ' + r.covered);
  return parts.join('；') + '。';
}

// The withdrawal's result in Chinese: "已撤回 2027 年安排；现已覆盖 2007–2026。", with the
// shipped year restored when there was one.
export function withdrawnText(r) {
  return '已撤回 ' + r.withdrawn + ' 年安排' + (r.shipped_again ? '，恢复随系统发布的 ' + r.withdrawn + ' 年安排' : '') +
    '；现已覆盖 ' + r.covered + '。';
}
