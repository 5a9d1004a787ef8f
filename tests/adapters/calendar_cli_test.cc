// Runs the real binary: govassess calendar ...
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/adapters/run_process.h"
#include "tests/adapters/temp_dir.h"

namespace govassess::testing {
namespace {

// The binary under test; GOVASSESS_CLI overrides it (e.g. to test an installed copy).
std::string Binary() {
  if (const char* cli = std::getenv("GOVASSESS_CLI"); cli != nullptr && *cli != '\0') return cli;
  return GOVASSESS_BUILD_DIR "/govassess";
}

const std::string kShipped = GOVASSESS_SOURCE_DIR "/calendars/cn.json";

RunResult Calendar(std::vector<std::string> args) {
  const std::string binary = Binary();
  INFO("binary: " << binary);
  REQUIRE(std::filesystem::exists(binary));
  args.insert(args.begin(), {binary, "calendar"});
  RunResult r = RunProcess(args);
  REQUIRE(r.started);
  return r;
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A failure: exit 2, nothing on stdout, one line on stderr with the prefix.
void CheckUsageError(const RunResult& r, const std::string& fragment) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("govassess calendar: ", 0) == 0);
  CHECK(r.err.find(fragment) != std::string::npos);
  CHECK(!r.err.empty());
  CHECK(r.err.find('\n') == r.err.size() - 1);  // exactly one line
}

TEST_CASE("calendar CLI: the two exact examples", "[cli][calendar]") {
  struct Case {
    std::vector<std::string> args;
    std::string out;
  };
  const std::vector<Case> cases = {
      {{"add-workdays", "--from", "2025-09-30", "--days", "5"}, "2025-10-14\n"},
      {{"add-workdays", "--from", "2025-09-30", "--days", "5", "--calendar", kShipped},
       "2025-10-14\n"},
      {{"add-workdays", "--from=2025-10-14", "--days=-5"}, "2025-09-30\n"},
      {{"add-workdays", "--days", "-5", "--from", "2025-10-14"}, "2025-09-30\n"},
      {{"is-workday", "2024-10-12"}, "yes\n"},
      {{"is-workday", "2024-10-13"}, "no\n"},
      {{"is-workday", "2024-10-12", "--calendar", kShipped}, "yes\n"},
      {{"between", "--from", "2025-09-30", "--to", "2025-10-14"}, "5\n"},
      {{"between", "--from", "2025-10-14", "--to", "2025-09-30"}, "-5\n"},
  };
  for (const Case& c : cases) {
    std::string line;
    for (const auto& a : c.args) line += a + " ";
    INFO(line);
    RunResult r = Calendar(c.args);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == c.out);
    CHECK(r.err.empty());
  }
}

TEST_CASE("calendar CLI: errors exit 2 with one line on stderr", "[cli][calendar]") {
  struct Case {
    std::vector<std::string> args;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {{"is-workday", "2030-01-02"},
       "the calendar \"cn\" does not cover 2030; load the State "
       "Council arrangement for 2030"},
      {{"add-workdays", "--from", "2026-12-20", "--days", "30"}, "does not cover 2027"},
      {{"between", "--from", "2026-12-01", "--to", "2027-01-10"}, "does not cover 2027"},
      {{"is-workday", "2025-02-30"}, "invalid date \"2025-02-30\": February 2025 has 28 days"},
      {{"add-workdays", "--from", "2025-2-30", "--days", "1"},
       "--from: invalid date \"2025-2-30\": expected YYYY-MM-DD"},
      {{"add-workdays", "--from", "2025-09-30", "--days", "five"},
       "--days: \"five\" is not a whole number"},
      {{"add-workdays", "--from", "2025-09-30"}, "missing option --days"},
      {{"add-workdays", "--days", "5"}, "missing option --from"},
      {{"add-workdays", "--from", "2025-09-30", "--days", "5", "--frm", "x"},
       "unknown option --frm"},
      {{"is-workday"}, "missing DATE"},
      {{"is-workday", "2025-01-02", "2025-01-03"}, "unexpected argument \"2025-01-03\""},
      {{"frobnicate"}, "unknown command \"frobnicate\""},
      {{}, "missing command"},
      {{"years", "--calendar", "/nonexistent/cn.json"},
       "cannot read calendar /nonexistent/cn.json"},
      {{"convert", "x.json"}, "missing option --from-format"},
  };
  for (const Case& c : cases) {
    std::string line;
    for (const auto& a : c.args) line += a + " ";
    INFO(line);
    CheckUsageError(Calendar(c.args), c.fragment);
  }
}

