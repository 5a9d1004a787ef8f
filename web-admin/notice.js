// The State Council's holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) read as one
// year of the working calendar (calendars/cn.json): the admin pastes the notice as gov.cn
// shows it, checks the days in a table, and loads the year. Pure functions, no page: the
// admin's page and the tests (node) use them alike.
//
// Only the numbered items (一、元旦：… to 七、…) are read; the preamble, the closing
// paragraphs, the signature and its date are not. In an item, only what the notice says
// is a day off or a working day is taken — "A至B放假…", "A放假", "B补休", "C、D上班" — and
// any other sentence is passed over, whatever dates it mentions (the 2024 notice asks
// employers to let staff rest on 除夕, 2月9日, which stays a working day). Reading is
// forgiving about the page: full-width or half-width punctuation, spaces, blank lines,
// remarks in brackets (周四, 星期一, 农历腊月二十八). It is strict about meaning: every
// doubt is a problem in Chinese, and what could be read is still returned. Days, and
// writing them as the calendar does, are calendar-days.js's.
import { dayOf, daysBetween, sortedDays, spansOfDays } from './calendar-days.js';

const NUMERAL = '[一二三四五六七八九十]+';
const ITEM = new RegExp('^(' + NUMERAL + ')、([^：]*)：(.*)$');
const TITLE = /关于(\d{4})年部分节假日安排/;

// "2026年12月31日", "1月1日" or "3日" (the month of the date before it in the item).
const DATE = /(?:(?:(\d{4})年)?(\d{1,2})月)?(\d{1,2})日/g;

// In an item whose dates are written as {0}, {1}, …: a span of days off, single days off
// (补休 is a day off in lieu), and the working days that make up for them.
const RANGE_OFF = /\{(\d+)\}至\{(\d+)\}(?=放假)/g;
const DAYS_OFF = /((?:\{\d+\}、)*\{\d+\})(?=放假|补休)/g;
const DAYS_WORK = /((?:\{\d+\}、)*\{\d+\})(?=上班)/g;
const DAY_COUNT = /(?:共|放假)(\d+)天/;

// A line with punctuation full-width, as gov.cn writes it, digits half-width, and no
// spaces: a paste may have either width, and spaces mean nothing in Chinese text.
function plain(line) {
  return line
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\(/g, '（').replace(/\)/g, '）').replace(/:/g, '：').replace(/,/g, '，')
    .replace(/;/g, '；').replace(/\./g, '。')
    .replace(/[\s\u00a0\u3000]+/g, '');
}

// The notice's paragraphs, normalised, without blank ones. Items run together on one
// line (a paste that lost its line breaks) are taken apart where a numeral follows 。 or ：.
function paragraphs(text) {
  return String(text || '')
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map(plain)
    .flatMap((line) => line.split(new RegExp('(?<=[。：])(?=' + NUMERAL + '、)')))
    .filter((line) => line !== '');
}

// The item's dates in the order written, each with the year and month it stands for: its
// own, or for "3日" the previous date's. A date without a year is in the notice's year —
// never the year before, even in 元旦: a December date of the year before is written
// with its year, and guessing it would hide a mistyped notice.
function datesOf(body, year) {
  const dates = [];
  const shape = body.replace(DATE, (text, y, m, d) => {
    const before = dates[dates.length - 1];
    const date = m !== undefined
      ? { text, y: y !== undefined ? Number(y) : year, m: Number(m), d: Number(d) }
      : { text, y: before && before.y, m: before && before.m, d: Number(d) };
    dates.push(date);
    return '{' + (dates.length - 1) + '}';
  });
  return { dates, shape };
}

// Remarks in brackets — （周四）, （星期一）, （农历正月初七、周一）, 除夕's date — say nothing
// the item's own words do not; brackets inside brackets go too.
function withoutRemarks(body) {
  let before;
  do {
    before = body;
    body = body.replace(/（[^（）]*）/g, '');
  } while (body !== before);
  return body;
}

