// The shape of a storyline subcommand. Each subcommand is a class in its own
// file with typed options, registered in main.cc's list. Commands return an
// exit status or an Error; main.cc alone turns errors into messages and exit
// codes.
#ifndef STORYLINE_APPS_STORYLINE_COMMAND_H_
#define STORYLINE_APPS_STORYLINE_COMMAND_H_

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "storyline/core/result.h"

namespace storyline::cli {

// Exit codes of the storyline binary (documented in README.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,    // the command failed; nothing or part was done (see message)
  kExitUsage = 2,    // bad command line
  kExitSkipped = 3,  // the command completed but skipped bad input records
  kExitBusy = 4,     // another process was writing the store and did not finish in time
};

class Command {
 public:
  virtual ~Command() = default;
  // Adds the command's options to its CLI11 subcommand.
  virtual void Configure(CLI::App& app) = 0;
  // Runs after parsing; returns an exit code or an error.
  virtual Result<int> Run() = 0;
};

std::unique_ptr<Command> MakeIngestCommand();
std::unique_ptr<Command> MakeExportCommand();
std::unique_ptr<Command> MakeCleanCommand();
std::unique_ptr<Command> MakeDedupCommand();
std::unique_ptr<Command> MakeStoriesCommand();
std::unique_ptr<Command> MakeShowCommand();
std::unique_ptr<Command> MakeDupsCommand();
std::unique_ptr<Command> MakeEvalCommand();
std::unique_ptr<Command> MakeSearchCommand();
std::unique_ptr<Command> MakeServeCommand();
std::unique_ptr<Command> MakeBenchCommand();

}  // namespace storyline::cli

#endif  // STORYLINE_APPS_STORYLINE_COMMAND_H_
