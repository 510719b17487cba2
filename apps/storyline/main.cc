// storyline: turns a stream of news articles into clean, de-duplicated
// stories. See README.md and `storyline --help`.
#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

#include "command.h"
#include "storyline/core/result.h"

namespace storyline::cli {
namespace {

struct Entry {
  const char* name;
  const char* help;
  std::unique_ptr<Command> (*make)();
};

// Every subcommand, in the order --help lists them.
const Entry kCommands[] = {
    {"ingest", "Read articles (txt, jsonl[.gz|.zst], html, warc[.gz], directories) into the store", MakeIngestCommand},
    {"dedup", "Find the duplicate groups of a corpus, one JSON line per article (no store needed)", MakeDedupCommand},
    {"clean", "Print line roles and bodies of articles (no store needed)", MakeCleanCommand},
    {"stories", "List stories, newest and largest first", MakeStoriesCommand},
    {"show", "Show one story's digest", MakeShowCommand},
    {"dups", "List duplicate groups with relation, scores and evidence", MakeDupsCommand},
    {"eval", "Score stories and duplicate groups against gold labels", MakeEvalCommand},
    {"export", "Write the store's articles as JSON, JSONL or Markdown", MakeExportCommand},
    {"search", "Full-text search over articles and stories", MakeSearchCommand},
    {"serve", "Serve the HTTP JSON API and the web page", MakeServeCommand},
    {"bench", "Measure the pipeline on generated corpora", MakeBenchCommand},
};

// The one place where errors become messages and exit codes.
int ReportError(const Error& error) {
  std::fprintf(stderr, "storyline: error: %s\n", error.message.c_str());
  switch (error.code) {
    case ErrorCode::kInvalidArgument: return kExitUsage;
    case ErrorCode::kBusy:
      return kExitBusy;
    default: return kExitError;
  }
}

int Main(int argc, char** argv) {
  CLI::App app{"storyline: turns a stream of news articles into clean, de-duplicated stories",
               "storyline"};
  app.set_version_flag("--version", std::string("storyline ") + STORYLINE_VERSION);
  app.require_subcommand(1);
  app.footer("Run 'storyline COMMAND --help' for the options of a command.");
  std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> commands;
  for (const Entry& e : kCommands) {
    CLI::App* sub = app.add_subcommand(e.name, e.help);
    std::unique_ptr<Command> cmd = e.make();
    cmd->Configure(*sub);
    commands.emplace_back(sub, std::move(cmd));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  for (auto& [sub, cmd] : commands) {
    if (!sub->parsed()) continue;
    Result<int> rc = cmd->Run();
    if (!rc) return ReportError(rc.error());
    return *rc;
  }
  return kExitUsage;
}

}  // namespace
}  // namespace storyline::cli

int main(int argc, char** argv) { return storyline::cli::Main(argc, argv); }
