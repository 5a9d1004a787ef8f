// Before and after from the journal's change records (web-admin/patch.js) without a
// browser: JSON Patch as engine/canonical_json writes it, and an instance followed
// through its events. usage: node patch_test.mjs <source dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const { applyPatch, pointer, instanceReplayer } = await import(join(process.argv[2], 'web-admin/patch.js'));


check('add, replace and remove on members and array elements, with what each replaced', () => {
  const doc = { state: 'a', list: [1, 2, 3], 'a/b': { '~x': 1 }, keep: { deep: [{ v: 1 }] } };
  const { doc: out, diffs } = applyPatch(doc, [
    { op: 'replace', path: '/state', value: 'b' },
    { op: 'add', path: '/new', value: { x: 1 } },
    { op: 'remove', path: '/list/2' },
    { op: 'add', path: '/list/-', value: 9 },
    { op: 'add', path: '/list/0', value: 0 },
    { op: 'replace', path: '/a~1b/~0x', value: 2 },
    { op: 'remove', path: '/keep/deep/0/v' },
  ]);
  assert.deepEqual(out, { state: 'b', list: [0, 1, 2, 9], 'a/b': { '~x': 2 }, keep: { deep: [{}] }, new: { x: 1 } });
  assert.deepEqual(diffs.map((d) => [d.path, d.before, d.after]), [
    ['/state', 'a', 'b'], ['/new', undefined, { x: 1 }], ['/list/2', 3, undefined], ['/list/-', undefined, 9],
    ['/list/0', undefined, 0], ['/a~1b/~0x', 1, 2], ['/keep/deep/0/v', 1, undefined]]);
  assert.deepEqual(doc.list, [1, 2, 3], 'the document given is not changed');
  assert.deepEqual(pointer('/a~1b/~0x'), ['a/b', '~x']);
  assert.deepEqual(applyPatch({ a: 1 }, [{ op: 'replace', path: '', value: [1] }]).doc, [1]);
});

check('an operation that does not fit the document is an error, not a guess', () => {
  assert.throws(() => applyPatch({}, [{ op: 'remove', path: '/nope' }]), /no \/nope/);
  assert.throws(() => applyPatch({ a: [1] }, [{ op: 'replace', path: '/a/1', value: 2 }]), /no \/a\/1/);
  assert.throws(() => applyPatch({ a: 1 }, [{ op: 'add', path: '/a/b/c', value: 2 }]), /no \/a\/b\/c/);
  assert.throws(() => applyPatch({ a: 1 }, [{ op: 'move', path: '/a' }]), /unknown op/);
  assert.throws(() => pointer('a'), /not a JSON Pointer/);
});

check('an instance followed through its events: creation, changes with before and after, other instances and refusals left out', () => {
  const id = 'lifecycle/2026/city/gx-nanning';
  const replay = instanceReplayer(id);
  const created = replay({ change: { instances: [{ id, from: null, to: 'drafting', version: 1, create: { unit: 'gx-nanning', overdue: [] } },
    { id: 'notices/x', from: null, to: 'active', version: 1, create: {} }] } });
  assert.equal(created.created, true);
  assert.deepEqual(created.diffs.map((d) => [d.path, d.after]), [['/overdue', []], ['/unit', 'gx-nanning']]);
  assert.equal(replay({ change: {} }), null, 'a refusal changes nothing');
  assert.equal(replay({ change: { instances: [{ id: 'plan/x', create: {} }] } }), null);
  const marked = replay({ change: { instances: [{ id, from: 'drafting', to: 'drafting', version: 2,
    patch: [{ op: 'add', path: '/overdue/-', value: 'plan_due' }] }] } });
  assert.deepEqual(marked.diffs, [{ op: 'add', path: '/overdue/-', before: undefined, after: 'plan_due' }]);
  const submitted = replay({ change: { instances: [{ id, from: 'drafting', to: 'submitted', version: 3,
    patch: [{ op: 'remove', path: '/overdue/0' }, { op: 'replace', path: '/unit', value: 'x' }] }] } });
  assert.deepEqual(submitted.diffs.map((d) => [d.path, d.before, d.after]), [['/overdue/0', 'plan_due', undefined], ['/unit', 'gx-nanning', 'x']]);
  assert.equal(submitted.from, 'drafting');
  assert.equal(submitted.to, 'submitted');
  assert.equal(submitted.gap, false);
});

check('without the creation, changes show their after values and say so', () => {
  const replay = instanceReplayer('a');
  const step = replay({ change: { instances: [{ id: 'a', from: 's', to: 't', version: 7, patch: [{ op: 'replace', path: '/x', value: 2 }] }] } });
  assert.equal(step.gap, true);
  assert.deepEqual(step.diffs, [{ op: 'replace', path: '/x', before: undefined, after: 2 }]);
});

done();
