// Duplicate review: normaliser, similarity, index, merge, configuration, and the
// labelled corpus in tests/data (precision and recall of likely_duplicate).
#include "registry/duplicate_review.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "registry/text_normalizer.h"

namespace govassess::registry {
namespace {

using Json = nlohmann::json;

const TextNormalizer& DefaultNormalizer() {
  static const TextNormalizer normalizer(DefaultDuplicateConfig().ToNormalizerOptions());
  return normalizer;
}

std::string Norm(const TextNormalizer& n, const std::string& text) {
  Result<std::string> r = n.Normalize(text);
  REQUIRE(r.ok());
  return *r;
}

ReviewItem Item(std::string id, std::string name, std::vector<std::string> indicators,
                ReviewItemKind kind = ReviewItemKind::kLicensed) {
  ReviewItem item;
  item.id = std::move(id);
  item.kind = kind;
  item.name = std::move(name);
  item.lead = "自治区某厅";
  item.indicators = std::move(indicators);
  return item;
}

// A small registry used by several cases.
void AddSmallRegistry(DuplicateIndex& index) {
  REQUIRE(
      index
          .Add(Item("ZX-1", "食品安全工作评议考核",
                    {"食品安全党政同责落实", "食品抽检合格率", "食品安全风险监测", "校园食品安全"}))
          .ok());
  REQUIRE(index
              .Add(Item("ZX-2", "安全生产目标管理考核",
                        {"生产安全事故死亡人数控制", "较大以上生产安全事故", "安全生产责任制落实",
                         "重大事故隐患排查治理"}))
              .ok());
  REQUIRE(index
              .Add(Item("ZX-3", "优化营商环境专项考核",
                        {"开办企业便利度", "获得电力便利度", "纳税便利度", "执行合同效率"}))
              .ok());
  REQUIRE(index
              .Add(Item("SQ-1", "民族团结进步创建工作考评",
                        {"民族团结进步示范单位创建", "铸牢中华民族共同体意识宣传教育",
                         "各民族交往交流交融"},
                        ReviewItemKind::kPending))
              .ok());
  REQUIRE(index
              .Add(Item("ZB-1", "法治建设", {"法治政府建设", "行政执法规范化", "普法责任制"},
                        ReviewItemKind::kComprehensiveIndicator))
              .ok());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

// ---- Normaliser --------------------------------------------------------------------

TEST_CASE("normaliser: default configuration, table of cases", "[registry][normalizer]") {
  struct Case {
    const char* input;
    const char* expected;
    const char* why;
  };
  // clang-format off
  const Case cases[] = {
    {"ＡＢＣ１２３",                                 "abc123",             "full-width Latin and digits to half-width, lower case"},
    {"ＧＤＰ增长",                                   "gdp增长",            "full-width upper case folded"},
    {"细颗粒物（ＰＭ２．５）平均浓度",                 "细颗粒物pm25平均浓度", "full-width punctuation removed"},
    {"食品安全、药品安全；疫苗！",                     "食品安全药品安全疫苗", "Chinese punctuation removed"},
    {"乡村 振兴\t实绩",                              "乡村振兴",           "whitespace removed, 实绩 is boilerplate"},
    {"２０２６年度优化营商环境工作专项考核",            "优化营商环境",        "year, 工作, 专项, 考核 stripped"},
    {"2026年乡村振兴实绩考核",                        "乡村振兴",           "year with 年"},
    {"2025-2026年度法治政府建设考评",                  "法治政府建设",        "year range"},
    {"2025年至2026年信访工作目标考核",                 "信访",               "year range with 至"},
    {"二〇二六年乡村振兴实绩考核",                     "乡村振兴",           "Chinese-numeral year"},
    {"2026优化营商环境",                             "优化营商环境",        "bare year"},
    {"12345政务服务便民热线",                         "12345政务服务便民热线", "five digits are not a year"},
    {"3000元以上",                                   "3000元以上",          "four digits outside 1900-2099 are not a year"},
    {"南宁市安全生产目标管理考核",                     "安全生产",           "place name and boilerplate"},
    {"平安广西建设考评",                              "平安建设",           "place name inside the text"},
    {"全区民族团结进步创建工作考评",                   "民族团结进步创建",     "全区, 工作, 考评"},
    {"双拥工作考评",                                  "拥军优属拥政爱民",     "synonym 双拥"},
    {"河湖长制",                                      "河长制湖长制",        "synonym 河湖长制"},
    {"食\u200b品安全",                                "食品安全",           "zero-width space ignored"},
    {"年度专项工作考核",                              "",                   "only boilerplate"},
    {"",                                             "",                   "empty"},
  };
  // clang-format on
  for (const Case& c : cases) {
    INFO(c.why << ": " << c.input);
    CHECK(Norm(DefaultNormalizer(), c.input) == c.expected);
  }
}

TEST_CASE("normaliser: synonyms apply before boilerplate, longest match first",
          "[registry][normalizer]") {
  NormalizerOptions options;
  options.synonyms = {{"考评", "考核"}, {"测评", "考核"}, {"测评体系", "指标体系"}};
  TextNormalizer synonyms_only(options);
  CHECK(Norm(synonyms_only, "民族团结进步创建工作考评") == "民族团结进步创建工作考核");
  CHECK(Norm(synonyms_only, "文明城市测评") == "文明城市考核");
  CHECK(Norm(synonyms_only, "文明城市测评体系") == "文明城市指标体系");  // longest first

  options.boilerplate = {"考核"};
  TextNormalizer with_boilerplate(options);
  CHECK(Norm(with_boilerplate, "信访考评") == "信访");  // 考评 → 考核 → removed

  NormalizerOptions longest;
  longest.boilerplate = {"安全", "安全生产"};
  CHECK(Norm(TextNormalizer(longest), "安全生产监管") == "监管");

  NormalizerOptions full_width_words;
  full_width_words.boilerplate = {"ＡＢ"};  // configured words are normalised too
  CHECK(Norm(TextNormalizer(full_width_words), "ab评估") == "评估");

  NormalizerOptions keep_years;
  keep_years.strip_years = false;
  CHECK(Norm(TextNormalizer(keep_years), "2026年度考核") == "2026年度考核");
}

TEST_CASE("normaliser: invalid UTF-8 is an error", "[registry][normalizer]") {
  Result<std::string> r = DefaultNormalizer().Normalize(std::string("\xff\xfe考核", 8));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidArgument);
  CHECK(r.status().message().find("UTF-8") != std::string::npos);
}

TEST_CASE("bigrams: pairs as a set, unigram for one character", "[registry][normalizer]") {
  CHECK(TextNormalizer::Bigrams(U"").empty());
  CHECK(TextNormalizer::Bigrams(U"访").size() == 1);
  CHECK(TextNormalizer::Bigrams(U"信访").size() == 1);
  CHECK(TextNormalizer::Bigrams(U"信访信访").size() == 2);  // 信访, 访信, 信访 → a set of 2
  CHECK(TextNormalizer::Bigrams(U"营商环境").size() == 3);
  CHECK(TextNormalizer::Bigrams(U"访") != TextNormalizer::Bigrams(U"信访"));
}

// ---- Similarity --------------------------------------------------------------------

TEST_CASE("similarity: identical, disjoint, partial, empty", "[registry][similarity]") {
  const TextNormalizer& n = DefaultNormalizer();
  Result<double> same = TextSimilarity(n, "食品抽检合格率", "食品抽检合格率");
  REQUIRE(same.ok());
  CHECK(*same == Approx(1.0));

  Result<double> same_after_normalising =
      TextSimilarity(n, "２０２６年食品抽检合格率", "食品抽检合格率。");
  REQUIRE(same_after_normalising.ok());
  CHECK(*same_after_normalising == Approx(1.0));

  Result<double> disjoint = TextSimilarity(n, "森林覆盖率", "信访事项办结");
  REQUIRE(disjoint.ok());
  CHECK(*disjoint == Approx(0.0));

  // 食品安全 / 药品安全: {食品,品安,安全} vs {药品,品安,安全} → 2·2/6.
  Result<double> partial = TextSimilarity(n, "食品安全", "药品安全");
  REQUIRE(partial.ok());
  CHECK(*partial == Approx(2.0 / 3.0));

  Result<double> empty = TextSimilarity(n, "", "食品安全");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().code() == Code::kInvalidArgument);

