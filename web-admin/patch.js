// An instance's data rebuilt from its journal, change by change, so that each change can
// be shown as before and after: the journal's change records hold the data at creation
// and, for every later version, a JSON Patch (RFC 6902: add, remove, replace, with
// JSON Pointer paths; what engine/canonical_json writes). Pure functions, no page.

// "/scores/functional/indicators/0" → ["scores", "functional", "indicators", "0"]
export function pointer(path) {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error('not a JSON Pointer: ' + path);
  return path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

function parentOf(doc, tokens, path) {
  let node = doc;
  for (const t of tokens.slice(0, -1)) {
    if (node === null || typeof node !== 'object' || !(t in node)) throw new Error('no ' + path);
    node = node[t];
  }
  if (node === null || typeof node !== 'object') throw new Error('no ' + path);
  return node;
}

// Applies `ops` to a copy of `doc`. Returns {doc, diffs}: the new document and, for every
// operation, {op, path, before, after} (undefined where there was or is nothing). Throws
// when an operation does not fit the document (a journal that does not replay).
export function applyPatch(doc, ops) {
  let out = clone(doc);
  const diffs = [];
  for (const { op, path, value } of ops) {
    const tokens = pointer(path);
    if (!tokens.length) {
      diffs.push({ op, path, before: out, after: op === 'remove' ? undefined : clone(value) });
      out = op === 'remove' ? undefined : clone(value);
      continue;
    }
    const parent = parentOf(out, tokens, path);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(parent)) {
      const i = key === '-' ? parent.length : Number(key);
      if (!Number.isInteger(i) || i < 0 || i > parent.length || (op !== 'add' && i >= parent.length)) throw new Error('no ' + path);
      const before = op === 'add' ? undefined : parent[i];
      if (op === 'add') parent.splice(i, 0, clone(value));
      else if (op === 'remove') parent.splice(i, 1);
      else if (op === 'replace') parent[i] = clone(value);
      else throw new Error('unknown op ' + op);
      diffs.push({ op, path, before: clone(before), after: op === 'remove' ? undefined : clone(value) });
    } else {
      if (op !== 'add' && !(key in parent)) throw new Error('no ' + path);
      const before = parent[key];
      if (op === 'add' || op === 'replace') parent[key] = clone(value);
      else if (op === 'remove') delete parent[key];
      else throw new Error('unknown op ' + op);
      diffs.push({ op, path, before: clone(before), after: op === 'remove' ? undefined : clone(value) });
    }
  }
  return { doc: out, diffs };
}

// Follows one instance through journal events (oldest first, as the audit API lists an
// entity's): for each event, what it did to that instance — {from, to, version, created,
// diffs} — or null when it wrote nothing there (a refusal, or another instance's event).
// Keeps the data between calls, so pages of events can be fed in turn. An event that
// does not replay (the first events not seen, say) stops the before values: `diffs`
// then carry the after values alone and `gap` is set.
export function instanceReplayer(id) {
  let data;
  let known = false;
  return (event) => {
    const entry = ((event.change && event.change.instances) || []).find((i) => i.id === id);
    if (!entry) return null;
    const step = { from: entry.from, to: entry.to, version: entry.version, created: false, diffs: [], gap: false };
    if (entry.create !== undefined) {
      step.created = true;
      data = clone(entry.create);
      known = true;
      step.diffs = Object.keys(entry.create || {}).sort().map((k) => ({ op: 'add', path: '/' + k, before: undefined, after: entry.create[k] }));
      return step;
    }
    const ops = entry.patch || [];
    if (known) {
      try {
        const r = applyPatch(data, ops);
        data = r.doc;
        step.diffs = r.diffs;
        return step;
      } catch (e) {
        known = false;
      }
    }
    step.gap = true;
    step.diffs = ops.map(({ op, path, value }) => ({ op, path, before: undefined, after: op === 'remove' ? undefined : value }));
    return step;
  };
}
