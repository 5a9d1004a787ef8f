// Special assessments (docs/registry.md): the year's quota, the applications and
// licensed items by state, a duplicate review of a name and its indicators before
// anyone applies, and (for the roles that may send `create`) the application form.
import { api, listWithData, unitNames } from './api.js';
import { itemsFromCsv } from './registry-csv.js';
import { h, clear, fill, notice, table, beijingYear, facts, latest } from './dom.js';
import { stateLabel } from './labels.js';
import { stateChip } from './view-assessments.js';

// A lead as its unit's name where a unit directory knows the id (the id on hover).
export function leadCell(names, lead) {
  const name = names.get(lead);
  return name ? h('td', { title: lead }, name) : h('td', {}, lead || '');
}

export const LEVEL = { likely_duplicate: '疑似重复', similar: '相近', distinct: '不同' };

async function quotaPanel(names) {
  const year = h('select', { id: 'quota-year', 'aria-label': '年度' },
    [beijingYear(), beijingYear() + 1].map((y) => h('option', { value: y }, String(y))));
  const out = h('div', { id: 'quota' });
  const load = latest(async (current) => {
    clear(out);
    try {
      const q = await api.quota(year.value);
      if (!current()) return;  // another year chosen meanwhile
      const o = q.overall;
      out.append(h('p', {}, '上限 ' + o.cap + '：已许可 ' + o.licensed + '，已同意 ' + o.approved + '，待审 ' + o.pending +
        '；每个牵头单位最多 ' + q.per_lead_cap + ' 项。'));
      const leads = Object.entries(q.leads || {});
      if (leads.length) {
        out.append(h('details', {}, h('summary', {}, '按牵头单位（' + leads.length + '）'), table(['牵头单位', '已许可', '已同意', '待审'], leads.map(([lead, n]) =>
          h('tr', {}, leadCell(names, lead), h('td', { class: 'num' }, String(n.licensed || 0)),
            h('td', { class: 'num' }, String(n.approved || 0)), h('td', { class: 'num' }, String(n.pending || 0)))), { class: 'list' })));
      }
    } catch (e) {
      if (current()) out.append(notice('error', e.message));
    }
  });
  year.addEventListener('change', () => load());
  await load();
  return h('section', { class: 'card' }, h('h2', {}, '年度数量上限'), year, out);
}

function checkPanel(names) {
  const name = h('input', { id: 'check-name', placeholder: '拟申请的专项考核名称', size: 40 });
  const indicators = h('textarea', { id: 'check-indicators', rows: 4, placeholder: '指标，每行一个' });
  const out = h('div', { id: 'check-result' });
  const form = h('form', { class: 'card' }, h('h2', {}, '查重'),
    h('label', {}, '名称', name), h('label', {}, '指标', indicators),
    h('button', { type: 'submit' }, '查重'), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    try {
      const list = indicators.value.split('\n').map((s) => s.trim()).filter(Boolean);
      const r = await api.checkDuplicates(name.value.trim(), list);
      out.append(h('p', { class: 'muted' }, '已与 ' + r.compared_with + ' 项比较，最相近的在前：'),
        table(['名称', '牵头单位', '判断', '相似度', '相同或相近的指标'], r.matches.map((m) => h('tr', { class: 'level-' + m.level },
          h('td', {}, m.name), leadCell(names, m.lead), h('td', {}, LEVEL[m.level] || m.level),
          h('td', { class: 'num' }, Number(m.score).toFixed(2)),
          h('td', {}, (m.overlaps || []).map((x) => x.candidate + ' ≈ ' + x.existing).join('；')))), { class: 'list' }));
    } catch (e) {
      out.append(notice('error', e.message));
    }
  });
  return form;
}

async function itemsPanel(names) {
  const state = h('select', { id: 'registry-state', 'aria-label': '状态' },
    ['submitted', 'returned', 'approved', 'licensed', 'draft', 'expired', 'retired', 'withdrawn', 'rejected', 'merged']
      .map((s) => h('option', { value: s }, stateLabel(s, 'special_assessment'))));
  const out = h('div');
  const load = latest(async (current) => {
    clear(out);
    const items = await listWithData({ type: 'special_assessment', state: state.value });
    if (!current()) return;  // another state chosen meanwhile
    out.append(items.length ? table(['名称', '牵头单位', '状态', '指标数', '编号'], items.map((i) => h('tr', {},
      h('td', {}, h('a', { href: '#/i/' + encodeURIComponent(i.id) }, i.data.name || i.id)),
      leadCell(names, i.data.lead), h('td', {}, stateChip(i.state, 'special_assessment')),
      h('td', { class: 'num' }, String((i.data.indicators || []).length)), h('td', {}, h('code', {}, i.id)))),
    { id: 'registry-items', class: 'list' }) : h('p', { class: 'muted' }, '没有处于该状态的专项考核。'));
  });
  state.addEventListener('change', () => load().catch((e) => out.append(notice('error', e.message))));
  await load();
  return h('section', {}, h('h2', {}, '申请与已许可项目'), state, out);
}

