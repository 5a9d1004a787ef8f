// The server's refusals in Chinese, for the refusals people meet in the course of the
// year: a step out of turn (and who may act now), a role that may not send a command, a
// unit acting on another's assessment, a reason or evidence left out, an adjustment at
// the wrong stage, a mid-year finding and its rectification, a second appeal, a downgrade's area, the adjustment filing window, the
// appeal window, the new-task window, no licence, a calendar that lacks a year, a
// self-assessment report that does not answer for every indicator of the plan as it
// should, and an admin's loading or withdrawing a year of the calendar (a year already
// there, a replacement or withdrawal without a reason, a document with a bad field). The
// server writes them in English, as the journal keeps them; a message that matches none
// of these is shown as it came.
// Pure: labels only, no page.
import { ROLE, STATE, COMMAND, ADJUSTMENT_STATUS, RECTIFICATION_STATUS, label, stateLabel } from './labels.js';

const roles = (list) => list.split(',').map((r) => r.trim()).filter(Boolean)
  .map((r) => (r === 'timer' ? '系统定时' : label(ROLE, r))).join('、');

// "submit (unit), request_adjustment (unit, lead_assessor)" → "报送（被考评单位）；…"
function allowed(list) {
  const out = [];
  for (const m of list.matchAll(/([a-z_]+)(?: \(([^)]*)\))?/g)) out.push(label(COMMAND, m[1]) + (m[2] ? '（' + roles(m[2]) + '）' : ''));
  return out.length ? out.join('；') : '无';
}

// Why a licence is not valid, as the registry says it (registry/licence.cc).
const whyNoLicence = (why) => why
  .replace(/^state: ([a-z_]+)(, merged into (\S+))?/, (_, st, merged, into) => '状态：' + stateLabel(st, 'special_assessment') + (merged ? '，已并入 ' + into : ''))
  .replace(/^licence (.+) is valid from (\S+) to (\S+)$/, '许可证 $1 有效期为 $2 至 $3');

// Who may act, as the lifecycle names the roles (workflows/lifecycle_workflow.cc,
// RolesText: "the office, the leader in charge or an admin"), or null for a name not here.
const ROLE_PHRASE = {
  'the assessed unit': '被考评单位', 'a lead assessor': '牵头考评单位', 'the office': '绩效办',
  'the leader in charge': '分管领导', 'the committee': '考评领导小组', 'an admin': '系统管理员', 'the timer': '系统定时',
};
function whoMay(list) {
  const names = list.split(/, | or /).map((p) => ROLE_PHRASE[p]);
  return names.every(Boolean) ? names.join('或') : null;
}

const workingDay = (n) => (n ? '（第 ' + n + ' 个工作日）' : '');

// ---- the working calendar's load and withdraw (workflows/calendar_workflow.cc) ----

const years = (list) => list.split(', ').join('、');

