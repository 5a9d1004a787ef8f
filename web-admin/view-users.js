// Accounts, for admins: every user with role, unit and state; a new account (the user
// workflow's `create`); a one-time password for it, shown once, which the user replaces
// at first sign-in. Disabling, enabling and editing are on each user's own page.
import { api, listWithData, unitNames } from './api.js';
import { h, clear, fill, notice, table } from './dom.js';
import { ROLE, label } from './labels.js';
import { stateChip } from './view-assessments.js';

const ROLES = ['unit', 'lead_assessor', 'office', 'leader', 'committee', 'auditor', 'admin'];
const NEEDS_UNIT = ['unit', 'lead_assessor'];
const USERNAME = '[a-z0-9][a-z0-9._\\-]{0,63}';

// Asks the server for a one-time password and shows it once, in `out`.
async function issuePassword(username, out) {
  clear(out);
  try {
    const r = await api.oneTimePassword(username);
    out.append(notice('ok', '“' + r.username + '”的一次性密码：', h('code', { class: 'secret' }, r.one_time_password),
      '。只显示这一次，请当面或通过安全渠道告知本人；首次登录时须改为自己的密码。'));
  } catch (e) {
    out.append(notice('error', e.message));
  }
}

// The units a unit or lead-assessor account may belong to: the unit directories' ids.
async function unitOptions() {
  const names = await unitNames();
  return h('datalist', { id: 'unit-ids' }, [...names].map(([id, name]) => h('option', { value: id }, name)));
}

function createForm(onCreated, datalist) {
  const username = h('input', { id: 'user-username', required: true, pattern: USERNAME, maxlength: 64, autocomplete: 'off' });
  const role = h('select', { id: 'user-role' }, ROLES.map((r) => h('option', { value: r }, label(ROLE, r))));
  const unit = h('input', { id: 'user-unit', list: 'unit-ids', placeholder: '单位编号，如 gx-nanning', required: true });
  const name = h('input', { id: 'user-display-name', placeholder: '如 南宁市绩效办 联络员' });
  const email = h('input', { id: 'user-email', type: 'email', placeholder: '可选：接收提醒的邮箱' });
  const unitBox = h('div', {}, h('label', { for: 'user-unit' }, '单位（被考评单位和牵头考评单位必填）'), unit);
  const showUnit = () => {
    unitBox.hidden = !NEEDS_UNIT.includes(role.value);
    unit.required = !unitBox.hidden;
  };
  role.addEventListener('change', showUnit);
  showUnit();
  const status = h('div', { class: 'status-slot' });
  const form = h('form', { class: 'card', id: 'new-user' },
    h('h2', {}, '新建用户'),
    h('label', { for: 'user-username' }, '用户名（小写字母、数字和 . _ -）'), username,
    h('label', { for: 'user-role' }, '角色'), role,
    unitBox, datalist,
    h('label', { for: 'user-display-name' }, '姓名或岗位'), name,
    h('label', { for: 'user-email' }, '邮箱'), email,
    h('button', { type: 'submit' }, '创建并生成一次性密码'),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    const payload = { username: username.value.trim(), role: role.value };
    if (NEEDS_UNIT.includes(role.value)) payload.unit = unit.value.trim();
    if (name.value.trim()) payload.display_name = name.value.trim();
    if (email.value.trim()) payload.email = email.value.trim();
    try {
      await api.create('user', 'user/' + payload.username, '新建用户', payload);
    } catch (e) {
      return status.append(notice('error', e.message));
    }
    onCreated(payload.username);
  });
  return form;
}

export async function usersView(slot, user, arg, flash) {
  const users = await listWithData({ type: 'user' });
  const secret = h('div', { id: 'one-time-password' }, flash || null);
  const reload = (name) => {
    const out = h('div');
    usersView(slot, user, arg, out).then(() => issuePassword(name, out)).catch((e) => fill(slot, notice('error', e.message)));
  };
  const rows = users.map((u) => {
    const d = u.data || {};
    return h('tr', { dataset: { user: d.username } },
      h('td', {}, h('a', { href: '#/i/' + encodeURIComponent(u.id) }, d.username)),
      h('td', {}, d.display_name || ''),
      h('td', {}, label(ROLE, d.role)),
      h('td', {}, d.unit || ''),
      h('td', {}, stateChip(u.state)),
      h('td', {}, u.state === 'active'
        ? h('button', { type: 'button', class: 'link', onclick: () => issuePassword(d.username, secret) }, '重置为一次性密码')
        : ''));
  });
  fill(slot, h('h1', {}, '用户'),
    h('p', { class: 'muted' }, '停用、启用和修改在各用户的页面上；停用的用户不能登录。'),
    secret,
    table(['用户名', '姓名或岗位', '角色', '单位', '状态', ''], rows, { id: 'users', class: 'list' }),
    createForm(reload, await unitOptions()));
}
