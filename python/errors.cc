// Exceptions, conversions of times, texts and articles, and the value
// classes' common methods.
#include <cmath>
#include <string>

#include "bindings.h"

namespace storyline::python {
namespace {

// The exception classes, created once at import and kept for the life of
// the process (the module holds them too).
struct ExceptionTypes {
  PyObject* error = nullptr;
  PyObject* invalid = nullptr;
  PyObject* not_found = nullptr;
  PyObject* store = nullptr;
};
ExceptionTypes exception_types;

PyObject* TypeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidInput:
      return exception_types.invalid;
    case ErrorCode::kNotFound:
      return exception_types.not_found;
    case ErrorCode::kIo:
    case ErrorCode::kStore:
    case ErrorCode::kBusy:
      return exception_types.store;
    case ErrorCode::kUnsupported:
    case ErrorCode::kInternal:
    case ErrorCode::kCancelled:
      break;
  }
  return exception_types.error;
}

// A new exception class `storyline.<name>` deriving from `bases`.
PyObject* NewException(py::module_& m, const char* name, const char* doc, py::tuple bases) {
  const std::string qualified = std::string("storyline.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
  if (type == nullptr) throw py::error_already_set();
  m.add_object(name, py::reinterpret_borrow<py::object>(type));
  return type;  // the reference PyErr_NewExceptionWithDoc returned stays held
}

py::object DatetimeModule() { return py::module_::import("datetime"); }

}  // namespace

