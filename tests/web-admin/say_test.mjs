// The server's refusals in Chinese (web-admin/say.js) without a browser, on messages as
// the server writes them. usage: node say_test.mjs <source dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const { sayInChinese } = await import(join(process.argv[2], 'web-admin/say.js'));

check('a step out of turn: the state, the command, and who may do what now', () => {
  assert.equal(sayInChinese('cannot publish while in_execution; allowed now: open_self_assessment (office), ' +
    'reject_adjustment (lead_assessor, office, leader), request_adjustment (unit, lead_assessor), close_appeal_window (timer)'),
  '当前状态为“执行中”，不能公示结果。现在可以：启动自评（绩效办）；驳回调整（牵头考评单位、绩效办、分管领导）；申请调整指标（被考评单位、牵头考评单位）；复核期届满（系统定时）。');
});

check('an appeal after the window, across a holiday', () => {
  assert.equal(sayInChinese('appeals are accepted within 5 working days of receiving the result (received 2025-09-29, last day 2025-10-13); today is 2025-10-14 (working day 6)'),
    '复核申请须在收到考评结果后 5 个工作日内提出（2025-09-29 收到，最后一天 2025-10-13）；今天是 2025-10-14（第 6 个工作日）。');
  assert.match(sayInChinese('cannot appeal while ready_for_ratification; allowed now: ratify (committee) (the appeal window of 5 working days ran from 2025-09-29 to 2025-10-13; today is 2025-10-20)'),
    /不能申请复核。现在可以：审定（考评领导小组）。（复核申请期为收到结果后 5 个工作日：2025-09-29 至 2025-10-13；今天是 2025-10-20）$/);
});

check('an adjustment outside its window, a new task too late', () => {
  assert.equal(sayInChinese('adjustments are filed 2026-11-20..2026-11-30 (cycle 2026 city); today is 2026-12-01'),
    '指标调整须在调整申报期 2026-11-20 至 2026-11-30 内报送（2026 年度考评周期）；今天是 2026-12-01。');
  assert.equal(sayInChinese('a new major task must be applied for within 30 working days of receiving the document (received 2025-06-02, last day 2025-07-14); today is 2025-07-15 (working day 31)'),
    '新增重大任务须在收到交办文件后 30 个工作日内申请（2025-06-02 收到，最后一天 2025-07-14）；今天是 2025-07-15（第 31 个工作日）。');
});

check('no licence, no assessment', () => {
  assert.equal(sayInChinese('payload.target_types[0]: 专项考核 "食品安全考核" has no valid licence on 2025-12-31 (state: approved): no licence, no assessment (2025-12-31, the last day of the year the cycle 2025 city assesses)'),
    '无证不考：专项考核“食品安全考核”在 2025-12-31 没有有效许可（状态：已同意待许可）。（payload.target_types[0]）');
  assert.equal(sayInChinese('专项考核 "河长制考核" has no valid licence on 2025-12-31 (licence 专考〔2025〕7号 is valid from 2025-01-01 to 2025-06-30): no licence, no assessment'),
    '无证不考：专项考核“河长制考核”在 2025-12-31 没有有效许可（许可证 专考〔2025〕7号 有效期为 2025-01-01 至 2025-06-30）。');
  assert.equal(sayInChinese('payload.target_types[1]: 专项考核 "registry/item/x" is not in the registry: no licence, no assessment (2025-12-31, …)'),
    '无证不考：专项考核“registry/item/x”不在专项考核目录中。（payload.target_types[1]）');
});

check('a deadline past the years the calendar holds: the admin loads the next arrangement', () => {
  assert.equal(sayInChinese('cannot count working days: the calendar "cn" does not cover 2027; load the State Council arrangement for 2027 (covered: 2007–2026)'),
    '工作日历尚未载入 2027 年的节假日安排，暂无法按工作日计算期限；请系统管理员载入国务院办公厅公布的 2027 年安排（已载入：2007–2026）。');
});

