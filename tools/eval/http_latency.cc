// http_latency: request latency of a running storyline server, per path.
//
//   http_latency [--host 127.0.0.1] [--port 8080] [--requests 200]
//                [--token T] PATH...
//
// Sends each PATH (e.g. "/api/search?q=police") --requests times over one
// kept-alive connection, the paths interleaved so that a slow moment of the
// machine spreads over all of them, after one warm-up request each; prints
// per path the status, the answer's size and p50 / p90 / p99 / max in
// milliseconds. Exits 1 when any request fails or answers other than 200.
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: http_latency [--host H] [--port P] [--requests N] [--token T] PATH...\n");
  return 2;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 8080;
  int requests = 200;
  std::string token;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--host" || a == "--port" || a == "--requests" || a == "--token") {
      const char* v = value();
      if (v == nullptr) return Usage();
      if (a == "--host") host = v;
      if (a == "--port") port = std::atoi(v);
      if (a == "--requests") requests = std::atoi(v);
      if (a == "--token") token = v;
    } else if (!a.empty() && a[0] == '/') {
      paths.push_back(a);
    } else {
      return Usage();
    }
  }
  if (paths.empty() || requests <= 0) return Usage();
  httplib::Client client(host, port);
  client.set_keep_alive(true);
  client.set_read_timeout(60, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);

  struct PathStats {
    std::vector<double> ms;
    int status = 0;
    std::size_t bytes = 0;
  };
  std::vector<PathStats> stats(paths.size());
  bool failed = false;
  for (int round = -1; round < requests; ++round) {
    for (std::size_t p = 0; p < paths.size(); ++p) {
      const auto t0 = std::chrono::steady_clock::now();
      httplib::Result r = client.Get(paths[p], headers);
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (!r) {
        std::fprintf(stderr, "%s: %s\n", paths[p].c_str(), httplib::to_string(r.error()).c_str());
        return 1;
      }
      stats[p].status = r->status;
      stats[p].bytes = r->body.size();
      if (r->status != 200) failed = true;
      if (round >= 0) stats[p].ms.push_back(ms);
    }
  }
  std::printf("%-60s %6s %9s %8s %8s %8s %8s\n", "path", "status", "bytes", "p50 ms", "p90 ms",
              "p99 ms", "max ms");
  for (std::size_t p = 0; p < paths.size(); ++p) {
    const PathStats& s = stats[p];
    std::printf("%-60s %6d %9zu %8.1f %8.1f %8.1f %8.1f\n", paths[p].c_str(), s.status, s.bytes,
                Percentile(s.ms, 0.5), Percentile(s.ms, 0.9), Percentile(s.ms, 0.99),
                Percentile(s.ms, 1.0));
  }
  return failed ? 1 : 0;
}
