#include "registry/text_normalizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>

namespace govassess::registry {
namespace {

constexpr utf8proc_option_t kNfkcCasefold = static_cast<utf8proc_option_t>(
    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);

// NFKC + case folding + ignorables removed, decoded to code points.
Result<std::u32string> NfkcCodepoints(std::string_view text) {
  std::u32string out;
  if (text.empty()) return out;
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &mapped, kNfkcCasefold);
  if (n < 0) {
    return Status::InvalidArgument("text is not valid UTF-8 (" + std::string(utf8proc_errmsg(n)) +
                                   ")");
  }
  out.reserve(static_cast<size_t>(n));
  utf8proc_ssize_t pos = 0;
  while (pos < n) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t len = utf8proc_iterate(mapped + pos, n - pos, &cp);
    if (len <= 0) break;  // cannot happen: utf8proc_map produced valid UTF-8
    out.push_back(static_cast<char32_t>(cp));
    pos += len;
  }
  std::free(mapped);
  return out;
}

bool IsLetterOrNumber(char32_t cp) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

std::u32string KeepLettersAndNumbers(const std::u32string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    if (IsLetterOrNumber(cp)) out.push_back(cp);
  }
  return out;
}

bool IsAsciiDigit(char32_t cp) { return cp >= U'0' && cp <= U'9'; }

bool IsChineseDigit(char32_t cp) {
  return std::u32string_view(U"〇零一二三四五六七八九").find(cp) != std::u32string_view::npos;
}

bool IsSpace(char32_t cp) { return cp == U' ' || cp == U'\t' || cp == U'\u3000'; }

bool IsRangeSeparator(char32_t cp) {
  return std::u32string_view(U"-‐‑‒–—―~〜至到/").find(cp) != std::u32string_view::npos;
}

// If a year starts at `i`, returns the index just past it (and past a following
// 年 or 年度); otherwise returns `i`.
size_t MatchSingleYear(const std::u32string& t, size_t i) {
  const size_t n = t.size();
  if (i + 4 <= n && IsAsciiDigit(t[i])) {
    if (i > 0 && IsAsciiDigit(t[i - 1])) return i;
    for (size_t k = i; k < i + 4; ++k) {
      if (!IsAsciiDigit(t[k])) return i;
    }
    if (i + 4 < n && IsAsciiDigit(t[i + 4])) return i;
    const bool plausible = (t[i] == U'1' && t[i + 1] == U'9') || (t[i] == U'2' && t[i + 1] == U'0');
    if (!plausible) return i;
    size_t end = i + 4;
    if (end < n && t[end] == U'年') {
      ++end;
      if (end < n && t[end] == U'度') ++end;
    }
    return end;
  }
  if (i + 5 <= n && IsChineseDigit(t[i])) {
    if (i > 0 && IsChineseDigit(t[i - 1])) return i;
    for (size_t k = i; k < i + 4; ++k) {
      if (!IsChineseDigit(t[k])) return i;
    }
    if (t[i + 4] != U'年') return i;  // a Chinese-numeral year needs its 年
    size_t end = i + 5;
    if (end < n && t[end] == U'度') ++end;
    return end;
  }
  return i;
}

// Removes years and year ranges ("2025-2026年度", "2025年至2026年").
std::u32string StripYears(const std::u32string& t) {
  std::u32string out;
  out.reserve(t.size());
  size_t i = 0;
  while (i < t.size()) {
    size_t end = MatchSingleYear(t, i);
    if (end == i) {
      out.push_back(t[i]);
      ++i;
      continue;
    }
    // Optional range: spaces, a separator, spaces, a second year.
    size_t j = end;
    while (j < t.size() && IsSpace(t[j])) ++j;
    if (j < t.size() && IsRangeSeparator(t[j])) {
      size_t k = j + 1;
      while (k < t.size() && IsSpace(t[k])) ++k;
      size_t second = MatchSingleYear(t, k);
      if (second != k) end = second;
    }
    i = end;
  }
  return out;
}

}  // namespace

TextNormalizer::TextNormalizer(const NormalizerOptions& options)
    : strip_years_(options.strip_years) {
  auto canonical = [](const std::string& word) -> std::u32string {
    Result<std::u32string> cps = NfkcCodepoints(word);
    if (!cps.ok()) return {};
    return KeepLettersAndNumbers(*cps);
  };
  for (const auto& [from, to] : options.synonyms) {
    AddWord(synonyms_, canonical(from), canonical(to));
  }
  for (const auto& word : options.boilerplate) AddWord(removals_, canonical(word), {});
  for (const auto& word : options.place_names) AddWord(removals_, canonical(word), {});
}

