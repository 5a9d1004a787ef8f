// The working calendar's days as the admin's page works them out (web-admin/calendar-days.js),
// on calendars/cn.json: lists of days expanded and written back, a calendar document checked
// before it is sent, what loading a year changes, and the Chinese texts of the answers.
// usage: node calendar_days_test.mjs <source dir>
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const days = await import(join(process.argv[2], 'web-admin/calendar-days.js'));
const {
  CALENDAR_FORMAT, dayOf, msOfDay, dayOfMs, daysBetween, weekdayOf, dayText, daysOfSpans, spansOfDays, spansText,
  yearSummary, dayNotes, dayAnswerText, coverageGap, calendarDocument, readDocument, loadEffect, missingReason,
  loadedText, withdrawnText,
} = days;
const file = JSON.parse(readFileSync(join(process.argv[2], 'calendars/cn.json'), 'utf8'));
const inFile = (year) => file.years.find((y) => y.year === year);
const copy = (v) => JSON.parse(JSON.stringify(v));

// GET /api/v1/calendar's answer for the shipped calendar (the years up to `last`).
function calendar(last = 2026, origin = () => 'shipped') {
  const years = file.years.filter((y) => y.year <= last).map((y) => ({ ...copy(y), origin: origin(y.year) }));
  return { region: file.region, weekend: file.weekend, covered: years[0].year + '–' + last, years, version: 0 };
}
const CAL = calendar();
// A calendar document of the given years, as an admin would choose it.
const documentOf = (...years) => ({ format: CALENDAR_FORMAT, region: 'cn', weekend: ['sat', 'sun'], years: years.map(copy) });
const SHAPE = '（每项为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）';

