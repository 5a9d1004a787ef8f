// What machine a benchmark ran on, for the record.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace govassess {

// {"cpus", "cpu_model", "memory_gb", "filesystem_dir", "kernel"} as far as /proc tells.
nlohmann::json MachineInfo(const std::string& data_dir);

// Peak resident set size of this process in MB (VmHWM).
double PeakRssMb();

// CPU time (user + system) this process has used so far, in seconds: steadier than
// wall-clock rates on a shared machine, where other tenants take the cores away.
double ProcessCpuSeconds();

// The whole machine's CPU time so far, by kind, from /proc/stat (clock ticks; all zero
// where it cannot be read).
struct HostCpu {
  double busy = 0;    // user, nice, system, irq, softirq: any process's, this one's too
  double idle = 0;    // idle and waiting for the disk
  double steal = 0;   // taken by the hypervisor for other tenants
  double total() const { return busy + idle + steal; }
};
HostCpu HostCpuNow();

// What share of the machine's CPU time between `before` and `after` was busy, idle and
// stolen: {"busy", "idle", "steal"} fractions summing to 1 (null when unknown). A run
// with much stolen was slowed by the host, whatever this program did.
nlohmann::json HostCpuShares(const HostCpu& before, const HostCpu& after);

}  // namespace govassess
