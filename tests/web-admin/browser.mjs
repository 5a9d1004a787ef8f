// What the browser tests share: a server to test against, the browser, checks reported
// by name, and the ways a user signs in and opens a page.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);

export const chromiumPath = process.env.GOVASSESS_CHROMIUM || '/usr/bin/chromium';

// `govassess serve --port 0 …args`, resolved once it listens: {child, port, passwords
// (the one-time passwords a demo printed, by user), output()}.
export function startServer(binary, args) {
  const child = spawn(binary, ['serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

// A database at `db` holding a year the scenario runner played in full
// (tests/scenarios/full_year_cities.json: 14 cities graded and ratified), with an office
// user `username` who signs in with `password`.
export function playedYear(binary, sourceDir, db, username, password) {
  const run = (args, input) => {
    const r = spawnSync(binary, args, { input, encoding: 'utf8', cwd: sourceDir });
    if (r.status !== 0) throw new Error(`govassess ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  };
  run(['scenario', 'run', join(sourceDir, 'tests', 'scenarios', 'full_year_cities.json'), '--db', db,
    '--calendar', join(sourceDir, 'calendars', 'cn.json')], '');
  run(['admin', 'create-user', '--db', db, '--username', username, '--role', 'office', '--password-stdin'], password + '\n');
}

// Debian's Chromium with one page in Chinese; any script error or CSP violation in the
// page is kept in `problems` (the tests require it empty at the end).
export async function launch() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no browser at ${chromiumPath}: apt-get install chromium (./test.sh installs it)`);
  }
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push('console: ' + m.text()); });
  return { browser, context, page, problems };
}

export const checks = [];
export async function check(name, fn) {
  try {
    await fn();
    checks.push(name);
    console.log('ok   ' + name);
  } catch (e) {
    console.log('FAIL ' + name);
    throw e;
  }
}

// The end of a test that got through: no page had a script error, and how many checks held.
export function allHeld(problems) {
  assert.deepEqual(problems, [], 'the pages ran without script errors');
  console.log(`all ${checks.length} checks hold`);
}

// The end of a test that did not: the failure, the pages' problems and the server's last
// words; the process exits non-zero.
export function failed(e, problems, server) {
  console.error(e.stack || String(e));
  if (problems.length) console.error('page problems:\n' + problems.join('\n'));
  if (server) console.error('server output (tail):\n' + server.output().slice(-3000));
  process.exitCode = 1;
}

// Closes the browser, stops the server and removes the test's folder (whichever exist).
export async function closeAll(browser, server, dir) {
  if (browser) await browser.close();
  if (server) server.child.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export async function signIn(page, base, username, password) {
  await page.goto(base + '/');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#sign-in button[type=submit]');
}

// A one-time password is replaced before anything else; then sign in again.
export async function firstSignIn(page, base, username, oneTime, chosen) {
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
export async function openInstance(page, base, id) {
  await page.goto(base + '/admin/#/i/' + encodeURIComponent(id));
  await page.waitForSelector(`#actions[data-instance="${id}"]`);
}
