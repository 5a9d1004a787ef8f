// 工作日历 (#/calendar): the working-day calendar every deadline is counted with — the years
// it covers, each year's holidays (名称, 放假, 天数, 调休上班) with where the year came from
// (随系统发布, 管理员载入, 管理员更正), and one day looked up (GET /api/v1/calendar/day).
// For admins, 载入节假日安排: the State Council's notice pasted as text, read as a year by
// notice.js and shown as a table with every problem in Chinese, or a calendar document
// (.json, govassess-calendar/1), sent as the calendar instance's `load` only when nothing
// is wrong; and 撤回 on a year an admin loaded (or corrected), with a reason. What is
// shown is worked out by calendar-days.js (days, documents, effects, texts); this file
// builds the elements and talks to the API.
import { api, ApiError } from './api.js';
import { h, clear, fill, notice, table, facts, beijing, beijingToday, beijingYear } from './dom.js';
import { CALENDAR_ORIGIN, WEEKDAY, label } from './labels.js';
import { readNotice, yearEntry } from './notice.js';
import {
  CALENDAR_FORMAT, daysOfSpans, spansText, yearSummary, dayNotes, dayAnswerText, coverageGap,
  calendarDocument, readDocument, loadEffect, missingReason, loadedText, withdrawnText,
} from './calendar-days.js';

const MAX_BODY = 1024 * 1024; // the server refuses bodies over 1 MiB (413)

