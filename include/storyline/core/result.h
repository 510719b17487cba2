// Errors as values for every storyline module.
//
//   storyline::Result<Store> store = Store::Open(path);
//   if (!store) return Fail(store.error());    // propagate
//   std::cerr << store.error().ToString();       // or report
//
// Library code never throws across its public API, never prints and never
// exits: it returns Result<T>. The CLI and the server turn an Error into a
// message and an exit code / HTTP status in one place each.
#ifndef STORYLINE_CORE_RESULT_H_
#define STORYLINE_CORE_RESULT_H_

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace storyline {

// What went wrong, coarse enough for callers to branch on.
enum class ErrorCode {
  kInvalidArgument,  // a caller passed something the API does not accept
  kInvalidInput,     // user data is malformed (bad JSON, bad UTF-8, empty text)
  kNotFound,         // a file, record or id does not exist
  kIo,               // the operating system refused a read or write
  kStore,            // the embedded database failed
  kUnsupported,      // a format or feature this build does not handle
  kInternal,         // a broken invariant inside storyline
  kBusy,             // another writer holds the store longer than the caller waits
  kCancelled,        // the caller's deadline passed or it stopped waiting
};

// Short stable name of a code ("invalid_input"), for logs and JSON.
std::string_view ErrorCodeName(ErrorCode code);

// An error with a human-readable message that names the file, line or field
// concerned where there is one.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  // "invalid_input: news.jsonl:12: missing field 'text'"
  std::string ToString() const;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Result<void> with a shorter name for operations that return nothing.
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

// Propagates an error into any Result<T>: `return Fail(other.error());`.
inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

inline Status Ok() { return {}; }

}  // namespace storyline

#endif  // STORYLINE_CORE_RESULT_H_
