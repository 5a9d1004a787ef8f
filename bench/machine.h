// What machine a benchmark ran on, for the record.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace govassess {

// {"cpus", "cpu_model", "memory_gb", "filesystem_dir", "kernel"} as far as /proc tells.
nlohmann::json MachineInfo(const std::string& data_dir);

// Peak resident set size of this process in MB (VmHWM).
double PeakRssMb();

}  // namespace govassess