// Where in a calendar document (engine/calendar_format.cc names it as a path):
// "years[0].holidays[1].off[2] (range start)" → "第 1 个年份第 2 个节假日的放假日期第 3 项（起始日）".
const CALENDAR_FIELD = { year: '年份', source: '来源', holidays: '节假日', name: '名称', off: '放假日期', work: '调休上班日期' };
function calendarPlace(path) {
  const m = path.match(/^years(?:\[(\d+)\](?:\.(year|source|holidays)(?:\[(\d+)\](?:\.(name|off|work)(?:\[(\d+)\])?)?)?)?)?(?: \((range start|range end)\))?$/);
  if (!m) return null;
  const nth = (i) => '第 ' + (Number(i) + 1);
  let out = m[1] === undefined ? '' : nth(m[1]) + ' 个年份';
  if (m[2] && m[3] === undefined) out += '的' + CALENDAR_FIELD[m[2]];
  if (m[3] !== undefined) out += nth(m[3]) + ' 个节假日';
  if (m[4]) out += '的' + CALENDAR_FIELD[m[4]];
  if (m[5] !== undefined) out += nth(m[5]) + ' 项';
  if (m[6]) out += m[6] === 'range start' ? '（起始日）' : '（结束日）';
  return out;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// Why a date is not one (engine/date.cc), or null.
function whyNoDate(why) {
  let m;
  if (why === 'expected YYYY-MM-DD') return '应写作 YYYY-MM-DD';
  if (why === 'year must be 0001..9999') return '年份应在 0001 至 9999 之间';
  if (why === 'month must be 01..12') return '月份应在 01 至 12 之间';
  if ((m = why.match(/^day must be 01\.\.(\d+)$/))) return '日应在 01 至 ' + m[1] + ' 之间';
  if ((m = why.match(/^(\w+) (\d+) has (\d+) days$/)) && MONTHS.includes(m[1])) {
    return m[2] + ' 年 ' + (MONTHS.indexOf(m[1]) + 1) + ' 月只有 ' + m[3] + ' 天';
  }
  return null;
}

// What is wrong at that place of a calendar document, or null when it is not one of these.
function calendarProblem(detail) {
  let m;
  if ((m = detail.match(/^"([^"]*)" is not a valid date: (.*)$/))) {
    const why = whyNoDate(m[2]);
    return why && '“' + m[1] + '”不是有效日期（' + why + '）';
  }
  if ((m = detail.match(/^"([^"]*)": the range ends before it starts$/))) return '“' + m[1] + '”结束早于开始';
  if ((m = detail.match(/^"([^"]*)": a range may span at most 366 days$/))) return '“' + m[1] + '”跨度超过 366 天';
  if ((m = detail.match(/^missing field "([a-z]+)"$/))) return '缺少' + (CALENDAR_FIELD[m[1]] || m[1]) + '（' + m[1] + '）';
  if ((m = detail.match(/^unknown field "([^"]*)"/))) return '有多余的字段“' + m[1] + '”';
  if (detail === 'must not be empty') return '不能为空';
  if ((m = detail.match(/^(\d+) appears twice/))) return m[1] + ' 年出现了两次';
  if (!(m = detail.match(/^the arrangement for (\d+): (.*)$/))) return null;
  const [, year, what] = m;
  let why = null;
  if ((m = what.match(/^(\S+) is listed both as a day off \((.*)\) and as a working day \((.*)\)$/))) {
    why = m[1] + ' 既是放假日（' + m[2] + '）又是上班日（' + m[3] + '）';
  } else if ((m = what.match(/^holiday "(.*)" lists (\S+), outside (\d+)\.\.(\d+)$/))) {
    why = '节假日“' + m[1] + '”中的 ' + m[2] + ' 不在 ' + m[3] + ' 至 ' + m[4] + ' 年之间';
  } else if ((m = what.match(/^holiday "(.*)" lists no dates$/))) {
    why = '节假日“' + m[1] + '”没有日期';
  } else if (what.startsWith('lists no holidays')) {
    why = '没有节假日（空的占位不是安排，请等国务院办公厅的通知公布后再载入）';
  } else if (what === 'lists no day off') {
    why = '没有放假日';
  } else if (what === 'a holiday has an empty name') {
    why = '有节假日没有名称';
  }
  return why && year + ' 年安排中，' + why;
}

// A calendar document refused for one of its fields: the place and the problem in Chinese,
// or null (the server's words are shown) when either is not one of those above.
function badCalendar(path, detail) {
  const place = calendarPlace(path.replace(/^year \d+$/, 'years'));
  const problem = calendarProblem(detail);
  if (place === null || !problem) return null;
  return '日历文件' + (place ? place : '') + '有误：' + problem + '。';
}

const PATTERNS = [
  [/^cannot ([a-z_]+) while ([a-z_]+); allowed now: (.*?)(?: \(the appeal window of (\d+) working days ran from (\S+) to (\S+); today is (\S+)\))?$/,
    (m) => '当前状态为“' + label(STATE, m[2]) + '”，不能' + label(COMMAND, m[1]) + '。现在可以：' + allowed(m[3]) + '。' +
      (m[4] ? '（复核申请期为收到结果后 ' + m[4] + ' 个工作日：' + m[5] + ' 至 ' + m[6] + '；今天是 ' + m[7] + '）' : '')],
  [/^adjustments are filed (\S+)\.\.(\S+) \(cycle (\d+) (\w+)\); today is (\S+)$/,
    (m) => '指标调整须在调整申报期 ' + m[1] + ' 至 ' + m[2] + ' 内报送（' + m[3] + ' 年度考评周期）；今天是 ' + m[5] + '。'],
  [/^appeals are accepted within (\d+) working days of receiving the result \(received (\S+), last day (\S+)\); today is (\S+)(?: \(working day (\d+)\))?$/,
    (m) => '复核申请须在收到考评结果后 ' + m[1] + ' 个工作日内提出（' + m[2] + ' 收到，最后一天 ' + m[3] + '）；今天是 ' + m[4] + workingDay(m[5]) + '。'],
  [/^a new major task must be applied for within (\d+) working days of receiving the document \(received (\S+), last day (\S+)\); today is (\S+)(?: \(working day (\d+)\))?$/,
    (m) => '新增重大任务须在收到交办文件后 ' + m[1] + ' 个工作日内申请（' + m[2] + ' 收到，最后一天 ' + m[3] + '）；今天是 ' + m[4] + workingDay(m[5]) + '。'],
  [/^(?:(payload\.[^:]*): )?专项考核 "([^"]*)" (?:has no valid licence on (\S+) \((.*)\)|is not in the registry): no licence, no assessment(.*)$/,
    (m) => '无证不考：专项考核“' + m[2] + '”' + (m[3] ? '在 ' + m[3] + ' 没有有效许可（' + whyNoLicence(m[4]) + '）' : '不在专项考核目录中') + '。' +
      (m[1] ? '（' + m[1] + '）' : '')],
  // Who may send a command, whose assessment it is, and what it needs (workflows/lifecycle_workflow.cc).
  [/^only (.+) may ([a-z_]+); (\S+) acts as ([a-z_]+)$/,
    (m) => whoMay(m[1]) && '只有' + whoMay(m[1]) + '可以' + label(COMMAND, m[2]) + '（' + m[3] + ' 的角色是' + label(ROLE, m[4]) + '）。'],
  [/^unit "?([^";]+?)"? may act only on its own assessment(?:; (\S+) is (\S+)'s)?$/,
    (m) => '单位 ' + m[1] + ' 只能办理本单位的考评' + (m[2] ? '（' + m[2] + ' 属于 ' + m[3] + '）' : '') + '。'],
  [/^an auditor reads everything and changes nothing$/, () => '审计监督可以查阅全部内容，但不能办理任何操作。'],
  [/^([a-z_]+) needs a reason(?: \(it is shown to the unit\))?$/,
    (m) => label(COMMAND, m[1]) + '须填写理由' + (m[0].includes('shown to the unit') ? '（理由将告知被考评单位）' : '') + '。'],
  [/^adjustment (\S+) is ([a-z_]+); ([a-z_]+) needs it ([a-z_]+)$/,
    (m) => '调整申请 ' + m[1] + ' 当前为“' + label(ADJUSTMENT_STATUS, m[2]) + '”，须为“' + label(ADJUSTMENT_STATUS, m[4]) +
      '”才能' + label(COMMAND, m[3]) + '。'],
  [/^adjustment (\S+) is already ([a-z_]+)$/,
    (m) => '调整申请 ' + m[1] + ' 已是“' + label(ADJUSTMENT_STATUS, m[2]) + '”，不能再办理。'],
  // The mid-year check and its rectification items (workflows/lifecycle_workflow.cc).
  [/^the mid-year check runs (\S+)\.\.(\S+) \(cycle (\d+) (\w+)\); today is (\S+): nothing to record before it starts$/,
    (m) => '中期核验时间为 ' + m[1] + ' 至 ' + m[2] + '（' + m[3] + ' 年度考评周期）；今天是 ' + m[5] + '，核验开始前不能记录核验结果。'],
  [/^payload\.findings\[(\d+)\] must be what the check found/,
    (m) => '第 ' + (Number(m[1]) + 1) + ' 个问题须写明核验发现的问题（文字，或 {"finding": "问题", "indicator": "指标编号", "rectify_by": "整改期限"}）。'],
  [/^payload\.findings\[(\d+)\]\.indicator: the plan \(version (\d+)\) has no indicator (.*)$/,
    (m) => '第 ' + (Number(m[1]) + 1) + ' 个问题所指的指标 ' + m[3] + ' 不是绩效计划（第 ' + m[2] + ' 版）的指标。'],
  [/^payload\.findings\[(\d+)\]: the rectification cannot be due (\S+), before today \((\S+)\)/,
    (m) => '第 ' + (Number(m[1]) + 1) + ' 个问题的整改期限 ' + m[2] + ' 早于今天（' + m[3] + '），请另定整改期限。'],
  [/^payload\.findings\[(\d+)\]: the rectification must be due by (\S+), the self-assessment's deadline \(cycle \d+ \w+\), not (\S+)$/,
    (m) => '第 ' + (Number(m[1]) + 1) + ' 个问题的整改期限 ' + m[3] + ' 晚于自查自评报送截止日期 ' + m[2] + '。'],
  [/^no rectification item "([^"]*)" on this assessment/, (m) => '本考评没有整改事项“' + m[1] + '”。'],
  [/^rectification (\S+) is ([a-z_]+); ([a-z_]+) needs it ([a-z_]+)$/,
    (m) => '整改事项 ' + m[1] + ' 当前为“' + label(RECTIFICATION_STATUS, m[2]) + '”，须为“' + label(RECTIFICATION_STATUS, m[4]) +
      '”才能' + label(COMMAND, m[3]) + '。'],
  [/^report_rectification needs payload\.evidence/, () => '报告整改情况须附佐证材料（至少一项）。'],
  [/^an appeal needs reasons \(the command's reason\)$/, () => '申请复核须写明理由。'],
  [/^an appeal needs evidence \(payload\.evidence: a non-empty list\)$/, () => '申请复核须附佐证材料（至少一项）。'],
  [/^the result was already appealed and decided; a result may be appealed once$/,
    () => '该结果已申请过复核并已作出决定；每个结果只能申请复核一次。'],
  [/^payload\.area: a downgrade is for a major problem in one of: (.*)$/,
    (m) => '降等只适用于以下方面的重大问题：' + m[1].split(', ').join('、') + '。'],
  // The self-assessment report (workflows/lifecycle_workflow.cc, HasReport).
  [/^the self-assessment needs payload\.report: completion per indicator of the plan with evidence/,
    () => '自评须提交自评报告：逐项写明绩效计划每个指标的完成情况，已完成的附佐证。'],
  [/^the report lacks (\d+) of the plan's (\d+) indicators: (.*?)(, …)?$/,
    (m) => '自评报告缺少绩效计划 ' + m[2] + ' 个指标中的 ' + m[1] + ' 个：' + m[3].split(', ').join('、') + (m[4] ? ' 等' : '') + '。'],
  [/^payload\.report\["(.*)"\]: the plan \(version (\d+)\) has no indicator "(.*)"$/,
    (m) => '自评报告中的“' + m[3] + '”不是绩效计划（第 ' + m[2] + ' 版）的指标。'],
  [/^payload\.report\["(.*)"\]: (.*) is reported completed without evidence$/,
    (m) => '自评报告中“' + m[2] + '”（' + m[1] + '）标为已完成，但没有佐证。'],
  [/^payload\.report\["(.*)"\]: (.*) is reported not completed: say why in its note$/,
    (m) => '自评报告中“' + m[2] + '”（' + m[1] + '）标为未完成，须在说明中写明原因。'],
  [/^payload\.report\["(.*)"\]\.evidence must list the evidence as texts$/,
    (m) => '自评报告中 ' + m[1] + ' 的佐证须是文字的列表，每项不能为空。'],
  [/^payload\.report\["(.*)"\]\.note must be a text$/,
    (m) => '自评报告中 ' + m[1] + ' 的说明须是文字。'],
  [/^payload\.report\["(.*)"\] must be \{"completed": true or false/,
    (m) => '自评报告中 ' + m[1] + ' 一项须写明是否完成（completed：true 或 false），以及佐证（evidence）和说明（note）。'],
  [/^replacing the arrangement of ([\d, ]+) changes deadlines already counted with it: give a reason/,
    (m) => '将替换现有 ' + years(m[1]) + ' 年的节假日安排，已按其计算的期限会随之改变：请填写理由（如更正或补充通知的文号）。'],
  [/^the calendar already holds the arrangement of ([\d, ]+) as given: nothing to load$/,
    (m) => '工作日历中已有与此相同的 ' + years(m[1]) + ' 年安排，无需载入。'],
  [/^withdrawing a year changes the deadlines counted with it: give a reason$/,
    () => '撤回一年的安排会改变按其计算的期限：请填写理由。'],
  [/^no arrangement of (\d+) was loaded \(loaded: ([^)]*)\); a year shipped with GovAssess is corrected by loading the corrected arrangement$/,
    (m) => m[1] + ' 年的安排不是管理员载入的，不能撤回（管理员载入的：' + (m[2] === 'none' ? '无' : years(m[2])) +
      '）；随系统发布的年份如需更正，请载入更正后的安排。'],
  [/^only an admin may (load|withdraw) a calendar's arrangements; (\S+) acts as (\S+)$/,
    (m) => '只有系统管理员可以' + (m[1] === 'load' ? '载入' : '撤回') + '工作日历的节假日安排（' + m[2] + ' 的角色是' + label(ROLE, m[3]) + '）。'],
  [/^payload\.region: "([^"]*)" is not this calendar's region "([^"]*)"$/,
    (m) => '日历文件的地区“' + m[1] + '”不是本系统日历的地区“' + m[2] + '”。'],
  [/^payload\.weekend: (.*) is not this calendar's weekend (.*)$/,
    (m) => '日历文件的周末 ' + m[1] + ' 与本系统日历的周末 ' + m[2] + ' 不同。'],
  [/^payload\.(years(?:\[\d+\][^:]*)?|year \d+): (.*)$/, (m) => badCalendar(m[1], m[2])],
  // Anywhere in a message: a working-day count past the years the calendar holds (the
  // State Council publishes each year's arrangement in the autumn before).
  [/the calendar "[^"]*" does not cover (\d{4}); load the State Council arrangement for \d{4} \(covered: ([^)]*)\)/,
    (m) => '工作日历尚未载入 ' + m[1] + ' 年的节假日安排，暂无法按工作日计算期限；请系统管理员载入国务院办公厅公布的 ' + m[1] +
      ' 年安排（已载入：' + m[2] + '）。'],
];

// The Chinese of a refusal, or null when it is not one of those above.
export function sayInChinese(message) {
  if (typeof message !== 'string') return null;
  for (const [re, f] of PATTERNS) {
    const m = message.match(re);
    if (m) return f(m);
  }
  return null;
}
