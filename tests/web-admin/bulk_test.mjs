// Routine steps for many assessments (web-admin/bulk.js) without a browser: which
// commands are routine for a role, the assessments each applies to, and the report.
// The catalogue has the shape GET /api/v1/workflows/lifecycle gives (trimmed).
// usage: node bulk_test.mjs <source dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const { isRoutine, routineSteps, bulkReport } = await import(join(process.argv[2], 'web-admin/bulk.js'));

const cmd = (name, roles, states, extra = {}) => ({ name, roles, states, payload: { type: 'object', properties: {} }, ...extra });
const catalogue = {
  commands: [
    cmd('create', ['office', 'admin'], []),
    cmd('submit', ['unit'], ['drafting', 'returned'], { payload: { properties: { plan: {} } } }),
    cmd('return', ['office', 'leader'], ['submitted', 'reviewed'], { reason_required: true }),
    cmd('office_agree', ['office'], ['submitted']),
    cmd('approve', ['leader'], ['reviewed']),
    cmd('issue', ['office'], ['approved']),
    cmd('record_midyear', ['office'], ['in_execution'], { payload: { properties: { findings: {} } } }),
    cmd('open_self_assessment', ['office'], ['in_execution']),
    cmd('close_appeal_window', ['system'], ['published'], { system: true }),
    cmd('archive', ['office', 'admin'], ['ratified']),
  ],
};
const inst = (id, state) => ({ id, state, version: 3, data: {} });
const board = [inst('a', 'submitted'), inst('b', 'in_execution'), inst('c', 'submitted'), inst('d', 'reviewed'), inst('e', 'drafting')];

check('routine: no content, no reason required, not the system\'s, the role\'s, sent from a state', () => {
  const routine = catalogue.commands.filter((c) => isRoutine(c, 'office')).map((c) => c.name);
  assert.deepEqual(routine, ['office_agree', 'issue', 'open_self_assessment', 'archive']);
  assert.deepEqual(catalogue.commands.filter((c) => isRoutine(c, 'leader')).map((c) => c.name), ['approve']);
  assert.deepEqual(catalogue.commands.filter((c) => isRoutine(c, 'unit')).map((c) => c.name), []);
  assert.equal(isRoutine({ name: 'x', roles: ['office'], states: ['s'] }, 'office'), true, 'no payload schema at all');
});

check('each routine step with the assessments now in its state, in board order; steps with none left out', () => {
  const steps = routineSteps(catalogue, 'office', board);
  assert.deepEqual(steps.map((s) => [s.command.name, s.targets.map((t) => t.id)]),
    [['office_agree', ['a', 'c']], ['open_self_assessment', ['b']]]);
  assert.deepEqual(routineSteps(catalogue, 'leader', board).map((s) => s.command.name), ['approve']);
  assert.deepEqual(routineSteps(catalogue, 'unit', board), []);
  assert.deepEqual(routineSteps(null, 'office', board), []);
});

check('the report counts, and lists what was not done first', () => {
  const r = bulkReport([{ inst: board[0], ok: true }, { inst: board[2], ok: false, message: 'x' }, { inst: board[1], ok: true }]);
  assert.deepEqual([r.done, r.refused], [2, 1]);
  assert.deepEqual(r.lines.map((o) => o.inst.id), ['c', 'a', 'b']);
});

done();
