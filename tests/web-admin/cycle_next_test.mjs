// Next year's work plan from this year's (web-admin/cycle-next.js) without a browser,
// on the shipped 2026 cycles. usage: node cycle_next_test.mjs <source dir>
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const root = process.argv[2];
const { nextCycleConfig, laterDay } = await import(join(root, 'web-admin/cycle-next.js'));
const read = (p) => JSON.parse(readFileSync(join(root, p), 'utf8'));

check('every date a year later, 29 February kept inside February', () => {
  assert.equal(laterDay('2026-04-30'), '2027-04-30');
  assert.equal(laterDay('2024-02-29'), '2025-02-28');
  assert.equal(laterDay('2027-02-28'), '2028-02-28');
  assert.equal(laterDay('not a day'), 'not a day');
});

check('the shipped cycles a year on: dates, year and names moved, everything else as it was', () => {
  for (const file of ['workflows/data/cycle-2026-city.json', 'workflows/data/cycle-2026-department.json']) {
    const cfg = read(file);
    const next = nextCycleConfig(cfg);
    assert.equal(next.year, 2027);
    assert.equal(next.milestones.plan_due, laterDay(cfg.milestones.plan_due));
    assert.deepEqual(next.milestones.adjustment_window, { from: laterDay(cfg.milestones.adjustment_window.from), to: laterDay(cfg.milestones.adjustment_window.to) });
    assert.equal(next.milestones.appeal_window_working_days, cfg.milestones.appeal_window_working_days);
    assert.deepEqual(next.target_types, cfg.target_types);
    assert.deepEqual(next.grade_rules, cfg.grade_rules);
    assert.equal(next.name, cfg.name.replaceAll('2026', '2027'));
    assert.equal(next.source, cfg.source, 'the source document is not renamed');
    const text = JSON.stringify(next);
    assert.ok(!/"2026-\d\d-\d\d"/.test(text), 'no 2026 date left: ' + text.match(/"2026-\d\d-\d\d"/));
    assert.equal(cfg.year, 2026, 'the configuration given is not changed');
  }
});

done();
