#include <ostream>

#include "adapters/cli/app.h"
#include "adapters/cli/args.h"
#include "adapters/cli/demo.h"
#include "engine/timer_loop.h"
#include "adapters/cli/commands.h"
#include "adapters/http/server.h"

namespace govassess {

int RunServeCommand(const Words& words, std::ostream& out, std::ostream& err) {
  auto args = Args::Parse(words, {"port", "db", "host", "threads", "calendar"}, {"help", "demo"});
  if (!args.ok()) {
    err << "govassess serve: " << args.status().message() << "\n";
    return kExitUsage;
  }
  if (args->Has("help")) {
    out << "usage: govassess serve [--port 8080] [--db var/govassess.db] [--host 127.0.0.1]\n"
           "                       [--threads 16] [--calendar calendars/cn.json] [--demo]\n"
           "--demo loads a realistic data set into an empty database and prints one user per\n"
           "role with an initial password.\n";
    return kExitOk;
  }
  ServerOptions options;
  options.db_path = args->GetOr("db", options.db_path);
  options.host = args->GetOr("host", options.host);
  for (auto [name, target, lo, hi] : {std::tuple{"port", &options.port, 0, 65535},
                                      std::tuple{"threads", &options.threads, 1, 256}}) {
    if (auto v = args->Get(name)) {
      try {
        size_t used = 0;
        int n = std::stoi(*v, &used);
        if (used != v->size() || n < lo || n > hi) throw std::out_of_range(name);
        *target = n;
      } catch (const std::exception&) {
        err << "govassess serve: --" << name << " must be a whole number from " << lo << " to "
            << hi << ", got \"" << *v << "\"\n";
        return kExitUsage;
      }
    }
  }
  auto app = App::Open(options.db_path, args->GetOr("calendar", ""));
  if (!app.ok()) {
    err << "govassess serve: " << app.status().message() << "\n";
    return kExitFailed;
  }
  if (args->Has("demo")) {
    Status s = LoadDemo(**app, out);
    if (!s.ok()) {
      err << "govassess serve: the demo could not load: " << s.message() << "\n";
      return kExitFailed;
    }
  }
  // Deadlines move by themselves: due timers fire in the background, exactly once.
  TimerLoop timers((*app)->engine(), (*app)->engine()->clock(), 1000, [&err](const Status& s) {
    err << "govassess serve: firing due timers failed (retrying): " << s.message() << "\n";
  });
  timers.Start();
  Metrics metrics;
  ServiceContext ctx{(*app)->store(), (*app)->engine(), (*app)->auth(), &metrics, &out,
                     (*app)->registry(), &(*app)->calendar()};
  return RunServer(options, ctx, out, err);
}

}  // namespace govassess
