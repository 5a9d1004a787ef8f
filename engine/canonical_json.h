// Canonical JSON text, written without building temporary values.
//
// "Canonical" is what the journal hashes and the store keeps: the compact dump of a
// value with object keys in sorted order, UTF-8 kept as it is and invalid UTF-8
// replaced by U+FFFD — byte for byte what
//   Json::dump(-1, ' ', false, Json::error_handler_t::replace)
// writes (nlohmann::json keeps object keys sorted). The functions here write the same
// bytes faster: strings that need no escaping are copied as they are, nothing is
// allocated but the output, and a JSON patch is written while the two values are
// compared instead of being built as a value first. Tests hold them to nlohmann's
// output on generated values, invalid UTF-8 and numbers included.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/types.h"

namespace govassess {

// Appends the canonical text of `value`.
void AppendJson(std::string* out, const Json& value);
// Appends `s` as a canonical JSON string (quoted, escaped).
void AppendJsonString(std::string* out, std::string_view s);
// Appends an integer as JSON.
void AppendJsonInt(std::string* out, int64_t value);

// The canonical text of `value`.
std::string CanonicalJson(const Json& value);

// Appends the canonical text of Json::diff(before, after) — the same RFC 6902 patch,
// the same operations in the same order — without building the patch or comparing a
// subtree more than once. With `approx_growth`, also sets it to
// ApproxTextBytes(after) - ApproxTextBytes(before), from the parts that differ only.
void AppendJsonDiff(std::string* out, const Json& before, const Json& after,
                    std::ptrdiff_t* approx_growth = nullptr);

// About how many bytes `value` takes as compact JSON text: its strings and keys, and a
// few bytes per other value. A walk of the tree, far cheaper than writing it.
size_t ApproxTextBytes(const Json& value);

// `object[key]` read in place, for reading: Json::value copies what it returns (a whole
// report, plan or configuration). Null when `object` is not an object or has no such
// member — what value(key, Json()) returns, without the copy.
const Json& Member(const Json& object, std::string_view key);

}  // namespace govassess
