// The State Council's holiday notice read as a year of the working calendar
// (web-admin/notice.js), on notices as gov.cn publishes them, against calendars/cn.json.
// usage: node notice_test.mjs <source dir>
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const { readNotice, yearEntry } = await import(join(process.argv[2], 'web-admin/notice.js'));
const calendar = JSON.parse(readFileSync(join(process.argv[2], 'calendars/cn.json'), 'utf8'));
const inFile = (year) => calendar.years.find((y) => y.year === year);

// The 2026 notice as gov.cn published it (also what the README's picture pastes).
const NOTICE_2026 = readFileSync(join(process.argv[2], 'tests/data/notice-2026.txt'), 'utf8');

const NOTICE_2017 = `国务院办公厅关于2017年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2017年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日放假，1月2日（星期一）补休。
二、春节：1月27日至2月2日放假调休，共7天。1月22日（星期日）、2月4日（星期六）上班。
三、清明节：4月2日至4日放假调休，共3天。4月1日（星期六）上班。
四、劳动节：5月1日放假，与周末连休。
五、端午节：5月28日至30日放假调休，共3天。5月27日（星期六）上班。
六、中秋节、国庆节：10月1日至8日放假调休，共8天。9月30日（星期六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2016年12月1日
`;

// cn.json's 2024 year as the State Council wrote it, with the sentence about 除夕 that
// makes no day off.
const NOTICE_2024 = `国务院办公厅关于2024年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2024年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2023年10月25日
`;

// The notice as it reads in the calendar: the same holidays, names, off and work as the
// file writes that year.
function readsAsFile(text, year) {
  const reading = readNotice(text);
  assert.deepEqual(reading.problems, []);
  assert.equal(reading.year, year);
  const entry = yearEntry(reading, inFile(year).source);
  assert.deepEqual(entry, inFile(year));
  return reading;
}

check('the 2026 notice as published is cn.json\'s 2026', () => {
  const reading = readsAsFile(NOTICE_2026, 2026);
  // The reading itself lists every day, for the admin's table.
  assert.deepEqual(reading.holidays[1], {
    name: '春节',
    off: ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23'],
    work: ['2026-02-14', '2026-02-28'],
  });
  // Days are sorted whatever order the notice writes them in.
  const reversed = NOTICE_2026.replace('2月14日（周六）、2月28日（周六）上班', '2月28日（周六）、2月14日（周六）上班');
  assert.deepEqual(readNotice(reversed), reading);
});

check('the 2017 notice: a day off in lieu (补休), a holiday alone, and 中秋节、国庆节 as one item', () => {
  const reading = readsAsFile(NOTICE_2017, 2017);
  assert.deepEqual(reading.holidays[0], { name: '元旦', off: ['2017-01-01', '2017-01-02'], work: [] });
  assert.deepEqual(reading.holidays[3], { name: '劳动节', off: ['2017-05-01'], work: [] });
  assert.equal(reading.holidays[5].name, '中秋节、国庆节');
});

check('the 2024 notice: "与周末连休" is one day off, and 除夕 (2月9日) stays a working day', () => {
  const reading = readsAsFile(NOTICE_2024, 2024);
  assert.ok(!reading.holidays.some((h) => h.off.includes('2024-02-09') || h.work.includes('2024-02-09')));
  // Even written without brackets, a sentence that is not about days off gives none.
  const plain = NOTICE_2024.replace('在除夕（2月9日）休息', '在2月9日休息');
  assert.deepEqual(yearEntry(readNotice(plain), inFile(2024).source), inFile(2024));
});

check('a date written with its year: 元旦 from the last day of the year before', () => {
  const text = '国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：2026年12月31日（周四）至2027年1月2日（周六）放假调休，共3天。\n';
  const reading = readNotice(text);
  assert.deepEqual(reading.problems, []);
  assert.deepEqual(yearEntry(reading, 's').holidays, [{ name: '元旦', off: ['2026-12-31..2027-01-02'] }]);
  // "3日" after a date with its year is in that date's year and month.
  const work = readNotice('一、元旦：2006年12月30日至2007年1月1日放假，共3天。2006年12月29日、30日上班。', 2007);
  assert.deepEqual(work.holidays[0].work, ['2006-12-29', '2006-12-30']);
  // Without its year, December is the notice's own: the span runs backwards, and that is said.
  const guessed = readNotice('一、元旦：12月31日至1月2日放假调休，共3天。', 2027);
  assert.deepEqual(guessed.holidays[0].off, []);
  assert.match(guessed.problems.join('\n'), /“一、元旦”中的“12月31日至1月2日”结束早于开始（上一年的日期须写明年份，如“2026年12月31日”）。/);
});

