#include "bench/registry_bench.h"

#include "bench/stats.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <utility>

#include <cstdlib>
#include <filesystem>

#include "adapters/sqlite/sqlite_store.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "registry/registry_service.h"
#include "registry/special_assessment_workflow.h"

namespace govassess::bench {
namespace {

using Json = nlohmann::json;
using registry::DuplicateIndex;
using registry::DuplicateLevel;
using registry::LabelledProbe;
using registry::ReviewItem;
using registry::ReviewItemKind;

Result<Json> ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  Json json = Json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::InvalidArgument(path + " is not valid JSON");
  return json;
}

// ---- Synthetic registry ------------------------------------------------------------

const char* const kScopes[] = {
    "县域", "城乡", "基层", "农村",     "城市",     "重点行业", "中小企业",
    "社区", "校园", "边境", "沿海",     "园区",     "山区",     "库区",
    "口岸", "乡镇", "街道", "民族地区", "革命老区", "北部湾",
};

const char* const kTopics[] = {
    "营商环境", "安全生产",     "生态环境",   "食品安全", "药品监管",   "河湖管理", "森林资源",
    "耕地保护", "粮食储备",     "养老服务",   "医疗卫生", "义务教育",   "职业教育", "就业创业",
    "社会保险", "住房保障",     "燃气安全",   "消防安全", "交通运输",   "水利工程", "农田水利",
    "文化遗产", "公共文化",     "体育设施",   "旅游市场", "数字经济",   "科技成果", "知识产权",
    "招商引资", "对外贸易",     "市场监管",   "信用体系", "政务服务",   "法治宣传", "矛盾纠纷",
    "信访事项", "基层党建",     "民族团结",   "宗教事务", "精神文明",   "志愿服务", "乡村治理",
    "人居环境", "垃圾分类",     "污水处理",   "大气质量", "土壤环境",   "固体废物", "节能降耗",
    "统计数据", "审计整改",     "预算管理",   "政府债务", "国有资产",   "金融风险", "应急物资",
    "防汛抗旱", "地质灾害",     "气象服务",   "人防工程", "档案管理",   "保密管理", "网络安全",
    "数据共享", "公共资源交易", "政府采购",   "工程建设", "建筑市场",   "物业管理", "城市更新",
    "海绵城市", "园林绿化",     "农产品质量", "动物防疫", "植物保护",   "渔业资源", "海洋资源",
    "矿产资源", "林下经济",     "特色产业",   "电子商务", "物流体系",   "口岸通关", "边境贸易",
    "港口建设", "航道建设",     "农村公路",   "公共交通", "残疾人服务", "妇女儿童", "未成年人保护",
    "老龄事业", "社会救助",     "殡葬管理",   "退役军人", "双拥共建",   "人才引进", "干部培训",
    "机关效能", "作风建设",     "廉政教育",   "巡察整改", "法律援助",   "社区矫正", "禁毒宣传",
    "反诈宣传", "国家安全",     "平安校园",   "网格管理", "视频监控",   "糖业发展", "蚕桑产业",
    "中医药",   "健康促进",     "托育服务",   "学前教育", "高中教育",   "科普宣传", "全民健身",
    "广播电视", "新闻出版",     "文物保护",   "非遗传承", "民族医药",   "侨务服务", "外事管理",
};

const char* const kActions[] = {
    "建设", "治理", "监管", "改革", "提升", "保障", "服务", "整治", "发展", "管理", "创建", "保护",
};

const char* const kQualifiers[] = {
    "", "", "", "", "示范", "能力", "体系", "标准化", "三年行动", "长效机制", "数字化", "高质量",
};

const char* const kNameForms[] = {
    "%s%s%s考核", "%s%s%s工作考核", "%s%s%s专项考评", "%s%s%s目标责任考核", "%s%s%s评议考核",
};

const char* const kMetrics[] = {
    "覆盖率",   "达标率",       "完成率",   "按期办结率", "群众满意度", "抽检合格率", "增长率",
    "资金投入", "年度任务完成", "制度建设", "问题整改",   "队伍建设",   "宣传培训",   "信息报送",
    "风险防控", "监督检查",     "示范创建", "规范化建设", "数字化应用", "应急处置",
};

template <size_t N>
const char* Pick(const char* const (&list)[N], std::mt19937& rng) {
  return list[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

std::string Format(const char* form, const std::string& a, const std::string& b,
                   const std::string& c) {
  // Tiny formatter for the forms above: text around exactly three %s.
  std::string out;
  const std::string args[3] = {a, b, c};
  int next = 0;
  for (const char* p = form; *p; ++p) {
    if (p[0] == '%' && p[1] == 's') {
      out += args[next++];
      ++p;
    } else {
      out.push_back(*p);
    }
  }
  return out;
}

std::vector<std::string> SyntheticIndicators(const std::string& scope, const std::string& topic,
                                             std::mt19937& rng) {
  const int count = std::uniform_int_distribution<int>(3, 8)(rng);
  std::vector<std::string> out;
  std::set<std::string> seen;
  while (static_cast<int>(out.size()) < count) {
    std::string text;
    switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
      case 0:
        text = topic + Pick(kMetrics, rng);
        break;
      case 1:
        text = scope + topic + Pick(kMetrics, rng);
        break;
      case 2:
        text = std::string(Pick(kTopics, rng)) + Pick(kMetrics, rng);
        break;
      default:
        text = topic + Pick(kActions, rng) + Pick(kMetrics, rng);
        break;
    }
    if (seen.insert(text).second) out.push_back(text);
  }
  return out;
}

std::vector<ReviewItem> SyntheticItems(int count, std::mt19937& rng) {
  std::vector<ReviewItem> items;
  std::set<std::string> names;
  int serial = 0;
  long long attempts = 0;
  while (static_cast<int>(items.size()) < count) {
    const std::string scope = Pick(kScopes, rng);
    const std::string topic = Pick(kTopics, rng);
    const std::string action = std::string(Pick(kActions, rng)) + Pick(kQualifiers, rng);
    // Each combination once, whatever the surrounding boilerplate — until the
    // combinations run out (very large --items), then repeats are allowed.
    const bool fresh = names.insert(scope + topic + action).second;
    if (!fresh && ++attempts < 50LL * count) continue;
    ReviewItem item;
    item.id = "SYN-" + std::to_string(++serial);
    const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    item.kind =
        kind < 7 ? ReviewItemKind::kLicensed
                 : (kind < 9 ? ReviewItemKind::kPending : ReviewItemKind::kComprehensiveIndicator);
    item.name = Format(Pick(kNameForms, rng), scope, topic, action);
    item.lead = "自治区" + topic.substr(0, 6) + "主管部门";
    item.indicators = SyntheticIndicators(scope, topic, rng);
    items.push_back(std::move(item));
  }
  return items;
}

// ASCII digits and Latin letters to their full-width forms.
std::string FullWidth(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      const unsigned cp = 0xFF00u + (c - 0x20u);  // U+FF10.. / U+FF21.. / U+FF41..
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// A re-application of a registered item: year prefix, 考评 for 考核, full-width
// digits, shuffled indicators with one dropped.
LabelledProbe Perturb(const ReviewItem& item, std::mt19937& rng) {
  LabelledProbe probe;
  probe.expected_id = item.id;
  probe.name = FullWidth("2026") + "年度" + ReplaceAll(item.name, "考核", "考评");
  probe.indicators = item.indicators;
  std::shuffle(probe.indicators.begin(), probe.indicators.end(), rng);
  if (probe.indicators.size() > 3) probe.indicators.pop_back();
  for (auto& text : probe.indicators) text = FullWidth(text);
  return probe;
}

double Round3(double ms) {
  return static_cast<double>(static_cast<long long>(ms * 1000 + 0.5)) / 1000;
}

using Clock = std::chrono::steady_clock;
double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// CPU time of this thread in ms: unlike wall time, it does not grow when other
// processes preempt the benchmark on a shared machine.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

#ifdef GOVASSESS_SOURCE_DIR
const char kCorpusPath[] = GOVASSESS_SOURCE_DIR "/tests/data/registry_corpus.json";
const char kProbesPath[] = GOVASSESS_SOURCE_DIR "/tests/data/registry_probes.json";
#else
const char kCorpusPath[] = "tests/data/registry_corpus.json";
const char kProbesPath[] = "tests/data/registry_probes.json";
#endif

// Durable merges through the engine on a SQLite database (synchronous=FULL) in a
// temporary directory: pairs of submitted applications, the office merges the second
// into the first — survivor, absorbed item and the book in one commit — and the
// registry service re-indexes both. Returns {"engine_merges", "engine_merge_ms",
// "engine_merge_p99_ms"} or {"engine_merge_error"}.
Json TimeDurableMerges(int pairs, std::mt19937& rng) {
  Json out = Json::object();
  std::string tmpl = (std::filesystem::temp_directory_path() / "govassess-bench-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    out["engine_merge_error"] = "cannot create a temporary directory";
    return out;
  }
  const std::filesystem::path dir = tmpl;
  std::vector<double> latencies;
  {
    auto store = SqliteStore::Open((dir / "bench.db").string());
    if (!store.ok()) {
      out["engine_merge_error"] = store.status().ToString();
      return out;
    }
    SystemClock clock;
    Engine engine(store->get(), &clock);
    registry::RegistryConfig config;
    config.quota.overall.reset();
    registry::RegisterRegistryWorkflows(&engine, config);
    registry::RegistryService service(store->get(), &engine, config);
    auto run = [&](Command c) -> Status {
      auto r = service.Execute(c);
      if (!r.ok()) return r.status();
      return r->accepted ? Status::Ok() : r->refusal;
    };
    std::vector<ReviewItem> apps = SyntheticItems(2 * pairs, rng);
    for (int i = 0; i < 2 * pairs; ++i) {
      const std::string id = "registry/item/bench-" + std::to_string(i);
      Actor lead{"bench", "lead_assessor", "部门" + std::to_string(i), "bench"};
      Command create;
      create.instance_id = id;
      create.type = registry::kItemType;
      create.name = "create";
      create.actor = lead;
      create.payload = {{"name", apps[static_cast<size_t>(i)].name},
                        {"basis", "bench"},
                        {"indicators", apps[static_cast<size_t>(i)].indicators}};
      Command submit;
      submit.instance_id = id;
      submit.name = "submit";
      submit.actor = lead;
      Status s = run(create);
      if (s.ok()) s = run(submit);
      if (!s.ok()) {
        out["engine_merge_error"] = id + ": " + s.ToString();
        return out;
      }
    }
    for (int m = 0; m < pairs; ++m) {
      Command merge;
      merge.instance_id = "registry/item/bench-" + std::to_string(2 * m);
      merge.name = "merge";
      merge.actor = Actor{"office", "office", "绩效办", "bench"};
      merge.payload = {{"absorb", {"bench-" + std::to_string(2 * m + 1)}}};
      const auto start = Clock::now();
      Status s = run(merge);
      latencies.push_back(MsSince(start));
      if (!s.ok()) {
        out["engine_merge_error"] = s.ToString();
        return out;
      }
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  out["engine_merges"] = latencies.size();
  out["engine_merge_ms"] = Round3(Percentile(latencies, 0.50));
  out["engine_merge_p99_ms"] = Round3(Percentile(latencies, 0.99));
  return out;
}

}  // namespace

Result<std::vector<ReviewItem>> LoadRegistryCorpus(const std::string& path) {
  Result<Json> json = ReadJsonFile(path);
  if (!json.ok()) return json.status();
  if (!json->is_object() || !json->contains("items") || !json->at("items").is_array()) {
    return Status::InvalidArgument(path + ": expected an object with an 'items' array");
  }
  std::vector<ReviewItem> items;
  for (const Json& entry : json->at("items")) {
    Result<ReviewItem> item = registry::ReviewItemFromJson(entry);
    if (!item.ok()) return Status::InvalidArgument(path + ": " + item.status().message());
    items.push_back(std::move(item).value());
  }
  return items;
}

Result<std::vector<LabelledProbe>> LoadRegistryProbes(const std::string& path) {
  Result<Json> json = ReadJsonFile(path);
  if (!json.ok()) return json.status();
  if (!json->is_object() || !json->contains("probes") || !json->at("probes").is_array()) {
    return Status::InvalidArgument(path + ": expected an object with a 'probes' array");
  }
  std::vector<LabelledProbe> probes;
  for (const Json& entry : json->at("probes")) {
    Result<LabelledProbe> probe = registry::LabelledProbeFromJson(entry);
    if (!probe.ok()) return Status::InvalidArgument(path + ": " + probe.status().message());
    probes.push_back(std::move(probe).value());
  }
  return probes;
}

nlohmann::json RunRegistryBench(int items) {
  Json result{{"benchmark", "registry"}};
  if (items < 1) {
    result["error"] = "--items must be at least 1";
    return result;
  }
  std::mt19937 rng(20260101);

  // Registered items: the corpus first (if readable), then synthetic ones.
  std::vector<ReviewItem> registered;
  Result<std::vector<ReviewItem>> corpus = LoadRegistryCorpus(kCorpusPath);
  if (corpus.ok()) {
    registered = std::move(corpus).value();
    if (static_cast<int>(registered.size()) > items) registered.resize(static_cast<size_t>(items));
  }
  result["corpus_items"] = registered.size();
  const int synthetic = items - static_cast<int>(registered.size());
  for (auto& item : SyntheticItems(synthetic, rng)) registered.push_back(std::move(item));

  DuplicateIndex index;
  Clock::time_point start = Clock::now();
  for (const ReviewItem& item : registered) {
    Status s = index.Add(item);
    if (!s.ok()) {
      result["error"] = "cannot index " + item.id + ": " + s.ToString();
      return result;
    }
  }
  const double build_ms = MsSince(start);

  // Applications to check: a third re-applications of registered items, a third
  // fresh combinations, a third the labelled probes (cycled).
  std::vector<LabelledProbe> applications;
  Result<std::vector<LabelledProbe>> probes = LoadRegistryProbes(kProbesPath);
  std::mt19937 app_rng(7);
  std::vector<ReviewItem> fresh = SyntheticItems(400, app_rng);  // may repeat registered ones
  const int kChecks = 1200;
  for (int k = 0; k < kChecks; ++k) {
    const int lane = k % 3;
    if (lane == 0 || (lane == 2 && (!probes.ok() || probes->empty()))) {
      const auto& item =
          registered[std::uniform_int_distribution<size_t>(0, registered.size() - 1)(rng)];
      applications.push_back(Perturb(item, rng));
    } else if (lane == 1) {
      const ReviewItem& item = fresh[static_cast<size_t>(k) % fresh.size()];
      applications.push_back({item.name, item.indicators, "", "fresh"});
    } else {
      applications.push_back((*probes)[static_cast<size_t>(k) % probes->size()]);
    }
  }

  // Warm up (page in postings, thread-local scratch), then time every check.
  for (int k = 0; k < 50; ++k) {
    (void)index.Check(applications[static_cast<size_t>(k)].name,
                      applications[static_cast<size_t>(k)].indicators);
  }
  std::vector<double> latencies;
  std::vector<double> cpu_latencies;
  latencies.reserve(applications.size());
  cpu_latencies.reserve(applications.size());
  int likely = 0;
  for (const LabelledProbe& app : applications) {
    const double cpu_start = ThreadCpuMs();
    start = Clock::now();
    Result<std::vector<registry::DuplicateMatch>> matches = index.Check(app.name, app.indicators);
    latencies.push_back(MsSince(start));
    cpu_latencies.push_back(ThreadCpuMs() - cpu_start);
    if (!matches.ok()) {
      result["error"] = "check of '" + app.name + "' failed: " + matches.status().ToString();
      return result;
    }
    if (!matches->empty() && matches->front().level == DuplicateLevel::kLikelyDuplicate) ++likely;
  }
  double sum = 0;
  for (double ms : latencies) sum += ms;

  // Merges: the office merges b into a — union of indicators without near-duplicates,
  // both items leave the index, the survivor comes back with a's id.
  std::vector<double> merge_latencies;
  const int merges = std::min<int>(100, static_cast<int>(registered.size()) / 2);
  std::vector<size_t> order(registered.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::shuffle(order.begin(), order.end(), rng);
  for (int m = 0; m < merges; ++m) {
    const ReviewItem a = *index.Find(registered[order[2 * static_cast<size_t>(m)]].id);
    const ReviewItem b = *index.Find(registered[order[2 * static_cast<size_t>(m) + 1]].id);
    start = Clock::now();
    Result<std::vector<std::string>> merged = registry::MergeIndicators(
        a.indicators, b.indicators, index.config().indicator_pair, index.normalizer());
    Status s = merged.ok() ? index.Remove(a.id) : merged.status();
    if (s.ok()) s = index.Remove(b.id);
    if (s.ok()) {
      ReviewItem survivor = a;
      survivor.indicators = std::move(merged).value();
      s = index.Add(std::move(survivor));
    }
    merge_latencies.push_back(MsSince(start));
    if (!s.ok()) {
      result["error"] = "merge of " + a.id + " and " + b.id + " failed: " + s.ToString();
      return result;
    }
  }

  result["items"] = items;
  result["checks"] = latencies.size();
  result["check_p50_ms"] = Round3(Percentile(latencies, 0.50));
  result["check_p99_ms"] = Round3(Percentile(latencies, 0.99));
  result["check_max_ms"] = Round3(Percentile(latencies, 1.0));
  result["check_mean_ms"] = Round3(sum / static_cast<double>(latencies.size()));
  result["check_cpu_p50_ms"] = Round3(Percentile(cpu_latencies, 0.50));
  result["check_cpu_p99_ms"] = Round3(Percentile(cpu_latencies, 0.99));
  result["likely_duplicate_checks"] = likely;
  result["merges"] = merge_latencies.size();
  result["merge_ms"] = Round3(Percentile(merge_latencies, 0.50));
  result["merge_p99_ms"] = Round3(Percentile(merge_latencies, 0.99));
  result["index_build_ms"] = Round3(build_ms);
  result["goal_check_p99_ms"] = 5.0;
  result.update(TimeDurableMerges(20, rng));
  return result;
}

nlohmann::json RegistryQuality(const std::string& corpus_path, const std::string& probes_path) {
  Json result{{"benchmark", "registry_quality"}};
  Result<std::vector<ReviewItem>> corpus = LoadRegistryCorpus(corpus_path);
  if (!corpus.ok()) {
    result["error"] = corpus.status().ToString();
    return result;
  }
  Result<std::vector<LabelledProbe>> probes = LoadRegistryProbes(probes_path);
  if (!probes.ok()) {
    result["error"] = probes.status().ToString();
    return result;
  }
  DuplicateIndex index;
  for (const ReviewItem& item : *corpus) {
    Status s = index.Add(item);
    if (!s.ok()) {
      result["error"] = s.ToString();
      return result;
    }
  }
  Result<registry::QualityReport> report = registry::EvaluateProbes(index, *probes);
  if (!report.ok()) {
    result["error"] = report.status().ToString();
    return result;
  }
  result.update(registry::QualityReportToJson(*report));

  // The corpus is meant to be pairwise non-duplicate: list pairs that are not.
  Json self = Json::array();
  int review_pairs = 0;
  for (const ReviewItem& item : *corpus) {
    auto matches = index.Check(item.name, item.indicators, item.id);
    if (!matches.ok()) continue;
    for (const auto& m : *matches) {
      if (m.id < item.id) continue;  // each pair once (the check is nearly symmetric)
      if (m.level == DuplicateLevel::kLikelyDuplicate) {
        self.push_back({{"a", item.id},
                        {"a_name", item.name},
                        {"b", m.id},
                        {"b_name", m.name},
                        {"score", m.score}});
      } else if (m.level == DuplicateLevel::kNeedsReview) {
        ++review_pairs;
      }
    }
  }
  result["corpus_items"] = corpus->size();
  result["corpus_self_duplicates"] = self;
  result["corpus_pairs_needing_review"] = review_pairs;
  result["config"] = registry::DuplicateConfigToJson(index.config());
  result["config"].erase("boilerplate");
  result["config"].erase("place_names");
  result["config"].erase("synonyms");
  return result;
}

}  // namespace govassess::bench
