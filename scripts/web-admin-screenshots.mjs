// The README's pictures of the web admin, taken from a fresh `govassess serve --demo` in
// Debian's Chromium: the office's board, one city's assessment and another's mid-year
// check, a lead assessor's score sheet (kept from before), a clerk's adjustment sheet, an
// admin's 工作日历 reading a notice, and a graded cycle's results (a year the scenario
// runner played in full). Not a test; run it after changing the pages, with a Chinese
// font installed (Debian's fonts-noto-cjk), or the Chinese is drawn as boxes:
//
//   NODE_PATH="$(scripts/ensure-playwright.sh)" node scripts/web-admin-screenshots.mjs build/govassess
//
// Writes docs/images/web-admin-*.png (1280 px wide).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { startServer, playedYear } from '../tests/web-admin/browser.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binary = process.argv[2];
if (!binary) {
  console.error('usage: node scripts/web-admin-screenshots.mjs <govassess binary>');
  process.exit(2);
}
const images = join(root, 'docs', 'images');
const dir = mkdtempSync(join(tmpdir(), 'govassess-shots-'));

const demo = await startServer(binary, ['--db', join(dir, 'g.db'), '--demo',
  '--calendar', join(root, 'calendars', 'cn.json')]);
const server = { ...demo, base: 'http://127.0.0.1:' + demo.port };

const browser = await chromium.launch({ executablePath: process.env.GOVASSESS_CHROMIUM || '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Signs in with the demo's one-time password, choosing a new one first.
  const signIn = async (user) => {
    await page.goto(server.base + '/');
    if (await page.$('#sign-out')) {
      await page.click('#sign-out');
    }
    await page.waitForSelector('#sign-in');
    await page.fill('#username', user);
    await page.fill('#password', server.passwords[user]);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#change-password');
    await page.fill('#new-password', 'a pass phrase of ' + user);
    await page.fill('#new-password-again', 'a pass phrase of ' + user);
    await page.click('#change-password button[type=submit]');
    await page.waitForSelector('#sign-in .notice.info');
    await page.fill('#username', user);
    await page.fill('#password', 'a pass phrase of ' + user);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#who');
  };
  const open = async (id) => {
    await page.goto(server.base + '/admin/#/i/' + encodeURIComponent(id));
    await page.waitForSelector(`#actions[data-instance="${id}"]`);
  };
  const shoot = (name, height = 900) => page.screenshot({ path: join(images, name), clip: { x: 0, y: 0, width: 1280, height } });

  await signIn('zhang.office');
  await page.waitForSelector('#assessments tbody tr');
  await shoot('web-admin-board.png');
  await open('lifecycle/2026/city/gx-nanning');
  await shoot('web-admin-assessment.png', 1100);
  // Guilin's mid-year check (the demo's): one item closed with its steps, one open past its day.
  await open('lifecycle/2026/city/gx-guilin');
  await page.locator('#rectifications').screenshot({ path: join(images, 'web-admin-rectification.png') });

  await signIn('liuzhou.clerk');
  await open('lifecycle/2026/city/gx-liuzhou');
  await page.click('#adjustment-sheet-action summary');
  await page.waitForSelector('#adjustment-sheet');
  await page.fill('#adjustment-sheet tr[data-indicator="functional.1.1.1.1"] input[name=weight]', '16');
  await page.fill('#adjustment-sheet tr[data-indicator="functional.1.1.1.2"] input[name=weight]', '13');
  await page.locator('#adjustment-sheet-action').scrollIntoViewIfNeeded();
  const box = await page.locator('#adjustment-sheet-action').boundingBox();
  await page.screenshot({ path: join(images, 'web-admin-adjustment.png'), clip: { x: 0, y: box.y, width: 1280, height: 520 } });

  // The admin's 工作日历 with the 2026 notice pasted as published (tests/data, the one
  // notice_test reads): the table read from it.
  await signIn('admin');
  await page.goto(server.base + '/admin/#/calendar');
  await page.waitForSelector('#calendar-load');
  await page.fill('#notice-text', readFileSync(join(root, 'tests/data/notice-2026.txt'), 'utf8'));
  await page.waitForSelector('#notice-reading table');
  await page.locator('#calendar-load').scrollIntoViewIfNeeded();
  const load = await page.locator('#calendar-load').boundingBox();
  await page.screenshot({ path: join(images, 'web-admin-calendar.png'), clip: { x: 0, y: load.y, width: 1280, height: Math.min(load.height, 900) } });

  // A year played in full by the scenario runner (tests/scenarios/full_year_cities.json),
  // served on its own: the office reads the cycle's results.
  const year = join(dir, 'year.db');
  playedYear(binary, root, year, 'office', 'a pass phrase of the office');
  const graded = await startServer(binary, ['--db', year, '--calendar', join(root, 'calendars', 'cn.json')]);
  try {
    const base = 'http://127.0.0.1:' + graded.port;
    await page.goto(base + '/');
    await page.fill('#username', 'office');
    await page.fill('#password', 'a pass phrase of the office');
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#who');
    await page.goto(base + '/admin/#/i/' + encodeURIComponent('cycle/2025/city'));
    await page.waitForSelector('#results table.results');
    await page.locator('#results').screenshot({ path: join(images, 'web-admin-results.png') });
  } finally {
    graded.child.kill('SIGTERM');
  }
  console.log('wrote docs/images/web-admin-{board,assessment,rectification,adjustment,calendar,results}.png');
} finally {
  await browser.close();
  server.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
