// Next year's work plan from this year's (工作方案): the same target types, categories,
// windows and grade rules, every date a year later, the year in its texts moved on. The
// office reviews it before creating the cycle; the server checks it as any other. Pure.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

// "2026-04-30" → "2027-04-30"; 29 February becomes the 28th in a year without it.
export function laterDay(day, years = 1) {
  const m = DAY.exec(day);
  if (!m) return day;
  const y = Number(m[1]) + years;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const d = m[2] === '02' && m[3] === '29' && !leap ? '28' : m[3];
  return String(y).padStart(4, '0') + '-' + m[2] + '-' + d;
}

// The configuration a year on: every YYYY-MM-DD value moved, `year` moved, and the
// year written in strings (2026年度, 2026年) moved in names and notes.
export function nextCycleConfig(config, years = 1) {
  const from = Number(config.year);
  const moveText = (s) => s.replace(/(\d{4})(?=年)/g, (y) => (Number(y) >= from - 1 && Number(y) <= from + 1 ? String(Number(y) + years) : y));
  const walk = (v, key) => {
    if (typeof v === 'string') return DAY.test(v) ? laterDay(v, years) : key === 'name' || key === 'note' ? moveText(v) : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  const out = walk(config, '');
  out.year = from + years;
  return out;
}
