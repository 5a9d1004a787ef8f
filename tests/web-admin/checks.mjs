// The node tests' way of reporting: each check by name as it holds; the first that does
// not throws, and node exits non-zero with its assertion.
let held = 0;

export function check(what, f) {
  f();
  held += 1;
  console.log('ok   ' + what);
}

export function done() {
  console.log(`all ${held} checks hold`);
}