check('cn.json\'s 2026: its ranges are 33 days off and 6 make-up working days', () => {
  const y2026 = inFile(2026);
  const off = y2026.holidays.flatMap((hd) => daysOfSpans(hd.off));
  const work = y2026.holidays.flatMap((hd) => daysOfSpans(hd.work || []));
  assert.equal(off.length, 33);
  assert.equal(work.length, 6);
  assert.deepEqual(daysOfSpans(y2026.holidays[1].off), [
    '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']);
  assert.deepEqual(work, ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  assert.equal(yearSummary(y2026), '7 个节假日，放假 33 天，调休上班 6 天');
  // Entries that overlap give each day once, in order, whatever order they are written in.
  assert.deepEqual(daysOfSpans(['2026-01-03', '2026-01-01..2026-01-03', '2025-12-31']),
    ['2025-12-31', '2026-01-01', '2026-01-02', '2026-01-03']);
  assert.deepEqual(daysOfSpans([]), []);
});

check('every year of cn.json, expanded day by day, is written back as the file writes it', () => {
  let total = 0;
  for (const year of file.years) {
    for (const hd of year.holidays) {
      for (const list of [hd.off, hd.work || []]) {
        const each = daysOfSpans(list);
        total += each.length;
        assert.deepEqual(spansOfDays(each), list, year.year + ' ' + hd.name);
      }
    }
  }
  assert.ok(total > 20 * 30, 'about 30 days off a year and their make-up days: ' + total);
  // Runs of 3 or more as a range, shorter runs day by day.
  assert.deepEqual(spansOfDays(['2026-10-03', '2026-10-01', '2026-10-02', '2026-10-10', '2026-10-11']),
    ['2026-10-01..2026-10-03', '2026-10-10', '2026-10-11']);
});

check('a list that cannot be read is null: no such day, a range backwards or too long, not a list', () => {
  for (const list of [['2026-02-30'], ['2026-13-01'], ['2026-1-1'], ['2026-01-03..2026-01-01'],
    ['2026-01-01..2027-12-31'], ['2026-01-01..2026-01-02..2026-01-03'], ['2026-01-01..'], [20260101], '2026-01-01', undefined]) {
    assert.equal(daysOfSpans(list), null, JSON.stringify(list));
  }
  // One entry that cannot be read spoils the list.
  assert.equal(daysOfSpans(['2026-01-01', '2026-02-29']), null);
  assert.deepEqual(daysOfSpans(['2024-02-29']), ['2024-02-29']);
});

check('days: only those that exist, across months and years, with their weekdays', () => {
  assert.equal(dayOf(2024, 2, 29), '2024-02-29');
  // (Date.UTC would carry each into another day: 1月366日 is 2027-01-01.)
  for (const [y, m, d] of [[2026, 2, 29], [2026, 13, 1], [2026, 0, 1], [2026, 4, 31], [2026, 1, 0], [2026, 1, 366]]) {
    assert.equal(dayOf(y, m, d), null, [y, m, d].join('-'));
  }
  assert.equal(dayOfMs(msOfDay('2026-10-10')), '2026-10-10');
  assert.equal(msOfDay('2026-10-10'), Date.UTC(2026, 9, 10));
  for (const bad of ['2026-02-29', '2026-2-28', '20261010', '', undefined, 20261010]) assert.ok(Number.isNaN(msOfDay(bad)), String(bad));
  assert.deepEqual(daysBetween('2026-12-30', '2027-01-02'), ['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  assert.deepEqual(daysBetween('2026-01-02', '2026-01-01'), []);
  assert.equal(weekdayOf('2026-10-10'), 'sat');
  assert.equal(weekdayOf('2026-10-01'), 'thu');
  assert.equal(dayText('2026-10-10'), '2026-10-10（周六）');
  assert.equal(dayText('2026-10-10', '国庆节调休上班'), '2026-10-10（周六，国庆节调休上班）');
});

check('a list in words: days with their weekdays, ranges with “ 至 ”, what is not a day as written', () => {
  const spring = inFile(2026).holidays[1];
  assert.equal(spansText(spring.off), '2026-02-15（周日） 至 2026-02-23（周一）');
  assert.equal(spansText(spring.work), '2026-02-14（周六）、2026-02-28（周六）');
  assert.equal(spansText(['2026-02-30', '2026-01-04']), '2026-02-30、2026-01-04（周日）');
  assert.equal(spansText(undefined), '');
  assert.equal(spansText('2026-01-04'), '"2026-01-04"');
});

check('what a day is and the day N working days on, in words, with what the calendar says of them', () => {
  const notes = dayNotes(CAL);
  assert.equal(notes.get('2026-10-01'), '国庆节放假');
  assert.equal(notes.get('2026-10-10'), '国庆节调休上班');
  assert.equal(notes.get('2026-10-09'), undefined);
  assert.equal(dayAnswerText({ date: '2026-10-01', working_day: false }, notes), '2026-10-01（周四，国庆节放假）是休息日。');
  assert.equal(dayAnswerText({ date: '2026-09-30', working_day: true, days: 3, result: '2026-10-10' }, notes),
    '2026-09-30（周三）是工作日。3 个工作日后是 2026-10-10（周六，国庆节调休上班）。');
  assert.equal(dayAnswerText({ date: '2026-10-08', working_day: true, days: -1, result: '2026-09-30' }, notes),
    '2026-10-08（周四）是工作日。1 个工作日前是 2026-09-30（周三）。');
});

check('this year missing, or next year not loaded from October on, is said; otherwise nothing', () => {
  assert.equal(coverageGap(CAL, '2026-05-01', true), null);
  assert.equal(coverageGap(CAL, '2026-09-30', true), null);
  const next = coverageGap(CAL, '2026-10-01', true);
  assert.deepEqual([next.missing, next.year], ['next', 2027]);
  assert.match(next.text, /^尚未载入 2027 年的节假日安排：跨入 2027 年的期限.*公布后请在下方“载入节假日安排”中载入。$/);
  assert.match(coverageGap(CAL, '2026-12-31', false).text, /公布后由系统管理员载入。$/);
  const missing = coverageGap(CAL, '2027-01-05', false);
  assert.deepEqual(missing, { missing: 'this', year: 2027,
    text: '工作日历尚未载入今年（2027 年）的节假日安排，按工作日计算的期限暂无法计算。公布后由系统管理员载入。' });
  const with2027 = { ...CAL, years: [...CAL.years, { year: 2027, source: 's', holidays: [], origin: 'loaded' }] };
  assert.equal(coverageGap(with2027, '2026-11-01', true), null);
});

check('a calendar document: cn.json as shipped, and a year as the page sends it, have no problem', () => {
  const whole = readDocument(file, CAL);
  assert.deepEqual(whole.problems, []);
  assert.deepEqual(whole.entries.map((y) => y.year), file.years.map((y) => y.year));
  const sent = calendarDocument(CAL, [inFile(2026)]);
  assert.deepEqual(sent, documentOf(inFile(2026)));
  assert.deepEqual(readDocument(sent, CAL), { entries: [inFile(2026)], problems: [] });
});

check('a document with a bad date, an unknown field, another region or weekend: each a problem in Chinese', () => {
  const badDate = documentOf(inFile(2026));
  badDate.years[0].holidays[1].off = ['2026-02-30'];
  badDate.years[0].holidays[3].work = ['2026-05-09..2026-05-08'];
  assert.deepEqual(readDocument(badDate, CAL).problems, [
    '2026 年“春节”的放假日期无法读取' + SHAPE + '。', '2026 年“劳动节”的调休上班日期无法读取' + SHAPE + '。']);

  // The server refuses any field it does not know, at every level: GET's origin and
  // loaded_by included.
  const unknown = { ...documentOf({ ...inFile(2026), origin: 'shipped', loaded_by: 'admin' }), covered: '2007–2026' };
  unknown.years[0].holidays[0].days = 3;
  assert.deepEqual(readDocument(unknown, CAL).problems, [
    '文件有多余的字段“covered”（应只有 format、region、weekend、years）。',
    '2026 年有多余的字段“origin”、“loaded_by”（应只有 year、source、holidays）。',
    '2026 年“元旦”有多余的字段“days”（应只有 name、off、work）。']);

  const elsewhere = { ...documentOf(inFile(2026)), region: 'hk', weekend: ['fri', 'sat'] };
  assert.deepEqual(readDocument(elsewhere, CAL).problems, [
    '文件的地区（region）为“hk”，本系统日历的地区是“cn”。', '文件的周末与本系统日历的周末（周六、周日）不同。']);
  // The weekend in another order is the same weekend.
  assert.deepEqual(readDocument({ ...documentOf(inFile(2026)), weekend: ['sun', 'sat'] }, CAL).problems, []);

  const { format, ...unformatted } = documentOf(inFile(2026));
  assert.equal(format, CALENDAR_FORMAT);
  assert.deepEqual(readDocument(unformatted, CAL).problems, ['文件的格式（format）没有写明，应为“govassess-calendar/1”。']);
  assert.deepEqual(readDocument({ ...unformatted, format: 'holiday-cn' }, CAL).problems,
    ['文件的格式（format）为“holiday-cn”，应为“govassess-calendar/1”。']);
});

check('a document\'s years: without a year, twice, without a source or holidays, a holiday unnamed', () => {
  for (const notObject of [null, [], 'cn.json', 2026]) {
    assert.deepEqual(readDocument(notObject, CAL), { entries: [], problems: ['文件不是日历文档（应为一个 JSON 对象，格式 govassess-calendar/1）。'] });
  }
  assert.deepEqual(readDocument({ ...documentOf(), years: undefined }, CAL).problems, ['文件中没有年份（years）。']);
  const y2026 = inFile(2026);
  const doc = documentOf({ ...y2026, year: '2026' }, y2026, y2026, { ...y2026, year: 2025, source: ' ' }, { year: 2024, source: 's', holidays: [] },
    { year: 2023, source: 's', holidays: [{ off: ['2023-01-02'] }, null] });
  const read = readDocument(doc, CAL);
  assert.deepEqual(read.problems, [
    '第 1 个年份没有写明年份（year）。',
    '2026 年出现了两次。',
    '2025 年没有来源（source）。',
    '2024 年没有节假日（holidays）。',
    '2023 年第 1 个节假日没有名称。',
    '2023 年第 2 个节假日没有名称。',
    '2023 年第 2 个节假日的放假日期无法读取' + SHAPE + '。']);
  assert.deepEqual(read.entries.map((y) => y.year), [2026, 2026, 2025, 2023]);
});

check('loading a year in force replaces it and needs a reason; a new year is added', () => {
  const replacing = loadEffect(CAL, inFile(2026));
  assert.deepEqual(replacing, { year: 2026, replaces: true, text: '将替换现有 2026 年安排（随系统发布），须填写理由。', elsewhere: [], elsewhereText: null });
  const loaded = calendar(2026, (y) => (y === 2026 ? 'loaded' : 'shipped'));
  assert.equal(loadEffect(loaded, inFile(2026)).text, '将替换现有 2026 年安排（管理员载入），须填写理由。');
  const adding = loadEffect(calendar(2025), inFile(2026));
  assert.deepEqual([adding.replaces, adding.text], [false, '将新增 2026 年（现已覆盖 2007–2025），载入后即用于按工作日计算的期限。']);

  assert.equal(missingReason(CAL, [2026], ''), '将替换现有 2026 年安排，须填写理由。');
  assert.equal(missingReason(CAL, [2025, 2026, 2027], '  '), '将替换现有 2025、2026 年安排，须填写理由。');
  assert.equal(missingReason(CAL, [2026], '更正春节安排'), null);
  assert.equal(missingReason(CAL, [2027], ''), null);
});

check('a year whose holidays include days of another year lists them', () => {
  // cn.json's 2008: 元旦 from 2007-12-30, with 2007-12-29 worked for it.
  const y2008 = loadEffect(calendar(2007), inFile(2008));
  assert.equal(y2008.replaces, false);
  assert.deepEqual(y2008.elsewhere, ['2007-12-30（元旦放假）', '2007-12-31（元旦放假）', '2007-12-29（调休上班）']);
  assert.equal(y2008.elsewhereText, '同时调整其他年份的日期：2007-12-30（元旦放假）、2007-12-31（元旦放假）、2007-12-29（调休上班）。');
  const y2027 = { year: 2027, source: 's', holidays: [{ name: '元旦', off: ['2027-01-01..2027-01-03'], work: ['2026-12-26'] }] };
  assert.equal(loadEffect(CAL, y2027).elsewhereText, '同时调整其他年份的日期：2026-12-26（调休上班）。');
  assert.equal(loadEffect(CAL, inFile(2026)).elsewhereText, null);
});

check('the server\'s answers to a load and a withdrawal, in Chinese', () => {
  assert.equal(loadedText({ added: [2027], replaced: [], unchanged: [], also_changes: ['2026-12-26'], covered: '2007–2027' }),
    '已载入 2027 年；同时调整 2026-12-26；现已覆盖 2007–2027。');
  assert.equal(loadedText({ added: [], replaced: [2025, 2026], unchanged: [2024], also_changes: ['2026-12-31..2027-01-02'], covered: '2007–2026' }),
    '已替换 2025、2026 年的安排；2024 年与现有安排相同，未改动；同时调整 2026-12-31 至 2027-01-02；现已覆盖 2007–2026。');
  assert.equal(loadedText({ added: [], replaced: [], unchanged: [], also_changes: [], covered: '2007–2026' }), '现已覆盖 2007–2026。');
  assert.equal(withdrawnText({ withdrawn: 2027, shipped_again: false, covered: '2007–2026' }), '已撤回 2027 年安排；现已覆盖 2007–2026。');
  assert.equal(withdrawnText({ withdrawn: 2026, shipped_again: true, covered: '2007–2026' }),
    '已撤回 2026 年安排，恢复随系统发布的 2026 年安排；现已覆盖 2007–2026。');
});

done();
