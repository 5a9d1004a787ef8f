#include "engine/canonical_json.h"
#include "engine/types.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <random>

using namespace govassess;

namespace {

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// Strings that exercise escaping: ASCII, controls, quotes, CJK, 4-byte UTF-8, and
// invalid UTF-8 (lone continuation bytes, overlong forms, surrogates, truncation).
const std::vector<std::string>& Strings() {
  static const std::vector<std::string> kStrings = {"",
                                                    "a",
                                                    "plain ascii text",
                                                    "with \"quotes\" and \\ backslash",
                                                    "tab\there\nnewline\r",
                                                    std::string("nul\0byte", 8),
                                                    "\x01\x02\x1f\x7f",
                                                    "中文 完成情况良好",
                                                    "emoji \xF0\x9F\x98\x80",
                                                    "bad \x80 continuation",
                                                    "overlong \xC0\xAF",
                                                    "surrogate \xED\xA0\x80",
                                                    "truncated \xE4\xB8",
                                                    "too big \xF4\x90\x80\x80",
                                                    "\xFF\xFE",
                                                    "/slash~tilde",
                                                    "key/with~1escapes~0",
                                                    "\xE2\x80\xA8"};
  return kStrings;
}

Json RandomValue(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> kind(0, depth > 3 ? 6 : 8);
  const auto& strings = Strings();
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  switch (kind(rng)) {
    case 0:
      return nullptr;
    case 1:
      return pick(2) == 0;
    case 2:
      return int64_t(rng()) - int64_t(rng());
    case 3:
      return uint64_t(rng()) << 20;
    case 4: {
      const double values[] = {0.0, -0.0, 1.0, 900.0, 0.1, 1e300, -2.5e-8, 630.0000001, 1.0 / 3};
      return values[pick(9)];
    }
    case 5:
    case 6:
      return strings[pick(strings.size())];
    case 7: {
      Json a = Json::array();
      for (size_t i = pick(5); i > 0; --i) a.push_back(RandomValue(rng, depth + 1));
      return a;
    }
    default: {
      Json o = Json::object();
      for (size_t i = pick(6); i > 0; --i)
        o[strings[pick(strings.size())]] = RandomValue(rng, depth + 1);
      return o;
    }
  }
}

// A copy of `v` with a few random edits: values replaced, keys added or removed,
// arrays grown or shrunk, an integer swapped for the equal float.
Json Mutate(const Json& v, std::mt19937& rng, int depth = 0) {
  std::uniform_int_distribution<int> coin(0, 9);
  if (coin(rng) == 0) return RandomValue(rng, depth);
  if (v.is_number_integer() && coin(rng) < 3) return double(v.get<int64_t>());
  Json out = v;
  if (out.is_object()) {
    for (auto& [key, value] : out.items()) {
      if (coin(rng) < 3) value = Mutate(value, rng, depth + 1);
    }
    if (coin(rng) < 2)
      out[Strings()[size_t(coin(rng)) % Strings().size()]] = RandomValue(rng, depth + 1);
    if (!out.empty() && coin(rng) < 2) out.erase(out.begin());
  } else if (out.is_array()) {
    for (auto& value : out) {
      if (coin(rng) < 3) value = Mutate(value, rng, depth + 1);
    }
    if (coin(rng) < 3) out.push_back(RandomValue(rng, depth + 1));
    if (out.size() > 1 && coin(rng) < 3) out.erase(out.begin() + 1, out.end());
  }
  return out;
}

}  // namespace

TEST_CASE("a string's text is nlohmann's wherever in it a byte needs care") {
  // Every length up to past two 16-byte blocks, with one byte (or sequence) that needs
  // escaping, checking or replacing at every position of plain ASCII.
  const std::vector<std::string> specials = {"\"",         "\\",         std::string(1, '\0'),
                                             "\x1f",       "\x7f",        "\xc3\xa9",
                                             "\xe4\xb8\x80", "\xf0\x9f\x98\x80", "\xff",
                                             "\xe4\xb8",     "\xc0\xaf"};
  for (size_t length = 0; length <= 40; ++length) {
    for (size_t at = 0; at <= length; ++at) {
      for (const std::string& special : specials) {
        std::string text(length, 'x');
        text.insert(at, special);
        const Json j(text);
        if (CanonicalJson(j) != Dump(j)) FAIL(Dump(j));
      }
    }
  }
}

