// The web admin in a real browser (Debian's Chromium, driven by playwright-core), against
// a real `govassess serve --demo`: the pages people use, checked by what they show and by
// what the server then holds.
//
// usage: node admin_browser_test.mjs <govassess binary> <source dir>
// Needs NODE_PATH to hold playwright-core (scripts/ensure-playwright.sh) and
// /usr/bin/chromium (or GOVASSESS_CHROMIUM). Exits 0 only when every check holds.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startServer, launch, check, allHeld, failed, closeAll, signIn, firstSignIn, openInstance } from './browser.mjs';

const { sayInChinese } = await import(join(process.argv[3] || '.', 'web-admin', 'say.js'));

const [binary, sourceDir] = process.argv.slice(2);
if (!binary || !sourceDir) {
  console.error('usage: node admin_browser_test.mjs <govassess binary> <source dir>');
  process.exit(2);
}

// ---- helpers ----------------------------------------------------------------------

async function boardRows(page) {
  await page.waitForSelector('#assessments tbody tr');
  return page.$$eval('#assessments tbody tr', (rows) =>
    rows.map((r) => ({ id: r.dataset.id, state: r.dataset.state, text: r.innerText })));
}

// The API as the signed-in page reaches it (with its session cookie).
const instancePath = (id) => '/api/v1/instances/' + encodeURIComponent(id);
const apiGet = (page, path) => page.evaluate((p) => fetch(p).then((r) => r.json()), path);
const apiCreate = (page, id, body) => page.evaluate(([p, b]) => fetch(p, {
  method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b),
}).then((r) => r.status), [instancePath(id) + '/commands/create', body]);