// One numbered item → {name, off, work}, each day as YYYY-MM-DD, sorted; its problems are
// added to `problems`, naming the item as the notice numbers it.
function readItem(item, year, problems) {
  const label = '“' + item.numeral + '、' + item.name + '”';
  const { dates, shape } = datesOf(withoutRemarks(item.body), year);

  const reported = new Set();
  const use = (i) => {
    const date = dates[Number(i)];
    const day = date.m === undefined ? null : dayOf(date.y, date.m, date.d);
    if (!day && !reported.has(i)) {
      reported.add(i);
      problems.push(date.m === undefined
        ? label + '中的“' + date.text + '”前面没有写月份。'
        : label + '中的“' + date.text + '”不是有效日期。');
    }
    return day;
  };

  const off = [];
  const work = [];
  for (let clause of shape.split(/[。；]/)) {
    const clauseOff = [];
    let unreadable = false;
    clause = clause.replace(RANGE_OFF, (all, a, b) => {
      const from = use(a);
      const to = use(b);
      if (!from || !to) {
        unreadable = true;
      } else if (to < from) {
        problems.push(label + '中的“' + dates[a].text + '至' + dates[b].text + '”结束早于开始' +
          (dates[a].m === 12 ? '（上一年的日期须写明年份，如“' + (year - 1) + '年' + dates[a].text + '”）' : '') + '。');
      } else {
        const span = daysBetween(from, to);
        // A mistyped year (2026年1月1日至2099年…) is a problem, not decades of holidays.
        if (span.length > 366) problems.push(label + '中的“' + dates[a].text + '至' + dates[b].text + '”超过一年。');
        else for (const day of span) clauseOff.push(day);
      }
      return '□';
    });
    const each = (list, into) => {
      for (const i of list.match(/\d+/g)) {
        const day = use(i);
        if (day) into.push(day);
        else unreadable = true;
      }
    };
    for (const [list] of clause.matchAll(DAYS_OFF)) each(list, clauseOff);
    for (const [list] of clause.matchAll(DAYS_WORK)) each(list, work);

    // "共N天" counts the days off the same sentence gives; with a date unread it cannot.
    const count = DAY_COUNT.exec(clause);
    const days = sortedDays(clauseOff).length;
    if (count && days && !unreadable && Number(count[1]) !== days) {
      problems.push(label + '写明共 ' + count[1] + ' 天，但读到的放假日期是 ' + days + ' 天。');
    }
    for (const day of clauseOff) off.push(day);
  }
  if (!off.length) problems.push(label + '中没有读到放假日期。');
  return { name: item.name, off: sortedDays(off), work: sortedDays(work) };
}

// The notice's text → {year, holidays: [{name, off, work}], problems}. `year` (a number)
// is the year of the dates written without one; when absent, the title's
// ("关于2026年部分节假日安排"). off and work are single days (YYYY-MM-DD), sorted. Each
// problem is a sentence in Chinese; a reading with none is the year as the notice gives
// it. Without a year no date can be read, and holidays is empty. Never throws.
export function readNotice(text, year) {
  const problems = [];
  const lines = paragraphs(text);
  const title = lines.map((line) => TITLE.exec(line)).find(Boolean);
  const titled = title ? Number(title[1]) : null;
  const given = year === undefined || year === null || year === '' ? null : Number(year);

  let known = titled;
  if (given !== null) {
    if (!Number.isInteger(given) || given < 1000 || given > 9999) {
      problems.push('年份“' + year + '”无效。');
    } else {
      known = given;
      // Dates without a year would silently land in the wrong year.
      if (titled !== null && titled !== given) problems.push('通知标题是 ' + titled + ' 年的安排，与所选的 ' + given + ' 年不一致。');
    }
  }
  if (known === null) problems.push('未能确定年份：正文中没有“关于YYYY年部分节假日安排”的标题，请选择年份。');

  const items = lines.map((line) => ITEM.exec(line)).filter(Boolean)
    .map(([, numeral, name, body]) => ({ numeral, name, body }));
  if (!items.length) problems.push('没有找到编号的节假日条目（如“一、元旦：1月1日放假……”），请粘贴通知的正文。');
  if (known === null) return { year: null, holidays: [], problems };

  const holidays = items.map((item) => readItem(item, known, problems));
  problems.push(...offAndWork(holidays));
  return { year: known, holidays, problems };
}

// A day cannot be both a day off and a working day, in one item or across two.
function offAndWork(holidays) {
  const names = (day, key) => holidays.filter((h) => h[key].includes(day)).map((h) => h.name);
  const both = sortedDays(holidays.flatMap((h) => h.off)).filter((day) => names(day, 'work').length);
  return both.map((day) => day + ' 既是放假日（' + names(day, 'off').join('，') + '）又是上班日（' + names(day, 'work').join('，') + '）。');
}

// A reading (readNotice) → the year as calendars/cn.json writes it: {year, source,
// holidays: [{name, off, work}]}, days sorted and runs written as ranges, "work" left out
// where the item has none. `source` is the notice's title and address. It formats what
// was read; whether to load a reading with problems is the caller's to decide.
export function yearEntry(reading, source) {
  return {
    year: reading.year,
    source,
    holidays: reading.holidays.map((h) => {
      const entry = { name: h.name, off: spansOfDays(h.off) };
      if (h.work.length) entry.work = spansOfDays(h.work);
      return entry;
    }),
  };
}