  Result<double> boilerplate = TextSimilarity(n, "食品安全", "年度专项工作考核");
  REQUIRE_FALSE(boilerplate.ok());
  CHECK(boilerplate.status().message().find("年度专项工作考核") != std::string::npos);
  CHECK(boilerplate.status().message().find("nothing left") != std::string::npos);
}

TEST_CASE("similarity: dice and name score", "[registry][similarity]") {
  CHECK(DiceSimilarity({}, {}) == 0.0);
  CHECK(DiceSimilarity({1, 2, 3}, {1, 2, 3}) == Approx(1.0));
  CHECK(DiceSimilarity({1, 2, 3}, {4, 5}) == Approx(0.0));
  CHECK(DiceSimilarity({1, 2, 3, 4}, {3, 4}) == Approx(2.0 * 2 / 6));
  // Name score: mean of dice and overlap; containment counts.
  CHECK(NameScore(3, 3, 3) == Approx(1.0));
  CHECK(NameScore(0, 3, 5) == Approx(0.0));
  CHECK(NameScore(3, 3, 7) == Approx((0.6 + 1.0) / 2));  // 食品安全 ⊂ 食品安全党政同责
  CHECK(NameScore(2, 0, 5) == 0.0);
}

// ---- Index -------------------------------------------------------------------------

TEST_CASE("index: add validates and refuses duplicates without changing anything",
          "[registry][index]") {
  DuplicateIndex index;
  REQUIRE(index.Add(Item("ZX-1", "食品安全工作评议考核", {"食品抽检合格率"})).ok());

  Status dup = index.Add(Item("ZX-1", "药品安全考核", {"药品抽检合格率"}));
  CHECK(dup.code() == Code::kConflict);
  CHECK(dup.message().find("ZX-1") != std::string::npos);

  CHECK(index.Add(Item("", "药品安全考核", {})).code() == Code::kInvalidArgument);

  Status boilerplate = index.Add(Item("ZX-2", "2026年度专项工作考核", {"食品抽检合格率"}));
  CHECK(boilerplate.code() == Code::kInvalidArgument);
  CHECK(boilerplate.message().find("nothing left") != std::string::npos);

  Status bad_utf8 = index.Add(Item("ZX-3", "药品安全", {std::string("\xc3\x28", 2)}));
  CHECK(bad_utf8.code() == Code::kInvalidArgument);
  CHECK(bad_utf8.message().find("indicator 0") != std::string::npos);

  CHECK(index.size() == 1);
  CHECK(index.Find("ZX-2") == nullptr);
  REQUIRE(index.Find("ZX-1") != nullptr);
  CHECK(index.Find("ZX-1")->name == "食品安全工作评议考核");
}

TEST_CASE("index: check finds a near-duplicate, best first, with overlaps", "[registry][index]") {
  DuplicateIndex index;
  AddSmallRegistry(index);

  Result<std::vector<DuplicateMatch>> r = index.Check(
      "２０２６年度食品安全评议考评", {"食品抽检合格率（%）", "校园食品安全", "餐饮油烟治理"});
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->empty());
  const DuplicateMatch& top = r->front();
  CHECK(top.id == "ZX-1");
  CHECK(top.kind == ReviewItemKind::kLicensed);
  CHECK(top.name_score == Approx(1.0));
  CHECK(top.level == DuplicateLevel::kLikelyDuplicate);
  // Two of three candidate indicators overlap; each reported once, in order.
  REQUIRE(top.overlaps.size() == 2);
  CHECK(top.overlaps[0].candidate == "食品抽检合格率（%）");
  CHECK(top.overlaps[0].existing == "食品抽检合格率");
  CHECK(top.overlaps[0].score == Approx(1.0));
  CHECK(top.overlaps[1].candidate == "校园食品安全");
  CHECK(top.overlaps[1].existing == "校园食品安全");
  // indicator score: best(c) = 1, 1, 0 on the application side; on the item side
  // 食品抽检合格率 1, 校园食品安全 1, and 0.5 each for 食品安全风险监测 and
  // 食品安全党政同责(落实) — both share 食品安全 with 校园食品安全 (dice 6/12). Over
  // 3 + 4 indicators: (2 + 3) / 7.
  CHECK(top.indicator_score == Approx(5.0 / 7.0));
  for (size_t k = 1; k < r->size(); ++k) CHECK((*r)[k - 1].score >= (*r)[k].score);
  Json json = MatchToJson(top);
  CHECK(json["level"] == "likely_duplicate");
  CHECK(json["kind"] == "licensed");
  CHECK(json["overlaps"].size() == 2);
}

