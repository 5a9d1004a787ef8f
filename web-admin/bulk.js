// Routine steps sent to many assessments at once (批量处理): the commands a role may send
// that need nothing but the step itself — no content, no reason required (issuing the
// approved plans, opening the self-assessments, publishing the scored results, ratifying,
// archiving) — each offered with the assessments now in the state it is sent from.
// Steps that decide something about one unit (a return, an appeal's decision, scores)
// are not routine: they are sent on the unit's own page. Pure: no page, no API.

// Whether a catalogue command (GET /api/v1/workflows/<type>) is a routine step for `role`.
export function isRoutine(command, role) {
  const properties = (command.payload || {}).properties || {};
  return !command.system && !command.reason_required && (command.roles || []).includes(role) &&
    (command.states || []).length > 0 && Object.keys(properties).length === 0;
}

// The routine steps of `catalogue` for `role`, in the catalogue's order, each with the
// instances now in one of its states (in their order): [{command, targets}], only those
// with at least one target.
export function routineSteps(catalogue, role, instances) {
  return ((catalogue || {}).commands || []).filter((c) => isRoutine(c, role))
    .map((c) => ({ command: c, targets: instances.filter((i) => c.states.includes(i.state)) }))
    .filter((s) => s.targets.length > 0);
}

// What became of each instance a step was sent to ({inst, ok, state?, message?}): counts
// and the refused ones first, so that what needs attention is read first.
export function bulkReport(outcomes) {
  const done = outcomes.filter((o) => o.ok);
  const refused = outcomes.filter((o) => !o.ok);
  return { done: done.length, refused: refused.length, lines: [...refused, ...done] };
}
