// A small command-line parser for the govassess sub-commands: `--name value` options,
// `--flag` switches and positional words. Unknown options are errors so a typo never
// silently does something else. Not thread-safe (a value type).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/status.h"

namespace govassess {

class Args {
 public:
  // `options` take a value, `flags` do not. InvalidArgument for an unknown option or a
  // missing value.
  static Result<Args> Parse(const std::vector<std::string>& words,
                            const std::set<std::string>& options,
                            const std::set<std::string>& flags = {});

  std::optional<std::string> Get(const std::string& name) const;
  std::string GetOr(const std::string& name, const std::string& fallback) const;
  bool Has(const std::string& name) const { return values_.count(name) || flags_.count(name); }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

}  // namespace govassess