check('the year given, or the title\'s; a title of another year is said', () => {
  const body = NOTICE_2026.split('\n').filter((line) => /^[一二三四五六七]、/.test(line)).join('\n');
  assert.deepEqual(readNotice(body, 2026), readNotice(NOTICE_2026));
  const other = readNotice(NOTICE_2026, 2027);
  assert.deepEqual(other.problems, ['通知标题是 2026 年的安排，与所选的 2027 年不一致。']);
  assert.equal(other.year, 2027);
});

check('half-width punctuation, 星期 for 周, spaces and blank lines read as the notice does', () => {
  const halfWidth = NOTICE_2026
    .replace(/（/g, '(').replace(/）/g, ')').replace(/：/g, ':').replace(/，/g, ', ').replace(/。/g, '.')
    .replace(/周([一二三四五六日])/g, '星期$1')
    .replace(/月/g, ' 月 ').replace(/\n/g, '\r\n\r\n  ');
  assert.notEqual(halfWidth, NOTICE_2026);
  assert.deepEqual(readNotice(halfWidth), readNotice(NOTICE_2026));
  // Items run together on one line, as a paste that lost its line breaks.
  assert.deepEqual(readNotice(NOTICE_2017.replace(/\n/g, '')), readNotice(NOTICE_2017));
});

check('a day count that is not the span: a problem naming the item, the days still read', () => {
  const reading = readNotice(NOTICE_2026.replace('共9天', '共8天'));
  assert.deepEqual(reading.problems, ['“二、春节”写明共 8 天，但读到的放假日期是 9 天。']);
  assert.equal(reading.holidays[1].off.length, 9);
});

check('a date that does not exist, a day with no month, a day both off and at work', () => {
  const invalid = readNotice(NOTICE_2026.replace('2月28日（周六）上班', '2月30日（周六）上班'));
  assert.deepEqual(invalid.problems, ['“二、春节”中的“2月30日”不是有效日期。']);
  assert.deepEqual(invalid.holidays[1].work, ['2026-02-14']);
  const noMonth = readNotice('一、元旦：1日至3日放假。', 2026);
  assert.deepEqual(noMonth.problems, [
    '“一、元旦”中的“1日”前面没有写月份。', '“一、元旦”中的“3日”前面没有写月份。', '“一、元旦”中没有读到放假日期。']);
  const both = readNotice(NOTICE_2026.replace('5月9日（周六）上班', '5月5日（周二）上班'));
  assert.deepEqual(both.problems, ['2026-05-05 既是放假日（劳动节）又是上班日（劳动节）。']);
});

check('an item without a day off, a text without items, no year: each said, nothing thrown', () => {
  const noOff = readNotice(NOTICE_2026.replace('4月4日（周六）至6日（周一）放假，共3天。', '另行通知。'));
  assert.deepEqual(noOff.problems, ['“三、清明节”中没有读到放假日期。']);
  const preamble = NOTICE_2026.split('\n').filter((line) => !/^[一二三四五六七]、/.test(line)).join('\n');
  assert.deepEqual(readNotice(preamble), {
    year: 2026, holidays: [], problems: ['没有找到编号的节假日条目（如“一、元旦：1月1日放假……”），请粘贴通知的正文。'],
  });
  const untitled = NOTICE_2026.replace('关于2026年部分节假日安排', '关于部分节假日安排');
  assert.deepEqual(readNotice(untitled), {
    year: null, holidays: [], problems: ['未能确定年份：正文中没有“关于YYYY年部分节假日安排”的标题，请选择年份。'],
  });
  assert.equal(readNotice('', undefined).problems.length, 2);
  assert.deepEqual(readNotice(undefined).holidays, []);
});

check('every year of cn.json, day by day, is written back as the file writes it', () => {
  const days = (list) => list.flatMap((s) => {
    const [from, to = from] = s.split('..');
    const out = [];
    for (let ms = Date.parse(from); ms <= Date.parse(to); ms += 86400000) out.push(new Date(ms).toISOString().slice(0, 10));
    return out;
  });
  for (const year of calendar.years) {
    const reading = { year: year.year, holidays: year.holidays.map((h) => ({ name: h.name, off: days(h.off), work: days(h.work || []) })) };
    assert.deepEqual(yearEntry(reading, year.source), year);
  }
});

check('a span longer than a year is a problem, not decades of holidays', () => {
  const reading = readNotice('国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：2026年1月1日至2099年1月3日放假调休。');
  assert.deepEqual(reading.problems, ['“一、元旦”中的“2026年1月1日至2099年1月3日”超过一年。', '“一、元旦”中没有读到放假日期。']);
  assert.deepEqual(reading.holidays[0].off, []);
});

done();
