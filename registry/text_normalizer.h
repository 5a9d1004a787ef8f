// TextNormalizer: turns a short Chinese name or indicator text into the canonical
// form that duplicate review compares, and that form into character bigrams.
//
// Normalisation, in this order (docs/duplicate-review.md):
//   1. Unicode NFKC with case folding (libutf8proc): full-width Ａ１（ become A1(,
//      Latin is lower-cased, default-ignorable code points (zero-width space, …) go.
//   2. Years are removed: "2026", "2026年", "2026年度", "2025-2026年度",
//      "2025年至2026年", "二〇二六年". A year is four digits 1900–2099 that are not
//      part of a longer number.
//   3. Everything that is not a letter or a number (Unicode categories L*, N*) is
//      removed: punctuation, symbols, spaces.
//   4. Synonyms are replaced, longest match first, left to right (考评 → 考核).
//   5. Boilerplate words and place names are removed, longest match first, left to
//      right (考核, 工作, 专项, 年度, 全区, 南宁市, …).
// The configured words themselves go through steps 1 and 3, so a full-width or
// upper-case word in configuration still matches.
//
// Bigrams: every pair of adjacent code points of the normalised text, as a set; a
// text of one code point yields that single code point (a unigram); an empty text
// yields nothing. Pieces left after removing a word are joined, so bigrams bridge the
// gap ("安全生产工作目标" → "安全生产目标" → …, 产目, …).
//
// Thread safety: a TextNormalizer is immutable after construction; all methods are
// const and may be called from several threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/status.h"

namespace govassess::registry {

struct NormalizerOptions {
  // from → to, applied before boilerplate is removed. A later pair with the same
  // `from` wins.
  std::vector<std::pair<std::string, std::string>> synonyms;
  // Words removed wherever they occur (after synonyms).
  std::vector<std::string> boilerplate;
  // Place names, removed like boilerplate (kept apart so configuration reads well).
  std::vector<std::string> place_names;
  // Remove years (step 2). On by default.
  bool strip_years = true;
};

// A bigram or unigram as one integer: (first << 21) | second, second = 0 for a
// unigram. Code points are < 2^21 and never 0 after normalisation.
using BigramKey = std::uint64_t;

class TextNormalizer {
 public:
  // Words that normalise to nothing (e.g. "、") are ignored; so is a synonym whose
  // `from` normalises to nothing.
  explicit TextNormalizer(const NormalizerOptions& options);
  TextNormalizer(const TextNormalizer&) = default;
  TextNormalizer& operator=(const TextNormalizer&) = default;

  // Returns the normalised text as UTF-8 (possibly empty: "年度工作考核" is all
  // boilerplate). Fails with InvalidArgument if `text` is not valid UTF-8.
  Result<std::string> Normalize(std::string_view text) const;

  // Same as Normalize, as code points.
  Result<std::u32string> NormalizeCodepoints(std::string_view text) const;

  // Sorted, distinct bigram keys of normalised code points (see above).
  static std::vector<BigramKey> Bigrams(const std::u32string& normalized);

  // Normalize then Bigrams.
  Result<std::vector<BigramKey>> TextBigrams(std::string_view text) const;

 private:
  // Words grouped by first code point, longest first within a group.
  using WordTable =
      std::unordered_map<char32_t, std::vector<std::pair<std::u32string, std::u32string>>>;

  static void AddWord(WordTable& table, std::u32string from, std::u32string to);
  static std::u32string ReplaceLongestFirst(const std::u32string& text, const WordTable& table);

  WordTable synonyms_;  // from → to
  WordTable removals_;  // boilerplate and place names → ""
  bool strip_years_ = true;
};

// Dice coefficient of two sorted, distinct key sets: 2|A∩B| / (|A|+|B|), in [0, 1].
// Two empty sets give 0 (callers that must refuse empty input check it themselves).
double DiceSimilarity(const std::vector<BigramKey>& a, const std::vector<BigramKey>& b);

// Similarity of two texts under `normalizer`: Dice over their bigram sets.
// Fails with InvalidArgument, naming the text, if either is not valid UTF-8 or has
// nothing left after normalisation (e.g. "考核工作").
Result<double> TextSimilarity(const TextNormalizer& normalizer, std::string_view a,
                              std::string_view b);

}  // namespace govassess::registry
