// What the files of the `_storyline` extension share: errors turned into
// Python exceptions, conversions of times and texts, and the value classes'
// common methods.
//
// Every binding converts its Python arguments into C++ values while it holds
// the GIL, releases the GIL for the library call (cleaning, sketching, the
// duplicate index, clustering, store queries), and converts the result back
// once it holds the GIL again. Library errors come back as values
// (storyline::Result); Unwrap() throws them as StorylineException, which the
// translator registered by BindErrors() raises as the module's exception
// classes (storyline.Error and its subclasses).
#ifndef STORYLINE_PYTHON_BINDINGS_H_
#define STORYLINE_PYTHON_BINDINGS_H_

#include <pybind11/pybind11.h>

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "storyline/core/article.h"
#include "storyline/core/date.h"
#include "storyline/core/result.h"
#include "storyline/pipeline/deduplicator.h"

namespace storyline::python {

namespace py = pybind11;

// A library Error on its way to Python.
class StorylineException : public std::exception {
 public:
  explicit StorylineException(Error error) : error_(std::move(error)) {}
  const Error& error() const { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  Error error_;
};

// Throws `error` as a StorylineException.
[[noreturn]] inline void Throw(Error error) { throw StorylineException(std::move(error)); }
[[noreturn]] inline void Throw(ErrorCode code, std::string message) {
  Throw(Error{code, std::move(message)});
}

// The value of `result`, or its error thrown.
template <typename T>
T Unwrap(Result<T>&& result) {
  if (!result) Throw(std::move(result.error()));
  return std::move(*result);
}
inline void Check(const Status& status) {
  if (!status) Throw(status.error());
}

// A Python str of UTF-8 bytes, ill-formed sequences replaced by U+FFFD
// (stored and library texts are valid UTF-8; this keeps one bad byte from
// making a whole record unreadable).
py::str Str(std::string_view utf8);

// A publication time given by Python: None, a datetime (naive ones are UTC),
// a date, an ISO 8601 string, or Unix seconds (int or float). `what` names
// the argument in the error message. Raises InvalidError for anything else.
std::optional<Timestamp> ToTimestamp(py::handle value, const char* what);
// The same time as the ISO 8601 text Article::published holds ("" for None);
// an ISO 8601 string is kept as given once it parses.
std::string ToIsoText(py::handle value, const char* what);
// A timezone-aware datetime in UTC, or None.
py::object ToDatetime(std::optional<std::int64_t> seconds);

// An Article from a dict with keys id, text, title, url, source, published,
// lang (missing keys stay empty), or from a str (the text). `where` names
// the record in error messages ("record 3"). Raises InvalidError for a
// value of the wrong type.
Article ArticleFromPython(py::handle record, const std::string& where);

// A str value of a dict, "" when absent or None. Raises InvalidError when it
// is present and not a str.
std::string OptionalText(py::dict record, const char* key, const std::string& where);

// Adds `_fields`, `__repr__`, `__eq__` and `to_dict()` to a value class whose
// read-only attributes are `fields`: it then reads like a dataclass. When
// `repr_fields` is given, the repr shows only those, then "...", for classes
// with long fields (texts, digests).
void AddRecordMethods(py::handle cls, std::initializer_list<const char*> fields,
                      std::initializer_list<const char*> repr_fields = {});

// One line of an article with its role: storyline.Line, made by clean()
// and by Store.article().
struct LineValue {
  int n = 0;
  std::string role;
  std::string reason;
  std::string text;
  bool is_body = false;
};

// The dict of one article's dedup result (storyline.dedup's rows).
py::dict ResultDict(const pipeline::DedupResult& r);

// Each file's part of the module.
void BindErrors(py::module_& m);
void BindClean(py::module_& m);
void BindDedup(py::module_& m);
void BindCluster(py::module_& m);
void BindStore(py::module_& m);
void BindDistributed(py::module_& m);

}  // namespace storyline::python

#endif  // STORYLINE_PYTHON_BINDINGS_H_
