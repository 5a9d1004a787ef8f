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

}  // namespace govassess
