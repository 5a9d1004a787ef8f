// Small statistics the benchmarks share.
#pragma once

#include <vector>

namespace govassess {

// The value below which a fraction q (0..1) of `values` lies (nearest rank); 0 when
// there are none. Takes a copy: it sorts.
double Percentile(std::vector<double> values, double q);

}  // namespace govassess