const KIND = { planned: '年度计划内', one_off: '一事一报' };
const SLUG = '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}';

// A new application: a draft special assessment at registry/item/<slug>, sent with
// `create`; on success the new item's page offers `submit`. Only filled fields are sent.
function applyForm() {
  const field = (id, text, el, hint) => [h('label', { for: id }, text), el, hint ? h('span', { class: 'hint' }, hint) : null];
  const input = (id, attrs = {}) => h('input', { id, name: id, ...attrs });
  const slug = input('apply-slug', { required: true, pattern: SLUG, maxlength: 64, placeholder: '例如 2026-food', autocomplete: 'off' });
  const name = input('apply-name', { required: true });
  const indicators = h('textarea', { id: 'apply-indicators', rows: 5, placeholder: '每行一个指标' });
  const basis = h('textarea', { id: 'apply-basis', rows: 2, placeholder: '法律法规或政策文件依据' });
  const kind = h('select', { id: 'apply-kind' }, Object.entries(KIND).map(([v, t]) => h('option', { value: v }, t)));
  const justification = h('textarea', { id: 'apply-justification', rows: 2 });
  const justBox = h('div', { hidden: true }, field('apply-justification', '一事一报的理由（必填）', justification));
  const year = input('apply-year', { type: 'number', min: 2000, max: 2100, value: beijingYear(), required: true });
  const weight = input('apply-weight', { type: 'number', min: 0, max: 1000, step: 'any', placeholder: '千分制分值' });
  const from = input('apply-from', { type: 'date' });
  const to = input('apply-to', { type: 'date' });
  const reason = input('apply-reason', { placeholder: '申请理由（可选）' });
  const id = h('code', { id: 'apply-id' });
  const showId = () => { id.textContent = 'registry/item/' + (slug.value.trim() || '…'); };
  slug.addEventListener('input', showId);
  showId();
  kind.addEventListener('change', () => {
    justBox.hidden = kind.value !== 'one_off';
    justification.required = kind.value === 'one_off';
  });
  const status = h('div', { class: 'status-slot' });
  const form = h('form', { class: 'card', id: 'apply' },
    h('h2', {}, '新申请'),
    h('p', { class: 'muted' }, '申请先保存为草稿；创建后在草稿页面上“报送”（报送需要依据和指标，一事一报还需要理由）。'),
    field('apply-slug', '编号', slug, ['字母、数字和 . _ -，最多64个字符；申请的编号为', id]),
    field('apply-name', '名称', name),
    field('apply-indicators', '指标', indicators),
    field('apply-basis', '依据', basis),
    h('div', { class: 'grid-form' },
      h('div', {}, field('apply-kind', '类型', kind)),
      h('div', {}, field('apply-year', '年度', year)),
      h('div', {}, field('apply-weight', '分值（可选）', weight)),
      h('div', {}, field('apply-from', '考核期自（可选）', from)),
      h('div', {}, field('apply-to', '至', to))),
    justBox,
    field('apply-reason', '理由', reason),
    h('button', { type: 'submit' }, '创建草稿'),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    if (!from.value !== !to.value) return status.append(notice('error', '考核期需同时填写起止日期，或都不填。'));
    const payload = { name: name.value.trim(), kind: kind.value, year: Number(year.value) };
    const list = indicators.value.split('\n').map((s) => s.trim()).filter(Boolean);
    if (list.length) payload.indicators = list;
    if (basis.value.trim()) payload.basis = basis.value.trim();
    if (kind.value === 'one_off') payload.justification = justification.value.trim();
    if (weight.value !== '') payload.weight = Number(weight.value);
    if (from.value) payload.period = { from: from.value, to: to.value };
    const itemId = 'registry/item/' + slug.value.trim();
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await api.create('special_assessment', itemId, reason.value.trim(), payload);
      location.hash = '#/i/' + encodeURIComponent(itemId);
    } catch (e) {
      button.disabled = false;
      status.append(notice('error', e.message));
    }
  });
  return form;
}