check('a self-assessment report that does not answer for every indicator as it should: which one, and why', () => {
  assert.equal(sayInChinese('the report lacks 2 of the plan\'s 4 indicators: special.1.1.1.1, innovation.1.1.1.1'),
    '自评报告缺少绩效计划 4 个指标中的 2 个：special.1.1.1.1、innovation.1.1.1.1。');
  assert.equal(sayInChinese('the report lacks 158 of the plan\'s 159 indicators: functional.1.1.1.2, functional.1.1.2.1, functional.1.1.2.2, functional.1.1.2.3, functional.1.2.1.1, …'),
    '自评报告缺少绩效计划 159 个指标中的 158 个：functional.1.1.1.2、functional.1.1.2.1、functional.1.1.2.2、functional.1.1.2.3、functional.1.2.1.1 等。');
  assert.equal(sayInChinese('payload.report["all"]: the plan (version 1) has no indicator "all"'),
    '自评报告中的“all”不是绩效计划（第 1 版）的指标。');
  assert.equal(sayInChinese('payload.report["functional.1.1.1.1"]: 地区生产总值 is reported completed without evidence'),
    '自评报告中“地区生产总值”（functional.1.1.1.1）标为已完成，但没有佐证。');
  assert.equal(sayInChinese('payload.report["special.1.1.1.1"]: 优化营商环境专项考核 is reported not completed: say why in its note'),
    '自评报告中“优化营商环境专项考核”（special.1.1.1.1）标为未完成，须在说明中写明原因。');
  assert.equal(sayInChinese('payload.report["functional.1.1.1.1"].evidence must list the evidence as texts'),
    '自评报告中 functional.1.1.1.1 的佐证须是文字的列表，每项不能为空。');
  assert.equal(sayInChinese('payload.report["functional.1.1.1.1"].note must be a text'), '自评报告中 functional.1.1.1.1 的说明须是文字。');
  assert.equal(sayInChinese('payload.report["functional.1.1.1.1"] must be {"completed": true or false, "evidence": ["…"], "note": "…"}'),
    '自评报告中 functional.1.1.1.1 一项须写明是否完成（completed：true 或 false），以及佐证（evidence）和说明（note）。');
  assert.equal(sayInChinese('the self-assessment needs payload.report: completion per indicator of the plan with evidence, ' +
    '{"<indicator id>": {"completed": true, "evidence": ["…"]}, …}'), '自评须提交自评报告：逐项写明绩效计划每个指标的完成情况，已完成的附佐证。');
});

check('anything else is left as the server wrote it', () => {
  assert.equal(sayInChinese('the plan is for unit gx-wuzhou, not gx-nanning'), null);
  assert.equal(sayInChinese(undefined), null);
});

check('who may send a command, whose assessment it is, what it needs', () => {
  assert.equal(sayInChinese('only the leader in charge may approve; zhang.office acts as office'),
    '只有分管领导可以审定同意（zhang.office 的角色是绩效办）。');
  assert.equal(sayInChinese('only the assessed unit, a lead assessor or the office may request_adjustment; li.jw acts as leader'),
    '只有被考评单位或牵头考评单位或绩效办可以申请调整指标（li.jw 的角色是分管领导）。');
  // A role named otherwise is left in the server's words.
  assert.equal(sayInChinese('only the steering group may approve; x acts as office'), null);
  assert.equal(sayInChinese('unit "gx-beihai" may act only on its own assessment; lifecycle/2024/city/gx-yulin is gx-yulin\'s'),
    '单位 gx-beihai 只能办理本单位的考评（lifecycle/2024/city/gx-yulin 属于 gx-yulin）。');
  assert.equal(sayInChinese('unit gx-beihai may act only on its own assessment'), '单位 gx-beihai 只能办理本单位的考评。');
  assert.equal(sayInChinese('an auditor reads everything and changes nothing'), '审计监督可以查阅全部内容，但不能办理任何操作。');
  assert.equal(sayInChinese('return needs a reason (it is shown to the unit)'), '退回须填写理由（理由将告知被考评单位）。');
  assert.equal(sayInChinese('request_adjustment needs a reason'), '申请调整指标须填写理由。');
});

check('an adjustment at the wrong stage, an appeal without reasons or evidence, a second appeal, a downgrade\'s area', () => {
  assert.equal(sayInChinese('adjustment adj-1 is requested; agree_adjustment needs it first_reviewed'),
    '调整申请 adj-1 当前为“已申请”，须为“牵头单位已初审”才能同意调整。');
  assert.equal(sayInChinese('adjustment adj-2 is already filed'), '调整申请 adj-2 已是“已备案（计划已更新）”，不能再办理。');
  assert.equal(sayInChinese("an appeal needs reasons (the command's reason)"), '申请复核须写明理由。');
  assert.equal(sayInChinese('an appeal needs evidence (payload.evidence: a non-empty list)'), '申请复核须附佐证材料（至少一项）。');
  assert.equal(sayInChinese('the result was already appealed and decided; a result may be appealed once'),
    '该结果已申请过复核并已作出决定；每个结果只能申请复核一次。');
  assert.equal(sayInChinese('payload.area: a downgrade is for a major problem in one of: 党风廉政建设, 安全生产'),
    '降等只适用于以下方面的重大问题：党风廉政建设、安全生产。');
});

done();
