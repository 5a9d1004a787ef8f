// The server's refusals in Chinese, for the refusals people meet in the course of the
// year: a step out of turn (and who may act now), the adjustment filing window, the
// appeal window, the new-task window, no licence, a calendar that lacks a year. The
// server writes them in English, as the journal keeps them; a message that matches none
// of these is shown as it came.
// Pure: labels only, no page.
import { ROLE, STATE, COMMAND, label, stateLabel } from './labels.js';

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

const workingDay = (n) => (n ? '（第 ' + n + ' 个工作日）' : '');

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
