// The signed-in user's reminders and escalations (docs/notifications.md): unread counts
// by urgency, newest first, each opened to its full text and marked read.
import { api } from './api.js';
import { h, clear, fill, notice, beijing, latest } from './dom.js';

const URGENCY = { overdue: '已逾期', due_today: '今日截止', urgent: '紧急', upcoming: '即将到期' };

function item(it, onRead) {
  const read = h('button', { type: 'button', class: 'link', onclick: () => onRead([it.id]) }, '标为已读');
  return h('details', { class: 'inbox-item ' + it.state, dataset: { id: it.id } },
    h('summary', {},
      h('span', { class: 'chip urgency-' + it.urgency }, URGENCY[it.urgency] || it.urgency),
      ' ', it.subject,
      h('span', { class: 'muted' }, ' · ' + beijing(it.sent_at))),
    h('pre', { class: 'body' }, it.body),
    it.state === 'unread' ? read : null);
}

export async function inboxView(slot) {
  const state = h('select', { id: 'inbox-state', 'aria-label': '显示' },
    h('option', { value: 'unread' }, '未读'), h('option', { value: 'all' }, '全部'));
  const list = h('div', { id: 'inbox' });
  const counts = h('p', { id: 'unread-counts' });
  const status = h('div', { class: 'status-slot' });

  const load = latest(async (current) => {
    const box = await api.inbox({ state: state.value, limit: 200 });
    if (!current()) return;  // another filter chosen, or marked read, meanwhile
    const u = box.unread || { total: 0, by_urgency: {} };
    counts.textContent = '未读 ' + u.total + '：' +
      Object.entries(URGENCY).map(([k, v]) => v + ' ' + ((u.by_urgency || {})[k] || 0)).join('，');
    fill(list, ...(box.items.length ? box.items.map((it) => item(it, markRead))
      : [h('p', { class: 'muted' }, '没有消息。')]));
  });
  const markRead = async (ids) => {
    clear(status);
    try {
      const r = await api.markRead(ids);
      status.append(notice('ok', '已标为已读：' + r.marked + ' 条'));
      await load();
    } catch (e) {
      status.append(notice('error', e.message));
    }
  };
  state.addEventListener('change', () => load());
  fill(slot, h('h1', {}, '消息提醒'), counts,
    h('div', { class: 'filters' }, state,
      h('button', { type: 'button', id: 'read-all', onclick: () => markRead(null) }, '全部标为已读')),
    status, list);
  await load();
}