// 导入已有专项考核 (office, admin): the special assessments an office already runs, from
// a spreadsheet's CSV (registry-csv.js), into a year's book in one `import`, their leads
// resolved through a unit directory; the import answers which names it resolved and
// which it kept.
async function importPanel() {
  const year = h('select', { id: 'import-year', 'aria-label': '年度' },
    [beijingYear(), beijingYear() + 1].map((y) => h('option', { value: y }, String(y))));
  const dirs = await listWithData({ type: 'units' });
  const units = h('select', { id: 'import-units', 'aria-label': '单位目录' },
    dirs.map((d) => h('option', { value: d.id }, (d.data && d.data.name) || d.id)), h('option', { value: '' }, '（牵头单位按原文保存）'));
  const file = h('input', { type: 'file', id: 'import-file', accept: '.csv,text/csv' });
  const reason = h('input', { id: 'import-reason', placeholder: '导入说明（必填）', size: 30 });
  const button = h('button', { type: 'button', id: 'import-send', disabled: true }, '导入');
  const status = h('div', { class: 'status-slot' });
  let items = null;
  file.addEventListener('change', async () => {
    clear(status);
    items = null;
    button.disabled = true;
    const f = file.files[0];
    if (!f) return;
    const r = itemsFromCsv(await f.text());
    if (!r.items) {
      return status.append(notice('error', f.name + ' 有 ' + r.problems.length + ' 处问题，未载入：', h('ul', {}, r.problems.slice(0, 12).map((p) => h('li', {}, p)))));
    }
    items = r.items;
    button.disabled = false;
    status.append(notice('info', '已读取 ' + f.name + '：' + items.length + ' 项专项考核（' +
      items.slice(0, 3).map((i) => i.name + '，' + i.lead).join('；') + (items.length > 3 ? '……' : '') + '）。核对后导入。'));
  });
  button.addEventListener('click', async () => {
    clear(status);
    if (!reason.value.trim()) return status.append(notice('error', '请填写导入说明。'));
    button.disabled = true;
    const payload = { items };
    if (units.value) payload.units = units.value;
    try {
      const r = await api.command('registry/book/' + year.value, 'import', { reason: reason.value.trim(), payload, type: 'registry_book' });
      const leads = r.result.leads;
      status.append(notice('ok', '已导入 ' + r.result.imported.length + ' 项（日志第 ' + r.event.seq + ' 条）。' +
        (leads ? '牵头单位按“' + leads.directory + '”解析 ' + Object.keys(leads.resolved).length + ' 个，' +
          (leads.not_in_directory.length ? '目录中没有、按原文保存的：' + leads.not_in_directory.join('、') : '全部在目录中') + '。' : '')));
      items = null;
    } catch (e) {
      button.disabled = false;
      status.append(notice('error', e.message));
    }
  });
  return h('details', { class: 'card', id: 'import' }, h('summary', {}, '导入已有专项考核（CSV）'),
    h('p', { class: 'muted' }, '每行一项，列：名称、牵头单位、指标（多个以“、”或“；”分隔），可选：配合单位、考核对象、依据、许可证号、有效期自、有效期至、编号。全部导入或全部不导入。'),
    h('div', { class: 'filters' }, year, units, file, reason, button), status);
}

export async function registryView(slot, user) {
  const catalogue = await api.workflow('special_assessment');
  const mayApply = catalogue.commands.some((c) => c.name === 'create' && c.roles.includes(user.role));
  const book = await api.workflow('registry_book');
  const importCommand = book.commands.find((c) => c.name === 'import');
  const mayImport = !!importCommand && importCommand.roles.includes(user.role);
  const names = await unitNames();
  const quota = await quotaPanel(names);
  const items = await itemsPanel(names);
  fill(slot, h('h1', {}, '专项考核'), mayApply ? applyForm() : null, quota, items, checkPanel(names),
    mayImport ? await importPanel() : null);
}

// ---- one special assessment's page ------------------------------------------------

function registryFacts(d, names) {
  const unit = (id) => (names.has(id) ? names.get(id) + '（' + id + '）' : id);
  return facts([
    ['名称', d.name], ['牵头单位', unit(d.lead)], ['配合单位', (d.co_leads || []).map(unit).join('，')],
    ['依据', d.basis], ['指标', (d.indicators || []).join('；')],
  ]);
}

