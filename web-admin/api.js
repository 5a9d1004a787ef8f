// The HTTP API as the pages use it: JSON in and out, the session cookie the server set
// at sign-in (HttpOnly, SameSite=Strict), and one error type carrying the API's
// {"error": {"code", "message", "details"}} so every page can show the server's words.
import { sayInChinese } from './say.js';

// An error the server answered. `message` is in Chinese where say.js knows the refusal,
// else as the server wrote it; `original` is always the server's own words (the ones the
// journal keeps).
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(sayInChinese(message) || message);
    this.original = message;
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

async function call(method, path, body, headers = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', '无法连接服务器 (the server did not answer): ' + e.message);
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = null;
    }
  }
  if (!res.ok) {
    const err = (json && json.error) || {};
    throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || res.statusText, err.details);
  }
  return { json, etag: res.headers.get('ETag') };
}

export const enc = (id) => encodeURIComponent(id);

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

// Counts sign-ins and sign-outs in this tab: what a page keeps from an answer is kept
// for one signed-in user only (another may not read it).
let signIns = 0;
export const signedInAs = () => signIns;

export const api = {
  session: async () => (await call('GET', '/api/v1/session')).json,
  signIn: async (username, password) => {
    signIns += 1;
    return (await call('POST', '/api/v1/session', { username, password })).json;
  },
  signOut: async () => {
    signIns += 1;
    return call('DELETE', '/api/v1/session');
  },
  changePassword: async (current, next) =>
    call('PUT', '/api/v1/me/password', { current, new: next }),

  listInstances: async (params) => (await call('GET', '/api/v1/instances' + query(params))).json,
  instance: async (id) => (await call('GET', '/api/v1/instances/' + enc(id))).json,
  // Runs a command only if the instance is still at `version` (409 otherwise). `type`
  // names the workflow when the command may create the instance (a year's registry book
  // on its first import).
  command: async (id, name, { reason, payload, version, type }) => {
    const body = type ? { type } : {};
    if (reason) body.reason = reason;
    if (payload !== undefined) body.payload = payload;
    const headers = version !== undefined ? { 'If-Match': '"' + version + '"' } : {};
    return (await call('POST', '/api/v1/instances/' + enc(id) + '/commands/' + enc(name), body, headers)).json;
  },
  // Creates the instance `id` of workflow `type` with its `create` command.
  create: async (type, id, reason, payload) => {
    const body = { type };
    if (reason) body.reason = reason;
    if (payload !== undefined) body.payload = payload;
    return (await call('POST', '/api/v1/instances/' + enc(id) + '/commands/create', body)).json;
  },
  workflow: async (type) => (await call('GET', '/api/v1/workflows/' + enc(type))).json,

  audit: async (params) => (await call('GET', '/api/v1/audit' + query(params))).json,
  auditCsvUrl: (params) => '/api/v1/audit' + query({ ...params, format: 'csv' }),
  verify: async (params = {}) => (await call('GET', '/api/v1/audit/verify' + query(params))).json,
  head: async () => (await call('GET', '/api/v1/audit/head')).json,

  inbox: async (params) => (await call('GET', '/api/v1/inbox' + query(params))).json,
  markRead: async (ids) => (await call('POST', '/api/v1/inbox/read', ids ? { ids } : { all: true })).json,

  // Admins only: a new one-time password for `username`, in this answer and nowhere else.
  oneTimePassword: async (username) =>
    (await call('POST', '/api/v1/users/' + enc(username) + '/one-time-password', {})).json,

  // The working calendar in force (every year, where it came from), and one day in it:
  // whether it is a working day, and with `days` the day that many working days on.
  calendar: async () => (await call('GET', '/api/v1/calendar')).json,
  calendarDay: async (date, days) => (await call('GET', '/api/v1/calendar/day' + query({ date, days }))).json,

  quota: async (year) => (await call('GET', '/api/v1/registry/quota/' + enc(year))).json,
  checkDuplicates: async (name, indicators) =>
    (await call('POST', '/api/v1/registry/check', { name, indicators })).json,
};

// Every instance matching `params` that the user may see, with its data, in id order:
// pages of 200 (the most the server lists with data).
export async function listWithData(params) {
  const out = [];
  let after;
  do {
    const page = await api.listInstances({ ...params, with: 'data', limit: 200, after });
    out.push(...page.instances);
    after = page.next_after;
  } while (after);
  return out;
}

// Unit names by id from every unit directory the user may read: assessments, users and
// the leads of special assessments name units by id.
export async function unitNames() {
  return new Map((await unitDirectory()).map((u) => [u.id, u.name]));
}

// Every unit ({id, name, short_name, …}) of every unit directory the user may read.
export async function unitDirectory() {
  const dirs = await listWithData({ type: 'units' });
  return dirs.flatMap((d) => (d.data && d.data.units) || []);
}
