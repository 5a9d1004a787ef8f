// The mid-year check (中期核验) as an assessment's page reads it: each check the office
// recorded, and each finding's rectification item (整改) — its status, its deadline and
// whether that has passed with the item still the unit's, and the steps it went
// through. Pure: labels only, no page.
import { ROLE, RECTIFICATION_STATUS, label } from './labels.js';

// One step of an item in words: "已报告整改：gx-wuzhou.staff（被考评单位）2025-08-01，已补齐台账（佐证：台账）",
// a late report with how late: "…（逾期 3 个工作日，自 2025-09-16 起逾期）".
function stepText(st) {
  const evidence = (st.evidence || []).length ? '（佐证：' + st.evidence.join('；') + '）' : '';
  const late = st.working_days_late !== undefined
    ? '（逾期 ' + st.working_days_late + ' 个工作日' + (st.overdue_since ? '，自 ' + st.overdue_since + ' 起逾期' : '') + '）'
    : '';
  return label(RECTIFICATION_STATUS, st.status) + '：' + st.by + '（' + label(ROLE, st.role) + '）' + st.on +
    (st.reason ? '，' + st.reason : '') + evidence + late;
}

// `data`: a lifecycle's data; `today`: the Beijing day (YYYY-MM-DD). An item is overdue
// when it is open (the unit's to act on) and its rectify_by has passed — or its timer
// marked it (overdueSince: the day it was marked, empty before); a reported one waits
// for the office.
export function rectificationView(data, today) {
  const d = data || {};
  const items = (d.rectifications || []).map((r) => ({
    id: r.id,
    finding: r.finding,
    indicator: r.indicator || '',
    foundOn: r.found_on,
    rectifyBy: r.rectify_by,
    status: r.status,
    statusText: label(RECTIFICATION_STATUS, r.status),
    overdue: r.status === 'open' && (!!r.overdue_since || (!!r.rectify_by && r.rectify_by < today)),
    overdueSince: r.status === 'open' ? r.overdue_since || '' : '',
    steps: (r.steps || []).map(stepText),
  }));
  const checks = (d.midyear_findings || []).map((c) => ({
    on: c.on,
    by: c.by,
    note: c.note || '',
    items: c.items || [],
    text: c.on + ' ' + c.by + ' 记录中期核验：' +
      ((c.items || []).length ? '发现 ' + c.items.length + ' 个需整改的问题（' + c.items.join('、') + '）' : '未发现需整改的问题') +
      (c.note ? '；' + c.note : ''),
  }));
  const count = (s) => items.filter((i) => i.status === s).length;
  return {
    checks, items,
    summary: items.length ? '共 ' + items.length + ' 项：待整改 ' + count('open') + '，已报告 ' + count('reported') +
      '，已销号 ' + count('closed') + (items.some((i) => i.overdue) ? '，其中逾期 ' + items.filter((i) => i.overdue).length : '') : '',
  };
}