const MATCH_KIND = { licensed: '已许可项目', pending: '待审申请', comprehensive_indicator: '综合考评指标' };
const ABSORBABLE = ['submitted', 'returned'];
const SURVIVES = ['submitted', 'returned', 'approved', 'licensed'];
const itemIdOf = (id) => (id.startsWith('registry/') ? id : 'registry/item/' + id);

// The duplicate review attached when the application was submitted, match by match:
// similarity, the overlapping indicators, what the match is now. The office merges
// from here: this application into a match (the match survives), or a pending match
// into this one — merge is sent to the survivor with the other to absorb.
async function reviewSection(inst, user, catalogue, names, onDone) {
  const review = (inst.data || {}).review;
  const matches = review && Array.isArray(review.matches) ? review.matches : [];
  if (!matches.length) return null;
  const merge = catalogue.commands.find((c) => c.name === 'merge');
  const mayMerge = !!merge && merge.roles.includes(user.role);
  const current = await Promise.all(matches.map((m) => (m.kind === 'comprehensive_indicator' ? null : api.instance(itemIdOf(m.id)).catch(() => null))));
  const reason = h('input', { id: 'merge-reason', placeholder: '合并理由（必填）', size: 40 });
  const status = h('div', { class: 'status-slot' });
  const send = async (survivor, absorbed, button) => {
    clear(status);
    if (!reason.value.trim()) return status.append(notice('error', '请先填写合并理由。'));
    button.disabled = true;
    try {
      const target = await api.instance(survivor);
      const r = await api.command(survivor, 'merge', { reason: reason.value.trim(), payload: { absorb: [absorbed] }, version: target.version });
      onDone(notice('ok', '已合并：' + absorbed + ' 并入 ' + survivor + '（日志第 ' + r.event.seq + ' 条）'));
    } catch (e) {
      button.disabled = false;
      status.append(notice('error', e.message));
    }
  };
  const rows = matches.map((m, i) => {
    const item = current[i];
    const id = m.kind === 'comprehensive_indicator' ? null : itemIdOf(m.id);
    const buttons = [];
    if (mayMerge && item) {
      if (ABSORBABLE.includes(inst.state) && SURVIVES.includes(item.state)) {
        const b = h('button', { type: 'button', class: 'merge-into', dataset: { survivor: id } }, '本申请并入此项');
        b.addEventListener('click', () => send(id, inst.id, b));
        buttons.push(b);
      }
      if (SURVIVES.includes(inst.state) && ABSORBABLE.includes(item.state)) {
        const b = h('button', { type: 'button', class: 'absorb', dataset: { absorbed: id } }, '将此项并入本申请');
        b.addEventListener('click', () => send(inst.id, id, b));
        buttons.push(b);
      }
    }
    return h('tr', { class: 'level-' + m.level, dataset: { match: m.id } },
      h('td', {}, id ? h('a', { href: '#/i/' + encodeURIComponent(id) }, m.name) : m.name),
      leadCell(names, m.lead),
      h('td', {}, (MATCH_KIND[m.kind] || m.kind) + (item ? '（' + stateLabel(item.state, item.type) + '）' : '')),
      h('td', {}, LEVEL[m.level] || m.level),
      h('td', { class: 'num', title: '名称 ' + Number(m.name_score).toFixed(2) + ' · 指标 ' + Number(m.indicator_score).toFixed(2) }, Number(m.score).toFixed(2)),
      h('td', {}, (m.overlaps || []).map((x) => x.candidate + ' ≈ ' + x.existing).join('；')),
      mayMerge ? h('td', {}, buttons) : null);
  });
  return h('section', { id: 'review' }, h('h2', {}, '查重结果（报送时）'),
    h('p', { class: 'muted' }, '相似度 ≥ ' + review.likely_duplicate + ' 为疑似重复，≥ ' + review.needs_review + ' 需复核；批准疑似重复的申请需说明理由。'),
    table(['名称', '牵头单位', '类型（现状态）', '判断', '相似度', '相同或相近的指标', mayMerge ? '合并' : null].filter(Boolean), rows, { class: 'list' }),
    mayMerge ? h('div', { class: 'filters' }, reason) : null, status);
}

// What a special assessment's page shows above its commands: its facts and, once
// submitted, the duplicate review with the office's merges.
export async function registrySections(inst, user, catalogue, onDone) {
  const names = await unitNames();
  return [registryFacts(inst.data || {}, names), await reviewSection(inst, user, catalogue, names, onDone)];
}
