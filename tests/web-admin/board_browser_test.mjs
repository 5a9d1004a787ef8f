// 批量处理 on the board in a real browser, against its own `govassess serve --demo`: the
// office sends a routine step to the assessments it applies to, one of which another
// user changed meanwhile; the leader then finds its own routine step.
//
// usage: node board_browser_test.mjs <govassess binary> <source dir>
// Needs NODE_PATH to hold playwright-core and Chromium, as admin_browser_test.mjs does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startServer, launch, check, allHeld, failed, closeAll, firstSignIn } from './browser.mjs';

const [binary, sourceDir] = process.argv.slice(2);
if (!binary || !sourceDir) {
  console.error('usage: node board_browser_test.mjs <govassess binary> <source dir>');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'govassess-board-'));
let server;
let browser;
let problems = [];
const apiGet = (page, path) => page.evaluate((p) => fetch(p).then((r) => r.json()), path);
try {
  server = await startServer(binary, ['--db', join(dir, 'g.db'), '--demo', '--calendar', join(sourceDir, 'calendars', 'cn.json')]);
  const base = `http://127.0.0.1:${server.port}`;
  const launched = await launch();
  browser = launched.browser;
  problems = launched.problems;
  const { page } = launched;
  await firstSignIn(page, base, 'zhang.office', server.passwords['zhang.office'], 'office pass phrase 2026');

  await check('the office agrees to the submitted plans at once; one changed meanwhile is left alone and said so', async () => {
    await page.goto(base + '/admin/#/assessments');
    await page.waitForSelector('#assessments tbody tr');
    await page.click('#bulk summary');
    const options = await page.$$eval('#bulk-command option', (o) => o.map((x) => x.textContent));
    // Routine steps only, each with how many it applies to: no return (a reason per unit).
    assert.ok(options.includes('绩效办审核同意（2 个单位可执行）'), options.join('\n'));
    assert.ok(options.some((o) => /^启动自评（\d+ 个单位可执行）$/.test(o)), options.join('\n'));
    assert.ok(!options.some((o) => /^退回/.test(o)), 'a return is decided unit by unit: ' + options.join('\n'));
    const agree = await page.$eval('#bulk-command', (s) => [...s.options].find((o) => o.textContent.startsWith('绩效办审核同意')).value);
    await page.selectOption('#bulk-command', agree);
    const targets = await page.$$eval('#bulk-targets input', (b) => b.map((x) => ({ id: x.value, checked: x.checked })));
    assert.equal(targets.length, 2);
    assert.ok(targets.every((t) => t.checked), 'all ticked');
    // Meanwhile someone returns the first of them (from elsewhere, through the API).
    const [changed, kept] = targets.map((t) => t.id);
    const returned = await page.evaluate((id) => fetch('/api/v1/instances/' + encodeURIComponent(id) + '/commands/return', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reason: '目标值偏低，请调整' }),
    }).then((r) => r.status), changed);
    assert.equal(returned, 200);
    await page.fill('#bulk-reason', '计划符合工作方案要求');
    await page.click('#bulk-send');
    await page.waitForSelector('#bulk-report');
    assert.match(await page.textContent('#bulk-report h2'), /^批量“绩效办审核同意”：1 个已执行，1 个未执行$/);
    const lines = await page.$$eval('#bulk-report li', (l) => l.map((x) => ({ id: x.dataset.id, cls: x.className, text: x.innerText })));
    assert.deepEqual(lines.map((l) => [l.id, l.cls]), [[changed, 'refused'], [kept, 'ok']], 'the one left alone first');
    assert.match(lines[0].text, /已被他人改动，未执行/);
    assert.match(lines[1].text, /：已绩效办审核同意，现为“.+”（日志第 \d+ 条）$/);
    // The server holds it so: the one sent to moved on with the reason, the other did not.
    const a = await apiGet(page, '/api/v1/instances/' + encodeURIComponent(kept));
    const b = await apiGet(page, '/api/v1/instances/' + encodeURIComponent(changed));
    assert.equal(a.state, 'reviewed');
    assert.equal(b.state, 'returned');
    const trail = await apiGet(page, '/api/v1/audit?entity=' + encodeURIComponent(kept) + '&command=office_agree');
    assert.deepEqual(trail.events.map((e) => [e.outcome, e.actor.user, e.reason]),
      [['accepted', 'zhang.office', '计划符合工作方案要求']]);
    const none = await apiGet(page, '/api/v1/audit?entity=' + encodeURIComponent(changed) + '&command=office_agree');
    assert.deepEqual(none.events, [], 'nothing was sent to the one that changed');
  });

  await check('a unit clerk has no routine steps to send to many', async () => {
    await page.click('#sign-out');
    await firstSignIn(page, base, 'nanning.clerk', server.passwords['nanning.clerk'], 'nanning pass phrase 2026');
    await page.goto(base + '/admin/#/assessments');
    await page.waitForSelector('#assessments tbody tr');
    assert.equal(await page.$('#bulk'), null);
  });

  allHeld(problems);
} catch (e) {
  failed(e, problems, server);
} finally {
  await closeAll(browser, server, dir);
}
