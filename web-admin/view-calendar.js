// 工作日历 (#/calendar): the working-day calendar every deadline is counted with — the years
// it covers, each year's holidays (名称, 放假, 天数, 调休上班) with where the year came from
// (随系统发布, 管理员载入, 管理员更正), and one day looked up (GET /api/v1/calendar/day).
// For admins, 载入节假日安排: the State Council's notice pasted as text, read as a year by
// notice.js and shown as a table with every problem in Chinese, or a calendar document
// (.json, govassess-calendar/1), sent as the calendar instance's `load` only when nothing
// is wrong; and 撤回 on a year an admin loaded (or corrected), with a reason.
import { api, ApiError } from './api.js';
import { h, clear, fill, notice, table, facts, beijing } from './dom.js';
import { CALENDAR_ORIGIN, WEEKDAY, WEEKDAY_KEYS, label } from './labels.js';
import { readNotice, yearEntry } from './notice.js';

const FORMAT = 'govassess-calendar/1';
const DAY_MS = 24 * 3600 * 1000;
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;
const MAX_BODY = 1024 * 1024; // the server refuses bodies over 1 MiB (413)

// ---- days -------------------------------------------------------------------------

// "YYYY-MM-DD" → its UTC midnight in ms, or NaN when there is no such day.
function msOf(iso) {
  if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return NaN;
  const [y, m, d] = iso.split('-').map(Number);
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? ms : NaN;
}
const isoOf = (ms) => new Date(ms).toISOString().slice(0, 10);
const today = () => isoOf(Date.now() + BEIJING_OFFSET_MS);
const beijingNow = () => new Date(Date.now() + BEIJING_OFFSET_MS);
const weekdayKey = (iso) => WEEKDAY_KEYS[new Date(msOf(iso)).getUTCDay()];
// "2026-10-10（周六）", with a note: "2026-10-10（周六，国庆节调休上班）".
const dayText = (iso, note) => iso + '（' + label(WEEKDAY, weekdayKey(iso)) + (note ? '，' + note : '') + '）';

// The days of an off or work list (each entry a day or an inclusive range "A..B"), sorted;
// null when an entry is neither.
function daysOf(list) {
  if (!Array.isArray(list)) return null;
  const out = [];
  for (const span of list) {
    if (typeof span !== 'string') return null;
    const parts = span.split('..');
    const from = msOf(parts[0]);
    const to = msOf(parts.length === 2 ? parts[1] : parts[0]);
    if (parts.length > 2 || Number.isNaN(from) || Number.isNaN(to) || to < from || to - from > 366 * DAY_MS) return null;
    for (let ms = from; ms <= to; ms += DAY_MS) out.push(isoOf(ms));
  }
  return [...new Set(out)].sort();
}

// An off or work list in words: "2027-01-01（周五）至 2027-01-03（周日）、…"; an entry that
// is not a day is shown as written.
function spansText(list) {
  if (!Array.isArray(list)) return list === undefined ? '' : JSON.stringify(list);
  return list.map((span) => {
    if (!daysOf([span])) return String(span);
    const [a, b] = span.split('..');
    return b === undefined ? dayText(a) : dayText(a) + ' 至 ' + dayText(b);
  }).join('、');
}

const rangeText = (span) => span.replace('..', ' 至 ');

