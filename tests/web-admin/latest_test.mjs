// A page's loader whose calls overlap (web-admin/dom.js, latest) without a browser: a
// late answer to an earlier call draws nothing over a newer one, whichever order the
// answers come in. usage: node latest_test.mjs <source dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { check, done } from './checks.mjs';

const { latest } = await import(join(process.argv[2], 'web-admin/dom.js'));

// A loader that waits for its answer by hand and draws what it got, if still current.
function rig() {
  const drawn = [];
  const answers = [];
  const load = latest(async (current, filter) => {
    const answer = await new Promise((resolve) => answers.push(resolve));
    if (current()) drawn.push(filter + ':' + answer);
  });
  return { drawn, answers, load };
}

const results = [];
async function later(what, f) {
  await f();
  results.push(what);
}

await later('an earlier call answered last draws nothing', async () => {
  const { drawn, answers, load } = rig();
  const first = load('all');
  const second = load('refused');
  answers[1]('2 rows');
  await second;
  answers[0]('200 rows');
  await first;
  assert.deepEqual(drawn, ['refused:2 rows']);
});

await later('answers in order: only the newest draws', async () => {
  const { drawn, answers, load } = rig();
  const first = load('all');
  const second = load('refused');
  answers[0]('200 rows');
  answers[1]('2 rows');
  await Promise.all([first, second]);
  assert.deepEqual(drawn, ['refused:2 rows']);
});

await later('calls that do not overlap each draw, and arguments pass through', async () => {
  const { drawn, answers, load } = rig();
  const first = load('all');
  answers[0]('200 rows');
  await first;
  const second = load('refused');
  answers[1]('2 rows');
  await second;
  assert.deepEqual(drawn, ['all:200 rows', 'refused:2 rows']);
});

for (const what of results) check(what, () => {});
done();
