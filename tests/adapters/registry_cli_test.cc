// Runs the real binary: govassess registry import / check / quota / list, on the
// licensed items of tests/data/registry_corpus.json.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/adapters/run_process.h"
#include "tests/adapters/temp_dir.h"

namespace govassess::testing {
namespace {

using Json = nlohmann::json;

std::string Binary() {
  if (const char* cli = std::getenv("GOVASSESS_CLI"); cli != nullptr && *cli != '\0') return cli;
  return GOVASSESS_BUILD_DIR "/govassess";
}

RunResult Govassess(std::vector<std::string> args) {
  const std::string binary = Binary();
  INFO("binary: " << binary);
  REQUIRE(std::filesystem::exists(binary));
  args.insert(args.begin(), binary);
  RunResult r = RunProcess(args);
  REQUIRE(r.started);
  return r;
}

void Write(const std::string& path, const Json& json) {
  std::ofstream out(path, std::ios::binary);
  out << json.dump();
  REQUIRE(out.good());
}

// The corpus's licensed items as an import file: [{id, name, lead, indicators}].
Json CorpusImport() {
  std::ifstream in(GOVASSESS_SOURCE_DIR "/tests/data/registry_corpus.json");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  Json corpus = Json::parse(text.str());
  Json items = Json::array();
  for (const Json& i : corpus["items"]) {
    if (i["kind"] != "licensed") continue;
    items.push_back({{"id", i["id"]}, {"name", i["name"]}, {"lead", i["lead"]},
                     {"indicators", i["indicators"]}});
  }
  return items;
}

int ListedCount(const std::string& db) {
  RunResult r = Govassess({"registry", "list", "--db", db});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return Json::parse(r.out)["count"].get<int>();
}

TEST_CASE("registry import, then check finds a planted duplicate first") {
  TempDir dir;
  const std::string db = dir.Path("gov.db");
  const Json items = CorpusImport();
  REQUIRE(items.size() >= 100);
  Write(dir.Path("import.json"), items);
  RunResult imported = Govassess({"registry", "import", dir.Path("import.json"), "--db", db, "--year", "2026"});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  const Json out = Json::parse(imported.out);
  CHECK(out["imported"].size() == items.size());
  CHECK(out["imported"][0]["number"] == "专考〔2026〕1号");
  CHECK(ListedCount(db) == static_cast<int>(items.size()));

  // The planted duplicate: item 0 renamed with year, boilerplate and a synonym, most
  // of its indicators kept.
  const Json& target = items[0];
  Json indicators = target["indicators"];
  indicators.erase(indicators.begin());
  Write(dir.Path("indicators.json"), indicators);
  const std::string name = "2026年度全区" + target["name"].get<std::string>() + "专项考评";
  RunResult checked = Govassess({"registry", "check", "--db", db, "--name", name, "--indicators",
                                 dir.Path("indicators.json"), "--lead", "自治区某厅"});
  INFO(checked.err);
  REQUIRE(checked.exit_code == 0);
  const Json matches = Json::parse(checked.out)["matches"];
  REQUIRE(matches.size() >= 1);
  CHECK(matches[0]["id"] == target["id"]);
  CHECK(matches[0]["name"] == target["name"]);
  CHECK(matches[0]["level"] == "likely_duplicate");
  CHECK(matches[0]["score"].get<double>() >= 0.6);
  CHECK(matches[0]["score"].get<double>() <= 1.0);
  CHECK(matches[0]["overlaps"].size() == indicators.size());
  for (size_t i = 1; i < matches.size(); ++i) {
    CHECK(matches[i - 1]["score"].get<double>() >= matches[i]["score"].get<double>());
  }

  // Something new matches nothing as a likely duplicate.
  Write(dir.Path("new.json"), Json::array({"无人机航拍违法用地发现率", "卫星遥感图斑核查"}));
  RunResult fresh = Govassess({"registry", "check", "--db", db, "--name", "低空遥感执法考核",
                               "--indicators", dir.Path("new.json")});
  REQUIRE(fresh.exit_code == 0);
  const Json fresh_matches = Json::parse(fresh.out)["matches"];  // kept alive for the loop
  for (const Json& m : fresh_matches) CHECK(m["level"] != "likely_duplicate");

  // The quota shows what was imported.
  RunResult quota = Govassess({"registry", "quota", "--db", db, "--year", "2026"});
  REQUIRE(quota.exit_code == 0);
  const Json q = Json::parse(quota.out);
  CHECK(q["overall"]["licensed"] == items.size());
  CHECK(q["overall"]["pending"] == 0);
  CHECK(q["leads"][target["lead"].get<std::string>()]["cap"] == 1);
  // A year without a book shows the configured default.
  const Json empty = Json::parse(Govassess({"registry", "quota", "--db", db, "--year", "2027"}).out);
  CHECK(empty["overall"]["licensed"] == 0);
  CHECK(empty["overall"]["cap"] == 20);

  // One journaled command, and the chain verifies.
  RunResult verified = Govassess({"audit", "verify", "--db", db});
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.rfind("ok: 1 events", 0) == 0);

