# Decides whether the Python package (python/) is built, and finds what it
# needs: the interpreter and development headers of Python 3, and pybind11
# (Debian: python3-dev, pybind11-dev).
#
# STORYLINE_BUILD_PYTHON (ON) asks for the package; it is built when
# pybind11 and the headers are found, and skipped with a message otherwise.
# It is never built with STORYLINE_SANITIZE: an extension built with
# AddressSanitizer cannot be loaded into an uninstrumented interpreter.
#
# Python3_EXECUTABLE defaults to /usr/bin/python3, Debian's interpreter,
# where Debian's Python packages (pytest, pybind11) are installed: a python3
# found earlier on PATH (pyenv, a virtual environment) may lack them. Pass
# -DPython3_EXECUTABLE=... to build against another one.
#
# Sets STORYLINE_PYTHON_ENABLED, and turns on position-independent code for
# every target when it is ON, so that the static module libraries can be
# linked into the extension (a shared object).

set(STORYLINE_PYTHON_ENABLED OFF)

if(STORYLINE_BUILD_PYTHON AND STORYLINE_SANITIZE)
  message(STATUS "Python package: skipped in a sanitizer build (an instrumented extension "
                 "does not load into an uninstrumented interpreter)")
elseif(STORYLINE_BUILD_PYTHON)
  if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python3_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python interpreter the package is built for")
  endif()
  find_package(Python3 COMPONENTS Interpreter Development.Module QUIET)
  if(Python3_FOUND)
    # pybind11's config follows the Python3 found above (its FindPython mode).
    find_package(pybind11 2.6 CONFIG QUIET)
  endif()
  if(NOT Python3_FOUND)
    message(STATUS "Python package: skipped (no Python 3 development headers; "
                   "Debian: python3-dev)")
  elseif(NOT pybind11_FOUND)
    message(STATUS "Python package: skipped (pybind11 not found; Debian: pybind11-dev)")
  else()
    set(STORYLINE_PYTHON_ENABLED ON)
    set(CMAKE_POSITION_INDEPENDENT_CODE ON)
    message(STATUS "Python package: ${Python3_EXECUTABLE} (${Python3_VERSION}), "
                   "pybind11 ${pybind11_VERSION}")
  endif()
endif()
