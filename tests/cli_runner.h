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

// A CLI process started by StartCli.
struct CliProcess {
  pid_t pid = -1;
  std::string out_path;
  std::string err_path;
};

// Starts `binary args...` with stdout and stderr captured to
// `dir`/`tag`.out and .err, standard input read from `stdin_path`, and the
// NAME=VALUE entries of `env` added to its environment; does not wait.
inline CliProcess StartCli(const std::string& binary, const std::vector<std::string>& args,
                           const std::string& dir, const std::string& tag = "cli",
                           const std::string& stdin_path = "/dev/null",
                           const std::vector<std::string>& env = {}) {
  CliProcess p;
  p.out_path = dir + "/" + tag + ".out";
  p.err_path = dir + "/" + tag + ".err";
  p.pid = fork();
  if (p.pid == 0) {
    std::freopen(p.out_path.c_str(), "w", stdout);
    std::freopen(p.err_path.c_str(), "w", stderr);
    std::freopen(stdin_path.c_str(), "r", stdin);
    for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return p;
}

// Waits for a process of StartCli; its exit code (128 + signal when killed)
// and output.
inline CliResult WaitCli(const CliProcess& p) {
  int status = 0;
  waitpid(p.pid, &status, 0);
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFileOrEmpty(p.out_path);
  r.err = ReadFileOrEmpty(p.err_path);
  return r;
}

// Runs `binary args...` with stdout and stderr captured to files in `dir`
// and standard input read from `stdin_path`; waits for it to finish.
inline CliResult RunCli(const std::string& binary, const std::vector<std::string>& args,
                        const std::string& dir, const std::string& stdin_path = "/dev/null") {
  return WaitCli(StartCli(binary, args, dir, "cli", stdin_path));
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
