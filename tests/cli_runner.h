// Runs the storyline binary for end-to-end tests.
#ifndef STORYLINE_TESTS_CLI_RUNNER_H_
#define STORYLINE_TESTS_CLI_RUNNER_H_

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace storyline::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `binary args...` with stdout and stderr captured to files in `dir`
// and standard input read from `stdin_path`; waits for it to finish.
inline CliResult RunCli(const std::string& binary, const std::vector<std::string>& args,
                        const std::string& dir, const std::string& stdin_path = "/dev/null") {
  const std::string out_path = dir + "/cli.out";
  const std::string err_path = dir + "/cli.err";
  const pid_t pid = fork();
  if (pid == 0) {
    std::freopen(out_path.c_str(), "w", stdout);
    std::freopen(err_path.c_str(), "w", stderr);
    std::freopen(stdin_path.c_str(), "r", stdin);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFileOrEmpty(out_path);
  r.err = ReadFileOrEmpty(err_path);
  return r;
}

// A test fixture with a fresh working folder per test (kept when the test
// fails, for a look), a store path in it, and the CLI run from there.
// Fixtures derive from it and name their folder prefix.
class CliFixture : public ::testing::Test {
 protected:
  explicit CliFixture(std::string prefix) : prefix_(std::move(prefix)) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           (prefix_ + "_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "store.db").string();
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }
  CliResult Run(std::vector<std::string> args) {
    return RunCli(STORYLINE_BIN, args, dir_.string());
  }
  // Runs the CLI with standard input read from the file `stdin_path`.
  CliResult RunWithInput(std::vector<std::string> args, const std::string& stdin_path) {
    return RunCli(STORYLINE_BIN, args, dir_.string(), stdin_path);
  }
  // Writes `bytes` to `name` in the working folder; returns its path.
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  std::string prefix_;
  std::filesystem::path dir_;
  std::string db_;
};

}  // namespace storyline::testing

#endif  // STORYLINE_TESTS_CLI_RUNNER_H_
