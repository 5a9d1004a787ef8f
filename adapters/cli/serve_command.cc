#include <optional>
#include <ostream>

#include "adapters/cli/app.h"
#include "adapters/cli/args.h"
#include "adapters/cli/commands.h"
#include "adapters/cli/demo.h"
#include "adapters/http/server.h"
#include "adapters/notify/channel_notifier.h"
#include "adapters/notify/delivery_loop.h"
#include "engine/periodic.h"
#include "engine/timer_loop.h"
#include "workflows/calendar_workflow.h"
#include "workflows/delivery_dispatcher.h"

namespace govassess {

int RunServeCommand(const Words& words, std::ostream& out, std::ostream& err) {
  auto args = Args::Parse(words, {"port", "db", "host", "threads", "calendar", "notify"}, {"help", "demo"});
  if (!args.ok()) {
    err << "govassess serve: " << args.status().message() << "\n";
    return kExitUsage;
  }
  if (args->Has("help")) {
    out << "usage: govassess serve [--port 8080] [--db var/govassess.db] [--host 127.0.0.1]\n"
           "                       [--threads 16] [--calendar calendars/cn.json] [--demo]\n"
           "                       [--notify notify.json]\n"
           "--demo loads a realistic data set into an empty database and prints one user per\n"
           "role with a one-time password (changed at first sign-in).\n"
           "--notify names the delivery configuration: the SMTP server, webhooks, retries and\n"
           "the daily digest time (docs/notifications.md). Without it reminders reach the\n"
           "in-app inbox only.\n";
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
  std::optional<notify::NotifyConfig> notify_config;
  if (auto path = args->Get("notify")) {
    auto loaded = notify::LoadNotifyConfigFile(*path);
    if (!loaded.ok()) {
      err << "govassess serve: " << loaded.status().message() << "\n";
      return kExitUsage;
    }
    notify_config = std::move(*loaded);
  }
  if (args->Has("demo")) {
    // Loaded on its own clock (the dates of its history), before the server opens.
    Status s = LoadDemo(options.db_path, args->GetOr("calendar", ""), out);
    if (!s.ok()) {
      err << "govassess serve: the demo could not load: " << s.message() << "\n";
      return kExitFailed;
    }
  }
  auto app = App::Open(options.db_path, args->GetOr("calendar", ""));
  if (!app.ok()) {
    err << "govassess serve: " << app.status().message() << "\n";
    return kExitFailed;
  }
  // Deadlines move by themselves: due timers fire in the background, exactly once.
  TimerLoop timers((*app)->engine(), (*app)->engine()->clock(), 1000, [&err](const Status& s) {
    err << "govassess serve: firing due timers failed (retrying): " << s.message() << "\n";
  });
  timers.Start();
  // Reminders leave by themselves too: mails and webhook posts, retried with back-off.
  Status synced = notify::SyncNotifySettings(
      (*app)->engine(), notify::NotifySettings(notify_config ? &*notify_config : nullptr));
  if (!synced.ok()) {
    err << "govassess serve: the notification settings could not be recorded: "
        << synced.message() << "\n";
    return kExitFailed;
  }
  notify::ChannelNotifier notifier(notify_config.value_or(notify::NotifyConfig{}),
                                   (*app)->engine()->clock());
  workflows::DeliveryDispatcher dispatcher((*app)->engine(), &notifier,
                                           notify_config ? notify_config->link_base : "");
  notify::DeliveryLoop deliveries(&dispatcher, 1000, [&err](const Status& s) {
    err << "govassess serve: sending reminders failed (retrying): " << s.message() << "\n";
  });
  deliveries.Start();
  // A calendar year loaded or withdrawn through another process sharing the database
  // (a second server, `govassess calendar load`) counts here within a second.
  PeriodicLoop calendar_watch(
      1000,
      [&app] {
        return workflows::PutStoredCalendar((*app)->engine(), (*app)->calendar_in_force());
      },
      [&err](const Status& s) {
        err << "govassess serve: the stored calendar could not be put in force (retrying): "
            << s.message() << "\n";
      });
  calendar_watch.Start();
  Metrics metrics;
  ServiceContext ctx{(*app)->store(),    (*app)->engine(),           (*app)->auth(), &metrics, &out,
                     (*app)->registry(), (*app)->calendar_in_force()};
  return RunServer(options, ctx, out, err);
}

}  // namespace govassess
