# Finds the Debian packages storyline builds against and exposes each as an
# imported target named storyline::dep::<name>. scripts/install-deps.sh
# installs them; nothing is downloaded at configure or build time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

find_package(ICU 72 REQUIRED COMPONENTS uc i18n data)
find_package(SQLite3 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(tl-expected REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(simdjson REQUIRED)
find_package(CLI11 CONFIG QUIET)

pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)

function(_storyline_plain_library name header lib)
  find_path(${name}_INCLUDE_DIR ${header} REQUIRED)
  find_library(${name}_LIBRARY ${lib} REQUIRED)
  add_library(storyline::dep::${name} UNKNOWN IMPORTED GLOBAL)
  set_target_properties(storyline::dep::${name} PROPERTIES
    IMPORTED_LOCATION "${${name}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${${name}_INCLUDE_DIR}")
endfunction()

_storyline_plain_library(cld2 cld2/public/compact_lang_det.h cld2)
_storyline_plain_library(stemmer libstemmer.h stemmer)

add_library(storyline::dep::icu INTERFACE IMPORTED GLOBAL)
target_link_libraries(storyline::dep::icu INTERFACE ICU::uc ICU::i18n ICU::data)
add_library(storyline::dep::sqlite INTERFACE IMPORTED GLOBAL)
target_link_libraries(storyline::dep::sqlite INTERFACE SQLite::SQLite3)
add_library(storyline::dep::xxhash INTERFACE IMPORTED GLOBAL)
target_link_libraries(storyline::dep::xxhash INTERFACE PkgConfig::XXHASH)
add_library(storyline::dep::zstd INTERFACE IMPORTED GLOBAL)
target_link_libraries(storyline::dep::zstd INTERFACE PkgConfig::ZSTD)
add_library(storyline::dep::gumbo INTERFACE IMPORTED GLOBAL)
target_link_libraries(storyline::dep::gumbo INTERFACE PkgConfig::GUMBO)
add_library(storyline::dep::zlib INTERFACE IMPORTED GLOBAL)
target_link_libraries(storyline::dep::zlib INTERFACE ZLIB::ZLIB)
add_library(storyline::dep::expected INTERFACE IMPORTED GLOBAL)
target_link_libraries(storyline::dep::expected INTERFACE tl::expected)
add_library(storyline::dep::json INTERFACE IMPORTED GLOBAL)
target_link_libraries(storyline::dep::json INTERFACE nlohmann_json::nlohmann_json)
add_library(storyline::dep::simdjson INTERFACE IMPORTED GLOBAL)
target_link_libraries(storyline::dep::simdjson INTERFACE simdjson::simdjson)

# CLI11 is header-only in Debian.
add_library(storyline::dep::cli11 INTERFACE IMPORTED GLOBAL)
if(TARGET CLI11::CLI11)
  target_link_libraries(storyline::dep::cli11 INTERFACE CLI11::CLI11)
else()
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  target_include_directories(storyline::dep::cli11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()
# Debian's cpp-httplib is a compiled library whose class layout depends on
# the CPPHTTPLIB_*_SUPPORT macros it was built with; its pkg-config file
# carries them, so every user of httplib.h must come through it.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_library(storyline::dep::httplib INTERFACE IMPORTED GLOBAL)
target_link_libraries(storyline::dep::httplib INTERFACE PkgConfig::HTTPLIB Threads::Threads)

if(STORYLINE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(STORYLINE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
