// What the pages call things. The API speaks in codes (states, commands, roles); the
// office reads Chinese. A code without a label here is shown as the code itself.

export const ROLE = {
  unit: '被考评单位',
  lead_assessor: '牵头考评单位',
  office: '绩效办',
  leader: '分管领导',
  committee: '考评领导小组',
  auditor: '审计监督',
  admin: '系统管理员',
  system: '系统',
};

// The yearly lifecycle, in the order a unit goes through it (docs/lifecycle.md).
export const LIFECYCLE_STEPS = [
  'drafting', 'submitted', 'reviewed', 'approved', 'in_execution', 'self_assessing',
  'auditing', 'scored', 'published', 'ready_for_ratification', 'ratified', 'archived',
];

export const STATE = {
  // lifecycle
  drafting: '编制计划',
  submitted: '已报送',
  returned: '退回修改',
  reviewed: '绩效办已审核',
  approved: '领导已审定',
  in_execution: '执行中',
  self_assessing: '自评',
  auditing: '考评审核',
  scored: '已评分',
  published: '结果公示',
  appealed: '复核申请中',
  decided: '复核已决定',
  ready_for_ratification: '待审定',
  ratified: '已审定',
  archived: '已归档',
  // special assessments
  draft: '草稿',
  licensed: '已许可',
  expired: '已到期',
  retired: '已撤销',
  withdrawn: '已撤回',
  rejected: '不予同意',
  merged: '已合并',
  // users
  active: '启用',
  disabled: '停用',
};

export const COMMAND = {
  create: '创建',
  submit: '报送',
  return: '退回',
  office_agree: '绩效办审核同意',
  approve: '审定同意',
  issue: '印发',
  request_adjustment: '申请调整指标',
  review_adjustment: '初审调整申请',
  agree_adjustment: '同意调整',
  approve_adjustment: '审定调整',
  file_adjustment: '备案调整',
  reject_adjustment: '驳回调整',
  record_midyear: '记录中期核验',
  report_rectification: '报告整改情况',
  close_rectification: '整改销号',
  reopen_rectification: '整改退回',
  open_self_assessment: '启动自评',
  submit_self_assessment: '提交自评',
  send_back: '退回补正',
  record_scores: '录入评分',
  finish_audit: '完成审核',
  publish: '公示结果',
  appeal: '申请复核',
  uphold_appeal: '复核成立',
  reject_appeal: '复核不成立',
  republish: '重新公示',
  ratify: '审定',
  archive: '归档',
  revise: '修改',
  withdraw: '撤回',
  reject: '不予同意',
  merge: '合并',
  license: '许可',
  renew: '续期',
  file: '备案结果',
  evaluate: '评估',
  retire: '撤销',
  expire: '到期',
  mark_overdue: '标记逾期',
  close_appeal_window: '复核期届满',
  remind: '发送提醒',
  load: '载入',
};

// Deadline steps, as the reminders name them (workflows/notice_text.cc).
export const STEP = {
  plan_due: '绩效计划报送',
  plan_review: '绩效计划审核',
  self_assessment_due: '自查自评报送',
  lead_scoring_due: '主考单位考核评分',
  onsite_verification_due: '察访核验',
  results_due: '形成考评结果',
  ratification_due: '考评结果审定',
  rectification: '中期核验问题整改',
};

// An indicator adjustment's stages (workflows/lifecycle_workflow.cc, data.adjustments[].status).
export const ADJUSTMENT_STATUS = { requested: '已申请', first_reviewed: '牵头单位已初审', agreed: '绩效办已同意', approved: '领导已批准',
  filed: '已备案（计划已更新）', rejected: '已驳回' };

// A mid-year finding's rectification (workflows/lifecycle_workflow.cc, data.rectifications[].status).
export const RECTIFICATION_STATUS = { open: '待整改', reported: '已报告整改', closed: '已销号' };

// Where a year of the working calendar came from (GET /api/v1/calendar).
export const CALENDAR_ORIGIN = {
  shipped: '随系统发布',
  loaded: '管理员载入',
  corrected: '管理员更正',
};

// Days of the week, as the calendar writes its weekend and as JavaScript numbers them
// (getUTCDay: 0 is Sunday).
export const WEEKDAY = { sun: '周日', mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六' };
export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export const label = (table, code) => (code in table ? table[code] : code);

// States whose meaning differs by workflow: a special assessment "approved" has the
// office's consent and waits for its licence; a lifecycle's plan was approved by the
// leader.
const STATE_OF_TYPE = { special_assessment: { approved: '已同意待许可' } };

// The Chinese of `state` of an instance of `type`.
export const stateLabel = (state, type) => ((STATE_OF_TYPE[type] || {})[state]) || label(STATE, state);