// A year's source with its address as a link (opened elsewhere, without our page as opener).
function sourceText(source) {
  return String(source || '').split(/(https?:\/\/\S+)/).filter(Boolean).map((part) =>
    (/^https?:\/\//.test(part) ? h('a', { href: part, target: '_blank', rel: 'noopener noreferrer' }, part) : part));
}

// A year's holidays as a table: one row per holiday, its days off (and how many) and its
// make-up working days. The reading of a notice is shown the same way.
function holidaysTable(holidays, attrs) {
  const rows = (Array.isArray(holidays) ? holidays : []).map((hd) => {
    const off = hd ? daysOf(hd.off) : null;
    const work = hd && hd.work !== undefined ? spansText(hd.work) : '';
    return h('tr', { dataset: { holiday: hd && hd.name ? hd.name : '' } },
      h('td', {}, hd && hd.name ? hd.name : ''),
      h('td', {}, hd ? spansText(hd.off) : ''),
      h('td', { class: 'num' }, off ? String(off.length) : ''),
      h('td', {}, work || h('span', { class: 'muted' }, '—')));
  });
  return table(['名称', '放假', '天数', '调休上班'], rows, { class: 'list', ...attrs });
}

// A year's holidays that are objects at all (a chosen file may hold anything).
const holidaysOf = (entry) => (Array.isArray(entry.holidays) ? entry.holidays : []).filter((hd) => hd && typeof hd === 'object');

// "7 个节假日，放假 29 天，调休上班 8 天" for a year in the calendar's format.
function yearSummary(entry) {
  const holidays = holidaysOf(entry);
  const off = new Set(holidays.flatMap((hd) => daysOf(hd.off) || []));
  const work = new Set(holidays.flatMap((hd) => daysOf(hd.work || []) || []));
  return holidays.length + ' 个节假日，放假 ' + off.size + ' 天，调休上班 ' + work.size + ' 天';
}

// Each day the calendar names, with what it is: "国庆节放假", "国庆节调休上班".
function dayNotes(cal) {
  const notes = new Map();
  for (const y of cal.years) {
    for (const hd of y.holidays) {
      for (const day of daysOf(hd.off) || []) notes.set(day, hd.name + '放假');
      for (const day of daysOf(hd.work || []) || []) notes.set(day, hd.name + '调休上班');
    }
  }
  return notes;
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

// This year missing, or next year's arrangement not loaded late in the year (the State
// Council publishes it in the autumn, when the year's last deadlines already run into it).
function coverageNotice(cal, mayLoad) {
  const now = beijingNow();
  const year = now.getUTCFullYear();
  const has = (y) => cal.years.some((c) => c.year === y);
  const who = mayLoad ? '公布后请在下方“载入节假日安排”中载入。' : '公布后由系统管理员载入。';
  if (!has(year)) {
    return notice('error', '工作日历尚未载入今年（' + year + ' 年）的节假日安排，按工作日计算的期限暂无法计算。' + who);
  }
  if (now.getUTCMonth() >= 9 && !has(year + 1)) {
    return h('div', { id: 'calendar-next' }, notice('info', '尚未载入 ' + (year + 1) + ' 年的节假日安排：跨入 ' + (year + 1) +
      ' 年的期限（如年底的复核申请、新增重大任务的 30 个工作日）暂无法计算。国务院办公厅通常在每年 10 月至 12 月公布下一年的安排，' + who));
  }
  return null;
}

function yearFacts(y) {
  return facts([
    ['来源', sourceText(y.source)],
    ['来历', label(CALENDAR_ORIGIN, y.origin)],
    ['载入人', y.loaded_by],
    ['载入时间', y.loaded_at ? beijing(y.loaded_at) + '（北京时间）' : ''],
  ]);
}

function withdrawnText(r) {
  return '已撤回 ' + r.withdrawn + ' 年安排' + (r.shipped_again ? '，恢复随系统发布的 ' + r.withdrawn + ' 年安排' : '') +
    '；现已覆盖 ' + r.covered + '。';
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
  date.value = today();
  const days = h('input', { type: 'number', id: 'day-count', step: 1, min: -3650, max: 3650, placeholder: '工作日数（可选）', 'aria-label': '工作日数' });
  const out = h('div', { id: 'day-result', class: 'status-slot' });
  const form = h('form', { class: 'filters', id: 'calendar-day' }, date, days, h('button', { type: 'submit' }, '查询'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    try {
      const r = await api.calendarDay(date.value, days.value.trim());
      const lines = [dayText(r.date, notes.get(r.date)) + '是' + (r.working_day ? '工作日' : '休息日') + '。'];
      if (r.days !== undefined) {
        lines.push((r.days >= 0 ? r.days + ' 个工作日后' : -r.days + ' 个工作日前') + '是 ' + dayText(r.result, notes.get(r.result)) + '。');
      }
      out.append(notice('info', lines.join('')));
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

// A calendar document chosen as a file → its years, and what is wrong with it in Chinese
// (the server checks it again, field by field).
function readDocument(doc, cal) {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return { entries: [], problems: ['文件不是日历文档（应为一个 JSON 对象，格式 ' + FORMAT + '）。'] };
  }
  const problems = [];
  const given = (v) => (v === undefined ? '没有写明' : '为“' + (typeof v === 'string' ? v : JSON.stringify(v)) + '”');
  if (doc.format !== FORMAT) problems.push('文件的格式（format）' + given(doc.format) + '，应为“' + FORMAT + '”。');
  if (doc.region !== cal.region) problems.push('文件的地区（region）' + given(doc.region) + '，本系统日历的地区是“' + cal.region + '”。');
  const weekend = Array.isArray(doc.weekend) ? [...doc.weekend].sort().join() : '';
  if (weekend !== [...cal.weekend].sort().join()) {
    problems.push('文件的周末与本系统日历的周末（' + cal.weekend.map((d) => label(WEEKDAY, d)).join('、') + '）不同。');
  }
  const years = Array.isArray(doc.years) ? doc.years : [];
  if (!years.length) problems.push('文件中没有年份（years）。');
  const entries = [];
  const seen = new Set();
  years.forEach((y, i) => {
    if (!y || !Number.isInteger(y.year)) return problems.push('第 ' + (i + 1) + ' 个年份没有写明年份（year）。');
    const where = y.year + ' 年';
    if (seen.has(y.year)) problems.push(where + '出现了两次。');
    seen.add(y.year);
    if (typeof y.source !== 'string' || !y.source.trim()) problems.push(where + '没有来源（source）。');
    if (!Array.isArray(y.holidays) || !y.holidays.length) return problems.push(where + '没有节假日（holidays）。');
    y.holidays.forEach((hd, j) => {
      const name = hd && typeof hd.name === 'string' && hd.name ? '“' + hd.name + '”' : '第 ' + (j + 1) + ' 个节假日';
      if (!hd || typeof hd.name !== 'string' || !hd.name) problems.push(where + '第 ' + (j + 1) + ' 个节假日没有名称。');
      if (!hd || !daysOf(hd.off) || !hd.off.length) problems.push(where + name + '的放假日期无法读取（每项为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）。');
      if (hd && hd.work !== undefined && !daysOf(hd.work)) problems.push(where + name + '的调休上班日期无法读取（每项为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）。');
    });
    entries.push(y);
  });
  return { entries, problems };
}

// What loading an entry does to the calendar: a year added or one replaced (which needs a
// reason), and days of other years it makes days off or working days.
function effect(cal, entry) {
  const held = cal.years.find((c) => c.year === entry.year);
  const elsewhere = [];
  for (const hd of holidaysOf(entry)) {
    for (const day of daysOf(hd.off) || []) if (!day.startsWith(entry.year + '-')) elsewhere.push(day + '（' + hd.name + '放假）');
    for (const day of daysOf(hd.work || []) || []) if (!day.startsWith(entry.year + '-')) elsewhere.push(day + '（调休上班）');
  }
  return h('div', { class: 'effect', dataset: { year: entry.year } },
    held
      ? h('div', { class: 'replaces' }, notice('warn', '将替换现有 ' + entry.year + ' 年安排（' + label(CALENDAR_ORIGIN, held.origin) + '），须填写理由。'))
      : notice('info', '将新增 ' + entry.year + ' 年（现已覆盖 ' + cal.covered + '），载入后即用于按工作日计算的期限。'),
    elsewhere.length ? h('p', { class: 'warn' }, '同时调整其他年份的日期：' + elsewhere.join('、') + '。') : null);
}

const yearList = (list) => list.join('、');

// The load's answer in Chinese: "已载入 2027 年；同时调整 2026-12-31；现已覆盖 2007–2027。"
function loadedText(r) {
  const parts = [];
  if (r.added && r.added.length) parts.push('已载入 ' + yearList(r.added) + ' 年');
  if (r.replaced && r.replaced.length) parts.push('已替换 ' + yearList(r.replaced) + ' 年的安排');
  if (r.unchanged && r.unchanged.length) parts.push(yearList(r.unchanged) + ' 年与现有安排相同，未改动');
  if (r.also_changes && r.also_changes.length) parts.push('同时调整 ' + r.also_changes.map(rangeText).join('、'));
  parts.push('现已覆盖 ' + r.covered);
  return parts.join('；') + '。';
}

// 载入节假日安排: the notice's text (or a calendar document), read as it is typed; loaded
// only when nothing is wrong.
function loadForm(cal, done) {
  const text = h('textarea', { id: 'notice-text', rows: 12, spellcheck: 'false',
    placeholder: '国务院办公厅关于YYYY年部分节假日安排的通知\n各省、自治区、直辖市人民政府……\n一、元旦：1月1日至3日放假，共3天。\n二、春节：……' });
  const file = h('input', { type: 'file', id: 'calendar-file', accept: '.json,application/json' });
  const year = h('input', { id: 'notice-year', type: 'number', min: 1000, max: 9999, step: 1, placeholder: '如 ' + (beijingNow().getUTCFullYear() + 1) });
  const source = h('input', { id: 'notice-source', placeholder: '国务院办公厅关于YYYY年部分节假日安排的通知 国办发明电〔YYYY〕N号 https://www.gov.cn/…' });
  const reason = h('input', { id: 'notice-reason', placeholder: '理由（替换已有年份时必填）' });
  const check = h('div', { id: 'notice-check' });
  const reading = h('div', { id: 'notice-reading' });
  const button = h('button', { type: 'submit', id: 'notice-load', disabled: true }, '载入');
  const status = h('div', { class: 'status-slot', id: 'notice-status' });
  const noticeFields = h('div', {},
    h('label', { for: 'notice-year' }, '年份（通知标题中有年份时自动填写）'), year,
    h('label', { for: 'notice-source' }, '来源'), source,
    h('span', { class: 'hint' }, '通知的标题，请补上文号和 gov.cn 网址，如“国务院办公厅关于2026年部分节假日安排的通知 国办发明电〔2025〕7号 https://www.gov.cn/…”。'));

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
      payload = { format: FORMAT, region: cal.region, weekend: cal.weekend, years: entries };
    }
    for (const entry of entries) check.append(effect(cal, entry));
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
    h('label', { for: 'calendar-file' }, '或选择日历文件（.json，' + FORMAT + ' 格式，可含多个年份）'), file,
    noticeFields,
    h('label', { for: 'notice-reason' }, '理由'), reason,
    check, reading, button, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!ready) return;
    clear(status);
    const replacing = ready.years.filter((y) => cal.years.some((c) => c.year === y));
    if (replacing.length && !reason.value.trim()) {
      return status.append(notice('error', '将替换现有 ' + yearList(replacing) + ' 年安排，须填写理由。'));
    }
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
  const thisYear = beijingNow().getUTCFullYear();
  const wanted = Number(arg);
  const selected = has(wanted) ? wanted : has(thisYear) ? thisYear : (cal.years.length ? cal.years[cal.years.length - 1].year : null);
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