  // Importing the same ids again is refused as a whole.
  RunResult again = Govassess({"registry", "import", dir.Path("import.json"), "--db", db, "--year", "2026"});
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.err, Catch::Contains("already exists"));
  CHECK(ListedCount(db) == static_cast<int>(items.size()));
}

TEST_CASE("registry import: a bad file exits 2, names the index and field, and writes nothing") {
  TempDir dir;
  const std::string db = dir.Path("gov.db");
  Json good = Json::array({{{"name", "食品安全考核"}, {"lead", "自治区市场监管局"},
                            {"indicators", {"食品抽检合格率"}}}});
  Write(dir.Path("good.json"), good);
  REQUIRE(Govassess({"registry", "import", dir.Path("good.json"), "--db", db}).exit_code == 0);

  struct Case {
    const char* what;
    Json items;
    std::string says;
  };
  Json base = CorpusImport();
  base.erase(base.begin() + 5, base.end());
  Json missing = base;
  missing[3].erase("indicators");
  Json wrong_type = base;
  wrong_type[2]["indicators"] = "党员发展";
  Json no_name = base;
  no_name[4].erase("name");
  Json lead_number = base;
  lead_number[1]["lead"] = 7;
  const std::vector<Case> cases = {
      {"missing indicators", missing, "item [3]: \"indicators\" is missing"},
      {"indicators a string", wrong_type, "item [2]: \"indicators\" must be"},
      {"missing name", no_name, "item [4]: \"name\" is missing"},
      {"lead a number", lead_number, "item [1]: \"lead\" must be"},
      {"not an array", Json{{"items", base}}, "JSON array"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    Write(dir.Path("bad.json"), c.items);
    RunResult r = Govassess({"registry", "import", dir.Path("bad.json"), "--db", db});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.says));
    CHECK_THAT(r.err, Catch::Contains("nothing was imported"));
    CHECK(ListedCount(db) == 1);
  }
  // Not JSON at all, and a missing file.
  {
    std::ofstream out(dir.Path("broken.json"));
    out << "[{\"name\": ";
  }
  CHECK(Govassess({"registry", "import", dir.Path("broken.json"), "--db", db}).exit_code == 2);
  CHECK(Govassess({"registry", "import", dir.Path("nosuch.json"), "--db", db}).exit_code == 2);
  // Into a fresh database: the file is not even created.
  Write(dir.Path("bad.json"), missing);
  CHECK(Govassess({"registry", "import", dir.Path("bad.json"), "--db", dir.Path("fresh.db")}).exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(dir.Path("fresh.db")));
  RunResult verified = Govassess({"audit", "verify", "--db", db});
  CHECK(verified.out.rfind("ok: 1 events", 0) == 0);
  // A unit directory the database does not have: refused by the registry, nothing imported.
  RunResult no_directory =
      Govassess({"registry", "import", dir.Path("good.json"), "--db", db, "--units", "units/none"});
  CHECK(no_directory.exit_code == 1);
  CHECK_THAT(no_directory.err, Catch::Contains("no unit directory units/none; nothing was imported"));
  CHECK(ListedCount(db) == 1);
}

TEST_CASE("registry usage errors exit 2") {
  TempDir dir;
  CHECK(Govassess({"registry"}).exit_code == 2);
  CHECK(Govassess({"registry", "--help"}).exit_code == 0);
  CHECK(Govassess({"registry", "frobnicate"}).exit_code == 2);
  CHECK(Govassess({"registry", "check", "--db", dir.Path("none.db"), "--name", "x", "--indicators",
                   dir.Path("none.json")})
            .exit_code == 2);
  CHECK(Govassess({"registry", "quota", "--db", dir.Path("none.db")}).exit_code == 2);
  CHECK(Govassess({"registry", "quota", "--db", dir.Path("none.db"), "--year", "twenty"}).exit_code == 2);
}

}  // namespace
}  // namespace govassess::testing