TEST_CASE("index: same indicators under another name are a duplicate", "[registry][index]") {
  DuplicateIndex index;
  AddSmallRegistry(index);
  Result<std::vector<DuplicateMatch>> r = index.Check(
      "企业发展软环境评价", {"纳税便利度", "开办企业便利度", "执行合同效率", "获得电力便利度"});
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->empty());
  CHECK(r->front().id == "ZX-3");
  CHECK(r->front().name_score < 0.4);
  CHECK(r->front().indicator_score == Approx(1.0));
  CHECK(r->front().level == DuplicateLevel::kLikelyDuplicate);
}

TEST_CASE("index: sharing only boilerplate is not a duplicate", "[registry][index]") {
  DuplicateIndex index;
  AddSmallRegistry(index);
  Result<std::vector<DuplicateMatch>> r =
      index.Check("全区2026年度茉莉花产业发展专项考核工作", {"茉莉花种植面积", "花农增收"});
  REQUIRE(r.ok());
  for (const DuplicateMatch& m : *r) CHECK(m.level == DuplicateLevel::kDistinct);
}

TEST_CASE("index: name-only checks and items without indicators", "[registry][index]") {
  DuplicateIndex index;
  REQUIRE(index.Add(Item("ZB-9", "信访工作", {})).ok());
  REQUIRE(index.Add(Item("ZX-9", "信访积案化解考核", {"信访积案化解率"})).ok());
  Result<std::vector<DuplicateMatch>> r = index.Check("信访工作目标考评", {});
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK(r->front().id == "ZB-9");
  CHECK(r->front().score == Approx(1.0));  // no indicators: score = name score
  CHECK(r->front().indicator_score == 0.0);

  Result<std::vector<DuplicateMatch>> empty = index.Check("年度专项工作考核", {"信访积案化解率"});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().code() == Code::kInvalidArgument);

  Result<std::vector<DuplicateMatch>> none = index.Check("茉莉花产业发展", {"茉莉花种植面积"});
  REQUIRE(none.ok());
  CHECK(none->empty());  // no match is not an error
}

