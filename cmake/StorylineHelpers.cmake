# One-line helpers for modules, tests and benchmarks.

# Flags every storyline target gets.
add_library(storyline_flags INTERFACE)
target_compile_options(storyline_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual
  -Wimplicit-fallthrough)
# Not -Wnull-dereference: at -O2 GCC 12 reports it inside nlohmann-json's
# inlined accessors, where no null pointer exists.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 reports -Wrestrict false positives inside libstdc++'s string
  # concatenation at -O2 (GCC bug 105329); they are not ours to fix.
  target_compile_options(storyline_flags INTERFACE -Wno-restrict)
endif()
if(CMAKE_POSITION_INDEPENDENT_CODE)
  # Position-independent code (for the Python extension) lets every exported
  # function be interposed at load time, which keeps GCC from inlining calls
  # between them; nothing here relies on interposition.
  target_compile_options(storyline_flags INTERFACE -fno-semantic-interposition)
endif()
if(STORYLINE_WERROR)
  target_compile_options(storyline_flags INTERFACE -Werror)
endif()
if(STORYLINE_SANITIZE)
  target_compile_options(storyline_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(storyline_flags INTERFACE -fsanitize=address,undefined)
endif()

# storyline_add_module(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Creates library target storyline_<NAME> (alias storyline::<NAME>).
function(storyline_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(storyline_${name} STATIC ${ARG_SOURCES})
  add_library(storyline::${name} ALIAS storyline_${name})
  target_include_directories(storyline_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(storyline_${name} PUBLIC ${ARG_PUBLIC_DEPS}
    PRIVATE storyline_flags ${ARG_PRIVATE_DEPS})
endfunction()

# storyline_add_test(NAME SOURCES ... DEPS ...): a GoogleTest binary
# registered with CTest. Tests run from the build directory; the variable
# STORYLINE_SHARED_DIR (../shared next to the checkout) is passed in the
# environment as STORYLINE_SHARED and the source root as STORYLINE_SOURCE.
function(storyline_add_test name)
  if(NOT STORYLINE_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE storyline_flags ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT
    "STORYLINE_SOURCE=${PROJECT_SOURCE_DIR};STORYLINE_SHARED=${STORYLINE_SHARED_DIR}")
endfunction()

# storyline_add_bench(NAME SOURCES ... DEPS ...): a Google Benchmark binary.
function(storyline_add_bench name)
  if(NOT STORYLINE_BUILD_BENCH)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE storyline_flags ${ARG_DEPS} benchmark::benchmark benchmark::benchmark_main)
endfunction()

get_filename_component(_storyline_default_shared "${PROJECT_SOURCE_DIR}/../shared" ABSOLUTE)
set(STORYLINE_SHARED_DIR "${_storyline_default_shared}" CACHE PATH "Folder with seeds/ and data/")
