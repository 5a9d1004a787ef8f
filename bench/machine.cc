#include "bench/machine.h"

#include <sys/resource.h>
#include <sys/utsname.h>

#include <cmath>
#include <fstream>
#include <thread>

namespace govassess {
namespace {

std::string ProcField(const std::string& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) == 0) {
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      auto v = line.substr(colon + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      return v;
    }
  }
  return "";
}

}  // namespace

nlohmann::json MachineInfo(const std::string& data_dir) {
  utsname u{};
  uname(&u);
  double mem_kb = std::atof(ProcField("/proc/meminfo", "MemTotal").c_str());
  return {{"cpus", std::thread::hardware_concurrency()},
          {"cpu_model", ProcField("/proc/cpuinfo", "model name")},
          {"memory_gb", std::round(mem_kb / 1024 / 1024 * 10) / 10},
          {"kernel", std::string(u.release)},
          {"data_dir", data_dir}};
}

double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

HostCpu HostCpuNow() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  HostCpu h;
  if (!(in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal) ||
      cpu != "cpu") {
    return h;
  }
  h.busy = user + nice + system + irq + softirq;
  h.idle = idle + iowait;
  h.steal = steal;
  return h;
}

nlohmann::json HostCpuShares(const HostCpu& before, const HostCpu& after) {
  const double total = after.total() - before.total();
  if (total <= 0) return nullptr;
  auto share = [&](double a, double b) { return std::round((a - b) / total * 1000) / 1000; };
  return {{"busy", share(after.busy, before.busy)},
          {"idle", share(after.idle, before.idle)},
          {"steal", share(after.steal, before.steal)}};
}

double PeakRssMb() {
  double kb = std::atof(ProcField("/proc/self/status", "VmHWM").c_str());
  return std::round(kb / 1024 * 10) / 10;
}

}  // namespace govassess