TEST_CASE("index: levels follow the configured thresholds", "[registry][index]") {
  // The same application scored under three configurations.
  const std::string name = "食品安全党政同责考核";
  const std::vector<std::string> indicators = {"食品抽检合格率", "食品安全风险监测评估"};
  auto level_under = [&](double likely, double review) {
    Json json{{"likely_duplicate", likely}, {"needs_review", review}};
    Result<DuplicateConfig> config = ParseDuplicateConfig(json);
    REQUIRE(config.ok());
    DuplicateIndex index(*config);
    AddSmallRegistry(index);
    Result<std::vector<DuplicateMatch>> r = index.Check(name, indicators);
    REQUIRE(r.ok());
    REQUIRE_FALSE(r->empty());
    REQUIRE(r->front().id == "ZX-1");
    return std::make_pair(r->front().score, r->front().level);
  };
  auto [score, level] = level_under(0.6, 0.4);
  CHECK(score > 0.5);
  CHECK(score < 0.95);
  CHECK(level_under(score, 0.1).second == DuplicateLevel::kLikelyDuplicate);  // >= is likely
  CHECK(level_under(0.99, score).second == DuplicateLevel::kNeedsReview);
  CHECK(level_under(0.99, 0.98).second == DuplicateLevel::kDistinct);
  (void)level;
}

TEST_CASE("index: top_k limits and orders matches — ties by name score then id",
          "[registry][index]") {
  Result<DuplicateConfig> config = ParseDuplicateConfig(Json{{"top_k", 2}});
  REQUIRE(config.ok());
  DuplicateIndex index(*config);
  REQUIRE(index.Add(Item("B", "森林防火", {"森林火灾受害率"})).ok());
  REQUIRE(index.Add(Item("A", "森林防火", {"森林火灾受害率"})).ok());
  REQUIRE(index.Add(Item("C", "森林防火宣传", {"森林火灾受害率"})).ok());
  REQUIRE(index.Add(Item("D", "森林资源", {"林地保有量"})).ok());
  Result<std::vector<DuplicateMatch>> r = index.Check("森林防火考核", {"森林火灾受害率"});
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0].id == "A");  // equal scores: id breaks the tie
  CHECK((*r)[1].id == "B");
  CHECK((*r)[0].score == Approx(1.0));
}

