// The web admin in a real browser (Debian's Chromium, driven by playwright-core), against
// a real `govassess serve --demo`: the pages people use, checked by what they show and by
// what the server then holds.
//
// usage: node admin_browser_test.mjs <govassess binary> <source dir>
// Needs NODE_PATH to hold playwright-core (scripts/ensure-playwright.sh) and
// /usr/bin/chromium (or GOVASSESS_CHROMIUM). Exits 0 only when every check holds.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [binary, sourceDir] = process.argv.slice(2);
const chromiumPath = process.env.GOVASSESS_CHROMIUM || '/usr/bin/chromium';
if (!binary || !sourceDir) {
  console.error('usage: node admin_browser_test.mjs <govassess binary> <source dir>');
  process.exit(2);
}
if (!existsSync(chromiumPath)) {
  console.error(`no browser at ${chromiumPath}: apt-get install chromium (./test.sh installs it)`);
  process.exit(1);
}

// ---- the server -------------------------------------------------------------------

function startServer(dir) {
  const child = spawn(binary, ['serve', '--port', '0', '--db', join(dir, 'g.db'), '--demo',
    '--calendar', join(sourceDir, 'calendars', 'cn.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start:\n' + out)), 60000);
    const onData = (b) => {
      out += b.toString();
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        const passwords = {};
        for (const line of out.split('\n')) {
          const w = line.trim().split(/\s+/);
          if (w.length >= 3 && /^[A-Za-z0-9]{12,}$/.test(w[2])) passwords[w[1]] = w[2];
        }
        resolve({ child, port: Number(m[1]), passwords, output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${out}`)));
  });
}

// ---- helpers ----------------------------------------------------------------------

const checks = [];
async function check(name, fn) {
  try {
    await fn();
    checks.push(name);
    console.log('ok   ' + name);
  } catch (e) {
    console.log('FAIL ' + name);
    throw e;
  }
}

async function signIn(page, base, username, password) {
  await page.goto(base + '/');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#sign-in button[type=submit]');
}

// A one-time password is replaced before anything else; then sign in again.
async function firstSignIn(page, base, username, oneTime, chosen) {
  await signIn(page, base, username, oneTime);
  await page.waitForSelector('#change-password');
  await page.fill('#new-password', chosen);
  await page.fill('#new-password-again', chosen);
  await page.click('#change-password button[type=submit]');
  await page.waitForSelector('#sign-in .notice.info');
  await page.fill('#username', username);
  await page.fill('#password', chosen);
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('#who');
}

// Opens an instance's page and waits until it is that instance's (the previous page may
// still be showing: moving between pages changes only the URL's fragment).
async function openInstance(page, base, id) {
  await page.goto(base + '/admin/#/i/' + encodeURIComponent(id));
  await page.waitForSelector(`#actions[data-instance="${id}"]`);
}

async function boardRows(page) {
  await page.waitForSelector('#assessments tbody tr');
  return page.$$eval('#assessments tbody tr', (rows) =>
    rows.map((r) => ({ id: r.dataset.id, state: r.dataset.state, text: r.innerText })));
}

// ---- the test -----------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'govassess-web-'));
let server;
let browser;
const problems = [];
try {
  server = await startServer(dir);
  const base = `http://127.0.0.1:${server.port}`;
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  // Any script error or CSP violation in the page fails the test.
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push('console: ' + m.text()); });

  const office = 'office pass phrase 2026';
  await check('the root leads to the sign-in page', async () => {
    await page.goto(base + '/');
    assert.match(page.url(), /\/admin\/$/);
    await page.waitForSelector('#sign-in');
  });

  await check('a wrong password is refused with the server\'s reason and nobody is signed in', async () => {
    await signIn(page, base, 'zhang.office', 'not the password at all');
    const msg = await page.textContent('#sign-in .notice.error');
    assert.ok(msg && msg.length > 0, 'an error is shown');
    assert.equal(await page.$('#who'), null);
  });

  await check('a one-time password must be replaced; a short one is refused by the server', async () => {
    await signIn(page, base, 'zhang.office', server.passwords['zhang.office']);
    await page.waitForSelector('#change-password');
    await page.fill('#new-password', 'short');
    await page.fill('#new-password-again', 'short');
    // The browser's own minlength check would stop this; remove it to reach the server.
    await page.$eval('#new-password', (el) => el.removeAttribute('minlength'));
    await page.click('#change-password button[type=submit]');
    assert.match(await page.textContent('#change-password .notice.error'), /12/);
    await page.fill('#new-password', office);
    await page.fill('#new-password-again', office + ' typo');
    await page.click('#change-password button[type=submit]');
    assert.match(await page.textContent('#change-password .notice.error'), /不一致/);
    await page.fill('#new-password-again', office);
    await page.click('#change-password button[type=submit]');
    await page.waitForSelector('#sign-in .notice.info');
    await page.fill('#username', 'zhang.office');
    await page.fill('#password', office);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#who');
    assert.match(await page.textContent('#who'), /zhang\.office · 绩效办/);
  });

  let submittedId;
  await check('the office sees all 14 cities with their states, and can filter them', async () => {
    const rows = await boardRows(page);
    assert.equal(rows.length, 14);
    const states = rows.reduce((m, r) => ({ ...m, [r.state]: (m[r.state] || 0) + 1 }), {});
    assert.deepEqual(states, { in_execution: 10, submitted: 2, returned: 1, drafting: 1 });
    const nanning = rows.find((r) => r.id === 'lifecycle/2026/city/gx-nanning');
    assert.match(nanning.text, /南宁市[\s\S]*执行中[\s\S]*v1/);
    await page.selectOption('#filter-state', 'submitted');
    const submitted = await boardRows(page);
    assert.equal(submitted.length, 2);
    submittedId = submitted[0].id;
    await page.check('#filter-overdue');
    await page.selectOption('#filter-state', '');
    const overdue = await boardRows(page);
    assert.ok(overdue.length >= 2 && overdue.every((r) => r.state === 'drafting' || r.state === 'returned'),
      'the draft and the returned city are overdue: ' + JSON.stringify(overdue));
  });

  await check('a command the server refuses shows its reason, and nothing changes', async () => {
    await openInstance(page, base, 'lifecycle/2026/city/gx-nanning');
    const before = await page.textContent('main');
    await page.click('details:has(form[data-command=agree_adjustment]) summary');
    const form = 'form[data-command=agree_adjustment]';
    await page.fill(form + ' textarea', '{"adjustment": "adj-99"}');
    await page.click(form + ' button[type=submit]');
    const msg = await page.textContent(form + ' .notice.error');
    assert.match(msg, /adj-99/);
    assert.match(before, /版本 5/);
    await page.reload();
    await page.waitForSelector('#actions');
    assert.match(await page.textContent('main'), /版本 5/);
  });

  await check('the office agrees to a submitted plan: the state moves on and the history shows who did it', async () => {
    await openInstance(page, base, submittedId);
    await page.click('details:has(form[data-command=office_agree]) summary');
    await page.fill('form[data-command=office_agree] input[name=reason]', '计划符合要求');
    await page.click('form[data-command=office_agree] button[type=submit]');
    await page.waitForSelector('.notice.ok');
    assert.match(await page.textContent('.notice.ok'), /绩效办已审核/);
    assert.match(await page.textContent('h1 .chip'), /绩效办已审核/);
    const last = await page.$$eval('#history tbody tr', (rows) => rows[rows.length - 1].innerText);
    assert.match(last, /zhang\.office[\s\S]*绩效办审核同意[\s\S]*通过[\s\S]*计划符合要求/);
    // Now it waits for the leader: the page says so.
    assert.match(await page.textContent('#others'), /审定同意（分管领导）/);
  });

  await check('the audit trail verifies, and filters by outcome', async () => {
    await page.click('nav a[data-page=audit]');
    await page.waitForSelector('#audit-head');
    await page.click('#verify');
    assert.match(await page.textContent('#verify-result .notice.ok'), /日志完整/);
    await page.fill('#audit-outcome', 'refused');
    await page.fill('#audit-actor', 'zhang.office');
    await page.click('#audit-filter button[type=submit]');
    // The unfiltered page was showing: wait until the filtered one replaced it.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#audit tbody tr')];
      return rows.length > 0 && rows.every((r) => r.classList.contains('refused'));
    });
    const rows = await page.$$eval('#audit tbody tr', (r) => r.map((x) => x.innerText));
    assert.ok(rows.every((t) => /zhang\.office[\s\S]*拒绝/.test(t)), 'only the office\'s refusals: ' + rows.join('\n'));
    assert.ok(rows.some((t) => /agree_adjustment[\s\S]*lifecycle\/2026\/city\/gx-nanning/.test(t)),
      'the refused command is in the trail: ' + rows.join('\n'));
    const csv = await page.getAttribute('#audit-csv', 'href');
    assert.match(csv, /format=csv/);
    assert.match(csv, /outcome=refused/);
  });

  await check('the inbox shows the office its reminders and marks them read', async () => {
    await page.click('nav a[data-page=inbox]');
    await page.waitForSelector('#unread-counts');
    const before = await page.textContent('#unread-counts');
    const unread = Number(before.match(/未读 (\d+)/)[1]);
    assert.ok(unread > 0, 'the office has unread reminders: ' + before);
    await page.click('#read-all');
    await page.waitForSelector('.notice.ok');
    await page.waitForSelector('#unread-counts:has-text("未读 0")');
    assert.match(await page.textContent('#inbox'), /没有消息/);
  });

  await check('signing out ends the session', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in');
    await page.goto(base + '/admin/#/assessments');
    await page.waitForSelector('#sign-in');
  });

  await check('a unit clerk sees only its own assessment and no audit trail', async () => {
    await firstSignIn(page, base, 'nanning.clerk', server.passwords['nanning.clerk'], 'nanning pass phrase 2026');
    const rows = await boardRows(page);
    assert.deepEqual(rows.map((r) => r.id), ['lifecycle/2026/city/gx-nanning']);
    assert.equal(await page.$('nav a[data-page=audit]'), null);
    assert.equal(await page.$('nav a[data-page=registry]'), null);
    await page.goto(base + '/admin/#/audit');
    await page.waitForSelector('main .notice.error');
    await page.goto(base + '/admin/#/i/' + encodeURIComponent('lifecycle/2026/city/gx-liuzhou'));
    await page.waitForSelector('main .notice.error:has-text("gx-liuzhou")');
    await openInstance(page, base, 'lifecycle/2026/city/gx-nanning');
    assert.ok(await page.$('form[data-command=request_adjustment]'), 'the unit may request an adjustment');
    assert.equal(await page.$('form[data-command=open_self_assessment]'), null);
    assert.equal(await page.$('#history'), null);
  });

  assert.deepEqual(problems, [], 'the pages ran without script errors');
  console.log(`all ${checks.length} checks hold`);
} catch (e) {
  console.error(e.stack || String(e));
  if (problems.length) console.error('page problems:\n' + problems.join('\n'));
  if (server) console.error('server output (tail):\n' + server.output().slice(-3000));
  process.exitCode = 1;
} finally {
  if (browser) await browser.close();
  if (server) server.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
