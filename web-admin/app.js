// The web admin's shell: who is signed in, the navigation their role may use, and the
// route (#/…) that picks the page. Pages are modules of their own (view-*.js); each
// gets the session and a container and fills it from the HTTP API.
import { api, ApiError } from './api.js';
import { h, clear, fill, notice } from './dom.js';
import { ROLE, label } from './labels.js';
import { assessmentsView } from './view-assessments.js';
import { instanceView } from './view-instance.js';
import { inboxView } from './view-inbox.js';
import { auditView } from './view-audit.js';
import { registryView } from './view-registry.js';
import { usersView } from './view-users.js';
import { calendarView } from './view-calendar.js';

const root = document.getElementById('app');

// Pages, in the order the navigation shows them, and who may open them.
const PAGES = [
  { path: 'assessments', title: '考评对象', roles: null, view: assessmentsView },
  { path: 'registry', title: '专项考核', roles: ['lead_assessor', 'office', 'leader', 'committee', 'auditor', 'admin'], view: registryView },
  { path: 'inbox', title: '消息提醒', roles: null, view: inboxView },
  { path: 'calendar', title: '工作日历', roles: null, view: calendarView },
  { path: 'audit', title: '审计日志', roles: ['office', 'auditor', 'admin'], view: auditView },
  { path: 'users', title: '用户', roles: ['admin'], view: usersView },
];

const mayOpen = (page, user) => !page.roles || page.roles.includes(user.role);

function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const [first, ...rest] = hash.split('/');
  return { page: first || 'assessments', arg: rest.join('/') };
}

async function start() {
  let session;
  try {
    session = await api.session();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signInPage();
    return fatal(e);
  }
  if (session.must_change_password) return passwordPage(session.user, true);
  shell(session.user);
}

function fatal(e) {
  fill(root, h('div', { class: 'narrow' }, h('h1', {}, 'GovAssess'), notice('error', e.message)));
}

function signInPage(message) {
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = h('div', { class: 'status-slot' }, message ? notice('info', message) : null);
  const form = h('form', { class: 'card narrow', id: 'sign-in' },
    h('h1', {}, 'GovAssess 绩效考评管理'),
    h('label', { for: 'username' }, '用户名'), user,
    h('label', { for: 'password' }, '密码'), pass,
    h('button', { type: 'submit' }, '登录'),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    try {
      const s = await api.signIn(user.value.trim(), pass.value);
      if (s.must_change_password) return passwordPage(s.user, true, pass.value);
      shell(s.user);
    } catch (e) {
      status.append(notice('error', e.message));
      pass.select();
    }
  });
  fill(root, form);
  user.focus();
}

// Choosing a password: required after a one-time password, available from the menu.
// The server ends the session when the password changes, so sign in again after.
function passwordPage(user, required, current = '') {
  const cur = h('input', { id: 'current', type: 'password', autocomplete: 'current-password', required: true });
  cur.value = current;
  const next = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', minlength: 12, required: true });
  const again = h('input', { id: 'new-password-again', type: 'password', autocomplete: 'new-password', required: true });
  const status = h('div', { class: 'status-slot' });
  const form = h('form', { class: 'card narrow', id: 'change-password' },
    h('h1', {}, required ? '请设置您自己的密码' : '修改密码'),
    required ? h('p', {}, user.username + '：您使用的是一次性密码，请先设置自己的密码（至少12个字符）。') : null,
    h('label', { for: 'current' }, '当前密码'), cur,
    h('label', { for: 'new-password' }, '新密码（至少12个字符）'), next,
    h('label', { for: 'new-password-again' }, '再次输入新密码'), again,
    h('button', { type: 'submit' }, '保存'),
    required ? null : h('a', { href: '#/' }, '取消'),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    if (next.value !== again.value) return status.append(notice('error', '两次输入的新密码不一致'));
    try {
      await api.changePassword(cur.value, next.value);
      signInPage('密码已修改，请用新密码登录。');
    } catch (e) {
      status.append(notice('error', e.message));
    }
  });
  fill(root, form);
  (current ? next : cur).focus();
}

function shell(user) {
  const nav = h('nav', { 'aria-label': '主菜单' },
    PAGES.filter((p) => mayOpen(p, user)).map((p) => h('a', { href: '#/' + p.path, dataset: { page: p.path } }, p.title)));
  const who = h('div', { class: 'who' },
    h('span', { id: 'who' }, user.username, ' · ', label(ROLE, user.role), user.unit ? ' · ' + user.unit : ''),
    h('a', { href: '#/password' }, '修改密码'),
    h('button', { type: 'button', class: 'link', id: 'sign-out', onclick: signOut }, '退出'));
  const main = h('main', { id: 'page' });
  fill(root, h('header', {}, h('a', { class: 'brand', href: '#/' }, 'GovAssess'), nav, who), main);

  const show = async () => {
    const { page, arg } = route();
    for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.dataset.page === page);
    if (page === 'password') return passwordPage(user, false);
    if (page === 'i') return render(main, (slot) => instanceView(slot, user, arg));
    const p = PAGES.find((x) => x.path === page);
    if (!p || !mayOpen(p, user)) {
      fill(main, notice('error', '没有这个页面，或您的角色不能查看它。'), h('a', { href: '#/' }, '返回'));
      return;
    }
    render(main, (slot) => p.view(slot, user, arg));
  };
  window.onhashchange = () => {
    if (!document.getElementById('page')) return shell(user);
    show();
  };
  show();
}

// Runs a page in a slot of its own, so a page still loading when the user moves on
// writes into a detached slot, not over the next page. A lost session sends the user
// back to sign in; other errors stay on the page.
async function render(main, view) {
  const slot = h('div', { class: 'slot' }, h('p', { class: 'muted' }, '加载中…'));
  fill(main, slot);
  try {
    await view(slot);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signInPage('会话已结束，请重新登录。');
    fill(slot, notice('error', e.message));
  }
}

async function signOut() {
  try {
    await api.signOut();
  } finally {
    window.onhashchange = null;
    location.hash = '';
    signInPage('您已退出。');
  }
}

start();