TEST_CASE("index: remove takes an item out — its slot is reused", "[registry][index]") {
  DuplicateIndex index;
  AddSmallRegistry(index);
  const std::vector<std::string> indicators = {"生产安全事故死亡人数控制", "安全生产责任制落实"};
  Result<std::vector<DuplicateMatch>> before = index.Check("安全生产考核", indicators);
  REQUIRE(before.ok());
  REQUIRE_FALSE(before->empty());
  CHECK(before->front().id == "ZX-2");

  REQUIRE(index.Remove("ZX-2").ok());
  CHECK(index.Remove("ZX-2").code() == Code::kNotFound);
  CHECK(index.Find("ZX-2") == nullptr);
  CHECK(index.size() == 4);
  Result<std::vector<DuplicateMatch>> after = index.Check("安全生产考核", indicators);
  REQUIRE(after.ok());
  for (const DuplicateMatch& m : *after) CHECK(m.id != "ZX-2");

  // A new item takes the freed slots and is found, with its own indicators.
  REQUIRE(index.Add(Item("ZX-7", "道路交通安全考核", {"道路交通事故死亡人数", "交通违法行为查处"}))
              .ok());
  Result<std::vector<DuplicateMatch>> reused =
      index.Check("道路交通安全工作考评", {"道路交通事故死亡人数"});
  REQUIRE(reused.ok());
  REQUIRE_FALSE(reused->empty());
  CHECK(reused->front().id == "ZX-7");
  REQUIRE(reused->front().overlaps.size() == 1);
  CHECK(reused->front().overlaps[0].existing == "道路交通事故死亡人数");
}

TEST_CASE("index: exclude_id leaves an application out of its own check", "[registry][index]") {
  DuplicateIndex index;
  AddSmallRegistry(index);
  const ReviewItem* pending = index.Find("SQ-1");
  REQUIRE(pending != nullptr);
  Result<std::vector<DuplicateMatch>> with_self = index.Check(pending->name, pending->indicators);
  REQUIRE(with_self.ok());
  CHECK(with_self->front().id == "SQ-1");
  CHECK(with_self->front().kind == ReviewItemKind::kPending);
  Result<std::vector<DuplicateMatch>> without =
      index.Check(pending->name, pending->indicators, "SQ-1");
  REQUIRE(without.ok());
  for (const DuplicateMatch& m : *without) CHECK(m.id != "SQ-1");
}

TEST_CASE("index: comprehensive indicators are compared and reported by kind",
          "[registry][index]") {
  DuplicateIndex index;
  AddSmallRegistry(index);
  Result<std::vector<DuplicateMatch>> r =
      index.Check("法治建设考评", {"法治政府建设", "行政执法规范化"});
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->empty());
  CHECK(r->front().id == "ZB-1");
  CHECK(r->front().kind == ReviewItemKind::kComprehensiveIndicator);
  CHECK(r->front().level == DuplicateLevel::kLikelyDuplicate);
}

TEST_CASE("index: concurrent checks give the same answers", "[registry][index]") {
  DuplicateIndex index;
  AddSmallRegistry(index);
  const std::vector<std::string> indicators = {"食品抽检合格率", "校园食品安全"};
  Result<std::vector<DuplicateMatch>> expected = index.Check("食品安全考核", indicators);
  REQUIRE(expected.ok());
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 200; ++k) {
        auto r = index.Check("食品安全考核", indicators);
        if (!r.ok() || r->size() != expected->size() || r->front().id != expected->front().id ||
            r->front().score != expected->front().score) {
          ++mismatches[static_cast<size_t>(t)];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int m : mismatches) CHECK(m == 0);
}

// ---- MergeIndicators ---------------------------------------------------------------

