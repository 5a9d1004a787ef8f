// 批量处理 on the board: a routine step (bulk.js) sent to the assessments it applies to,
// ticked by the user, one command each in turn — each journaled and checked by the
// server as if sent from the unit's own page, and only if the assessment is still at the
// version the board showed. The board then reloads with what became of each.
import { api, ApiError } from './api.js';
import { h, clear, notice } from './dom.js';
import { COMMAND, label, stateLabel } from './labels.js';
import { routineSteps, bulkReport } from './bulk.js';

const unitName = (i) => ((i.data || {}).unit_name || (i.data || {}).unit || i.id) + ((i.data || {}).year ? '（' + i.data.year + '）' : '');

export async function bulkSection(instances, user, reload) {
  const catalogue = await api.workflow('lifecycle');
  const steps = routineSteps(catalogue, user.role, instances);
  if (!steps.length) return null;
  const select = h('select', { id: 'bulk-command', 'aria-label': '步骤' },
    steps.map((s, n) => h('option', { value: String(n) },
      label(COMMAND, s.command.name) + '（' + s.targets.length + ' 个单位可执行）')));
  const picks = h('div', { class: 'picks', id: 'bulk-targets' });
  const reason = h('input', { id: 'bulk-reason', placeholder: '理由（可选）', size: 40 });
  const status = h('div', { class: 'status-slot' });
  const button = h('button', { type: 'submit', id: 'bulk-send' });
  let boxes = [];
  const step = () => steps[Number(select.value)];
  const show = () => {
    const s = step();
    boxes = s.targets.map((i) => h('input', { type: 'checkbox', value: i.id, checked: true }));
    clear(picks).append(...s.targets.map((i, n) => h('label', { class: 'inline' }, boxes[n], unitName(i),
      h('span', { class: 'muted' }, '（' + stateLabel(i.state) + '）'))));
    button.textContent = '对选中的单位执行“' + label(COMMAND, s.command.name) + '”';
  };
  select.addEventListener('change', show);
  show();
  const form = h('form', { id: 'bulk-form' },
    h('p', { class: 'muted' }, '例行步骤逐个发送给选中的单位，各自记入日志；在此期间已被他人改动的单位不执行。需要逐个判断的步骤（退回、复核决定、评分）请在单位的页面上办理。'),
    h('label', { class: 'inline' }, '步骤', select), picks,
    h('label', { for: 'bulk-reason' }, '理由'), reason, button, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    const s = step();
    const picked = s.targets.filter((i, n) => boxes[n].checked);
    if (!picked.length) return status.append(notice('error', '请先选择单位。'));
    button.disabled = true;
    const outcomes = [];
    for (const inst of picked) {
      try {
        const r = await api.command(inst.id, s.command.name, { reason: reason.value.trim(), version: inst.version });
        outcomes.push({ inst, ok: true, state: r.instance.state, seq: r.event.seq });
      } catch (e) {
        const message = e instanceof ApiError && e.status === 409 ? '已被他人改动，未执行（请核对后在单位页面办理）' : e.message;
        outcomes.push({ inst, ok: false, message });
      }
    }
    const report = bulkReport(outcomes);
    const name = label(COMMAND, s.command.name);
    reload(h('section', { class: 'card', id: 'bulk-report' },
      h('h2', {}, '批量“' + name + '”：' + report.done + ' 个已执行' + (report.refused ? '，' + report.refused + ' 个未执行' : '')),
      h('ul', {}, report.lines.map((o) => h('li', { class: o.ok ? 'ok' : 'refused', dataset: { id: o.inst.id } },
        unitName(o.inst) + (o.ok ? '：已' + name + '，现为“' + stateLabel(o.state) + '”（日志第 ' + o.seq + ' 条）' : '：' + o.message))))));
  });
  return h('details', { class: 'card', id: 'bulk' }, h('summary', {}, '批量处理（例行步骤）'), form);
}
