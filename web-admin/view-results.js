// A cycle's results on its page (考评结果), for everyone who may read the cycle: per
// category the units by rank with their totals, the grade by rank and the final one and
// why (results.js); a category not graded yet says how many of its units are ready and
// which are not; the affirmations and downgrades recorded; and the graded categories as
// a CSV to publish.
import { listWithData, unitNames } from './api.js';
import { h, table, notice } from './dom.js';
import { stateLabel } from './labels.js';
import { categoryResults, readiness, readinessText, overrides, resultsCsv } from './results.js';

function gradedTable(c) {
  return table(['名次', '单位', '总分', '按名次等次', '等次', '说明'], c.rows.map((r) => h('tr', { class: r.changed ? 'changed' : null },
    h('td', { class: 'num' }, String(r.rank)),
    h('td', {}, r.name, ' ', h('code', { class: 'muted' }, r.unit)),
    h('td', { class: 'num' }, String(r.total)),
    h('td', {}, r.byRank),
    h('td', {}, h('strong', {}, r.grade)),
    h('td', {}, r.reasons.length > 1 ? h('ul', { class: 'reasons' }, r.reasons.map((x) => h('li', {}, x))) : r.reasons[0] || ''))),
  { class: 'list results', 'data-category': c.id });
}

function waitingPart(c, ready, ownOnly) {
  const head = h('p', { class: ready.total ? null : 'muted' }, readinessText(ready, { ownOnly }));
  if (!ready.waiting.length) return head;
  return [head, h('ul', { class: 'waiting', 'data-category': c.id }, ready.waiting.map((w) =>
    h('li', {}, h('a', { href: '#/i/' + encodeURIComponent(w.id) }, w.name), '（' + stateLabel(w.state, 'lifecycle') + '）')))];
}

// `user`: the signed-in user; a unit reads only its own assessment.
export async function resultsSection(inst, user) {
  const d = inst.data || {};
  const names = await unitNames();
  const categories = categoryResults(d, names);
  if (!categories.length) return null;
  const ungraded = categories.some((c) => !c.rows);
  const lifecycles = ungraded ? await listWithData({ type: 'lifecycle' }) : [];
  const parts = categories.map((c) => h('div', { class: 'category', 'data-category': c.id },
    h('h3', {}, c.name + (c.rows ? '（' + c.rows.length + ' 个单位）' : '')),
    c.rows ? gradedTable(c) : waitingPart(c, readiness(lifecycles, inst.id, c.id), (user || {}).role === 'unit')));
  const recorded = overrides(d, names);
  const graded = categories.filter((c) => c.rows).length;
  let download = null;
  if (graded) {
    const url = URL.createObjectURL(new Blob([resultsCsv(inst.id, d, names)], { type: 'text/csv;charset=utf-8' }));
    download = h('p', {}, h('a', { id: 'results-csv', href: url, download: inst.id.replace(/\//g, '-') + '-results.csv' },
      '导出考评结果（CSV，' + graded + ' 个类别）'));
  }
  return h('section', { class: 'card', id: 'results' }, h('h2', {}, '考评结果'),
    parts, download,
    recorded.length ? h('details', { id: 'overrides' }, h('summary', {}, '一票肯定与降等记录（' + recorded.length + '）'),
      table(['单位', '类型', '方面', '理由', '批准', '记录人'], recorded.map((o) => h('tr', {},
        h('td', {}, o.name), h('td', {}, o.kind), h('td', {}, o.area), h('td', {}, o.reason), h('td', {}, o.approver), h('td', {}, o.by))),
      { class: 'list' })) : null,
    graded ? null : notice('info', '各类别评定后，结果在此公示，可导出。'));
}