TEST_CASE("merge: union with near-duplicates removed", "[registry][merge]") {
  const std::vector<std::string> a = {"食品抽检合格率", "校园食品安全", "食品安全风险监测"};
  const std::vector<std::string> b = {"２０２６年食品抽检合格率（%）", "食品安全风险监测评估",
                                      "食品安全示范城市创建", "校园食品安全"};
  Result<std::vector<std::string>> merged = MergeIndicators(a, b, 0.6);
  REQUIRE(merged.ok());
  const std::vector<std::string> expected = {"食品抽检合格率", "校园食品安全", "食品安全风险监测",
                                             "食品安全示范城市创建"};
  CHECK(*merged == expected);

  // Duplicates inside one list go too; with threshold 1 only identical texts merge.
  Result<std::vector<std::string>> within =
      MergeIndicators({"信访事项按期办结率", "信访事项按期办结率。"}, {}, 1.0);
  REQUIRE(within.ok());
  CHECK(within->size() == 1);
  Result<std::vector<std::string>> strict =
      MergeIndicators({"信访事项按期办结率"}, {"信访事项办结率"}, 1.0);
  REQUIRE(strict.ok());
  CHECK(strict->size() == 2);

  // Texts that normalise to nothing are compared exactly.
  Result<std::vector<std::string>> blank =
      MergeIndicators({"工作情况", "工作情况"}, {"年度考核"}, 0.6);
  REQUIRE(blank.ok());
  CHECK(*blank == std::vector<std::string>{"工作情况", "年度考核"});
}

TEST_CASE("merge: bad threshold or text is an error", "[registry][merge]") {
  CHECK(MergeIndicators({"a"}, {"b"}, 0.0).status().code() == Code::kInvalidArgument);
  CHECK(MergeIndicators({"a"}, {"b"}, 1.5).status().code() == Code::kInvalidArgument);
  Result<std::vector<std::string>> bad = MergeIndicators({"a"}, {std::string("\xff", 1)}, 0.5);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("second list") != std::string::npos);
}

// ---- Configuration -----------------------------------------------------------------

TEST_CASE("config: defaults, overrides and round trip", "[registry][config]") {
  const DuplicateConfig defaults = DefaultDuplicateConfig();
  CHECK(defaults.likely_duplicate == Approx(0.6));
  CHECK(defaults.needs_review == Approx(0.4));
  CHECK_FALSE(defaults.boilerplate.empty());
  CHECK_FALSE(defaults.place_names.empty());

  Result<DuplicateConfig> parsed = ParseDuplicateConfig(Json::parse(R"({
    "likely_duplicate": 0.7, "needs_review": 0.45, "name_weight": 0.4, "top_k": 3,
    "boilerplate": ["考核"], "synonyms": {"考评": "考核"}, "strip_years": false
  })"));
  REQUIRE(parsed.ok());
  CHECK(parsed->likely_duplicate == Approx(0.7));
  CHECK(parsed->needs_review == Approx(0.45));
  CHECK(parsed->name_weight == Approx(0.4));
  CHECK(parsed->top_k == 3);
  CHECK(parsed->boilerplate == std::vector<std::string>{"考核"});
  CHECK(parsed->place_names == defaults.place_names);  // absent: default kept
  CHECK_FALSE(parsed->strip_years);

  Result<DuplicateConfig> again = ParseDuplicateConfig(DuplicateConfigToJson(*parsed));
  REQUIRE(again.ok());
  CHECK(DuplicateConfigToJson(*again) == DuplicateConfigToJson(*parsed));
}

TEST_CASE("config: errors name the field", "[registry][config]") {
  struct Case {
    const char* json;
    const char* field;
  };
  // clang-format off
  const Case cases[] = {
    {R"([1, 2])",                                        "JSON object"},
    {R"({"likely_duplicat": 0.6})",                      "likely_duplicat"},
    {R"({"likely_duplicate": "0.6"})",                   "likely_duplicate"},
    {R"({"needs_review": 1.2})",                         "needs_review"},
    {R"({"likely_duplicate": 0.3, "needs_review": 0.5})", "needs_review"},
    {R"({"name_weight": -0.1})",                         "name_weight"},
    {R"({"indicator_pair": 0})",                         "indicator_pair"},
    {R"({"top_k": 0})",                                  "top_k"},
    {R"({"top_k": 2.5})",                                "top_k"},
    {R"({"strip_years": "yes"})",                        "strip_years"},
    {R"({"boilerplate": "考核"})",                       "boilerplate"},
    {R"({"place_names": ["南宁", 3]})",                  "place_names"},
    {R"({"synonyms": [["考评", "考核"]]})",              "synonyms"},
    {R"({"synonyms": {"考评": 1}})",                     "synonyms"},
  };
  // clang-format on
  for (const Case& c : cases) {
    INFO(c.json);
    Result<DuplicateConfig> r = ParseDuplicateConfig(Json::parse(c.json));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(r.status().message().find(c.field) != std::string::npos);
  }
}