TEST_CASE("Chinese text is nlohmann's too, with any byte or sequence anywhere in it") {
  // Runs of three-byte characters take their own path: every length up to past two
  // 16-byte blocks, each special inserted at every byte offset — between characters,
  // and inside one, which breaks it.
  const std::vector<std::string> specials = {
      "",         "\"",       "\\",       "\n",       "a",         "\xc3\xa9",
      "\xe0\xa0\x80", "\xe0\x80\x80", "\xed\x9f\xbf", "\xed\xa0\x80", "\xef\xbc\x8c",
      "\xf0\x9f\x98\x80", "\xe4",       "\xe4\xb8",  "\xb8",      "\xff"};
  const std::string han = "\xe4\xb8\xad";  // 中
  for (size_t chars = 0; chars <= 12; ++chars) {
    std::string run;
    for (size_t k = 0; k < chars; ++k) run += han;
    for (size_t at = 0; at <= run.size(); ++at) {
      for (const std::string& special : specials) {
        std::string text = run;
        text.insert(at, special);
        const Json j(text);
        if (CanonicalJson(j) != Dump(j)) FAIL(Dump(j));
      }
    }
  }
}

TEST_CASE("canonical JSON is byte for byte nlohmann's replace-mode dump") {
  for (const std::string& s : Strings()) {
    INFO(Dump(Json(s)));
    CHECK(CanonicalJson(Json(s)) == Dump(Json(s)));
  }
  for (double d :
       {0.0, -0.0, 1.0, 900.0, 0.1, 1e-7, 1e21, 123456789.125,
        std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    CHECK(CanonicalJson(Json(d)) == Dump(Json(d)));
  }
  for (int64_t i : {int64_t(0), int64_t(-1), std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    CHECK(CanonicalJson(Json(i)) == Dump(Json(i)));
  }
  CHECK(CanonicalJson(Json(std::numeric_limits<uint64_t>::max())) ==
        Dump(Json(std::numeric_limits<uint64_t>::max())));
  // Every special byte at every position of longer strings (they are scanned in words).
  for (const std::string special :
       {"\"", "\\", "\n", "\x1f", "\x7f", "\xC3\xA9", "\xE4\xB8\xAD", "\x80"}) {
    for (size_t at = 0; at < 24; ++at) {
      std::string s(24, 'a');
      s.insert(at, special);
      INFO(at);
      CHECK(CanonicalJson(Json(s)) == Dump(Json(s)));
    }
  }
  // …and of short strings, whose last bytes are scanned as one padded word.
  for (const std::string special :
       {"\"", "\\", "\n", "\x01", "\x7f", "\xC3\xA9", "\xE4\xB8\xAD", "\x80"}) {
    for (size_t length = 0; length < 10; ++length) {
      for (size_t at = 0; at <= length; ++at) {
        std::string s(length, 'k');
        s.insert(at, special);
        INFO(length << " " << at);
        CHECK(CanonicalJson(Json(s)) == Dump(Json(s)));
      }
    }
  }
  std::mt19937 rng(20261121);
  for (int n = 0; n < 2000; ++n) {
    const Json v = RandomValue(rng, 0);
    INFO(Dump(v));
    REQUIRE(CanonicalJson(v) == Dump(v));
  }
}

TEST_CASE("the written JSON patch is Json::diff operation for operation") {
  CHECK([] {
    std::string s;
    AppendJsonDiff(&s, Json{{"a", 1}}, Json{{"a", 1}});
    return s;
  }() == "[]");
  // Array shrink (removals last index first), growth ("/-"), escaped keys, 1 == 1.0.
  const Json before = {{"list", {1, 2, 3, 4}}, {"a/b", 1}, {"n", 1}, {"gone", true}};
  const Json after = {{"list", {1, 5}}, {"a/b", 2}, {"n", 1.0}, {"new~", {{"x", 1}}}};
  for (const auto& [s, t] : std::vector<std::pair<Json, Json>>{{before, after}, {after, before}}) {
    std::string out;
    AppendJsonDiff(&out, s, t);
    CHECK(out == Dump(Json::diff(s, t)));
  }
  std::mt19937 rng(42);
  for (int n = 0; n < 3000; ++n) {
    const Json s = RandomValue(rng, 0);
    const Json t = Mutate(s, rng);
    std::string out;
    std::ptrdiff_t growth = -12345;
    AppendJsonDiff(&out, s, t, &growth);
    INFO(Dump(s) << "\n→ " << Dump(t));
    REQUIRE(out == Dump(Json::diff(s, t)));
    // The growth in size is what walking both values says, from the differences alone.
    REQUIRE(growth == std::ptrdiff_t(ApproxTextBytes(t)) - std::ptrdiff_t(ApproxTextBytes(s)));
    // And the patch rebuilds the target (when the text can say what the values are:
    // not for NaN or invalid UTF-8, which the text replaces).
    if (Json::parse(Dump(s)) == s && Json::parse(Dump(t)) == t) {
      CHECK(s.patch(Json::parse(out)) == t);
    }
  }
}

TEST_CASE("event times are written as gmtime and printf write them") {
  auto slow = [](int64_t ms) {
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int millis = int(ms - secs * 1000);
    std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return std::string(buf);
  };
  std::mt19937_64 rng(7);
  std::vector<int64_t> cases = {0,
                                -1,
                                1,
                                999,
                                -999,
                                -1000,
                                1'700'000'000'123,
                                951'782'400'000,
                                -62'167'219'200'000,
                                -62'167'219'200'001,
                                253'402'300'799'999,
                                253'402'300'800'000,
                                4'102'444'800'000};
  for (int i = 0; i < 20000; ++i)
    cases.push_back(int64_t(rng() % 600'000'000'000'000ULL) - 300'000'000'000'000);
  for (int64_t ms : cases) {
    INFO(ms);
    REQUIRE(FormatUtcMillis(ms) == slow(ms));
  }
}

TEST_CASE("ReleaseJson empties a tree, keeps its kind, and takes any depth") {
  Json data = Json::parse(R"({"a": {"b": [1, "two", {"c": null}], "d": "longer than fifteen"},
                              "e": [[], {}, [[3]]], "f": 4.5})");
  ReleaseJson(&data);
  CHECK(data == Json::object());
  Json list = Json::array({Json::object({{"k", Json::array({1, 2})}}), "x"});
  ReleaseJson(&list);
  CHECK(list == Json::array());
  Json scalar = "left as it is";
  ReleaseJson(&scalar);
  CHECK(scalar == "left as it is");
  Json null;
  ReleaseJson(&null);
  CHECK(null.is_null());

  // Deeper than the recursion goes: the rest is nlohmann's (iterative) destructor's.
  Json deep = Json::array();
  Json* at = &deep;
  for (int i = 0; i < 100000; ++i) {
    at->push_back(Json::object({{"n", i}, {"next", Json::array()}}));
    at = &(*at)[0]["next"];
  }
  ReleaseJson(&deep);
  CHECK(deep == Json::array());

  // An instance and a timer free their trees that way, and copies are unaffected.
  Instance original;
  original.data = Json::parse(R"({"x": {"y": [1, 2, 3]}})");
  {
    Instance copy = original;
    Instance moved = std::move(copy);
    CHECK(moved.data == original.data);
  }
  CHECK(original.data == Json::parse(R"({"x": {"y": [1, 2, 3]}})"));
  Timer t;
  t.payload = {{"then", Json::array({Json::object({{"due_ms", 1}})})}};
  Timer u = t;
  t = Timer{};
  CHECK(u.payload["then"][0]["due_ms"] == 1);
}

TEST_CASE("Member reads a member in place, and null where value(key, Json()) would give it") {
  const Json object = Json::parse(R"({"report": {"x": [1, 2]}, "n": 3})");
  CHECK(&Member(object, "report") == &object["report"]);  // the member itself, no copy
  CHECK(Member(object, "n") == 3);
  CHECK(Member(object, "missing").is_null());
  CHECK(Member(Json::array({1}), "report").is_null());
  CHECK(Member(Json("text"), "report").is_null());
  for (const char* key : {"report", "n", "missing"}) {
    CHECK(Member(object, key) == object.value(key, Json()));
  }
}
