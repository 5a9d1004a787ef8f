#include <filesystem>
#include <ostream>

#include "adapters/cli/args.h"
#include "adapters/cli/commands.h"
#include "adapters/sqlite/sqlite_store.h"

namespace govassess {
namespace {

constexpr const char* kUsage =
    "usage: govassess audit verify --db PATH [--expect-head SEQ:HASH]\n"
    "       govassess audit head --db PATH\n"
    "\n"
    "verify  recomputes the journal's hash chain; exit 0 and \"ok: N events, head HASH\"\n"
    "        when intact, exit 1 naming the first altered, removed or reordered event.\n"
    "        --expect-head also checks a head exported earlier (catches a rewritten tail).\n"
    "head    prints the current head as SEQ:HASH, for safe keeping.\n";

int Usage(std::ostream& err, const std::string& message) {
  err << "govassess audit: " << message << "\n";
  return kExitUsage;
}

}  // namespace

int RunAuditCommand(const Words& words, std::ostream& out, std::ostream& err) {
  if (words.empty() || words[0] == "--help" || words[0] == "help") {
    (words.empty() ? err : out) << kUsage;
    return words.empty() ? kExitUsage : kExitOk;
  }
  const std::string sub = words[0];
  if (sub != "verify" && sub != "head") return Usage(err, "unknown sub-command \"" + sub + "\"");
  auto args = Args::Parse(Words(words.begin() + 1, words.end()), {"db", "expect-head"});
  if (!args.ok()) return Usage(err, args.status().message());
  auto db = args->Get("db");
  if (!db) return Usage(err, "--db PATH is required");
  if (!std::filesystem::exists(*db)) return Usage(err, "no database at " + *db);
  std::optional<ChainHead> expected;
  if (auto h = args->Get("expect-head")) {
    auto parsed = ChainHead::Parse(*h);
    if (!parsed.ok()) return Usage(err, parsed.status().message());
    expected = *parsed;
  }
  SqliteOptions options;
  options.index_interval_ms = 0;  // verifying reads; it does not index behind the back
  auto store = SqliteStore::Open(*db, options);
  if (!store.ok()) {
    err << "govassess audit: " << store.status().message() << "\n";
    return kExitFailed;
  }
  if (sub == "head") {
    auto head = (*store)->Head();
    if (!head.ok()) {
      err << "govassess audit: " << head.status().message() << "\n";
      return kExitFailed;
    }
    out << head->ToString() << "\n";
    return kExitOk;
  }
  auto verified = (*store)->VerifyJournal(expected);
  if (!verified.ok()) {
    err << "govassess audit: journal verification FAILED: " << verified.status().message() << "\n";
    return kExitFailed;
  }
  out << "ok: " << verified->seq << " events, head " << verified->hash << "\n";
  return kExitOk;
}

}  // namespace govassess
