// A cycle's page (考评周期), above its commands: its results (view-results.js); for the
// office and admins, next year's cycle started from this one — the same work plan a year
// on (cycle-next.js), shown for review and editing, created with the same unit directory.
import { api, ApiError } from './api.js';
import { h, clear, notice } from './dom.js';
import { nextCycleConfig } from './cycle-next.js';
import { resultsSection } from './view-results.js';

export async function cycleSections(inst, user) {
  return [await resultsSection(inst, user), await nextCycleSection(inst, user)];
}

async function nextCycleSection(inst, user) {
  const d = inst.data || {};
  const cfg = d.config;
  if (!cfg || !cfg.year) return null;
  const catalogue = await api.workflow('cycle');
  const create = catalogue.commands.find((c) => c.name === 'create');
  if (!create || !create.roles.includes(user.role)) return null;
  const nextId = 'cycle/' + (cfg.year + 1) + '/' + cfg.scheme;
  const existing = await api.instance(nextId).catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e)));
  if (existing) {
    return h('p', { id: 'next-cycle' }, '下一年度考评周期已建立：', h('a', { href: '#/i/' + encodeURIComponent(nextId) }, nextId));
  }
  const config = h('textarea', { id: 'next-cycle-config', rows: 16, spellcheck: 'false' });
  config.value = JSON.stringify(nextCycleConfig(cfg), null, 2);
  const reason = h('input', { id: 'next-cycle-reason', placeholder: '必填：说明，如“印发2027年度工作方案”', size: 40 });
  const status = h('div', { class: 'status-slot' });
  const button = h('button', { type: 'button', id: 'next-cycle-create' }, '建立 ' + nextId);
  button.addEventListener('click', async () => {
    clear(status);
    let parsed;
    try {
      parsed = JSON.parse(config.value);
    } catch (e) {
      return status.append(notice('error', '工作方案不是有效的 JSON：' + e.message));
    }
    if (!reason.value.trim()) return status.append(notice('error', '请填写说明。'));
    const id = 'cycle/' + parsed.year + '/' + parsed.scheme;
    button.disabled = true;
    try {
      await api.create('cycle', id, reason.value.trim(), { config: parsed, units: d.units });
      location.hash = '#/i/' + encodeURIComponent(id);
    } catch (e) {
      button.disabled = false;
      status.append(notice('error', e.message));
    }
  });
  return h('details', { class: 'card', id: 'next-cycle' },
    h('summary', {}, '以本周期为模板建立 ' + (cfg.year + 1) + ' 年度考评周期'),
    h('p', { class: 'muted' }, '目标类型、类别、权重、等次规则照旧，所有日期顺延一年（请按当年工作方案核对，尤其是跨年的期限和节假日）；单位目录沿用 ' + d.units + '。'),
    config, h('div', { class: 'filters' }, reason, button), status);
}
