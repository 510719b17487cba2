// Runs the storyline binary for end-to-end tests.
#ifndef STORYLINE_TESTS_CLI_RUNNER_H_
#define STORYLINE_TESTS_CLI_RUNNER_H_

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
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

// Runs `binary args...` with stdout and stderr captured to files in `dir`;
// waits for it to finish.
inline CliResult RunCli(const std::string& binary, const std::vector<std::string>& args,
                        const std::string& dir) {
  const std::string out_path = dir + "/cli.out";
  const std::string err_path = dir + "/cli.err";
  const pid_t pid = fork();
  if (pid == 0) {
    std::freopen(out_path.c_str(), "w", stdout);
    std::freopen(err_path.c_str(), "w", stderr);
    std::freopen("/dev/null", "r", stdin);
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

}  // namespace storyline::testing

#endif  // STORYLINE_TESTS_CLI_RUNNER_H_
