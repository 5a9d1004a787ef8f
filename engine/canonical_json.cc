#include "engine/canonical_json.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace govassess {
namespace {

std::string NlohmannDump(const Json& v) {
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The length of the well-formed UTF-8 sequence starting at p (Unicode table 3-7: no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0 if it is not one.
// nlohmann's decoder accepts exactly these; anything else takes the slow path.
size_t Utf8Sequence(const unsigned char* p, size_t n) {
  const unsigned char c = p[0];
  auto cont = [&](size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i < n && p[i] >= lo && p[i] <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

uint64_t Load8(const unsigned char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// The high bit of each of eight bytes: set in a word that holds a byte >= 0x80.
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// True if one of the eight bytes in w is < 0x20, '"' or '\\' — a byte JSON escapes;
// bytes >= 0x80 are not (the bit tricks are exact for "has a byte less than 0x20" and
// "has a zero byte" whatever the other bytes are).
inline bool NeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  auto has_zero = [](uint64_t v) { return ((v - kOnes) & ~v & kHighBits) != 0; };
  return ((w - kOnes * 0x20) & ~w & kHighBits) != 0 || has_zero(w ^ (kOnes * '"')) ||
         has_zero(w ^ (kOnes * '\\'));
}

// True if one of the eight bytes in w is < 0x20, '"', '\\' or >= 0x80.
bool NeedsCare(uint64_t w) { return (w & kHighBits) != 0 || NeedsEscape(w); }

// Eight bytes that need no care: what a word of fewer bytes is padded with.
constexpr uint64_t kPadding = 0x6161616161616161ULL;

// True when no byte of p[0, n) is one JSON escapes; *non_ascii tells whether any byte is
// >= 0x80. Sixteen bytes at a time, then eight, then the rest padded.
bool NothingToEscape(const unsigned char* p, size_t n, bool* non_ascii) {
  size_t i = 0;
  bool high = false;
#if defined(__SSE2__)
  const __m128i last_control = _mm_set1_epi8(0x1F);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, last_control), v);  // v <= 0x1F
    const __m128i escaped = _mm_or_si128(
        control, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (_mm_movemask_epi8(escaped) != 0) return false;
    high = high || _mm_movemask_epi8(v) != 0;
  }
#endif
  for (; i + 8 <= n; i += 8) {
    const uint64_t w = Load8(p + i);
    if (NeedsEscape(w)) return false;
    high = high || (w & kHighBits) != 0;
  }
  if (i < n) {
    uint64_t w = kPadding;
    std::memcpy(&w, p + i, n - i);
    if (NeedsEscape(w)) return false;
    high = high || (w & kHighBits) != 0;
  }
  *non_ascii = high;
  return true;
}

// True when p[0, n) is well-formed UTF-8 (Utf8Sequence's rules): ASCII eight bytes at a
// time, each multi-byte sequence checked once.
bool WellFormedUtf8(const unsigned char* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    while (i + 8 <= n && (Load8(p + i) & kHighBits) == 0) i += 8;
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Three bytes led by E1–EC or EE–EF (CJK ideographs and punctuation, fullwidth
    // forms) need only two continuation bytes; the rest go by the table.
    if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
        (p[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    const size_t len = Utf8Sequence(p + i, n - i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

// Appends what nlohmann writes for the ASCII byte c (< 0x80) that needs escaping.
void AppendEscape(std::string* out, unsigned char c) {
  switch (c) {
    case '\b':
      out->append("\\b");
      return;
    case '\t':
      out->append("\\t");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\f':
      out->append("\\f");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '"':
      out->append("\\\"");
      return;
    case '\\':
      out->append("\\\\");
      return;
    default: {
      static const char kHex[] = "0123456789abcdef";
      const char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out->append(buf, 6);
    }
  }
}

void AppendNumber(std::string* out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, size_t(r.ptr - buf));
}

void AppendNumber(std::string* out, uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, size_t(r.ptr - buf));
}

void AppendFloat(std::string* out, double x) {
  if (!std::isfinite(x)) {
    out->append("null");
    return;
  }
  std::array<char, 64> buf{};  // nlohmann's number buffer, and its float formatting
  char* end = ::nlohmann::detail::to_chars(buf.data(), buf.data() + buf.size(), x);
  out->append(buf.data(), size_t(end - buf.data()));
}

// ---------------------------------------------------------------------------------
// JSON patch: nlohmann's Json::diff, operation for operation, written as text.
struct PatchOp {
  enum Kind { kAdd, kRemove, kReplace } kind;
  std::string path;
  const Json* value;  // not owned; null for kRemove
};

void AppendPointerToken(std::string* path, const std::string& key) {
  if (key.find_first_of("~/") == std::string::npos) {
    path->append(key);
    return;
  }
  for (char ch : key) {
    if (ch == '~') {
      path->append("~0");
    } else if (ch == '/') {
      path->append("~1");
    } else {
      path->push_back(ch);
    }
  }
}

// The path to where the walk is, kept as the keys and indexes that lead there; the
// text is only written for an operation (most of a document is unchanged).
class PathStack {
 public:
  void PushKey(const std::string& key) { segments_.push_back({&key, 0}); }
  void PushIndex(size_t index) { segments_.push_back({nullptr, index}); }
  void Pop() { segments_.pop_back(); }
  // The JSON pointer, with `last` ("-" for an append, or an index) appended if given.
  std::string Text(const char* last = nullptr) const {
    std::string path;
    for (const Segment& s : segments_) {
      path.push_back('/');
      if (s.key != nullptr) {
        AppendPointerToken(&path, *s.key);
      } else {
        path.append(std::to_string(s.index));
      }
    }
    if (last != nullptr) {
      path.push_back('/');
      path.append(last);
    }
    return path;
  }

 private:
  struct Segment {
    const std::string* key;  // null: an array index
    size_t index;
  };
  std::vector<Segment> segments_;
};

// Json::diff compares the whole subtree at every level before it recurses; the result
// is the same if only leaves are compared: equal containers yield no operations
// either way, and for leaves (and values of different types) `==` decides as it does
// there (1 == 1.0 is no change). `growth`, when given, gains the change in
// ApproxTextBytes that each operation makes: a member is its key plus 4 bytes plus its
// value, an element 1 byte plus its value.
// Whether s and t are leaves (not containers) that Diff finds equal: most of a
// document is unchanged, and these need no path pushed and no call.
bool SameLeaf(const Json& s, const Json& t) {
  if (s.is_structured() || t.is_structured()) return false;
  if (s.is_string() && t.is_string()) {
    return s.get_ref<const std::string&>() == t.get_ref<const std::string&>();
  }
  return s == t;
}

void Diff(const Json& s, const Json& t, PathStack* path, std::vector<PatchOp>* ops,
          std::ptrdiff_t* growth) {
  auto size = [](const Json& v) { return std::ptrdiff_t(ApproxTextBytes(v)); };
  if (s.is_object() && t.is_object()) {
    const auto& so = s.get_ref<const Json::object_t&>();
    const auto& to = t.get_ref<const Json::object_t&>();
    auto remove = [&](const Json::object_t::value_type& member) {
      path->PushKey(member.first);
      ops->push_back(PatchOp{PatchOp::kRemove, path->Text(), nullptr});
      path->Pop();
      if (growth != nullptr) {
        *growth -= std::ptrdiff_t(member.first.size()) + 4 + size(member.second);
      }
    };
    bool added = false;  // keys only the target has; they come last, in key order
    auto si = so.begin(), ti = to.begin();
    // One merged walk over both (sorted) maps: source keys in order (recurse or
    // remove), then the keys only the target has (add), as Json::diff orders them.
    while (si != so.end() && ti != to.end()) {
      const int order = si->first.compare(ti->first);
      if (order < 0) {
        remove(*si++);
      } else if (order > 0) {
        added = true;
        ++ti;
      } else {
        if (!SameLeaf(si->second, ti->second)) {
          path->PushKey(si->first);
          Diff(si->second, ti->second, path, ops, growth);
          path->Pop();
        }
        ++si;
        ++ti;
      }
    }
    for (; si != so.end(); ++si) remove(*si);
    if (added || ti != to.end()) {
      for (ti = to.begin(), si = so.begin(); ti != to.end(); ++ti) {
        int order = 1;
        while (si != so.end() && (order = si->first.compare(ti->first)) < 0) ++si;
        if (si != so.end() && order == 0) continue;
        path->PushKey(ti->first);
        ops->push_back(PatchOp{PatchOp::kAdd, path->Text(), &ti->second});
        path->Pop();
        if (growth != nullptr) *growth += std::ptrdiff_t(ti->first.size()) + 4 + size(ti->second);
      }
    }
    return;
  }
  if (s.is_array() && t.is_array()) {
    size_t i = 0;
    for (; i < s.size() && i < t.size(); ++i) {
      if (SameLeaf(s[i], t[i])) continue;
      path->PushIndex(i);
      Diff(s[i], t[i], path, ops, growth);
      path->Pop();
    }
    // Removals of the source's extra elements, last first (as Json::diff inserts them).
    const size_t end_index = ops->size();
    for (; i < s.size(); ++i) {
      ops->insert(ops->begin() + std::ptrdiff_t(end_index),
                  PatchOp{PatchOp::kRemove, path->Text(std::to_string(i).c_str()), nullptr});
      if (growth != nullptr) *growth -= 1 + size(s[i]);
    }
    for (; i < t.size(); ++i) {
      ops->push_back(PatchOp{PatchOp::kAdd, path->Text("-"), &t[i]});
      if (growth != nullptr) *growth += 1 + size(t[i]);
    }
    return;
  }
  if (s == t) return;
  ops->push_back(PatchOp{PatchOp::kReplace, path->Text(), &t});
  if (growth != nullptr) *growth += size(t) - size(s);
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  const size_t start = out->size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  // Most strings — keys, ids, dates, Chinese names and targets — are copied as they are:
  // one pass finds nothing to escape, a second checks the UTF-8 of those not all ASCII.
  // The careful loop below, for the rest, goes one character at a time past every byte
  // >= 0x80.
  bool non_ascii = false;
  if (NothingToEscape(p, n, &non_ascii) && (!non_ascii || WellFormedUtf8(p, n))) {
    out->reserve(start + n + 2);
    out->push_back('"');
    out->append(s.data(), n);
    out->push_back('"');
    return;
  }
  out->push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < n;) {
#if defined(__SSE2__)
    // Sixteen bytes at a time to the first control character, '"', '\\' or non-ASCII
    // byte (as signed bytes, a control character and a non-ASCII byte are below 0x20).
    while (i + 16 <= n) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const __m128i care =
          _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
      const int mask = _mm_movemask_epi8(care);
      if (mask != 0) {
        i += size_t(__builtin_ctz(unsigned(mask)));
        break;
      }
      i += 16;
    }
#endif
    // Eight bytes at a time while none is a control character, '"', '\\' or non-ASCII.
    while (i + 8 <= n && !NeedsCare(Load8(p + i))) i += 8;
    if (i < n && n - i < 8) {
      // The last few bytes (most keys are all of them) as one word, padded with 'a's.
      uint64_t w = kPadding;
      std::memcpy(&w, p + i, n - i);
      if (!NeedsCare(w)) i = n;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (c >= 0x20 && c != '"' && c != '\\') {
        ++i;
        continue;
      }
      out->append(s.data() + run, i - run);
      AppendEscape(out, c);
      run = ++i;
      continue;
    }
    const size_t len = Utf8Sequence(p + i, n - i);
    if (len == 0) {
      // Invalid UTF-8: nlohmann's replacement rules, exactly.
      out->resize(start);
      out->append(NlohmannDump(Json(std::string(s))));
      return;
    }
    i += len;
  }
  out->append(s.data() + run, n - run);
  out->push_back('"');
}

void AppendJsonInt(std::string* out, int64_t value) { AppendNumber(out, value); }

void AppendJson(std::string* out, const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      out->append("null");
      return;
    case Json::value_t::boolean:
      out->append(v.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::number_integer:
      AppendNumber(out, v.get<int64_t>());
      return;
    case Json::value_t::number_unsigned:
      AppendNumber(out, v.get<uint64_t>());
      return;
    case Json::value_t::number_float:
      AppendFloat(out, v.get<double>());
      return;
    case Json::value_t::string:
      AppendJsonString(out, v.get_ref<const std::string&>());
      return;
    case Json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, value] : v.get_ref<const Json::object_t&>()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(out, key);
        out->push_back(':');
        AppendJson(out, value);
      }
      out->push_back('}');
      return;
    }
    case Json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const Json& value : v.get_ref<const Json::array_t&>()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJson(out, value);
      }
      out->push_back(']');
      return;
    }
    default:  // binary, discarded: never stored; let nlohmann say what they are
      out->append(NlohmannDump(v));
      return;
  }
}

