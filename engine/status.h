// Status and Result<T>: errors as values.
//
// A Status is either OK or carries a Code and a human-readable message that tells
// the user what went wrong and, where possible, what to do. Result<T> holds either a
// value or a non-OK Status. Both are cheap to copy and thread-compatible (no shared
// state).
//
// Error policy (see docs/architecture.md): expected failures — bad input, refusals,
// conflicts, missing records — are returned as values. Exceptions are reserved for
// what aborts an operation unexpectedly (I/O failure inside a transaction, broken
// invariants); internal assertions only for programmer errors.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace govassess {

enum class Code {
  kOk = 0,
  kInvalidArgument,  // malformed input; nothing was changed
  kNotFound,         // the named record does not exist
  kConflict,         // stale version or duplicate creation; nothing was changed
  kRefused,          // the domain refused the command (journaled as a refusal)
  kForbidden,        // the actor may not do this (journaled as a refusal)
  kOutOfRange,       // e.g. a date in a year the calendar does not cover
  kCorruption,       // stored data failed verification
  kUnavailable,      // storage busy or I/O failed; the command may be retried
  kUnauthenticated,  // no valid credentials or session
  kRateLimited,      // too many attempts; try again later
  kInternal,
};

// Returns the stable lower-case name of `code`, e.g. "conflict".
const char* CodeName(Code code);

class Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Status Refused(std::string m) { return {Code::kRefused, std::move(m)}; }
  static Status Forbidden(std::string m) { return {Code::kForbidden, std::move(m)}; }
  static Status OutOfRange(std::string m) { return {Code::kOutOfRange, std::move(m)}; }
  static Status Corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }
  static Status RateLimited(std::string m) { return {Code::kRateLimited, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsConflict() const { return code_ == Code::kConflict; }
  bool IsRefused() const { return code_ == Code::kRefused || code_ == Code::kForbidden; }

  // "conflict: instance plan/2026/nanning is at version 4, not 3"
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Holds a T or a non-OK Status.
// REQUIRES: a Result is never constructed from an OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}           // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}   // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  T& operator*() & { return *value_; }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace govassess
