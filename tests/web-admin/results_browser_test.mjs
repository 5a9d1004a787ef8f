// A cycle's results (考评结果) in a real browser, on a year the scenario runner played in
// full (tests/scenarios/full_year_cities.json: 14 cities graded, with ties, a total under
// 800, an affirmation and downgrades): the office reads the ranking with the reasons,
// the overrides recorded, and exports the table that is published.
//
// usage: node results_browser_test.mjs <govassess binary> <source dir>
// Needs NODE_PATH to hold playwright-core and Chromium, as admin_browser_test.mjs does.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startServer, launch, check, allHeld, failed, closeAll, playedYear, signIn, openInstance } from './browser.mjs';

const [binary, sourceDir] = process.argv.slice(2);
if (!binary || !sourceDir) {
  console.error('usage: node results_browser_test.mjs <govassess binary> <source dir>');
  process.exit(2);
}
const { parseCsv, CSV_HEADER } = await (async () => {
  const csv = await import(join(sourceDir, 'web-admin', 'plan-csv.js'));
  const results = await import(join(sourceDir, 'web-admin', 'results.js'));
  return { parseCsv: csv.parseCsv, CSV_HEADER: results.CSV_HEADER };
})();

const dir = mkdtempSync(join(tmpdir(), 'govassess-results-'));
const db = join(dir, 'year.db');
const calendar = join(sourceDir, 'calendars', 'cn.json');
let server;
let browser;
let problems = [];
try {
  const password = 'results pass phrase 2025';
  playedYear(binary, sourceDir, db, 'office2025', password);
  server = await startServer(binary, ['--db', db, '--calendar', calendar]);
  const base = `http://127.0.0.1:${server.port}`;
  const launched = await launch();
  browser = launched.browser;
  problems = launched.problems;
  const { page } = launched;
  await signIn(page, base, 'office2025', password);
  await page.waitForSelector('#who');

  await check('the office reads the ranking of a graded category, each grade with its reasons', async () => {
    await openInstance(page, base, 'cycle/2025/city');
    await page.waitForSelector('#results table.results[data-category=cities]');
    assert.match(await page.textContent('#results h3'), /^设区市（14 个单位）$/);
    const rows = await page.$$eval('#results table.results tbody tr', (trs) => trs.map((tr) =>
      ({ cells: [...tr.cells].map((c) => c.innerText.trim()), changed: tr.classList.contains('changed') })));
    assert.equal(rows.length, 14);
    const ranks = rows.map((r) => Number(r.cells[0]));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'by rank');
    // Nanning: first by rank, one grade down for a major problem, the reason with it.
    const nanning = rows.find((r) => r.cells[1].startsWith('南宁市'));
    assert.deepEqual(nanning.cells.slice(0, 5), ['1', '南宁市 gx-nanning', '950', '一等', '二等']);
    assert.ok(nanning.changed, 'a final grade other than the one by rank stands out');
    assert.match(nanning.cells[5], /“设区市”类第 1 名（共 14 个）→ 一等（名额：一等 6、二等 5、三等 3）/);
    assert.match(nanning.cells[5], /因生态环境保护方面的重大问题降等：一等 → 二等（中央环保督察通报；绩效考评领导小组批准）/);
    // Units tied on a total share a rank and say so; a total under 800 fails.
    const tied = rows.filter((r) => /并列/.test(r.cells[5]));
    assert.ok(tied.length >= 2, 'ties are shown: ' + JSON.stringify(rows));
    assert.ok(tied.every((r) => tied.filter((t) => t.cells[0] === r.cells[0]).length >= 2), 'tied units share a rank');
    assert.ok(rows.some((r) => r.cells[4] === '不合格' && /低于 800 分 → 不合格/.test(r.cells[5])), 'a total under 800 fails');
    await page.click('#overrides summary');
    const overrides = await page.$$eval('#overrides tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));
    assert.deepEqual(overrides.map((o) => o.slice(1, 3)), [['一票肯定', ''], ['降等', '安全生产'], ['降等', '生态环境保护']]);
  });

  await check('the results export as the table that is published, one row per unit', async () => {
    assert.match(await page.textContent('#results-csv'), /导出考评结果（CSV，1 个类别）/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#results-csv')]);
    assert.equal(download.suggestedFilename(), 'cycle-2025-city-results.csv');
    const text = readFileSync(await download.path(), 'utf8');
    assert.equal(text.charCodeAt(0), 0xfeff, 'a BOM, as spreadsheets open it');
    const table = parseCsv(text);
    assert.deepEqual(table[0], CSV_HEADER);
    assert.equal(table.length, 15);
    const nanning = table.find((r) => r[5] === 'gx-nanning');
    assert.deepEqual(nanning.slice(0, 9), ['2025', 'cycle/2025/city', '设区市', '1', '南宁市', 'gx-nanning', '950', '一等', '二等']);
    assert.match(nanning[9], /降等/);
    // What the page shows is what the server holds.
    const cycle = await page.evaluate(async () => (await fetch('/api/v1/instances/' + encodeURIComponent('cycle/2025/city'))).json());
    const held = cycle.data.grades.cities;
    assert.deepEqual(table.slice(1).map((r) => [r[5], Number(r[3]), Number(r[6])]),
      held.map((g) => [g.unit, g.rank, g.total]));
  });

  allHeld(problems);
} catch (e) {
  failed(e, problems, server);
} finally {
  await closeAll(browser, server, dir);
}