std::string CanonicalJson(const Json& value) {
  std::string out;
  AppendJson(&out, value);
  return out;
}

size_t ApproxTextBytes(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      size_t n = 2;
      for (const auto& [key, member] : value.get_ref<const Json::object_t&>()) {
        n += key.size() + 4 + ApproxTextBytes(member);
      }
      return n;
    }
    case Json::value_t::array: {
      size_t n = 2;
      for (const Json& element : value.get_ref<const Json::array_t&>()) {
        n += 1 + ApproxTextBytes(element);
      }
      return n;
    }
    case Json::value_t::string:
      return value.get_ref<const std::string&>().size() + 2;
    default:
      return 8;
  }
}

void AppendJsonDiff(std::string* out, const Json& before, const Json& after,
                    std::ptrdiff_t* approx_growth) {
  std::vector<PatchOp> ops;
  PathStack path;
  if (approx_growth != nullptr) *approx_growth = 0;
  Diff(before, after, &path, &ops, approx_growth);
  // Canonical form of each operation object: keys "op" < "path" < "value".
  out->push_back('[');
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i > 0) out->push_back(',');
    const PatchOp& op = ops[i];
    out->append(op.kind == PatchOp::kAdd      ? "{\"op\":\"add\",\"path\":"
                : op.kind == PatchOp::kRemove ? "{\"op\":\"remove\",\"path\":"
                                              : "{\"op\":\"replace\",\"path\":");
    AppendJsonString(out, op.path);
    if (op.value != nullptr) {
      out->append(",\"value\":");
      AppendJson(out, *op.value);
    }
    out->push_back('}');
  }
  out->push_back(']');
}

namespace {

void ReleaseBelow(Json* j, int depth) noexcept {
  if (depth >= 64) return;  // deeper: nlohmann's destructor, which takes any depth
  if (j->is_object()) {
    auto& members = j->get_ref<Json::object_t&>();
    for (auto& member : members) {
      if (member.second.is_structured()) ReleaseBelow(&member.second, depth + 1);
    }
    members.clear();
  } else if (j->is_array()) {
    auto& items = j->get_ref<Json::array_t&>();
    for (Json& item : items) {
      if (item.is_structured()) ReleaseBelow(&item, depth + 1);
    }
    items.clear();
  }
}

}  // namespace

void ReleaseJson(Json* j) noexcept { ReleaseBelow(j, 0); }

const Json& Member(const Json& object, std::string_view key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  const auto& members = object.get_ref<const Json::object_t&>();
  const auto it = members.find(key);
  return it != members.end() ? it->second : kNull;
}

}  // namespace govassess