// A year's source with its address as a link (opened elsewhere, without our page as opener).
function sourceText(source) {
  return String(source || '').split(/(https?:\/\/\S+)/).filter(Boolean).map((part) =>
    (/^https?:\/\//.test(part) ? h('a', { href: part, target: '_blank', rel: 'noopener noreferrer' }, part) : part));
}

// A year's holidays as a table: one row per holiday, its days off (and how many) and its
// make-up working days. The reading of a notice is shown the same way.
function holidaysTable(holidays, attrs) {
  const rows = (Array.isArray(holidays) ? holidays : []).map((hd) => {
    const off = hd ? daysOfSpans(hd.off) : null;
    const work = hd && hd.work !== undefined ? spansText(hd.work) : '';
    return h('tr', { dataset: { holiday: hd && hd.name ? hd.name : '' } },
      h('td', {}, hd && hd.name ? hd.name : ''),
      h('td', {}, hd ? spansText(hd.off) : ''),
      h('td', { class: 'num' }, off ? String(off.length) : ''),
      h('td', {}, work || h('span', { class: 'muted' }, '—')));
  });
  return table(['名称', '放假', '天数', '调休上班'], rows, { class: 'list', ...attrs });
}

// The words for a refusal; a page older than the calendar gets a plain request to reload.
function failure(e) {
  if (e instanceof ApiError && e.code === 'conflict') {
    const now = e.details && e.details.current_version;
    return '工作日历在您打开本页后已被修改' + (now ? '（现为第 ' + now + ' 版）' : '') + '，请刷新页面，核对后再试。';
  }
  return e.message;
}

// ---- what everyone sees ---------------------------------------------------------------

// This year missing, or next year's arrangement not loaded late in the year (coverageGap).
function coverageNotice(cal, mayLoad) {
  const gap = coverageGap(cal, beijingToday(), mayLoad);
  if (!gap) return null;
  return gap.missing === 'this' ? notice('error', gap.text) : h('div', { id: 'calendar-next' }, notice('info', gap.text));
}

function yearFacts(y) {
  return facts([
    ['来源', sourceText(y.source)],
    ['来历', label(CALENDAR_ORIGIN, y.origin)],
    ['载入人', y.loaded_by],
    ['载入时间', y.loaded_at ? beijing(y.loaded_at) + '（北京时间）' : ''],
  ]);
}

// 撤回 a year an admin loaded or corrected, with a reason (the server requires one).
function withdrawForm(cal, y, done) {
  const reason = h('input', { id: 'withdraw-reason', placeholder: '必填：撤回理由', size: 40 });
  const button = h('button', { type: 'submit', id: 'withdraw-send' }, '撤回 ' + y.year + ' 年安排');
  const status = h('div', { class: 'status-slot' });
  const form = h('form', { class: 'filters', id: 'calendar-withdraw' }, reason, button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    if (!reason.value.trim()) return status.append(notice('error', '请填写撤回理由。'));
    button.disabled = true;
    try {
      const r = await api.command(cal.instance, 'withdraw', { reason: reason.value.trim(), payload: { year: y.year }, version: cal.version });
      done(y.year, withdrawnText(r.result));
    } catch (e) {
      button.disabled = false;
      status.append(notice('error', failure(e)));
    }
  });
  return h('div', { class: 'withdraw' },
    h('h3', {}, '撤回'),
    h('p', { class: 'muted' }, y.origin === 'corrected'
      ? '撤回后恢复随系统发布的 ' + y.year + ' 年安排，此后计算的期限按原安排。'
      : '撤回后工作日历不再覆盖 ' + y.year + ' 年：跨入该年的期限将无法按工作日计算，直至重新载入。'),
    form, status);
}

// Each year the calendar covers, one at a time: its holidays, source and origin.
function yearsPanel(cal, selected, mayWithdraw, done) {
  if (!cal.years.length) return notice('info', '工作日历中还没有任何年份。');
  const select = h('select', { id: 'calendar-year', 'aria-label': '年份' },
    [...cal.years].reverse().map((y) => h('option', { value: y.year, selected: y.year === selected },
      y.year + ' 年' + (y.origin === 'shipped' ? '' : '（' + label(CALENDAR_ORIGIN, y.origin) + '）'))));
  const body = h('div', { id: 'calendar-year-view' });
  const show = () => {
    const y = cal.years.find((x) => x.year === Number(select.value));
    body.dataset.year = y.year;
    fill(body, yearFacts(y),
      h('p', { class: 'muted' }, y.year + ' 年：' + yearSummary(y) + '。'),
      holidaysTable(y.holidays, { id: 'calendar-holidays' }),
      mayWithdraw && y.origin !== 'shipped' ? withdrawForm(cal, y, done) : null);
  };
  select.addEventListener('change', show);
  show();
  return h('section', { class: 'card', id: 'calendar-years' },
    h('h2', {}, '各年节假日安排'), h('label', { class: 'inline' }, '年份', select), body);
}

// 查询某日: whether a day is a working day, and the day N working days on, counted as the
// deadlines are (the day itself not counted).
function dayPanel(cal) {
  const notes = dayNotes(cal);
  const date = h('input', { type: 'date', id: 'day-date', 'aria-label': '日期', required: true });
  date.value = beijingToday();
  const days = h('input', { type: 'number', id: 'day-count', step: 1, min: -3650, max: 3650, placeholder: '工作日数（可选）', 'aria-label': '工作日数' });
  const out = h('div', { id: 'day-result', class: 'status-slot' });
  const form = h('form', { class: 'filters', id: 'calendar-day' }, date, days, h('button', { type: 'submit' }, '查询'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    try {
      const r = await api.calendarDay(date.value, days.value.trim());
      out.append(notice('info', dayAnswerText(r, notes)));
    } catch (e) {
      out.append(notice('error', e.message));
    }
  });
  return h('section', { class: 'card', id: 'calendar-day-panel' },
    h('h2', {}, '查询某日'),
    h('p', { class: 'muted' }, '某天是否工作日；填写工作日数，可查其后（负数为其前）第几个工作日是哪天，与系统计算期限的方法相同（当天不计）。'),
    form, out);
}

// ---- what admins load --------------------------------------------------------------------

// What loading an entry does to the calendar (loadEffect), as the form shows it.
function effectNotice(cal, entry) {
  const e = loadEffect(cal, entry);
  return h('div', { class: 'effect', dataset: { year: e.year } },
    e.replaces ? h('div', { class: 'replaces' }, notice('warn', e.text)) : notice('info', e.text),
    e.elsewhereText ? h('p', { class: 'warn' }, e.elsewhereText) : null);
}

// 载入节假日安排: the notice's text (or a calendar document), read as it is typed; loaded
// only when nothing is wrong.
function loadForm(cal, done) {
  const text = h('textarea', { id: 'notice-text', rows: 12, spellcheck: 'false',
    placeholder: '国务院办公厅关于YYYY年部分节假日安排的通知\n各省、自治区、直辖市人民政府……\n一、元旦：1月1日至3日放假，共3天。\n二、春节：……' });
  const file = h('input', { type: 'file', id: 'calendar-file', accept: '.json,application/json' });
  const year = h('input', { id: 'notice-year', type: 'number', min: 1000, max: 9999, step: 1, placeholder: '如 ' + (beijingYear() + 1) });
  const source = h('input', { id: 'notice-source', placeholder: '国务院办公厅关于YYYY年部分节假日安排的通知 国办发明电〔YYYY〕N号 https://www.gov.cn/…' });
  const reason = h('input', { id: 'notice-reason', placeholder: '理由（替换已有年份时必填）' });
  const check = h('div', { id: 'notice-check' });
  const reading = h('div', { id: 'notice-reading' });
  const button = h('button', { type: 'submit', id: 'notice-load', disabled: true }, '载入');
  const status = h('div', { class: 'status-slot', id: 'notice-status' });
  const noticeFields = h('div', {},
    h('label', { for: 'notice-year' }, '年份（通知标题中有年份时自动填写）'), year,
    h('label', { for: 'notice-source' }, '来源'), source,
    h('span', { class: 'hint' }, '通知的标题，请补上文号和 gov.cn 网址，如“国务院办公厅关于YYYY年部分节假日安排的通知 国办发明电〔YYYY〕N号 https://www.gov.cn/…”。'));

  let fromFile = null; // {name, doc}: a calendar document chosen instead of the text
  let filledSource = ''; // the source this form wrote, replaced while the admin leaves it
  let ready = null; // {payload, years} once there is something to load and nothing wrong

  const update = () => {
    clear(check);
    clear(reading);
    clear(status);
    ready = null;
    button.disabled = true;
    let entries = [];
    let problems = [];
    let payload;
    noticeFields.hidden = !!fromFile;
    if (fromFile) {
      ({ entries, problems } = readDocument(fromFile.doc, cal));
      payload = fromFile.doc;
      check.append(notice('info', '已读取文件 ' + fromFile.name + '：' + (entries.map((e) => e.year + ' 年').join('、') || '没有年份') +
        '。在上方粘贴通知正文则改用通知。'));
    } else {
      if (!text.value.trim()) return;
      const r = readNotice(text.value, year.value.trim() || undefined);
      problems = [...r.problems];
      if (r.year && (!source.value.trim() || source.value === filledSource)) {
        source.value = filledSource = '国务院办公厅关于' + r.year + '年部分节假日安排的通知';
      }
      if (!source.value.trim()) problems.push('请填写来源：通知的标题、文号和 gov.cn 网址。');
      if (r.year && r.holidays.length) entries = [yearEntry(r, source.value.trim())];
      payload = calendarDocument(cal, entries);
    }
    for (const entry of entries) check.append(effectNotice(cal, entry));
    if (problems.length) {
      check.append(h('div', { id: 'notice-problems' }, notice('error', '有 ' + problems.length + ' 处问题，改正后才能载入：',
        h('ul', {}, problems.map((p) => h('li', {}, p))))));
    }
    for (const entry of entries) {
      reading.append(h('h3', {}, '读到的 ' + entry.year + ' 年安排：' + yearSummary(entry)),
        holidaysTable(entry.holidays, { dataset: { year: entry.year } }));
    }
    if (!problems.length && entries.length) {
      ready = { payload, years: entries.map((e) => e.year) };
      button.disabled = false;
    }
  };

  text.addEventListener('input', () => {
    fromFile = null;
    const titled = readNotice(text.value).year;
    if (titled) year.value = titled;
    update();
  });
  year.addEventListener('input', update);
  source.addEventListener('input', update);
  file.addEventListener('change', async () => {
    const f = file.files[0];
    file.value = ''; // choosing the same file again, after editing it, reads it again
    if (!f) return;
    let error = null;
    if (f.size > MAX_BODY) {
      error = f.name + ' 超过 1 MiB，服务器不会接受。';
    } else {
      try {
        fromFile = { name: f.name, doc: JSON.parse(await f.text()) };
        text.value = '';
      } catch (e) {
        error = f.name + ' 不是有效的 JSON：' + e.message;
      }
    }
    if (error) fromFile = null;
    update();
    if (error) status.append(notice('error', error));
  });

  const form = h('form', { class: 'card', id: 'calendar-load' },
    h('h2', {}, '载入节假日安排'),
    h('p', { class: 'muted' }, '国务院办公厅每年秋冬公布下一年的节假日安排。请把 gov.cn 上通知的全文（标题和正文）粘贴到下面，核对读出的日期后载入；' +
      '载入后立即用于所有按工作日计算的期限，并记入审计日志。已有的年份（包括随系统发布的）可载入更正后的安排替换，须填写理由。'),
    h('label', { for: 'notice-text' }, '通知全文'), text,
    h('label', { for: 'calendar-file' }, '或选择日历文件（.json，' + CALENDAR_FORMAT + ' 格式，可含多个年份）'), file,
    noticeFields,
    h('label', { for: 'notice-reason' }, '理由'), reason,
    check, reading, button, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!ready) return;
    clear(status);
    const unexplained = missingReason(cal, ready.years, reason.value);
    if (unexplained) return status.append(notice('error', unexplained));
    button.disabled = true;
    try {
      const r = await api.command(cal.instance, 'load', { type: 'calendar', payload: ready.payload, reason: reason.value.trim(),
        version: cal.version > 0 ? cal.version : undefined });
      done(r.result.added[0] || r.result.replaced[0], loadedText(r.result));
    } catch (e) {
      button.disabled = false;
      status.append(notice('error', failure(e)));
    }
  });
  return form;
}