void TextNormalizer::AddWord(WordTable& table, std::u32string from, std::u32string to) {
  if (from.empty()) return;
  auto& group = table[from[0]];
  auto same = std::find_if(group.begin(), group.end(),
                           [&](const auto& entry) { return entry.first == from; });
  if (same != group.end()) {
    same->second = std::move(to);  // a later entry wins
    return;
  }
  group.emplace_back(std::move(from), std::move(to));
  std::stable_sort(group.begin(), group.end(),
                   [](const auto& x, const auto& y) { return x.first.size() > y.first.size(); });
}

std::u32string TextNormalizer::ReplaceLongestFirst(const std::u32string& text,
                                                   const WordTable& table) {
  if (table.empty()) return text;
  std::u32string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    auto group = table.find(text[i]);
    bool replaced = false;
    if (group != table.end()) {
      for (const auto& [from, to] : group->second) {
        if (text.compare(i, from.size(), from) == 0) {
          out += to;
          i += from.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) {
      out.push_back(text[i]);
      ++i;
    }
  }
  return out;
}

Result<std::u32string> TextNormalizer::NormalizeCodepoints(std::string_view text) const {
  Result<std::u32string> cps = NfkcCodepoints(text);
  if (!cps.ok()) return cps.status();
  std::u32string t = strip_years_ ? StripYears(*cps) : std::move(cps).value();
  t = KeepLettersAndNumbers(t);
  t = ReplaceLongestFirst(t, synonyms_);
  t = ReplaceLongestFirst(t, removals_);
  return t;
}

Result<std::string> TextNormalizer::Normalize(std::string_view text) const {
  Result<std::u32string> cps = NormalizeCodepoints(text);
  if (!cps.ok()) return cps.status();
  std::string out;
  out.reserve(cps->size() * 3);
  utf8proc_uint8_t buf[4];
  for (char32_t cp : *cps) {
    utf8proc_ssize_t len = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
  }
  return out;
}

std::vector<BigramKey> TextNormalizer::Bigrams(const std::u32string& normalized) {
  std::vector<BigramKey> keys;
  if (normalized.size() == 1) {
    keys.push_back(static_cast<BigramKey>(normalized[0]) << 21);
    return keys;
  }
  keys.reserve(normalized.size());
  for (size_t i = 0; i + 1 < normalized.size(); ++i) {
    keys.push_back((static_cast<BigramKey>(normalized[i]) << 21) |
                   static_cast<BigramKey>(normalized[i + 1]));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

Result<std::vector<BigramKey>> TextNormalizer::TextBigrams(std::string_view text) const {
  Result<std::u32string> cps = NormalizeCodepoints(text);
  if (!cps.ok()) return cps.status();
  return Bigrams(*cps);
}

double DiceSimilarity(const std::vector<BigramKey>& a, const std::vector<BigramKey>& b) {
  if (a.empty() && b.empty()) return 0.0;
  size_t shared = 0;
  auto x = a.begin();
  auto y = b.begin();
  while (x != a.end() && y != b.end()) {
    if (*x < *y) {
      ++x;
    } else if (*y < *x) {
      ++y;
    } else {
      ++shared;
      ++x;
      ++y;
    }
  }
  return 2.0 * static_cast<double>(shared) / static_cast<double>(a.size() + b.size());
}

Result<double> TextSimilarity(const TextNormalizer& normalizer, std::string_view a,
                              std::string_view b) {
  std::vector<BigramKey> sets[2];
  std::string_view texts[2] = {a, b};
  for (int k = 0; k < 2; ++k) {
    Result<std::vector<BigramKey>> keys = normalizer.TextBigrams(texts[k]);
    if (!keys.ok()) {
      // Do not echo the text: it is not valid UTF-8.
      return Status::InvalidArgument(std::string(k == 0 ? "first" : "second") +
                                     " text: " + keys.status().message());
    }
    if (keys->empty()) {
      return Status::InvalidArgument("'" + std::string(texts[k]) +
                                     "' has nothing left to compare after normalisation "
                                     "(only boilerplate, years, place names or punctuation)");
    }
    sets[k] = std::move(keys).value();
  }
  return DiceSimilarity(sets[0], sets[1]);
}

}  // namespace govassess::registry