// ---- the test -----------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'govassess-web-'));
let server;
let browser;
let problems = [];
try {
  server = await startServer(binary, ['--db', join(dir, 'g.db'), '--demo',
    '--calendar', join(sourceDir, 'calendars', 'cn.json')]);
  const base = `http://127.0.0.1:${server.port}`;
  const launched = await launch();
  browser = launched.browser;
  problems = launched.problems;
  const { page } = launched;

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
    // What waits for the office: the two plans it holds, nothing the units or the leader hold.
    await page.uncheck('#filter-overdue');
    assert.match(await page.textContent('label:has(#filter-mine)'), /只看待我处理（2）/);
    await page.check('#filter-mine');
    const mine = await boardRows(page);
    assert.deepEqual(mine.map((r) => r.state), ['submitted', 'submitted']);
    await page.uncheck('#filter-mine');
  });

  await check('a page is drawn once, and one still loading never draws over the next', async () => {
    const listings = [];
    const onRequest = (r) => { if (r.url().includes('/api/v1/instances?')) listings.push(r.url()); };
    page.on('request', onRequest);
    await page.goto(base + '/admin/#/inbox');
    await page.waitForSelector('#unread-counts');
    listings.length = 0;
    await page.click('nav a[data-page=assessments]');
    await boardRows(page);
    await page.waitForTimeout(300);
    assert.equal(listings.filter((u) => u.includes('type=lifecycle')).length, 1, listings.join('\n'));
    // Leave the board while it loads: the inbox stays.
    await page.click('nav a[data-page=inbox]');
    await page.waitForSelector('#unread-counts');
    await page.click('nav a[data-page=assessments]');
    await page.click('nav a[data-page=inbox]');
    await page.waitForSelector('#unread-counts');
    await page.waitForTimeout(500);
    assert.ok(await page.$('#unread-counts'), 'the inbox is still shown');
    assert.equal(await page.$('#assessments'), null, 'the board did not draw over it');
    page.off('request', onRequest);
  });

  await check('the board leads to its cycle, where the office grades categories and records overrides, and sees which units are not ready', async () => {
    await page.goto(base + '/admin/#/assessments');
    await page.click('#cycles a');
    await page.waitForSelector('#actions[data-instance="cycle/2026/city"]');
    assert.ok(await page.$('form[data-command=grade]'), 'grade is offered: ' + await page.innerHTML('#page'));
    assert.ok(await page.$('form[data-command=record_override]'), 'record_override is offered');
    // Not graded yet: how far the 14 cities are, each not ready named with its state.
    const results = await page.textContent('#results');
    assert.match(results, /设区市/);
    assert.match(results, /尚未评定：0 \/ 14 个单位已可评定/);
    const waiting = await page.$$eval('#results ul.waiting[data-category=cities] li', (l) => l.map((x) => x.innerText));
    assert.equal(waiting.length, 14, waiting.join('\n'));
    assert.ok(waiting.some((w) => /^南宁市（执行中）$/.test(w)), waiting.join('\n'));
    assert.equal(await page.$('#results-csv'), null, 'nothing to export before grading');
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
    // The server's wording of a step out of turn is the one the pages put in Chinese
    // (say.js): if either changes, this fails here rather than silently in English.
    const outOfTurn = await page.evaluate(async () => {
      const r = await fetch('/api/v1/instances/' + encodeURIComponent('lifecycle/2026/city/gx-nanning') + '/commands/publish',
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"payload": {}}' });
      return (await r.json()).error.message;
    });
    assert.match(sayInChinese(outOfTurn) || outOfTurn, /^当前状态为“执行中”，不能公示结果。现在可以：.*启动自评（绩效办）/);
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
    const last = await page.$$eval('#history > tbody > tr', (rows) => rows[rows.length - 1].innerText);
    assert.match(last, /zhang\.office[\s\S]*绩效办审核同意[\s\S]*通过[\s\S]*计划符合要求/);
    // Now it waits for the leader: the page says so.
    assert.match(await page.textContent('#others'), /审定同意（分管领导）/);
    // The change itself, before and after, rebuilt from the journal: the state, the
    // review record added, the submission's plan unchanged and so not listed.
    const change = page.locator('#history > tbody > tr').last().locator('details.change');
    assert.match(await change.locator('summary').textContent(), /已报送 → 绩效办已审核 · 第 \d+ 版 · \d+ 处/);
    await change.locator('summary').click();
    const fields = await change.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.innerText)));
    const review = fields.find(([path]) => path === '/plan_review');
    assert.ok(review, JSON.stringify(fields));
    assert.equal(review[1], '—', 'nothing before');
    assert.deepEqual(JSON.parse(review[2]), { agreed_by: 'zhang.office', on: new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10) });
    assert.ok(!fields.some(([path]) => path === '/plan'), 'the plan did not change');
    // The submission before it moved the state from drafting (or returned) to submitted.
    const byCommand = await page.$$eval('#history > tbody > tr', (rows) => rows.map((r) =>
      [r.cells[3].innerText, (r.querySelector('details.change summary') || { textContent: '' }).textContent]));
    const submit = byCommand.filter(([command]) => command === '报送').pop();
    assert.ok(submit, JSON.stringify(byCommand));
    assert.match(submit[1], / → 已报送 · 第 \d+ 版/);
  });

  await check('the audit trail verifies, and filters by outcome; an unfiltered page that comes late draws nothing', async () => {
    // The unfiltered first page is held back until the filtered one has been drawn, as
    // a slow server would deliver it: it must not draw over the filtered one.
    let lateDelivered;
    const late = new Promise((resolve) => { lateDelivered = resolve; });
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    const unfiltered = /\/api\/v1\/audit(\?limit=\d+)?$/;
    await page.route(unfiltered, async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
      lateDelivered();
    });
    await page.click('nav a[data-page=audit]');
    await page.waitForSelector('#audit-head');
    await page.click('#verify');
    assert.match(await page.textContent('#verify-result .notice.ok'), /日志完整/);
    await page.selectOption('#audit-outcome', 'refused');
    await page.fill('#audit-actor', 'zhang.office');
    await page.click('#audit-filter button[type=submit]');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#audit tbody tr')];
      return rows.length > 0 && rows.every((r) => r.classList.contains('refused'));
    });
    release();
    await late;
    await page.unroute(unfiltered);
    // The late page's answer has reached the page: give its handler a moment to run.
    await page.waitForTimeout(300);
    const rows = await page.$$eval('#audit tbody tr', (r) => r.map((x) => x.innerText));
    assert.ok(rows.every((t) => /zhang\.office[\s\S]*拒绝/.test(t)), 'only the office\'s refusals: ' + rows.join('\n'));
    assert.ok(rows.some((t) => /agree_adjustment[\s\S]*lifecycle\/2026\/city\/gx-nanning/.test(t)),
      'the refused command is in the trail: ' + rows.join('\n'));
    const csv = await page.getAttribute('#audit-csv', 'href');
    assert.match(csv, /format=csv/);
    assert.match(csv, /outcome=refused/);
    // The refusal's reason as the office was told it, in Chinese, the journal's words beside.
    const reasons = await page.$$eval('#audit tbody tr', (r) => r.map((x) => [x.cells[6].innerText, x.cells[6].title]));
    assert.ok(reasons.some(([shown, original]) => /[\u4e00-\u9fff]/.test(shown) && /日志原文：[a-z]/.test(original)),
      'a refusal in Chinese with the original beside it: ' + JSON.stringify(reasons));
  });

  await check('the audit trail by Beijing day, and the export of what the filter finds, in the page\'s words', async () => {
    // The day of the first refusal shown, in Beijing time: that day's events and no other.
    const day = (await page.textContent('#audit tbody tr td:nth-child(2)')).slice(0, 10);
    await page.fill('#audit-from', day);
    await page.fill('#audit-to', day);
    const answered = page.waitForResponse((r) => /\/api\/v1\/audit\?.*from=/.test(r.url()) && !/format=/.test(r.url()));
    await page.click('#audit-filter button[type=submit]');
    await answered;
    await page.waitForFunction((d) => {
      const rows = [...document.querySelectorAll('#audit tbody tr')];
      return rows.length > 0 && rows.every((r) => r.cells[1].innerText.startsWith(d));
    }, day);
    const shown = await page.$$eval('#audit tbody tr', (r) => r.map((x) => x.cells[0].innerText));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-export')]);
    const text = readFileSync(await download.path(), 'utf8');
    const rows = text.replace(/^\ufeff/, '').trim().split('\r\n');
    assert.match(rows[0], /^序号,时间（北京时间）,操作人,角色,单位,/);
    assert.equal(rows.length - 1, shown.length, 'every event found, no other: ' + text);
    assert.ok(rows.slice(1).every((r) => r.includes(',' + day + ' ') && r.includes(',zhang.office,') && r.includes(',拒绝,')),
      text);
    assert.equal(await page.textContent('#audit-status .notice.ok'), '已导出 ' + shown.length + ' 条事件。');
    // A range that ends before it starts is named, and nothing is asked.
    await page.fill('#audit-from', '2026-03-17');
    await page.fill('#audit-to', '2026-03-16');
    await page.click('#audit-filter button[type=submit]');
    assert.match(await page.textContent('#audit-status .notice.error'), /截止日期早于起始日期/);
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

  await check('the office starts yearly assessments for units of a cycle that have none, and sees what became of each', async () => {
    await page.click('nav a[data-page=assessments]');
    await boardRows(page);
    await page.click('#create-assessments summary');
    assert.match(await page.textContent('#create-units .notice.info'), /14 个考评单位都已有年度考评/);
    assert.equal(await page.$('#create-form'), null);
    // A second cycle for 2027, started on the 2026 cycle's page from its work plan a year
    // on: none of its 14 cities has an assessment.
    const cycle = await apiGet(page, instancePath('cycle/2026/city'));
    await openInstance(page, base, 'cycle/2026/city');
    await page.click('#next-cycle summary');
    const proposed = JSON.parse(await page.inputValue('#next-cycle-config'));
    assert.equal(proposed.year, 2027);
    assert.equal(proposed.milestones.plan_due, cycle.data.config.milestones.plan_due.replace('2026', '2027'));
    assert.deepEqual(proposed.target_types, cycle.data.config.target_types);
    await page.click('#next-cycle-create');
    assert.match(await page.textContent('#next-cycle .notice.error'), /请填写说明/);
    await page.fill('#next-cycle-reason', '测试：2027年度');
    await page.click('#next-cycle-create');
    await page.waitForSelector('#actions[data-instance="cycle/2027/city"]');
    const created = await apiGet(page, instancePath('cycle/2027/city'));
    assert.deepEqual(created.data.config.milestones, proposed.milestones);
    assert.equal(created.data.units, cycle.data.units);
    await openInstance(page, base, 'cycle/2026/city');
    assert.match(await page.textContent('#next-cycle'), /下一年度考评周期已建立：cycle\/2027\/city/);
    await page.click('nav a[data-page=assessments]');
    await boardRows(page);
    await boardRows(page);
    await page.click('#create-assessments summary');
    await page.waitForSelector('#create-form');
    assert.equal(await page.inputValue('#create-cycle'), 'cycle/2027/city');
    const offered = await page.$$eval('#create-form .picks input', (b) => b.map((x) => x.value));
    assert.equal(offered.length, 14);
    // Meanwhile somebody else creates 来宾市's: the page still offers it, the server refuses it.
    assert.equal(await apiCreate(page, 'lifecycle/2027/city/gx-laibin', { type: 'lifecycle' }), 200);
    await page.check('#create-form input[value=gx-hechi]');
    await page.check('#create-form input[value=gx-laibin]');
    await page.fill('#create-reason', '补建2027年度考评');
    await page.click('#create-form button[type=submit]');
    const hechi = await page.textContent('#create-report li.ok[data-id="lifecycle/2027/city/gx-hechi"]');
    assert.match(hechi, /河池市：已创建/);
    const laibin = await page.textContent('#create-report li.refused[data-id="lifecycle/2027/city/gx-laibin"]');
    assert.match(laibin, /来宾市：未创建——.*already exists/);
    // The board was reloaded with the report: the new assessments are on it.
    const rows = await boardRows(page);
    assert.equal(rows.length, 16);
    assert.equal(rows.find((r) => r.id === 'lifecycle/2027/city/gx-hechi').state, 'drafting');
    const held = await apiGet(page, instancePath('lifecycle/2027/city/gx-hechi'));
    assert.equal(held.state, 'drafting');
    assert.equal(held.data.unit_name, '河池市');
    assert.equal(held.data.cycle, 'cycle/2027/city');
    const trail = await apiGet(page, '/api/v1/audit?entity=' + encodeURIComponent('lifecycle/2027/city/gx-hechi'));
    assert.ok(trail.events.some((e) => e.command === 'create' && e.outcome === 'accepted' &&
      e.actor.user === 'zhang.office' && e.reason === '补建2027年度考评'), JSON.stringify(trail.events));
    // Only the units still without one are offered now.
    await page.click('#create-assessments summary');
    await page.waitForSelector('#create-form');
    const left = await page.$$eval('#create-form .picks input', (b) => b.map((x) => x.value));
    assert.equal(left.length, 12);
    assert.ok(!left.includes('gx-hechi') && !left.includes('gx-laibin'), left.join());
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
    assert.equal(await page.$('#create-assessments'), null, 'a unit may not start assessments');
    await page.goto(base + '/admin/#/audit');
    await page.waitForSelector('main .notice.error');
    await page.goto(base + '/admin/#/i/' + encodeURIComponent('lifecycle/2026/city/gx-liuzhou'));
    await page.waitForSelector('main .notice.error:has-text("gx-liuzhou")');
    await openInstance(page, base, 'lifecycle/2026/city/gx-nanning');
    assert.ok(await page.$('form[data-command=request_adjustment]'), 'the unit may request an adjustment');
    assert.equal(await page.$('form[data-command=open_self_assessment]'), null);
    assert.equal(await page.$('#history'), null);
    // The cycle's page tells the unit of its own assessment, not a count of one.
    await openInstance(page, base, 'cycle/2026/city');
    await page.waitForSelector('#results');
    const results = await page.textContent('#results');
    assert.match(results, /本单位的考评尚未就绪/);
    assert.doesNotMatch(results, /\d+ \/ \d+ 个单位/);
    assert.deepEqual(await page.$$eval('#results ul.waiting li', (l) => l.map((x) => x.innerText)), ['南宁市（执行中）']);
  });

  const itemId = 'registry/item/web-2026-trial';
  const itemName = '优化营商环境专项考核（网上申请）';
  await check('a lead assessor applies for a special assessment: a draft holding what was entered, on its own page', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in');
    await firstSignIn(page, base, 'fgw.clerk', server.passwords['fgw.clerk'], 'fgw pass phrase 2026');
    assert.equal(await page.$('#create-assessments'), null, 'a lead assessor may not start assessments');
    await page.click('nav a[data-page=registry]');
    await page.waitForSelector('#apply');
    await page.fill('#apply-slug', 'web-2026-trial');
    assert.equal(await page.textContent('#apply-id'), itemId);
    await page.fill('#apply-name', itemName);
    await page.fill('#apply-indicators', '企业开办时间\n  \n政务服务事项网上可办率\n营商环境投诉办结率\n');
    await page.fill('#apply-basis', '《优化营商环境条例》');
    await page.fill('#apply-weight', '5');
    await page.fill('#apply-from', '2026-01-01');
    await page.fill('#apply-to', '2026-12-31');
    await page.fill('#apply-reason', '落实年度重点工作');
    const year = Number(await page.inputValue('#apply-year'));
    assert.equal(year, new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear(), 'this year (Beijing) by default');
    await page.click('#apply button[type=submit]');
    await page.waitForSelector(`#actions[data-instance="${itemId}"]`);
    assert.equal(new URL(page.url()).hash, '#/i/' + encodeURIComponent(itemId));
    assert.match(await page.textContent('main h1'), /优化营商环境专项考核（网上申请）\s*草稿/);
    const held = await apiGet(page, instancePath(itemId));
    assert.equal(held.state, 'draft');
    assert.equal(held.data.name, itemName);
    assert.deepEqual(held.data.indicators, ['企业开办时间', '政务服务事项网上可办率', '营商环境投诉办结率']);
    assert.equal(held.data.basis, '《优化营商环境条例》');
    assert.equal(held.data.lead, 'gx-development-reform', 'the lead is the clerk\'s unit id');
    assert.match(await page.textContent('main dl'), /自治区发展改革委（gx-development-reform）/);
    assert.equal(held.data.kind, 'planned');
    assert.equal(held.data.year, year);
    assert.equal(held.data.weight, 5);
    assert.deepEqual(held.data.period, { from: '2026-01-01', to: '2026-12-31' });
    assert.equal(held.data.decisions[0].reason, '落实年度重点工作');
  });

  await check('a payload is loaded from a JSON file into a command form and sent; a file that is not JSON is refused', async () => {
    const form = 'form[data-command=revise]';
    await page.click(`details:has(${form}) summary`);
    const before = await page.inputValue(form + ' textarea');
    await page.setInputFiles(form + ' input[type=file]',
      { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"data_collection": ') });
    assert.match(await page.textContent(form + ' .notice.error'), /broken\.json 不是有效的 JSON/);
    assert.equal(await page.inputValue(form + ' textarea'), before, 'the payload is left as it was');
    const revision = JSON.stringify({ data_collection: '按季度从政务服务平台采集', scoring_rules: '按完成率计分' }, null, 2);
    await page.setInputFiles(form + ' input[type=file]',
      { name: 'revise.json', mimeType: 'application/json', buffer: Buffer.from(revision) });
    await page.waitForSelector(form + ' .notice.info:has-text("revise.json")');
    assert.equal(await page.$(form + ' .notice.error'), null);
    assert.equal(await page.inputValue(form + ' textarea'), revision);
    await page.click(form + ' button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("修改")');
    const held = await apiGet(page, instancePath(itemId));
    assert.equal(held.state, 'draft');
    assert.equal(held.version, 2);
    assert.equal(held.data.data_collection, '按季度从政务服务平台采集');
    assert.equal(held.data.scoring_rules, '按完成率计分');
  });

  await check('the applicant submits the draft through the generic command form', async () => {
    await page.click('details:has(form[data-command=submit]) summary');
    await page.fill('form[data-command=submit] input[name=reason]', '报送申请');
    await page.click('form[data-command=submit] button[type=submit]');
    await page.waitForSelector('main h1 .chip.state-submitted');
    assert.match(await page.textContent('main .notice.ok'), /已报送/);
    const held = await apiGet(page, instancePath(itemId));
    assert.equal(held.state, 'submitted');
    assert.equal(held.version, 3);
  });

  await check('a second application with the same id is refused with the server\'s words, and nothing is created', async () => {
    const list = () => apiGet(page, '/api/v1/instances?type=special_assessment&limit=1000')
      .then((r) => r.instances.map((i) => i.id + '@' + i.version));
    const before = await list();
    await page.click('nav a[data-page=registry]');
    await page.waitForSelector('#apply');
    await page.fill('#apply-slug', 'web-2026-trial');
    await page.fill('#apply-name', '另一个专项考核');
    await page.fill('#apply-indicators', '另一个指标');
    await page.click('#apply button[type=submit]');
    const msg = await page.textContent('#apply .notice.error');
    assert.match(msg, /优化营商环境专项考核（网上申请）.*already exists/);
    assert.equal(new URL(page.url()).hash, '#/registry');
    assert.equal(await page.inputValue('#apply-name'), '另一个专项考核', 'what was typed stays');
    assert.deepEqual(await list(), before);
    const held = await apiGet(page, instancePath(itemId));
    assert.equal(held.data.name, itemName);
    assert.equal(held.state, 'submitted');
  });

  await check('a leader may neither start assessments nor apply for special assessments', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in');
    await firstSignIn(page, base, 'li.leader', server.passwords['li.leader'], 'leader pass phrase 2026');
    assert.equal((await boardRows(page)).length, 16);
    assert.equal(await page.$('#create-assessments'), null);
    await page.click('nav a[data-page=registry]');
    await page.waitForSelector('#quota');
    assert.equal(await page.$('#apply'), null);
    // Leads are shown by their unit's name: the application above, and the department's
    // imported items counted with it in the quota.
    const lead = page.locator('#registry-items tr', { hasText: itemName }).locator('td').nth(1);
    assert.equal(await lead.textContent(), '自治区发展改革委');
    assert.equal(await lead.getAttribute('title'), 'gx-development-reform');
    await page.click('#quota summary');
    const counted = page.locator('#quota tr', { has: page.locator('td[title="gx-development-reform"]') });
    assert.equal(await counted.locator('td').first().textContent(), '自治区发展改革委');
    assert.ok(Number(await counted.locator('td').nth(1).textContent()) > 0, 'its imported items are licensed under its id');
    assert.equal(await page.locator('#quota td:text-is("自治区发展改革委"):not([title])').count(), 0);
  });

  // Sends a command through the generic form of the instance's page.
  const sendCommand = async (id, command, { reason, payload } = {}) => {
    await openInstance(page, base, id);
    await page.click(`details:has(form[data-command=${command}]) summary`);
    const form = `form[data-command=${command}]`;
    if (reason) await page.fill(form + ' input[name=reason]', reason);
    if (payload) await page.fill(form + ' textarea', JSON.stringify(payload));
    await page.click(form + ' button[type=submit]');
    await page.waitForSelector('.notice.ok');
  };
  const switchUser = async (username, password) => {
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in');
    await signIn(page, base, username, password);
    await page.waitForSelector('#who');
  };
  const nanning = 'lifecycle/2026/city/gx-nanning';

  // The 自评表 as the page shows it: per row the box, the evidence one piece per line and
  // the note; read back as the report it stands for (what the record must then hold).
  const sheet = '#self-assessment-sheet';
  const sheetRow = (id) => `${sheet} tr[data-indicator="${id}"]`;
  const reportOnPage = () => page.$$eval(sheet + ' tbody tr', (rows) => Object.fromEntries(rows.map((r) => {
    const evidence = r.querySelector('textarea[name=evidence]').value.split('\n').map((l) => l.trim()).filter(Boolean);
    const note = r.querySelector('textarea[name=note]').value.trim();
    const entry = { completed: r.querySelector('input[name=completed]').checked };
    if (evidence.length) entry.evidence = evidence;
    if (note) entry.note = note;
    return [r.dataset.indicator, entry];
  })));
  const selfRecord = 'self_assessment/2026/city/gx-nanning';

  await check('a unit clerk fills in the 自评表: a completed indicator without evidence is listed and nothing is sent; filled in, the record holds the report as the page showed it', async () => {
    await switchUser('zhang.office', office);
    await sendCommand(nanning, 'open_self_assessment', { reason: '年度自评开始' });
    await switchUser('nanning.clerk', 'nanning pass phrase 2026');
    await openInstance(page, base, nanning);
    assert.equal(await page.$('#self-assessment'), null, 'no report before the first submission');
    // The server's words for a report that does not cover the plan are the ones the page
    // puts in Chinese (say.js): if either changes, this fails here.
    const refusal = (report) => page.evaluate(async ([id, r]) => {
      const res = await fetch('/api/v1/instances/' + encodeURIComponent(id) + '/commands/submit_self_assessment',
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ payload: { report: r } }) });
      return [res.status, (await res.json()).error.message];
    }, [nanning, report]);
    const short = await refusal({ 'functional.1.1.1.1': { completed: true, evidence: ['统计公报'] } });
    assert.equal(short[0], 422);
    assert.match(sayInChinese(short[1]) || short[1], /^自评报告缺少绩效计划 159 个指标中的 158 个：functional\.1\.1\.1\.2、.* 等。$/);
    assert.equal(sayInChinese((await refusal({ all: { completed: true, evidence: ['全部完成'] } }))[1]), '自评报告中的“all”不是绩效计划（第 1 版）的指标。');
    assert.equal(sayInChinese((await refusal({ 'functional.1.1.1.1': { completed: true, evidence: [] } }))[1]),
      '自评报告中“地区生产总值”（functional.1.1.1.1）标为已完成，但没有佐证。');

    await page.click('#self-assessment-sheet-action summary');
    await page.waitForSelector(sheet);
    const ids = await page.$$eval(sheet + ' tbody tr', (rows) => rows.map((r) => r.dataset.indicator));
    assert.equal(ids.length, 159, 'every indicator of the plan in force');
    assert.equal(ids[0], 'functional.1.1.1.1');
    assert.match(await page.textContent(sheetRow('functional.1.1.1.1')), /职能目标 › 经济建设 › 经济增长 › GDP增长[\s\S]*地区生产总值[\s\S]*地区生产总值增速达到自治区下达的年度预期目标[\s\S]*21[\s\S]*自治区统计局/);
    assert.equal(await page.textContent('#self-progress'), '共 159 个指标：已完成 0，未完成（已说明）0，待填写 159。');
    // Everything done but the business-environment assessment, whose result is not out;
    // 地区生产总值's evidence forgotten.
    await page.check('#self-all-completed');
    for (const id of ids) {
      if (id !== 'functional.1.1.1.1' && id !== 'special.1.1.1.1') await page.fill(sheetRow(id) + ' textarea[name=evidence]', '2026年度工作总结\n' + id + ' 工作台账');
    }
    await page.uncheck(sheetRow('special.1.1.1.1') + ' input[name=completed]');
    await page.fill(sheetRow('special.1.1.1.1') + ' textarea[name=note]', '专项考核结果尚未公布');
    assert.equal(await page.textContent('#self-progress'), '共 159 个指标：已完成 157，未完成（已说明）1，待填写 1。');
    const version = (await apiGet(page, instancePath(nanning))).version;
    await page.click(sheet + ' button[type=submit]');
    await page.waitForSelector(sheet + ' .notice.error li');
    assert.deepEqual(await page.$$eval(sheet + ' .notice.error li', (li) => li.map((x) => x.textContent)),
      ['“地区生产总值”（functional.1.1.1.1）：标为已完成，但没有佐证（每行一项）']);
    assert.deepEqual(await page.$$eval(sheet + ' tr.problem', (r) => r.map((x) => x.dataset.indicator)), ['functional.1.1.1.1']);
    assert.equal((await apiGet(page, instancePath(nanning))).version, version, 'nothing was sent');
    await page.fill(sheetRow('functional.1.1.1.1') + ' textarea[name=evidence]', '2026年统计公报\n  \n统计年鉴 ');
    await page.fill(sheet + ' input[name=reason]', '2026年度自评');
    const shown = await reportOnPage();
    assert.deepEqual(shown['functional.1.1.1.1'], { completed: true, evidence: ['2026年统计公报', '统计年鉴'] });
    assert.deepEqual(shown['special.1.1.1.1'], { completed: false, note: '专项考核结果尚未公布' });
    await page.click(sheet + ' button[type=submit]');
    await page.waitForSelector('.notice.ok');
    assert.match(await page.textContent('.notice.ok'), /^自评报告已提交：159 个指标，已完成 158，未完成 1；现为“考评审核”（日志第 \d+ 条）$/);
    assert.match(await page.textContent('h1 .chip'), /考评审核/);
    const held = await apiGet(page, instancePath(nanning));
    assert.equal(held.state, 'auditing');
    assert.deepEqual([held.data.self_assessment.record, held.data.self_assessment.submission, held.data.self_assessment.items], [selfRecord, 1, 159]);
    const record = await apiGet(page, instancePath(selfRecord));
    assert.equal(record.data.submissions.length, 1);
    assert.deepEqual(record.data.submissions[0].report, shown, 'the report as the page showed it');
    assert.equal(record.data.submissions[0].by, 'nanning.clerk');
    // The unit reads what it submitted.
    assert.match(await page.textContent('#self-summary'), /^第 1 次（\d{4}-\d\d-\d\d，nanning\.clerk）：共 159 个指标，已完成 158，未完成 1。$/);
  });

  await check('a lead assessor reads the 自评报告 — its own indicators, and beside its score sheet — and sends back one it leads', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in');
    await firstSignIn(page, base, 'tongji.clerk', server.passwords['tongji.clerk'], 'tongji pass phrase 2026');
    await openInstance(page, base, nanning);
    await page.waitForSelector('#self-assessment');
    assert.match(await page.textContent('#self-summary'), /^第 1 次（.*nanning\.clerk）：共 159 个指标，已完成 158，未完成 1。$/);
    assert.ok(await page.isChecked('#self-only-mine'), 'a lead assessor starts from the indicators it leads');
    await page.click('#self-report summary');
    const rows = await page.$$eval('#self-report tbody tr', (r) => r.map((x) => [x.dataset.indicator, x.cells[2].innerText, x.cells[3].innerText, x.cells[4].innerText]));
    assert.ok(rows.length > 1 && rows.every(([, lead]) => lead === '自治区统计局'), JSON.stringify(rows));
    assert.deepEqual(rows[0], ['functional.1.1.1.1', '自治区统计局', '已完成', '2026年统计公报\n统计年鉴']);
    await page.uncheck('#self-only-mine');
    assert.equal(await page.$$eval('#self-report tbody tr', (r) => r.length), 159);
    assert.equal(await page.textContent('#self-report tr[data-indicator="special.1.1.1.1"] td.completion'), '未完成');
    assert.match(await page.textContent('#self-report tr[data-indicator="special.1.1.1.1"]'), /专项考核结果尚未公布/);
    // The score sheet shows beside each indicator what the unit reported.
    await page.click('#score-sheet-action summary');
    await page.waitForSelector('#score-sheet');
    assert.match(await page.textContent('#score-sheet thead'), /单位自评（第 1 次提交）/);
    const cell = await page.$eval('#score-sheet input[data-indicator="functional.1.1.1.1"]', (i) => i.closest('tr').querySelector('td.self-entry').innerText);
    assert.equal(cell, '已完成\n2026年统计公报\n统计年鉴');
    // The evidence for 人均地区生产总值 is not enough: sent back, with a note.
    await sendCommand(nanning, 'send_back', { reason: '佐证不足', payload: { items: [{ indicator_id: 'functional.1.1.1.2', note: '请补充季度监测数据' }] } });
    assert.match(await page.textContent('h1 .chip'), /自评/);
    assert.match(await page.textContent('#self-assessment .notice.warn'), /^退回补正 \d{4}-\d\d-\d\d（tongji\.clerk）：佐证不足；退回的指标：“人均地区生产总值”（functional\.1\.1\.1\.2：请补充季度监测数据）。待单位修改后重新提交。$/);
  });

  await check('the clerk\'s sheet starts from the last report with the item sent back first and marked; resubmitted whole, both submissions are kept', async () => {
    await switchUser('nanning.clerk', 'nanning pass phrase 2026');
    await openInstance(page, base, nanning);
    await page.click('#self-assessment-sheet-action summary');
    await page.waitForSelector(sheet);
    const record = await apiGet(page, instancePath(selfRecord));
    assert.deepEqual(await reportOnPage(), record.data.submissions[0].report, 'started from the last submission');
    const first = page.locator(sheet + ' tbody tr').first();
    assert.equal(await first.getAttribute('data-indicator'), 'functional.1.1.1.2');
    assert.match(await first.getAttribute('class'), /sent-back/);
    assert.equal(await first.locator('.sent-back-mark').textContent(), '退回修改：请补充季度监测数据');
    assert.match(await page.textContent(sheet + ' .notice.warn'), /佐证不足[\s\S]*退回修改的 1 个指标列在最前/);
    assert.equal(await page.$$eval(sheet + ' tr.sent-back', (r) => r.length), 1);
    await page.fill(sheetRow('functional.1.1.1.2') + ' textarea[name=evidence]', '2026年度工作总结\nfunctional.1.1.1.2 工作台账\n季度监测数据');
    const shown = await reportOnPage();
    await page.click(sheet + ' button[type=submit]');
    await page.waitForSelector('.notice.ok');
    assert.match(await page.textContent('h1 .chip'), /考评审核/);
    const held = await apiGet(page, instancePath(selfRecord));
    assert.deepEqual(held.data.submissions.map((s) => s.n), [1, 2]);
    assert.deepEqual(held.data.submissions[0].report, record.data.submissions[0].report, 'the report sent back stays readable');
    assert.deepEqual(held.data.submissions[1].report, shown);
    assert.equal(held.data.submissions[1].report['functional.1.1.1.2'].evidence.length, 3);
    // Both are on the page: the latest first, the earlier one a choice away.
    assert.match(await page.textContent('#self-summary'), /^第 2 次/);
    await page.selectOption('#self-submission', '0');
    assert.match(await page.textContent('#self-summary'), /^第 1 次/);
    await page.click('#self-report summary');
    assert.equal(await page.textContent('#self-report tr[data-indicator="functional.1.1.1.2"] ul.evidence'), '2026年度工作总结functional.1.1.1.2 工作台账');
    assert.match(await page.textContent('#self-assessment dl'), /退回补正 .*佐证不足/);
  });

  await check('a lead assessor scores on the score sheet only the indicators it leads, and the scores are held', async () => {
    await switchUser('tongji.clerk', 'tongji pass phrase 2026');
    await openInstance(page, base, nanning);
    await page.click('#score-sheet-action summary');
    await page.waitForSelector('#score-sheet');
    assert.match(await page.textContent('#score-sheet thead'), /单位自评（第 2 次提交）/);
    const leads = await page.$$eval('#score-sheet tbody tr', (rows) => rows.map((r) => r.cells[3].innerText));
    assert.ok(leads.length > 0 && leads.every((l) => l === 'gx-statistics'), 'only its own indicators: ' + leads);
    assert.equal(await page.$('#score-sheet input[data-raw-for]'), null, 'no raw scores for a lead assessor');
    await page.fill('#score-sheet input[data-indicator="functional.1.1.1.1"]', '20');
    await page.click('#score-sheet button[type=submit]');
    await page.waitForSelector('.notice.ok');
    const held = await apiGet(page, instancePath(nanning));
    const scored = held.data.scores.functional.indicators;
    assert.deepEqual(scored.map((x) => [x.indicator_id, x.points, x.recorded_by]),
      [['functional.1.1.1.1', 20, 'tongji.clerk']]);
    // The sheet shows what was recorded, and by whom.
    await page.click('#score-sheet-action summary');
    await page.waitForSelector('#score-sheet');
    assert.equal(await page.inputValue('#score-sheet input[data-indicator="functional.1.1.1.1"]'), '20');
  });

  await check('the office\'s score sheet has every indicator and a raw score per target type; its scores join the lead\'s', async () => {
    await switchUser('zhang.office', office);
    await openInstance(page, base, nanning);
    await page.click('#score-sheet-action summary');
    await page.waitForSelector('#score-sheet');
    const plan = await apiGet(page, instancePath('plan/2026/city/gx-nanning'));
    const tree = plan.data.versions[plan.data.versions.length - 1].tree;
    let leaves = 0;
    const count = (n) => { if (!n.children || !n.children.length) leaves += 1; else n.children.forEach(count); };
    tree.target_types.forEach(count);
    assert.equal(await page.$$eval('#score-sheet input[data-indicator]', (x) => x.length), leaves);
    // A raw score per target type but the special one, scored by indicator from its items.
    assert.equal(await page.$$eval('#score-sheet input[data-raw-for]', (x) => x.length), tree.target_types.length - 1);
    assert.equal(await page.$('#score-sheet input[data-raw-for="special"]'), null);
    await page.fill('#score-sheet input[data-indicator="functional.1.1.1.2"]', '7');
    await page.fill('#score-sheet input[data-raw-for="satisfaction"]', '88');
    await page.click('#score-sheet button[type=submit]');
    await page.waitForSelector('.notice.ok');
    const held = await apiGet(page, instancePath(nanning));
    assert.deepEqual(held.data.scores.functional.indicators.map((x) => [x.indicator_id, x.points, x.recorded_by]),
      [['functional.1.1.1.1', 20, 'tongji.clerk'], ['functional.1.1.1.2', 7, 'zhang.office']]);
    assert.equal(held.data.scores.satisfaction.raw_score, 88);
    // A result from an application not yet licensed, sent through the generic form: the
    // refusal is shown in Chinese, and nothing changes.
    await page.click('details:has(form[data-command=record_scores]) summary');
    const form = 'form[data-command=record_scores]';
    await page.fill(form + ' textarea', JSON.stringify({ target_types: [{ target_type: 'special', indicators: [
      { indicator_id: 'special.1.1.1.1', points: 20, registry_item: 'registry/item/app-draft-2027' }] }] }));
    await page.click(form + ' button[type=submit]');
    assert.equal(await page.textContent(form + ' .notice.error'),
      '无证不考：专项考核“重大项目前期工作考核”在 2026-12-31 没有有效许可（状态：草稿）。（payload.target_types[0].indicators[0]）');
    assert.equal((await apiGet(page, instancePath(nanning))).version, held.version);
  });

  await check('the office reads an application\'s duplicate review on its page and merges it into the licensed item it duplicates', async () => {
    const app = 'registry/item/app-biz-2027';
    await openInstance(page, base, app);
    await page.waitForSelector('#review');
    const match = page.locator('#review tr.level-likely_duplicate').first();
    assert.equal(await match.locator('td').first().textContent(), '优化营商环境专项考核');
    assert.equal(await match.locator('td').nth(1).textContent(), '自治区发展改革委');
    assert.match(await match.locator('td').nth(2).textContent(), /已许可项目（已许可）/);
    const survivor = decodeURIComponent((await match.locator('a').getAttribute('href')).slice('#/i/'.length));
    const before = await apiGet(page, instancePath(survivor));
    // Without a reason nothing is sent.
    await match.locator('button.merge-into').click();
    assert.match(await page.textContent('#review .notice.error'), /合并理由/);
    assert.equal((await apiGet(page, instancePath(app))).state, 'submitted');
    await page.fill('#merge-reason', '与已许可的优化营商环境专项考核重复，并入统一实施');
    await page.locator('#review tr.level-likely_duplicate').first().locator('button.merge-into').click();
    await page.waitForSelector('.notice.ok');
    assert.equal((await apiGet(page, instancePath(app))).state, 'merged');
    const after = await apiGet(page, instancePath(survivor));
    assert.equal(after.state, 'licensed');
    assert.ok(after.version > before.version);
    assert.ok(after.data.indicators.includes('企业开办时间'), 'the absorbed indicators are united: ' + after.data.indicators.join());
    assert.equal(await page.$('#review button'), null, 'a merged application offers no more merges');
  });

  await check('the office imports the special assessments it already runs from a spreadsheet, leads resolved through the directory', async () => {
    await page.click('nav a[data-page=registry]');
    await page.waitForSelector('#import');
    await page.click('#import summary');
    await page.selectOption('#import-year', String(new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear() + 1));
    assert.equal(await page.inputValue('#import-units'), 'units/guangxi');
    const upload = (name, text) => page.setInputFiles('#import-file', { name, mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + text) });
    await upload('bad.csv', '名称,牵头单位\r\n统计数据质量考核,自治区统计局\r\n');
    assert.match(await page.textContent('#import .notice.error'), /缺少“指标”列/);
    assert.ok(await page.$eval('#import-send', (b) => b.disabled), 'nothing to import');
    await upload('licensed.csv', '名称,牵头单位,指标,编号\r\n' +
      '统计数据质量考核,自治区统计局,"统计数据质量、统计执法检查",web-import-stats\r\n' +
      '党风廉政建设责任制考核,自治区纪委监委,落实主体责任,web-import-clean\r\n');
    assert.match(await page.textContent('#import .notice.info'), /2 项专项考核/);
    await page.fill('#import-reason', '导入本单位已实施的专项考核');
    await page.click('#import-send');
    await page.waitForSelector('#import .notice.ok');
    assert.match(await page.textContent('#import .notice.ok'), /已导入 2 项.*解析 1 个，目录中没有、按原文保存的：自治区纪委监委/);
    const stats = await apiGet(page, instancePath('registry/item/web-import-stats'));
    assert.equal(stats.state, 'licensed');
    assert.equal(stats.data.lead, 'gx-statistics');
    assert.deepEqual(stats.data.indicators, ['统计数据质量', '统计执法检查']);
    assert.equal((await apiGet(page, instancePath('registry/item/web-import-clean'))).data.lead, '自治区纪委监委');
  });

  await check('a special indicator is scored from a licensed special assessment its lead leads, chosen on the sheet', async () => {
    await switchUser('fgw.clerk', 'fgw pass phrase 2026');
    await openInstance(page, base, nanning);
    await page.click('#score-sheet-action summary');
    await page.waitForSelector('#score-sheet');
    // The commission is one unit: it scores the plan's indicators it leads, the special
    // one among them, as the same account that applies for special assessments.
    const rows = await page.$$eval('#score-sheet tbody tr', (r) => r.map((x) => [x.cells[0].innerText, x.cells[3].innerText]));
    assert.ok(rows.some(([id]) => id === 'special.1.1.1.1'), JSON.stringify(rows));
    assert.ok(rows.every(([, lead]) => lead === 'gx-development-reform'), JSON.stringify(rows));
    assert.equal(await page.$$eval('#score-sheet select[data-item-for]', (x) => x.length), 1, 'an item to choose for the special indicator only');
    const select = '#score-sheet select[data-item-for="special.1.1.1.1"]';
    const options = await page.$$eval(select + ' option', (o) => o.map((x) => ({ value: x.value, text: x.textContent })));
    const ids = options.map((o) => o.value).filter(Boolean);
    assert.ok(ids.length > 1, 'the licensed items it leads: ' + JSON.stringify(options));
    for (const id of ids) {
      const item = await apiGet(page, instancePath(id));
      assert.equal(item.state, 'licensed');
      assert.ok(item.data.lead === 'gx-development-reform' || (item.data.co_leads || []).includes('gx-development-reform'), id);
    }
    assert.equal(await page.inputValue(select), '', 'several candidates: none chosen for the clerk');
    // Without a choice nothing is sent.
    const before = (await apiGet(page, instancePath(nanning))).version;
    await page.fill('#score-sheet input[data-indicator="special.1.1.1.1"]', '27');
    await page.click('#score-sheet button[type=submit]');
    assert.match(await page.textContent('#score-sheet .notice.error'), /选择其得分所依据的已许可专项考核/);
    assert.equal((await apiGet(page, instancePath(nanning))).version, before);
    const business = options.find((o) => o.text.startsWith('优化营商环境专项考核（'));
    assert.ok(business, 'the business-environment assessment is among them');
    await page.selectOption(select, business.value);
    await page.click('#score-sheet button[type=submit]');
    await page.waitForSelector('.notice.ok');
    const held = await apiGet(page, instancePath(nanning));
    assert.deepEqual(held.data.scores.special.indicators.map((x) => [x.indicator_id, x.points, x.registry_item, x.recorded_by]),
      [['special.1.1.1.1', 27, business.value, 'fgw.clerk']]);
  });

  await check('once the audit is finished, the assessment shows each target type\'s points and how they came about', async () => {
    await switchUser('zhang.office', office);
    const licensed = await apiGet(page, '/api/v1/instances?type=special_assessment&state=licensed&limit=1');
    const item = licensed.instances[0].id;
    await sendCommand(nanning, 'record_scores', { reason: '审核评分', payload: { target_types: [
      { target_type: 'functional', raw_score: 90 }, { target_type: 'innovation', raw_score: 85 }, { target_type: 'satisfaction', raw_score: 88 },
      { target_type: 'special', indicators: [{ indicator_id: 'special.1.1.2.1', points: 24, registry_item: item }] }] } });
    await sendCommand(nanning, 'finish_audit', { reason: '审核完成' });
    await openInstance(page, base, nanning);
    await page.waitForSelector('#result');
    const rows = await page.$$eval('#result > table > tbody > tr', (r) => r.map((x) => [x.dataset.targetType, x.cells[1].innerText, x.cells[2].innerText]));
    assert.deepEqual(rows.sort(), [['functional', '700', '630.00'], ['innovation', '90', '76.50'], ['satisfaction', '150', '132.00'], ['special', '60', '51.00']]);
    assert.match(await page.textContent('#result'), /总分 889\.50/);
    await page.click('#result tr[data-target-type=special] details summary');
    const special = await page.$$eval('#result tr[data-target-type=special] tbody tr', (r) => r.map((x) => [x.dataset.indicator, x.cells[2].innerText, x.cells[3].innerText, x.cells[4].innerText]));
    assert.deepEqual(special, [['special.1.1.1.1', '27', 'fgw.clerk', special[0][3]], ['special.1.1.2.1', '24', 'zhang.office', item]]);
    assert.match(special[0][3], /^registry\/item\//);
    assert.match(await page.textContent('#result tr[data-target-type=functional]'), /整体评分 90 \/ 100（zhang\.office）/);
    // Published, the unit appeals within its window and the page shows what it asked
    // and that the office has yet to decide; rejected, the decision with its reasons.
    // (The window is counted in the shipped calendar, which ends with 2026: from late
    // December on, publishing is refused until next year's arrangement is loaded.)
    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    if (today > '2026-12-20') return console.log('     (appeal not tried: the calendar ends with 2026)');
    await sendCommand(nanning, 'publish', { reason: '公示考评结果' });
    await switchUser('nanning.clerk', 'nanning pass phrase 2026');
    await sendCommand(nanning, 'appeal', { reason: '地区生产总值增速按初步核算数计分有误', payload: { evidence: ['2026年统计公报', '核算数说明'] } });
    await page.waitForSelector('#appeal');
    const appeal = await page.$$eval('#appeal dl > *', (x) => x.map((e) => e.innerText));
    assert.deepEqual(appeal.slice(2, 8), ['理由', '地区生产总值增速按初步核算数计分有误', '证据', '2026年统计公报\n核算数说明', '决定', '待绩效办决定']);
    await switchUser('zhang.office', office);
    await sendCommand(nanning, 'reject_appeal', { reason: '已按初步核算数计分，符合评分细则' });
    assert.match(await page.textContent('#appeal'), /复核不成立：维持原结果（zhang\.office：已按初步核算数计分，符合评分细则）/);
    assert.match(await page.textContent('#result'), /总分 889\.50/, 'the result stands');
  });

  await check('an admin opens an account with a one-time password, which the new clerk replaces at first sign-in', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in');
    await firstSignIn(page, base, 'admin', server.passwords['admin'], 'admin pass phrase 2026');
    await page.click('nav a[data-page=users]');
    await page.waitForSelector('#users tbody tr');
    assert.ok(await page.$('#users tr[data-user="nanning.clerk"]'), 'the demo users are listed');
    // A bad name reaches the server (the page's own pattern check removed) and is refused.
    await page.$eval('#user-username', (el) => el.removeAttribute('pattern'));
    await page.fill('#user-username', 'Bad Name');
    await page.selectOption('#user-role', 'office');
    await page.click('#new-user button[type=submit]');
    assert.match(await page.textContent('#new-user .notice.error'), /lower-case/);
    assert.equal((await apiGet(page, instancePath('user/Bad Name'))).error.code, 'not_found');
    await page.fill('#user-username', 'hechi.clerk');
    await page.selectOption('#user-role', 'unit');
    await page.fill('#user-unit', 'gx-hechi');
    await page.fill('#user-display-name', '河池市绩效办 联络员');
    await page.click('#new-user button[type=submit]');
    const secret = (await (await page.waitForSelector('#one-time-password code.secret')).textContent()).trim();
    assert.match(secret, /^[A-Za-z0-9]{12,}$/);
    const held = await apiGet(page, instancePath('user/hechi.clerk'));
    assert.equal(held.state, 'active');
    assert.equal(held.data.unit, 'gx-hechi');
    assert.ok(await page.$('#users tr[data-user="hechi.clerk"]'), 'the new account is listed');
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in');
    await firstSignIn(page, base, 'hechi.clerk', secret, 'hechi pass phrase 2026');
    const rows = await boardRows(page);
    assert.ok(rows.length > 0 && rows.every((r) => r.id.endsWith('/gx-hechi')), JSON.stringify(rows));
    assert.equal(await page.$('nav a[data-page=users]'), null, 'only admins see the accounts');
  });

  await check('a clerk drafts its plan in a spreadsheet: problems are listed, the table becomes the plan it submits', async () => {
    const hechi = 'lifecycle/2027/city/gx-hechi';
    await openInstance(page, base, hechi);
    const form = 'form[data-command=submit]';
    await page.click(`details:has(${form}) summary`);
    const before = await page.inputValue(form + ' textarea');
    const heading = '目标类型,一级指标,二级指标,三级指标,具体指标,分值,目标值,牵头考核单位,评分办法\r\n';
    const rows = [
      '职能目标,经济建设,经济增长,GDP增长,地区生产总值,400,"增速达到7%, 高于全区",自治区统计局,按统计公报计分',
      ',,,,人均地区生产总值,300,完成年度目标,统计局,',
      '专项目标,优化营商环境和乡村振兴,专项考核,优化营商环境专项考核,优化营商环境专项考核,30,达到年度目标,自治区发展改革委,',
      ',,,乡村振兴战略专项考核,乡村振兴战略专项考核,30,完成年度任务,农办,',
      '创新目标,改革创新,改革创新,改革创新,创新项目,90,完成创新项目,自治区统计局,',
      '满意目标,满意度,满意度,满意度,群众满意度,150,满意度达到85%,自治区统计局,',
    ];
    const upload = (name, text) => page.setInputFiles(form + ' input[name=plan-table]',
      { name, mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + text) });
    // A table with problems: each is listed by row, and the payload is left alone.
    await upload('hechi-bad.csv', heading + rows.join('\r\n').replace(',统计局,', ',统计厅,').replace(',300,', ',三百,'));
    await page.waitForSelector(form + ' .notice.error li');
    const listed = await page.$$eval(form + ' .notice.error li', (li) => li.map((x) => x.textContent));
    assert.deepEqual(listed, ['第 3 行：分值“三百”不是正数', '第 3 行：牵头考核单位“统计厅”不在单位目录中']);
    assert.equal(await page.inputValue(form + ' textarea'), before);
    await upload('hechi-2027.csv', heading + rows.join('\r\n') + '\r\n');
    await page.waitForSelector(form + ' .notice.info');
    assert.match(await page.textContent(form + ' .notice.info'), /6 个指标，合计 1000 分（职能目标 700，专项目标 60，创新目标 90，满意目标 150）/);
    const { plan } = JSON.parse(await page.inputValue(form + ' textarea'));
    assert.equal(plan.year, 2027);
    assert.equal(plan.unit_id, 'gx-hechi');
    assert.equal(plan.category_id, 'cities');
    const special = plan.target_types.find((t) => t.id === 'special').children[0].children[0].children;
    assert.deepEqual(special.map((l3) => [l3.id, l3.children[0].id, l3.children[0].lead_assessor]),
      [['special.1.1.1', 'special.1.1.1.1', 'gx-development-reform'], ['special.1.1.2', 'special.1.1.2.1', 'gx-rural-work-office']]);
    await page.fill(form + ' input[name=reason]', '2027年度绩效计划');
    await page.click(form + ' button[type=submit]');
    await page.waitForSelector('.notice.ok');
    const held = await apiGet(page, instancePath(hechi));
    assert.equal(held.state, 'submitted');
    assert.deepEqual(held.data.plan, plan, 'the plan as the table gave it');
  });

  await check('a clerk asks for an indicator adjustment on its plan: the sheet sends only what changed, balanced', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in');
    await firstSignIn(page, base, 'liuzhou.clerk', server.passwords['liuzhou.clerk'], 'liuzhou pass phrase 2026');
    const liuzhou = 'lifecycle/2026/city/gx-liuzhou';
    await openInstance(page, base, liuzhou);
    await page.click('#adjustment-sheet-action summary');
    await page.waitForSelector('#adjustment-sheet');
    const row = (id) => `#adjustment-sheet tr[data-indicator="${id}"]`;
    assert.equal(await page.inputValue(row('functional.1.1.1.1') + ' input[name=lead_assessor]'), '自治区统计局', 'leads by name');
    await page.fill(row('functional.1.1.1.1') + ' input[name=weight]', '11');
    await page.click('#adjust-add-row');
    const added = '#adjust-new tbody tr:last-child';
    await page.selectOption(added + ' select[name=parent_id]', 'functional.1.1.1');
    await page.fill(added + ' input[name=name]', '规上工业增加值');
    await page.fill(added + ' input[name=weight]', '5');
    await page.fill(added + ' input[name=target]', '增长7%');
    await page.fill(added + ' input[name=lead_assessor]', '统计局');
    await page.fill('#adjustment-sheet input[name=reason]', '新增规上工业增加值指标');
    assert.match(await page.textContent('#adjust-totals'), /职能目标 700 → 695/);
    // Unbalanced: listed, nothing sent.
    const version = (await apiGet(page, instancePath(liuzhou))).version;
    await page.click('#adjustment-sheet button[type=submit]');
    await page.waitForSelector('#adjustment-sheet .notice.error li');
    assert.match(await page.textContent('#adjustment-sheet .notice.error'), /职能目标调整后合计 695 分，须保持 700 分/);
    assert.equal((await apiGet(page, instancePath(liuzhou))).version, version);
    await page.fill(row('functional.1.1.1.1') + ' input[name=weight]', '16');
    assert.match(await page.textContent('#adjust-totals'), /职能目标 700 → 700/);
    let sent = null;
    await page.route('**/commands/request_adjustment', (route) => {
      sent = JSON.parse(route.request().postData());
      return route.continue();
    });
    await page.click('#adjustment-sheet button[type=submit]');
    await page.waitForSelector('.notice.ok, #adjustment-sheet .notice.error');
    await page.unroute('**/commands/request_adjustment');
    assert.deepEqual(sent.payload, {
      change: { operations: [
        { op: 'modify', id: 'functional.1.1.1.1', weight: 16 },
        { op: 'add', parent_id: 'functional.1.1.1', node: { id: 'functional.1.1.1.3', name: '规上工业增加值', weight: 5, target: '增长7%', lead_assessor: 'gx-statistics' } },
      ] },
      kind: 'adjust',
    });
    assert.equal(sent.reason, '新增规上工业增加值指标');
    // The server decides the window (20–30 November in the demo's cycle): inside it the
    // request is recorded as sent, outside it is refused with the window named.
    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    const held = await apiGet(page, instancePath(liuzhou));
    if (today >= '2026-11-20' && today <= '2026-11-30') {
      assert.match(await page.textContent('.notice.ok'), /调整申请已报送（adj-1，2 项变动）/);
      const adj = held.data.adjustments[held.data.adjustments.length - 1];
      assert.deepEqual([adj.id, adj.status, adj.requested_by], ['adj-1', 'requested', 'liuzhou.clerk']);
      assert.deepEqual(adj.change, sent.payload.change);
      // The page lists the request in words for the office and the leader who decide it.
      await page.waitForSelector('#adjustments [data-adjustment="adj-1"]');
      assert.deepEqual(await page.$$eval('#adjustments [data-adjustment="adj-1"] li', (li) => li.map((x) => x.textContent)), [
        '修改 “地区生产总值”（functional.1.1.1.1）：分值 21 → 16',
        '新增 “规上工业增加值”（functional.1.1.1.3，5 分，牵头：自治区统计局）于 “GDP增长”（functional.1.1.1）']);
      assert.match(await page.textContent('#adjustments [data-adjustment="adj-1"]'), /已申请 · 指标调整 · liuzhou\.clerk（被考评单位）于 \d{4}-\d\d-\d\d：新增规上工业增加值指标/);
    } else {
      assert.match(await page.textContent('#adjustment-sheet .notice.error'), /指标调整须在调整申报期 2026-11-20 至 2026-11-30 内报送/);
      assert.equal(held.version, version);
    }
  });

  await check('the office records the mid-year check\'s findings; the clerk reports one put right; the page shows each item where it stands', async () => {
    const liuzhou = 'lifecycle/2026/city/gx-liuzhou';
    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    await switchUser('zhang.office', office);
    await openInstance(page, base, liuzhou);
    const record = 'form[data-command=record_midyear]';
    await page.click(`details:has(${record}) summary`);
    await page.fill(record + ' input[name=reason]', '7月中期核验');
    await page.fill(record + ' textarea', JSON.stringify({ findings: ['重点项目进度偏慢',
      { finding: '统计台账不完整', indicator: 'functional.1.1.1.1', rectify_by: today }] }));
    await page.click(record + ' button[type=submit]');
    if (today > '2027-01-10') {  // past the demo cycle's self-assessment deadline
      assert.match(await page.textContent(record + ' .notice.error'), /晚于自查自评报送截止日期 2027-01-10/);
      return;
    }
    await page.waitForSelector('#rectifications [data-item="rect-2"]');
    assert.match(await page.textContent('#rectifications li'), new RegExp(today + ' zhang.office 记录中期核验：发现 2 个需整改的问题（rect-1、rect-2）；7月中期核验'));
    assert.equal(await page.textContent('#rectification-summary'), '共 2 项：待整改 2，已报告 0，已销号 0');
    assert.deepEqual(await page.$$eval('#rectifications tr[data-item="rect-2"] td', (td) => td.slice(1, 5).map((x) => x.textContent)),
      ['统计台账不完整', '地区生产总值（functional.1.1.1.1）', today, '待整改']);
    // A report without evidence is refused in Chinese and changes nothing.
    await switchUser('liuzhou.clerk', 'liuzhou pass phrase 2026');
    await openInstance(page, base, liuzhou);
    const version = (await apiGet(page, instancePath(liuzhou))).version;
    const report = 'form[data-command=report_rectification]';
    await page.click(`details:has(${report}) summary`);
    await page.fill(report + ' input[name=reason]', '已补齐1-10月台账');
    await page.fill(report + ' textarea', JSON.stringify({ item: 'rect-2', evidence: [] }));
    await page.click(report + ' button[type=submit]');
    assert.match(await page.textContent(report + ' .notice.error'), /报告整改情况须附佐证材料/);
    assert.equal((await apiGet(page, instancePath(liuzhou))).version, version);
    await page.fill(report + ' textarea', JSON.stringify({ item: 'rect-2', evidence: ['2026年1-10月统计台账'] }));
    await page.click(report + ' button[type=submit]');
    await page.waitForFunction(() => /已报告 1/.test(document.querySelector('#rectification-summary')?.textContent || ''));
    assert.match(await page.textContent('#rectifications tr[data-item="rect-2"]'),
      new RegExp('已报告整改：liuzhou\\.clerk（被考评单位）' + today + '，已补齐1-10月台账（佐证：2026年1-10月统计台账）'));
    const held = (await apiGet(page, instancePath(liuzhou))).data.rectifications;
    assert.deepEqual(held.map((r) => [r.id, r.status]), [['rect-1', 'open'], ['rect-2', 'reported']]);
  });

  await check('an issued plan is exported as a table with units by name', async () => {
    await switchUser('nanning.clerk', 'nanning pass phrase 2026');
    await openInstance(page, base, nanning);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#plan-csv')]);
    assert.match(download.suggestedFilename(), /^gx-nanning-plan-v1\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    assert.ok(text.startsWith('\ufeff目标类型,一级指标,二级指标,三级指标,具体指标,分值,目标值,牵头考核单位'), text.slice(0, 80));
    assert.match(text, /地区生产总值,21,地区生产总值增速达到自治区下达的年度预期目标,自治区统计局/);
    assert.doesNotMatch(text, /,gx-statistics,/);
  });

  // The working calendar (工作日历). Last in the test: while 2027 is loaded, the checks
  // above that count working days past the end of 2026 would take other branches; the
  // admin withdraws it at the end.
  //
  // A TEST TEXT, NOT THE STATE COUNCIL'S NOTICE: made-up days for 2027, in the layout of
  // the notice as gov.cn publishes it (the weekdays in brackets are right for 2027).
  const TEST_NOTICE_2027 = `国务院办公厅关于2027年部分节假日安排的通知
（测试用虚构文本，并非国务院办公厅的真实通知）
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。2026年12月26日（周六）上班。
二、春节：2月5日（周五）至11日（周四）放假调休，共7天。1月31日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
国务院办公厅
2026年11月1日
`;
  const TEST_SOURCE_2027 = '国务院办公厅关于2027年部分节假日安排的通知（测试用虚构文本）';
  const calendarRows = (selector) => page.$$eval(selector + ' tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.innerText)));
  const openCalendar = async () => {
    await page.click('nav a[data-page=calendar]');
    await page.waitForSelector('#calendar-years');
  };
  const askDay = async (date, days) => {
    await page.fill('#day-date', date);
    await page.fill('#day-count', days);
    await page.click('#calendar-day button[type=submit]');
    return (await (await page.waitForSelector('#day-result .notice')).textContent()).trim();
  };

  await check('an admin pastes next year\'s holiday notice: read as typed, not loadable while a problem stands, in force once loaded', async () => {
    await switchUser('admin', 'admin pass phrase 2026');
    await openCalendar();
    assert.equal(await page.textContent('#calendar-covered'), '2007–2026');
    // A deadline running into 2027 cannot be counted yet: said in Chinese.
    assert.match(await askDay('2026-12-31', '3'), /^工作日历尚未载入 2027 年的节假日安排/);
    // A day count that does not match the days given: listed, nothing to load.
    await page.fill('#notice-text', TEST_NOTICE_2027.replace('放假调休，共7天。1月31日', '放假调休，共8天。1月31日'));
    await page.waitForSelector('#notice-problems li');
    assert.deepEqual(await page.$$eval('#notice-problems li', (li) => li.map((x) => x.textContent)),
      ['“二、春节”写明共 8 天，但读到的放假日期是 7 天。']);
    assert.ok(await page.$eval('#notice-load', (b) => b.disabled), 'no loading with a problem');
    // The year and the source come from the notice's title.
    assert.equal(await page.inputValue('#notice-year'), '2027');
    assert.equal(await page.inputValue('#notice-source'), '国务院办公厅关于2027年部分节假日安排的通知');
    await page.fill('#notice-text', TEST_NOTICE_2027);
    await page.waitForSelector('#notice-problems', { state: 'detached' });
    assert.deepEqual(await calendarRows('#notice-reading table[data-year="2027"]'), [
      ['元旦', '2027-01-01（周五） 至 2027-01-03（周日）', '3', '2026-12-26（周六）'],
      ['春节', '2027-02-05（周五） 至 2027-02-11（周四）', '7', '2027-01-31（周日）、2027-02-20（周六）'],
      ['清明节', '2027-04-03（周六） 至 2027-04-05（周一）', '3', '—'],
      ['劳动节', '2027-05-01（周六） 至 2027-05-05（周三）', '5', '2027-04-25（周日）、2027-05-08（周六）'],
      ['国庆节', '2027-10-01（周五） 至 2027-10-07（周四）', '7', '2027-09-26（周日）、2027-10-09（周六）'],
    ]);
    assert.match(await page.textContent('#notice-check'), /将新增 2027 年（现已覆盖 2007–2026）[\s\S]*同时调整其他年份的日期：2026-12-26（调休上班）/);
    assert.equal(await page.$('#notice-check .replaces'), null, '2027 is not covered: nothing is replaced');
    await page.fill('#notice-source', TEST_SOURCE_2027);
    await page.fill('#notice-reason', '测试：载入虚构的2027年安排');
    assert.equal(await page.$eval('#notice-load', (b) => b.disabled), false);
    await page.click('#notice-load');
    await page.waitForSelector('#calendar-result .notice.ok');
    assert.equal(await page.textContent('#calendar-result'), '已载入 2027 年；同时调整 2026-12-26；现已覆盖 2007–2027。');
    // The server holds it, as loaded by the admin, and counts with it at once.
    const cal = await apiGet(page, '/api/v1/calendar');
    assert.equal(cal.covered, '2007–2027');
    const y2027 = cal.years.find((y) => y.year === 2027);
    assert.deepEqual([y2027.origin, y2027.loaded_by, y2027.source], ['loaded', 'admin', TEST_SOURCE_2027]);
    assert.deepEqual(y2027.holidays[1], { name: '春节', off: ['2027-02-05..2027-02-11'], work: ['2027-01-31', '2027-02-20'] });
    assert.equal((await apiGet(page, '/api/v1/calendar/day?date=2026-12-31&days=3')).result, '2027-01-06');
    const trail = await apiGet(page, '/api/v1/audit?entity=' + encodeURIComponent('calendar/cn'));
    assert.ok(trail.events.some((e) => e.command === 'load' && e.outcome === 'accepted' && e.actor.user === 'admin' &&
      e.reason === '测试：载入虚构的2027年安排'), JSON.stringify(trail.events));
    // The page shows it now, from the server.
    assert.equal(await page.textContent('#calendar-covered'), '2007–2027');
    assert.equal(await page.inputValue('#calendar-year'), '2027');
    assert.match(await page.textContent('#calendar-year-view dl'), /来历管理员载入[\s\S]*载入人admin[\s\S]*载入时间\d{4}-\d\d-\d\d \d\d:\d\d（北京时间）/);
    assert.equal((await calendarRows('#calendar-holidays')).length, 5);
  });

  await check('a calendar file is read before it is sent: a bad day is listed; the same year again is refused in Chinese', async () => {
    const cal = await apiGet(page, '/api/v1/calendar');
    const year = ({ year: y, source, holidays }) => ({ year: y, source, holidays });
    const doc = { format: 'govassess-calendar/1', region: cal.region, weekend: cal.weekend, years: [year(cal.years.find((y) => y.year === 2027))] };
    const upload = (name, d) => page.setInputFiles('#calendar-file', { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(d, null, 2)) });
    const bad = JSON.parse(JSON.stringify(doc));
    bad.years[0].holidays[1].off = ['2027-02-30'];
    await upload('cn-2027-bad.json', bad);
    await page.waitForSelector('#notice-problems li');
    assert.deepEqual(await page.$$eval('#notice-problems li', (li) => li.map((x) => x.textContent)),
      ['2027 年“春节”的放假日期无法读取（每项为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）。']);
    assert.ok(await page.$eval('#notice-load', (b) => b.disabled));
    await upload('cn-2027.json', doc);
    await page.waitForSelector('#notice-check .notice.info:has-text("cn-2027.json")');
    assert.equal(await page.textContent('#notice-check .replaces'), '将替换现有 2027 年安排（管理员载入），须填写理由。');
    await page.click('#notice-load');
    assert.equal(await page.textContent('#notice-status .notice.error'), '将替换现有 2027 年安排，须填写理由。');
    await page.fill('#notice-reason', '测试：再次载入');
    await page.click('#notice-load');
    await page.waitForSelector('#notice-status .notice.error:has-text("无需载入")');
    assert.equal(await page.textContent('#notice-status .notice.error'), '工作日历中已有与此相同的 2027 年安排，无需载入。');
    assert.equal((await apiGet(page, '/api/v1/calendar')).version, cal.version, 'nothing changed');
  });

  await check('a unit clerk reads the working calendar, looks up days, and may neither load nor withdraw', async () => {
    await switchUser('nanning.clerk', 'nanning pass phrase 2026');
    await openCalendar();
    assert.equal(await page.textContent('#calendar-covered'), '2007–2027');
    assert.equal(await page.$('#calendar-load'), null, 'no load form');
    assert.match(await page.textContent('#calendar-year option[value="2027"]'), /2027 年（管理员载入）/);
    await page.selectOption('#calendar-year', '2027');
    assert.equal(await page.$('#calendar-withdraw'), null, 'no withdrawal');
    await page.selectOption('#calendar-year', '2026');
    assert.match(await page.textContent('#calendar-year-view dl'), /来源国务院办公厅关于2026年部分节假日安排的通知 https:\/\/www\.gov\.cn\/[\s\S]*来历随系统发布/);
    const rows = await calendarRows('#calendar-holidays');
    assert.deepEqual(rows.map((r) => r[0]), ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']);
    assert.deepEqual(rows[6], ['国庆节', '2026-10-01（周四） 至 2026-10-07（周三）', '7', '2026-09-20（周日）、2026-10-10（周六）']);
    assert.equal(await askDay('2026-09-30', '3'), '2026-09-30（周三）是工作日。3 个工作日后是 2026-10-10（周六，国庆节调休上班）。');
    assert.equal(await askDay('2026-12-31', '3'), '2026-12-31（周四）是工作日。3 个工作日后是 2027-01-06（周三）。');
    // Sent anyway, the server refuses it (and journals the refusal); the page would say why in Chinese.
    const refused = await page.evaluate(async () => {
      const r = await fetch('/api/v1/instances/' + encodeURIComponent('calendar/cn') + '/commands/withdraw', { method: 'POST',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'calendar', payload: { year: 2027 }, reason: '试试' }) });
      return [r.status, (await r.json()).error.message];
    });
    assert.equal(refused[0], 403);
    assert.equal(sayInChinese(refused[1]), '只有系统管理员可以撤回工作日历的节假日安排（nanning.clerk 的角色是被考评单位）。');
  });

  await check('the admin withdraws the loaded year with a reason, and the calendar ends with 2026 again', async () => {
    await switchUser('admin', 'admin pass phrase 2026');
    await openCalendar();
    await page.selectOption('#calendar-year', '2026');
    assert.equal(await page.$('#calendar-withdraw'), null, 'a shipped year is not withdrawn');
    await page.selectOption('#calendar-year', '2027');
    await page.click('#withdraw-send');
    assert.equal(await page.textContent('#calendar-year-view .notice.error'), '请填写撤回理由。');
    await page.fill('#withdraw-reason', '测试结束，撤回虚构的2027年安排');
    await page.click('#withdraw-send');
    await page.waitForSelector('#calendar-result .notice.ok');
    assert.equal(await page.textContent('#calendar-result'), '已撤回 2027 年安排；现已覆盖 2007–2026。');
    const cal = await apiGet(page, '/api/v1/calendar');
    assert.equal(cal.covered, '2007–2026');
    assert.ok(!cal.years.some((y) => y.year === 2027));
    assert.equal(await page.$('#calendar-year option[value="2027"]'), null);
    assert.equal(await page.textContent('#calendar-covered'), '2007–2026');
  });

  allHeld(problems);
} catch (e) {
  failed(e, problems, server);
} finally {
  await closeAll(browser, server, dir);
}