// ---- the page -------------------------------------------------------------------------

// `arg` may name the year to show (#/calendar/2027); else this year, else the last one.
export async function calendarView(slot, user, arg, flash) {
  const [cal, catalogue] = await Promise.all([api.calendar(), api.workflow('calendar')]);
  const may = (name) => catalogue.commands.some((c) => c.name === name && c.roles.includes(user.role));
  const has = (y) => cal.years.some((c) => c.year === y);
  const current = beijingYear();
  const wanted = Number(arg);
  const selected = has(wanted) ? wanted : has(current) ? current : (cal.years.length ? cal.years[cal.years.length - 1].year : null);
  // After a load or a withdrawal: the page again, from what the server now holds.
  const again = (year, message) => calendarView(slot, user, String(year || selected), notice('ok', message))
    .catch((e) => fill(slot, notice('error', e.message)));
  fill(slot,
    h('h1', {}, '工作日历'),
    h('p', { class: 'muted' }, '按工作日计算的期限（复核申请的 5 个工作日、新增重大任务的 30 个工作日等）都按这本日历计算：周末休息，法定节假日放假，调休上班日上班。'),
    facts([
      ['已覆盖', h('span', { id: 'calendar-covered' }, cal.covered)],
      ['周末', cal.weekend.map((d) => label(WEEKDAY, d)).join('、')],
      ['地区', cal.region === 'cn' ? '中国（cn）' : cal.region],
      ['载入记录', cal.version > 0
        ? h('a', { href: '#/i/' + encodeURIComponent(cal.instance) }, cal.instance + '（第 ' + cal.version + ' 版）')
        : '尚无：全部随系统发布'],
    ]),
    h('div', { id: 'calendar-result' }, flash || null),
    coverageNotice(cal, may('load')),
    yearsPanel(cal, selected, may('withdraw'), again),
    dayPanel(cal),
    may('load') ? loadForm(cal, again) : null);
}
