#include "workflows/units.h"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "tests/workflows/data_files.h"

namespace govassess::workflows {
namespace {

using testing::LoadJson;

UnitDirectory LoadGuangxi() {
  Result<UnitDirectory> d = ParseUnits(LoadJson("units-guangxi.json"));
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  return std::move(d).value();
}

std::vector<std::string> Ids(const std::vector<const Unit*>& units) {
  std::vector<std::string> out;
  for (const Unit* u : units) out.push_back(u->id);
  return out;
}

TEST_CASE("shipped Guangxi directory: 14 cities, 99 departments in seed 001's categories",
          "[units]") {
  const UnitDirectory d = LoadGuangxi();
  const std::vector<std::string> cities = {"南宁市",   "柳州市", "桂林市", "梧州市", "北海市",
                                           "防城港市", "钦州市", "贵港市", "玉林市", "百色市",
                                           "贺州市",   "河池市", "来宾市", "崇左市"};
  std::vector<std::string> city_names;
  for (const Unit* u : d.InCategory("cities")) {
    CHECK(u->kind == UnitKind::kCity);
    city_names.push_back(u->name);
  }
  CHECK(city_names == cities);

  const std::map<std::string, size_t> sizes = {
      {"party_mass", 33},         {"economic", 19},
      {"government_affairs", 14}, {"supervision_enforcement", 10},
      {"special_affairs", 15},    {"democratic_parties", 7},
      {"state_security", 1}};
  size_t departments = 0;
  for (const auto& [category, size] : sizes) {
    INFO(category);
    CHECK(d.InCategory(category).size() == size);
    departments += d.InCategory(category).size();
  }
  CHECK(departments == 99);

  const Unit* root = d.Find("gx");
  REQUIRE(root != nullptr);
  CHECK(root->kind == UnitKind::kProvince);
  CHECK(Ids(d.Roots()) == std::vector<std::string>{"gx"});
  const Unit* office = d.Find("gx-performance-office");
  REQUIRE(office != nullptr);
  CHECK(office->kind == UnitKind::kOffice);
  CHECK(office->category_id.empty());
  CHECK(d.Find("gx-nowhere") == nullptr);
}

TEST_CASE("shipped directory fits both 2026 cycles", "[units]") {
  const UnitDirectory d = LoadGuangxi();
  for (const char* file : {"cycle-2026-city.json", "cycle-2026-department.json"}) {
    INFO(file);
    Result<CycleConfig> c = ParseCycleConfig(LoadJson(file));
    REQUIRE(c.ok());
    Status s = CheckUnitCategories(d, *c);
    INFO(s.ToString());
    CHECK(s.ok());
  }
  Result<CycleConfig> city = ParseCycleConfig(LoadJson("cycle-2026-city.json"));
  CHECK(AssessedUnits(d, *city).size() == 14);
  Result<CycleConfig> dept = ParseCycleConfig(LoadJson("cycle-2026-department.json"));
  CHECK(AssessedUnits(d, *dept).size() == 99);
}

TEST_CASE("tree navigation: children, ancestors, descendants, escalation", "[units]") {
  const UnitDirectory d = LoadGuangxi();
  Result<std::vector<const Unit*>> up = d.Ancestors("gx-nanning-qingxiu-xinzhu");
  REQUIRE(up.ok());
  CHECK(Ids(*up) == std::vector<std::string>{"gx-nanning-qingxiu", "gx-nanning", "gx"});
  CHECK(d.Ancestors("gx")->empty());
  CHECK(d.Ancestors("gx-nowhere").status().code() == Code::kNotFound);

  CHECK(d.Children("gx-nanning").size() == 12);
  CHECK(d.Children("gx-nanning-qingxiu-xinzhu").empty());
  CHECK(d.Children("gx-nowhere").empty());
  const std::vector<std::string> below_qingxiu = Ids(d.Descendants("gx-nanning-qingxiu"));
  CHECK(below_qingxiu ==
        std::vector<std::string>{"gx-nanning-qingxiu-xinzhu", "gx-nanning-qingxiu-nanhu"});
  CHECK(d.Descendants("gx").size() == d.size() - 1);

  CHECK(d.IsAncestor("gx", "gx-nanning-qingxiu-nanhu"));
  CHECK(d.IsAncestor("gx-nanning", "gx-nanning-qingxiu"));
  CHECK_FALSE(d.IsAncestor("gx-liuzhou", "gx-nanning-qingxiu"));
  CHECK_FALSE(d.IsAncestor("gx-nanning", "gx-nanning"));

  // Without a superior, escalation goes to the parent; the office names its own.
  CHECK(d.EscalationTarget("gx-nanning").value()->id == "gx");
  CHECK(d.EscalationTarget("gx-performance-office").value()->id == "gx");
  CHECK(d.Find("gx-performance-office")->parent_id == "gx-establishment-office");
  CHECK(d.EscalationTarget("gx").value() == nullptr);
  CHECK(d.EscalationTarget("gx-nowhere").status().code() == Code::kNotFound);
}

TEST_CASE("directory round-trips through JSON", "[units]") {
  const UnitDirectory d = LoadGuangxi();
  nlohmann::json j = UnitsToJson(d, "copy");
  Result<UnitDirectory> again = ParseUnits(j);
  REQUIRE(again.ok());
  CHECK(UnitsToJson(*again, "copy") == j);
}

TEST_CASE("department → internal office → person", "[units]") {
  const nlohmann::json j = {{"name", "one department"},
                            {"units",
                             {{{"id", "gx"}, {"name", "广西壮族自治区"}, {"kind", "province"}},
                              {{"id", "gx-statistics"},
                               {"name", "自治区统计局"},
                               {"kind", "department"},
                               {"parent_id", "gx"}},
                              {{"id", "gx-statistics.general"},
                               {"name", "办公室"},
                               {"kind", "internal_office"},
                               {"parent_id", "gx-statistics"}},
                              {{"id", "gx-statistics.general.p001"},
                               {"name", "工作人员甲"},
                               {"kind", "person"},
                               {"parent_id", "gx-statistics.general"},
                               {"category_id", "staff"},
                               {"superior_id", "gx-statistics"}}}}};
  Result<UnitDirectory> d = ParseUnits(j);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  CHECK(d->EscalationTarget("gx-statistics.general.p001").value()->id == "gx-statistics");
  CHECK(d->EscalationTarget("gx-statistics.general").value()->id == "gx-statistics");
  CHECK(Ids(d->InCategory("staff")) == std::vector<std::string>{"gx-statistics.general.p001"});
}

nlohmann::json MakeUnit(const char* id, const char* kind, const char* parent = nullptr) {
  nlohmann::json u = {{"id", id}, {"name", std::string("单位 ") + id}, {"kind", kind}};
  if (parent != nullptr) u["parent_id"] = parent;
  return u;
}

TEST_CASE("bad directories give errors naming the unit and field", "[units]") {
  struct Case {
    const char* what;
    nlohmann::json units;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"duplicate id",
       {MakeUnit("gx", "province"), MakeUnit("gx-a", "city", "gx"), MakeUnit("gx-a", "city", "gx")},
       "units[2].id: duplicate id \"gx-a\" (also units[1])"},
      {"unknown parent",
       {MakeUnit("gx", "province"), MakeUnit("gx-a", "city", "gx-b")},
       "units[1].parent_id: unknown unit \"gx-b\""},
      {"own parent",
       {MakeUnit("gx-a", "department", "gx-a")},
       "units[0].parent_id: a unit cannot be its own parent"},
      {"cycle of three",
       {MakeUnit("a", "department", "c"), MakeUnit("b", "department", "a"),
        MakeUnit("c", "department", "b")},
       "units[0].parent_id: parents form a cycle: a → c → b → a"},
      {"cycle of two",
       {MakeUnit("x", "province"), MakeUnit("a", "county", "b"), MakeUnit("b", "city", "a")},
       "parents form a cycle"},
      {"township under a city",
       {MakeUnit("gx", "province"), MakeUnit("c", "city", "gx"), MakeUnit("t", "township", "c")},
       "units[2].parent_id: a township cannot be under a city (\"c\"); its parent must be: county"},
      {"city under a department",
       {MakeUnit("d", "department"), MakeUnit("c", "city", "d")},
       "units[1].parent_id: a city cannot be under a department"},
      {"province with a parent",
       {MakeUnit("gx", "province"), MakeUnit("p", "province", "gx")},
       "units[1].parent_id: a province cannot be under a province (\"gx\"); it must be a root"},
      {"person as root",
       {MakeUnit("p", "person")},
       "units[0].parent_id: a person must have a parent"},
      {"internal office as root",
       {MakeUnit("o", "internal_office")},
       "units[0].parent_id: an internal_office must have a parent"},
      {"person under a person",
       {MakeUnit("d", "department"), MakeUnit("p", "person", "d"), MakeUnit("q", "person", "p")},
       "units[2].parent_id: a person cannot be under a person"},
      {"unknown kind",
       {MakeUnit("gx", "prefecture")},
       "units[0].kind: unknown kind \"prefecture\""},
      {"missing kind",
       {{{"id", "gx"}, {"name", "广西"}}},
       "units[0].kind: required field is missing"},
      {"missing name",
       {{{"id", "gx"}, {"kind", "province"}}},
       "units[0].name: required field is missing"},
      {"bad id",
       {MakeUnit("GX Region", "province")},
       "units[0].id: \"GX Region\" is not a valid unit id"},
      {"unknown field",
       {{{"id", "gx"}, {"name", "广西"}, {"kind", "province"}, {"leader", "x"}}},
       "units[0].leader: unknown field"},
      {"unknown superior",
       {MakeUnit("gx", "province"),
        {{"id", "c"},
         {"name", "市"},
         {"kind", "city"},
         {"parent_id", "gx"},
         {"superior_id", "nobody"}}},
       "units[1].superior_id: unknown unit \"nobody\""},
      {"superior below the unit",
       {{{"id", "gx"}, {"name", "广西"}, {"kind", "province"}, {"superior_id", "c"}},
        MakeUnit("c", "city", "gx")},
       "units[0].superior_id: \"c\" is below \"gx\" in the tree"},
      {"unit not an object", {"gx"}, "units[0]: expected an object, got string"},
  };
  for (const Case& k : cases) {
    Result<UnitDirectory> d = ParseUnits({{"name", "test"}, {"units", k.units}});
    INFO(k.what << " → " << d.status().ToString());
    REQUIRE_FALSE(d.ok());
    CHECK(d.status().code() == Code::kInvalidArgument);
    CHECK_THAT(d.status().message(), Catch::Contains(k.message));
  }
  CHECK_THAT(ParseUnits({{"units", nlohmann::json::array()}}).status().message(),
             Catch::Contains("name: required field is missing"));
  CHECK_THAT(ParseUnits({{"name", "x"}, {"units", {}}, {"extra", 1}}).status().message(),
             Catch::Contains("extra: unknown field"));
}

TEST_CASE("categories must fit the cycle", "[units]") {
  Result<CycleConfig> city = ParseCycleConfig(LoadJson("cycle-2026-city.json"));
  REQUIRE(city.ok());
  SECTION("a county in the cities category") {
    Result<UnitDirectory> d = ParseUnits({{"name", "t"},
                                          {"units",
                                           {MakeUnit("gx", "province"),
                                            {{"id", "c"},
                                             {"name", "市"},
                                             {"kind", "city"},
                                             {"parent_id", "gx"},
                                             {"category_id", "cities"}},
                                            {{"id", "k"},
                                             {"name", "县"},
                                             {"kind", "county"},
                                             {"parent_id", "c"},
                                             {"category_id", "cities"}}}}});
    REQUIRE(d.ok());
    CHECK_THAT(CheckUnitCategories(*d, *city).message(),
               Catch::Contains("unit \"k\" (县) is a county but category \"cities\""));
  }
  SECTION("a category without units") {
    Result<UnitDirectory> d = ParseUnits({{"name", "t"}, {"units", {MakeUnit("gx", "province")}}});
    REQUIRE(d.ok());
    CHECK_THAT(CheckUnitCategories(*d, *city).message(),
               Catch::Contains("categories[0].id: category \"cities\" (设区市) has no units"));
  }
}

}  // namespace
}  // namespace govassess::workflows
