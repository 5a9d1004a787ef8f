#include "adapters/cli/args.h"

namespace govassess {

Result<Args> Args::Parse(const std::vector<std::string>& words,
                         const std::set<std::string>& options,
                         const std::set<std::string>& flags) {
  Args a;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() > 2 && w.compare(0, 2, "--") == 0) {
      std::string name = w.substr(2), value;
      bool inline_value = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        inline_value = true;
      }
      if (flags.count(name)) {
        if (inline_value) return Status::InvalidArgument("--" + name + " takes no value");
        a.flags_.insert(name);
      } else if (options.count(name)) {
        if (!inline_value) {
          if (i + 1 >= words.size()) return Status::InvalidArgument("--" + name + " needs a value");
          value = words[++i];
        }
        a.values_[name] = value;
      } else {
        return Status::InvalidArgument("unknown option --" + name);
      }
    } else {
      a.positional_.push_back(w);
    }
  }
  return a;
}

std::optional<std::string> Args::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::GetOr(const std::string& name, const std::string& fallback) const {
  auto v = Get(name);
  return v ? *v : fallback;
}

}  // namespace govassess