TEST_CASE("json: items and probes", "[registry][config]") {
  Result<ReviewItem> item = ReviewItemFromJson(Json::parse(
      R"({"id": "ZX-1", "kind": "pending", "name": "禁毒工作考核", "lead": "自治区禁毒办", "indicators": ["禁毒宣传教育"]})"));
  REQUIRE(item.ok());
  CHECK(item->kind == ReviewItemKind::kPending);
  CHECK(item->indicators.size() == 1);

  CHECK(ReviewItemFromJson(Json::parse(R"({"id": "ZX-1", "name": "x"})"))
            .status()
            .message()
            .find("indicators") != std::string::npos);
  CHECK(ReviewItemFromJson(
            Json::parse(R"({"id": "ZX-1", "name": "x", "kind": "approved", "indicators": []})"))
            .status()
            .message()
            .find("approved") != std::string::npos);
  CHECK(ParseReviewItemKind("comprehensive_indicator").ok());

  Result<LabelledProbe> probe = LabelledProbeFromJson(
      Json::parse(R"({"name": "禁毒考核", "indicators": [], "expected": null})"));
  REQUIRE(probe.ok());
  CHECK(probe->expected_id.empty());
  CHECK_FALSE(LabelledProbeFromJson(Json::parse(R"({"name": "禁毒考核", "indicators": []})")).ok());
}

// ---- Corpus ------------------------------------------------------------------------

TEST_CASE("corpus: precision and recall of likely_duplicate on the labelled probes",
          "[registry][corpus]") {
  const Json corpus_json =
      Json::parse(ReadFile(GOVASSESS_SOURCE_DIR "/tests/data/registry_corpus.json"));
  const Json probes_json =
      Json::parse(ReadFile(GOVASSESS_SOURCE_DIR "/tests/data/registry_probes.json"));

  DuplicateIndex index;
  std::set<std::string> ids;
  std::set<std::string> leads;
  int kinds[3] = {0, 0, 0};
  for (const Json& entry : corpus_json.at("items")) {
    Result<ReviewItem> item = ReviewItemFromJson(entry);
    REQUIRE(item.ok());
    CHECK(item->indicators.size() >= 3);
    CHECK(item->indicators.size() <= 8);
    ids.insert(item->id);
    leads.insert(item->lead);
    ++kinds[static_cast<int>(item->kind)];
    REQUIRE(index.Add(std::move(item).value()).ok());
  }
  CHECK(index.size() >= 200);
  CHECK(leads.size() >= 40);
  CHECK(kinds[0] > 0);
  CHECK(kinds[1] > 0);
  CHECK(kinds[2] > 0);

  std::vector<LabelledProbe> probes;
  for (const Json& entry : probes_json.at("probes")) {
    Result<LabelledProbe> probe = LabelledProbeFromJson(entry);
    REQUIRE(probe.ok());
    if (!probe->expected_id.empty()) CHECK(ids.count(probe->expected_id) == 1);
    probes.push_back(std::move(probe).value());
  }
  CHECK(probes.size() >= 80);

  Result<QualityReport> report = EvaluateProbes(index, probes);
  REQUIRE(report.ok());
  Json json = QualityReportToJson(*report);
  INFO(json.dump(1));
  CHECK(report->positives >= 40);
  CHECK(report->negatives >= 30);
  // Floors below the measured 1.00 precision (73/73) and 0.936 recall (73/78); see
  // docs/duplicate-review.md. A change that lowers them needs a look at the errors.
  CHECK(report->precision >= 0.95);
  CHECK(report->recall >= 0.90);

  // Registered items are pairwise non-duplicates: none is a likely duplicate of another.
  for (const Json& entry : corpus_json.at("items")) {
    ReviewItem item = *ReviewItemFromJson(entry);
    Result<std::vector<DuplicateMatch>> r = index.Check(item.name, item.indicators, item.id);
    REQUIRE(r.ok());
    if (!r->empty()) {
      INFO(item.id << " " << item.name << " vs " << r->front().id << " " << r->front().name);
      CHECK(r->front().level != DuplicateLevel::kLikelyDuplicate);
    }
  }
}

}  // namespace govassess::registry