TEST_CASE("calendar CLI: --help and years", "[cli][calendar]") {
  RunResult help = Calendar({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.rfind("usage: govassess calendar", 0) == 0);
  CHECK(help.err.empty());
  RunResult sub_help = Calendar({"add-workdays", "--help"});
  CHECK(sub_help.exit_code == 0);
  CHECK(sub_help.out == help.out);

  RunResult years = Calendar({"years"});
  INFO(years.err);
  CHECK(years.exit_code == 0);
  for (int y = 2018; y <= 2026; ++y) {
    CHECK(years.out.find("\n" + std::to_string(y) + "\t") != std::string::npos);
  }
  CHECK(years.out.find("2025\t国务院办公厅关于2025年部分节假日安排的通知") != std::string::npos);

  RunResult holidays = Calendar({"holidays", "2025"});
  CHECK(holidays.exit_code == 0);
  CHECK(holidays.out.find("春节\toff 2025-01-28..2025-02-04\twork 2025-01-26, 2025-02-08\n") !=
        std::string::npos);
}

TEST_CASE("calendar CLI: an admin adds next year's arrangement", "[cli][calendar]") {
  TempDir dir;
  // A made-up 2027 arrangement in holiday-cn's format (test data, not the real notice).
  const std::string holiday_cn_2027 = R"({
    "year": 2027,
    "papers": ["https://www.gov.cn/example-2027.htm"],
    "days": [
      {"name": "元旦", "date": "2026-12-31", "isOffDay": true},
      {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
      {"name": "春节", "date": "2027-02-06", "isOffDay": true},
      {"name": "春节", "date": "2027-02-07", "isOffDay": true},
      {"name": "春节", "date": "2027-02-08", "isOffDay": true},
      {"name": "春节", "date": "2027-02-13", "isOffDay": false}
    ]
  })";
  Write(dir.Path("2027.json"), holiday_cn_2027);
  Write(dir.Path("cn.json"), Read(kShipped));

  RunResult before = Calendar({"is-workday", "2027-02-13", "--calendar", dir.Path("cn.json")});
  CheckUsageError(before, "does not cover 2027");

  RunResult convert = Calendar({"convert", "--from-format", "holiday-cn", dir.Path("2027.json"),
                                "--out", dir.Path("2027-cn.json")});
  INFO(convert.err);
  REQUIRE(convert.exit_code == 0);
  CHECK(Read(dir.Path("2027-cn.json")).find("\"format\": \"govassess-calendar/1\"") !=
        std::string::npos);

  RunResult merge = Calendar(
      {"merge", dir.Path("cn.json"), dir.Path("2027-cn.json"), "--out", dir.Path("cn.json")});
  INFO(merge.err);
  REQUIRE(merge.exit_code == 0);
  CHECK(merge.out.find("added 2027; it also changes 2026-12-31") != std::string::npos);
  CHECK(merge.out.find("covered: 2007\u20132027") != std::string::npos);

  struct Case {
    std::vector<std::string> args;
    std::string out;
  };
  const std::vector<Case> cases = {
      {{"is-workday", "2027-02-13"}, "yes\n"},  // make-up Saturday
      {{"is-workday", "2027-02-08"}, "no\n"},   // Spring Festival Monday
      {{"is-workday", "2026-12-31"}, "no\n"},   // December amended by the 2027 notice
      {{"add-workdays", "--from", "2026-12-30", "--days", "1"}, "2027-01-04\n"},
      {{"add-workdays", "--from", "2025-09-30", "--days", "5"}, "2025-10-14\n"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = c.args;
    args.push_back("--calendar");
    args.push_back(dir.Path("cn.json"));
    RunResult r = Calendar(args);
    INFO(c.args[0] << " " << c.args[1] << ": " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == c.out);
  }

  // GOVASSESS_CALENDAR selects the calendar when --calendar is not given.
  RunResult env = RunProcess({"env", "GOVASSESS_CALENDAR=" + dir.Path("cn.json"), Binary(),
                              "calendar", "is-workday", "2027-02-13"});
  CHECK(env.exit_code == 0);
  CHECK(env.out == "yes\n");

  // merge straight from holiday-cn, to stdout; the shipped file is not touched.
  RunResult to_stdout =
      Calendar({"merge", kShipped, dir.Path("2027.json"), "--from-format", "holiday-cn"});
  CHECK(to_stdout.exit_code == 0);
  CHECK(to_stdout.out == Read(dir.Path("cn.json")));
  CHECK(Read(kShipped).find("\"year\": 2027") == std::string::npos);

  // A bad year file changes nothing.
  Write(dir.Path("bad.json"), R"({"year": 2028, "papers": [], "days": []})");
  const std::string merged = Read(dir.Path("cn.json"));
  RunResult bad = Calendar({"merge", dir.Path("cn.json"), dir.Path("bad.json"), "--from-format",
                            "holiday-cn", "--out", dir.Path("cn.json")});
  CheckUsageError(bad, "empty placeholder");
  CHECK(Read(dir.Path("cn.json")) == merged);
}

// RunProcess itself (tests/adapters/run_process.h), which other tests reuse.
TEST_CASE("RunProcess captures exit code, stdout and stderr", "[run_process]") {
  RunResult r = RunProcess({"sh", "-c", "echo out; echo err >&2; exit 3"});
  CHECK(r.started);
  CHECK(r.exit_code == 3);
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");

  // stdin is fed and closed; large outputs on both pipes do not deadlock.
  const std::string big(1 << 20, 'x');
  RunResult cat = RunProcess({"sh", "-c", "cat; cat /dev/null; head -c 300000 /dev/zero >&2"}, big);
  CHECK(cat.exit_code == 0);
  CHECK(cat.out == big);
  CHECK(cat.err.size() == 300000);

  // A child that ignores its stdin.
  RunResult ignore = RunProcess({"true"}, big);
  CHECK(ignore.exit_code == 0);

  RunResult killed = RunProcess({"sh", "-c", "kill -9 $$"});
  CHECK(killed.exit_code == 128 + 9);

  RunResult missing = RunProcess({"/nonexistent/program"});
  CHECK(missing.exit_code == 127);
  CHECK(missing.err.find("exec failed") != std::string::npos);
}

}  // namespace
}  // namespace govassess::testing