py::str Str(std::string_view utf8) {
  PyObject* s = PyUnicode_DecodeUTF8(utf8.data(), static_cast<Py_ssize_t>(utf8.size()), "replace");
  if (s == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(s);
}

std::optional<Timestamp> ToTimestamp(py::handle value, const char* what) {
  if (value.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(value)) {
    const std::string text = value.cast<std::string>();
    Result<Timestamp> t = ParseIso8601(text);
    if (!t) Throw(ErrorCode::kInvalidInput, std::string(what) + ": " + t.error().message);
    return *t;
  }
  if (PyBool_Check(value.ptr())) {
    Throw(ErrorCode::kInvalidArgument, std::string(what) + ": a time, not a bool");
  }
  if (py::isinstance<py::int_>(value)) return value.cast<std::int64_t>();
  if (py::isinstance<py::float_>(value)) {
    const double seconds = value.cast<double>();
    if (!std::isfinite(seconds)) {
      Throw(ErrorCode::kInvalidArgument, std::string(what) + ": not a finite number of seconds");
    }
    return static_cast<Timestamp>(std::floor(seconds));
  }
  py::object datetime = DatetimeModule();
  if (py::isinstance(value, datetime.attr("datetime"))) {
    py::object dt = py::reinterpret_borrow<py::object>(value);
    if (dt.attr("tzinfo").is_none()) {
      dt = dt.attr("replace")(py::arg("tzinfo") = datetime.attr("timezone").attr("utc"));
    }
    return static_cast<Timestamp>(std::floor(dt.attr("timestamp")().cast<double>()));
  }
  if (py::isinstance(value, datetime.attr("date"))) {
    const CivilDate day{value.attr("year").cast<int>(), value.attr("month").cast<int>(),
                        value.attr("day").cast<int>()};
    return FromCivilDate(day);
  }
  Throw(ErrorCode::kInvalidArgument,
        std::string(what) +
            ": expected None, a datetime, a date, an ISO 8601 str or Unix seconds, got " +
            py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>());
}

std::string ToIsoText(py::handle value, const char* what) {
  if (value.is_none()) return "";
  if (py::isinstance<py::str>(value)) {
    std::string text = value.cast<std::string>();
    if (text.empty()) return text;
    ToTimestamp(value, what);  // refuses what is not ISO 8601, as the readers do
    return text;
  }
  const std::optional<Timestamp> t = ToTimestamp(value, what);
  return t ? FormatTimestamp(*t) : "";
}

py::object ToDatetime(std::optional<std::int64_t> seconds) {
  if (!seconds) return py::none();
  py::object datetime = DatetimeModule();
  return datetime.attr("datetime")
      .attr("fromtimestamp")(*seconds, datetime.attr("timezone").attr("utc"));
}

std::string OptionalText(py::dict record, const char* key, const std::string& where) {
  if (!record.contains(key)) return "";
  py::handle value = record[key];
  if (value.is_none()) return "";
  if (!py::isinstance<py::str>(value)) {
    Throw(ErrorCode::kInvalidInput,
          where + ": '" + key + "' must be a str, not " +
              py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>());
  }
  return value.cast<std::string>();
}

Article ArticleFromPython(py::handle record, const std::string& where) {
  Article a;
  if (py::isinstance<py::str>(record)) {
    a.text = record.cast<std::string>();
    return a;
  }
  if (!py::isinstance<py::dict>(record)) {
    Throw(ErrorCode::kInvalidInput,
          where + ": expected a dict or a str, not " +
              py::str(py::type::handle_of(record).attr("__name__")).cast<std::string>());
  }
  py::dict d = py::reinterpret_borrow<py::dict>(record);
  a.id = OptionalText(d, "id", where);
  a.title = OptionalText(d, "title", where);
  a.text = OptionalText(d, "text", where);
  a.url = OptionalText(d, "url", where);
  a.source = OptionalText(d, "source", where);
  a.lang = OptionalText(d, "lang", where);
  if (d.contains("published"))
    a.published = ToIsoText(d["published"], (where + ": published").c_str());
  return a;
}

py::tuple Names(std::initializer_list<const char*> fields) {
  py::tuple names(fields.size());
  std::size_t i = 0;
  for (const char* f : fields) names[i++] = py::str(f);
  return names;
}

void AddRecordMethods(py::handle cls, std::initializer_list<const char*> fields,
                      std::initializer_list<const char*> repr_fields) {
  py::setattr(cls, "_fields", Names(fields));
  const bool short_repr = repr_fields.size() > 0;
  py::setattr(cls, "_repr_fields", short_repr ? Names(repr_fields) : Names(fields));
  py::setattr(cls, "to_dict",
              py::cpp_function(
                  [](py::handle self) {
                    py::dict out;
                    for (py::handle f : self.attr("_fields")) out[f] = self.attr(f);
                    return out;
                  },
                  py::is_method(cls), py::name("to_dict"),
                  py::doc("The fields as a dict (nested values as they are).")));
  py::setattr(cls, "__repr__",
              py::cpp_function(
                  [short_repr](py::handle self) {
                    std::string out =
                        py::str(py::type::handle_of(self).attr("__name__")).cast<std::string>();
                    out += '(';
                    bool first = true;
                    for (py::handle f : self.attr("_repr_fields")) {
                      if (!first) out += ", ";
                      first = false;
                      out += f.cast<std::string>();
                      out += '=';
                      out += py::repr(self.attr(f)).cast<std::string>();
                    }
                    out += short_repr ? ", ...)" : ")";
                    return out;
                  },
                  py::is_method(cls), py::name("__repr__")));
  py::setattr(cls, "__eq__",
              py::cpp_function(
                  [](py::handle self, py::handle other) -> py::object {
                    if (!py::type::handle_of(self).is(py::type::handle_of(other))) {
                      return py::reinterpret_borrow<py::object>(Py_NotImplemented);
                    }
                    return py::bool_(self.attr("to_dict")().equal(other.attr("to_dict")()));
                  },
                  py::is_method(cls), py::name("__eq__")));
  py::setattr(cls, "__hash__", py::none());
}

void BindErrors(py::module_& m) {
  exception_types.error =
      NewException(m, "Error",
                   "An error reported by storyline. `code` is its short name (\"invalid_input\", "
                   "\"not_found\", \"store\", ...); str(error) is the message.",
                   py::make_tuple(py::reinterpret_borrow<py::object>(PyExc_Exception)));
  py::handle base(exception_types.error);
  exception_types.invalid =
      NewException(m, "InvalidError",
                   "An argument or input the library does not accept (codes invalid_argument, "
                   "invalid_input); also a ValueError.",
                   py::make_tuple(base, py::reinterpret_borrow<py::object>(PyExc_ValueError)));
  exception_types.not_found = NewException(
      m, "NotFoundError", "A file, record or id that does not exist; also a LookupError.",
      py::make_tuple(base, py::reinterpret_borrow<py::object>(PyExc_LookupError)));
  exception_types.store = NewException(
      m, "StoreError",
      "The store or the operating system failed (codes store, io, busy); also an OSError.",
      py::make_tuple(base, py::reinterpret_borrow<py::object>(PyExc_OSError)));

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StorylineException& e) {
      PyObject* type = TypeFor(e.error().code);
      py::object exc = py::reinterpret_borrow<py::object>(type)(Str(e.error().message));
      exc.attr("code") = py::str(std::string(ErrorCodeName(e.error().code)));
      PyErr_SetObject(type, exc.ptr());
    }
  });
}

}  // namespace storyline::python
