// The HTTP layer: routes, parameter validation, and the one place where
// storyline Errors become HTTP statuses (HttpStatusOf). Handlers borrow a
// read-only store connection per request, map records into views
// (views.h) and answer JSON.
#include "storyline/server/server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "server/guarded_http.h"
#include "server/post_body.h"
#include "server/request_policy.h"
#include "server/views.h"
#include "server/web_assets.h"
#include "storyline/core/date.h"
#include "storyline/ingest/reader.h"
#include "storyline/pipeline/pipeline.h"
#include "storyline/store/store.h"

namespace storyline::server {
namespace {

using json = nlohmann::json;

// The window of order=rising: the last day of the stream's clock.
constexpr std::int64_t kRisingWindowSeconds = 86400;

// A successful answer.
struct Reply {
  int status = 200;
  json body;
  // When set, the answer is `text` of this type instead of `body` as JSON.
  std::string content_type{};
  std::string text{};
};

// `text` percent-encoded for a URL's query or path segment.
std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '_' || u == '.' || u == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// The first paragraph of a body, cut at a word near `limit` bytes.
std::string Lead(const std::string& body, std::size_t limit) {
  std::string lead = body.substr(0, body.find('\n'));
  if (lead.size() <= limit) return lead;
  std::size_t cut = lead.rfind(' ', limit);
  if (cut == std::string::npos) cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(lead[cut]) & 0xC0) == 0x80) --cut;
  return lead.substr(0, cut) + "\xE2\x80\xA6";
}

// The one mapping from storyline errors to HTTP statuses.
int HttpStatusOf(const Error& e) {
  switch (e.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidInput:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kUnsupported:
      return 415;
    case ErrorCode::kBusy:
    case ErrorCode::kCancelled:
      return 503;
    default:
      return 500;
  }
}

// The short name an error answer gives as its "code" for a status that
// httplib or the request checks set (handler errors use ErrorCodeName):
// always a name, never the number, so clients can switch on one field.
std::string_view StatusCodeName(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 408:
      return "timeout";
    case 411:
      return "length_required";
    case 413:
      return "too_large";
    case 414:
      return "uri_too_long";
    case 415:
      return "unsupported_media_type";
    case 416:
      return "range_not_satisfiable";
    case 417:
      return "expectation_failed";
    case 431:
      return "headers_too_large";
    case 500:
      return "internal";
    case 501:
      return "not_implemented";
    case 503:
      return "unavailable";
    case 505:
      return "http_version_not_supported";
    default:
      return status < 500 ? "client_error" : "server_error";
  }
}

void WriteJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

// Store connections for readers: opened read-only on demand, returned after
// each request, at most one per worker thread in practice.
class ReaderPool {
 public:
  // `interrupt` is installed on every connection (Store::SetInterruptCheck).
  ReaderPool(std::string path, std::function<bool()> interrupt)
      : path_(std::move(path)), interrupt_(std::move(interrupt)) {}

  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<store::Store> s) : pool_(pool), store_(std::move(s)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (store_) pool_->Release(std::move(store_));
    }
    store::Store& operator*() { return *store_; }
    store::Store* operator->() { return store_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<store::Store> store_;
  };

  Result<Lease> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        std::unique_ptr<store::Store> s = std::move(free_.back());
        free_.pop_back();
        return Lease(this, std::move(s));
      }
    }
    Result<std::unique_ptr<store::Store>> s =
        store::Store::Open(path_, {.read_only = true, .busy_timeout_ms = 5000});
    if (!s) return Fail(s.error());
    (*s)->SetInterruptCheck(interrupt_);
    return Lease(this, std::move(*s));
  }

 private:
  void Release(std::unique_ptr<store::Store> s) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(s));
  }

  std::string path_;
  std::function<bool()> interrupt_;
  std::mutex mu_;
  std::vector<std::unique_ptr<store::Store>> free_;
};

// --- Parameters -------------------------------------------------------------

Result<std::int64_t> IntParam(const httplib::Request& req, const char* name, std::int64_t def,
                              std::int64_t min, std::int64_t max) {
  if (!req.has_param(name)) return def;
  const std::string v = req.get_param_value(name);
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size() || out < min || out > max) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(name) + ": expected an integer from " + std::to_string(min) +
                         " to " + std::to_string(max) + ", got '" + v + "'");
  }
  return out;
}

// A date or date-time; a bare date as `until` means the end of that day.
Result<std::optional<std::int64_t>> TimeParam(const httplib::Request& req, const char* name,
                                              bool end_of_day) {
  if (!req.has_param(name) || req.get_param_value(name).empty()) {
    return std::optional<std::int64_t>();
  }
  const std::string v = req.get_param_value(name);
  Result<Timestamp> t = ParseIso8601(v);
  if (!t) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(name) +
                         ": expected an ISO 8601 date (YYYY-MM-DD) or date-time, got '" + v + "'");
  }
  return std::optional<std::int64_t>(*t + (end_of_day && v.size() == 10 ? 86399 : 0));
}

std::string TextParam(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  if (host.rfind("127.", 0) != 0) return false;
  int parts = 0;
  std::size_t i = 0;
  while (i <= host.size()) {
    std::size_t dot = host.find('.', i);
    if (dot == std::string::npos) dot = host.size();
    int v = 0;
    const auto [end, ec] = std::from_chars(host.data() + i, host.data() + dot, v);
    if (ec != std::errc() || end != host.data() + dot || v < 0 || v > 255) return false;
    ++parts;
    i = dot + 1;
  }
  return parts == 4;
}

ConnectionLimits LimitsOf(const ServerOptions& o) {
  ConnectionLimits l;
  l.workers = o.threads;
  l.request_timeout = std::chrono::milliseconds(std::int64_t{o.request_timeout_s} * 1000);
  l.idle_timeout = std::chrono::milliseconds(std::int64_t{o.keep_alive_s} * 1000);
  l.write_timeout = std::chrono::milliseconds(std::int64_t{o.write_timeout_s} * 1000);
  // The body limit plus room for the request line and headers.
  l.max_request_bytes = o.max_body_bytes + (64u << 10);
  return l;
}

struct Server::Impl {
  ServerOptions options;
  GuardedHttp http;
  HostPolicy hosts;
  ReaderPool readers;
  // Memo()'s answers per reader connection and kind, with the data version
  // they were computed at.
  std::mutex memo_mu;
  std::map<std::pair<const store::Store*, std::string>, std::pair<std::int64_t, json>> memo;
  std::mutex write_mu;
  std::unique_ptr<pipeline::Pipeline> pipeline;  // under write_mu, opened on first POST
  std::atomic<std::int64_t> posts{0};
  int port = 0;
  // Every registered route, for the Allow header of a 405.
  // A route's path: literal, or a literal prefix, one path segment and an
  // optional literal suffix (the httplib pattern "prefix/([^/]+)/suffix").
  struct Route {
    std::string prefix;
    bool segment = false;
    bool post = false;
    std::string suffix;  // literal after the segment ("/feed.atom")

    static Route Of(const std::string& pattern, bool post) {
      constexpr std::string_view kSegment = "([^/]+)";
      const std::size_t at = pattern.find(kSegment);
      if (at != std::string::npos && at > 0) {
        return {pattern.substr(0, at), true, post, pattern.substr(at + kSegment.size())};
      }
      return {pattern, false, post, {}};
    }
    bool Matches(const std::string& path) const {
      if (!segment) return path == prefix;
      if (path.size() <= prefix.size() + suffix.size() ||
          path.compare(0, prefix.size(), prefix) != 0 ||
          path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) {
        return false;
      }
      const std::size_t end = path.size() - suffix.size();
      return path.find('/', prefix.size()) >= end;
    }
  };
  std::vector<Route> routes;

  explicit Impl(const ServerOptions& o)
      : options(o), http(LimitsOf(o)), hosts{o.host, o.allowed_hosts}, readers(o.db_path, [this] {
          return ShouldStopQuery();
        }) {}

  // Whether the store work of the request on this thread must stop: the
  // server stops, the client has gone, or the request's time is up.
  bool ShouldStopQuery() {
    if (http.stopping()) return true;
    RequestContext* ctx = CurrentRequest();
    if (ctx == nullptr) return false;
    return std::chrono::steady_clock::now() > ctx->work_deadline || ctx->ClientGone();
  }
  // Whether a write must stop: the server stops or the client has gone (a
  // batch the client will never see acknowledged is rolled back). Writes
  // have no deadline: their size is bounded by the body limits.
  bool ShouldStopWrite() {
    if (http.stopping()) return true;
    RequestContext* ctx = CurrentRequest();
    return ctx != nullptr && ctx->ClientGone();
  }

  using Handler = std::function<Result<Reply>(const httplib::Request&)>;

  // Wraps a handler: success writes its JSON, an Error writes
  // {"error", "code"} with HttpStatusOf.
  httplib::Server::Handler Wrap(Handler h) {
    return [this, h = std::move(h)](const httplib::Request& req, httplib::Response& res) {
      res.set_header("Cache-Control", "no-store");
      if (RequestContext* ctx = CurrentRequest()) {
        ctx->BeginWork();
        ctx->work_deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(options.query_timeout_ms);
      }
      Result<Reply> r = h(req);
      if (!r && r.error().code == ErrorCode::kCancelled) {
        r = Fail(Error{ErrorCode::kCancelled, http.stopping()
                                                  ? "the server is stopping"
                                                  : "the request needed more than " +
                                                        std::to_string(options.query_timeout_ms) +
                                                        " ms and was stopped; narrow it down"});
      }
      if (r && !r->content_type.empty()) {
        res.status = r->status;
        res.set_content(r->text, r->content_type);
      } else if (r) {
        WriteJson(res, r->status, r->body);
      } else {
        WriteJson(
            res, HttpStatusOf(r.error()),
            {{"error", r.error().message}, {"code", std::string(ErrorCodeName(r.error().code))}});
      }
    };
  }

  // `compute`'s answer on this reader connection, kept until a commit moves
  // the connection's data version: for answers that count the whole store
  // (~0.05-0.1 s at a million articles) and change only with writes.
  Result<json> Memo(ReaderPool::Lease& db, const std::string& what,
                    const std::function<Result<json>(store::Store&)>& compute) {
    Result<std::int64_t> version = db->DataVersion();
    if (!version) return Fail(version.error());
    const std::pair<const store::Store*, std::string> key{&*db, what};
    {
      std::lock_guard<std::mutex> lock(memo_mu);
      if (auto it = memo.find(key); it != memo.end() && it->second.first == *version) {
        return it->second.second;
      }
    }
    Result<json> fresh = compute(*db);
    if (!fresh) return Fail(fresh.error());
    std::lock_guard<std::mutex> lock(memo_mu);
    memo[key] = {*version, *fresh};
    return fresh;
  }

  Result<Reply> Health() {
    Result<ReaderPool::Lease> db = readers.Acquire();
    if (!db) return Fail(db.error());
    Result<json> body = Memo(*db, "health", [](store::Store& st) -> Result<json> {
      Result<std::int64_t> articles = st.CountArticles();
      if (!articles) return Fail(articles.error());
      Result<std::int64_t> stories = st.CountStories();
      if (!stories) return Fail(stories.error());
      return json{{"ok", true}, {"articles", *articles}, {"stories", *stories}};
    });
    if (!body) return Fail(body.error());
    return Reply{200, std::move(*body)};
  }

  Result<json> StoryList(store::Store& db, const store::StoryFilter& f) {
    Result<std::vector<store::StoryRecord>> stories = db.FindStories(f);
    if (!stories) return Fail(stories.error());
    std::vector<std::string> ids;
    for (const store::StoryRecord& s : *stories) ids.push_back(s.id);
    Result<std::vector<std::pair<std::string, std::vector<std::string>>>> langs =
        db.LanguagesOfStories(ids);
    if (!langs) return Fail(langs.error());
    json items = json::array();
    for (const store::StoryRecord& s : *stories) {
      std::vector<std::string> l;
      for (auto& [id, v] : *langs) {
        if (id == s.id) l = v;
      }
      items.push_back(ToJson(ToStoryListItem(s, std::move(l))));
    }
    return items;
  }

  Result<Reply> Stories(const httplib::Request& req) {
    store::StoryFilter f;
    f.text = TextParam(req, "q");
    f.lang = TextParam(req, "lang");
    f.source = TextParam(req, "source");
    f.storyline = TextParam(req, "storyline");
    if (req.has_param("order")) {
      const std::string name = req.get_param_value("order");
      const std::optional<store::StoryOrder> order = store::ParseStoryOrder(name);
      if (!order) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "order: expected 'recent', 'largest' or 'rising', got '" + name + "'");
      }
      f.order = *order;
    }
    Result<std::int64_t> limit = IntParam(req, "limit", 50, 1, 200);
    if (!limit) return Fail(limit.error());
    Result<std::int64_t> offset = IntParam(req, "offset", 0, 0, 10'000'000);
    if (!offset) return Fail(offset.error());
    Result<std::optional<std::int64_t>> since = TimeParam(req, "since", false);
    if (!since) return Fail(since.error());
    Result<std::optional<std::int64_t>> until = TimeParam(req, "until", true);
    if (!until) return Fail(until.error());
    if (*since && *until && **since > **until) {
      return MakeError(ErrorCode::kInvalidArgument, "since is after until");
    }
    f.since = *since;
    f.until = *until;
    f.limit = *limit;
    f.offset = *offset;
    Result<ReaderPool::Lease> db = readers.Acquire();
    if (!db) return Fail(db.error());
    // "rising" counts the articles of the last day of the stream's own
    // clock (its latest publication), not of the wall clock: a replayed or
    // archived stream rises as it did when live.
    json window = nullptr;
    if (f.order == store::StoryOrder::kRising) {
      Result<std::optional<std::int64_t>> latest = (*db)->LatestPublished();
      if (!latest) return Fail(latest.error());
      const std::int64_t clock = latest->value_or(0);
      f.rising_since = clock - kRisingWindowSeconds;
      window = {{"since", FormatTimestamp(*f.rising_since)}, {"until", FormatTimestamp(clock)}};
    }
    Result<json> items = StoryList(**db, f);
    if (!items) return Fail(items.error());
    // Counting a filtered list visits every candidate: it stops at
    // kCountCap beyond the page, and "total_exact" says whether it did.
    constexpr std::int64_t kCountCap = 1'000;
    const std::int64_t cap = f.offset + f.limit + kCountCap;
    Result<std::int64_t> total = (*db)->CountStoriesMatching(f, cap);
    if (!total) return Fail(total.error());
    Result<bool> truncated = (*db)->TextFilterTruncated(f);
    if (!truncated) return Fail(truncated.error());
    return Reply{200,
                 {{"stories", std::move(*items)},
                  {"total", *total},
                  {"total_exact", *total < cap && !*truncated},
                  {"limit", f.limit},
                  {"offset", f.offset},
                  {"order", store::StoryOrderName(f.order)},
                  {"window", std::move(window)}}};
  }

  Result<Reply> Story(const std::string& id) {
    Result<ReaderPool::Lease> db = readers.Acquire();
    if (!db) return Fail(db.error());
    Result<std::optional<store::StoryRecord>> s = (*db)->GetStory(id);
    if (!s) return Fail(s.error());
    if (!*s) return MakeError(ErrorCode::kNotFound, "no story '" + id + "'");
    constexpr std::int64_t kMaxArticles = 500;
    Result<std::vector<store::StoredArticle>> articles =
        (*db)->ArticleHeadsOfStory(id, kMaxArticles);
    if (!articles) return Fail(articles.error());
    Result<std::int64_t> articles_total = (*db)->CountArticlesOfStory(id);
    if (!articles_total) return Fail(articles_total.error());
    std::vector<std::string> id_list{id};
    Result<std::vector<std::pair<std::string, std::vector<std::string>>>> langs =
        (*db)->LanguagesOfStories(id_list);
    if (!langs) return Fail(langs.error());
    StoryView v;
    v.head =
        ToStoryListItem(**s, langs->empty() ? std::vector<std::string>{} : langs->front().second);
    v.digest = store::DigestJson((*s)->digest);
    v.articles_total = *articles_total;
    std::set<std::string> members;
    for (const store::StoredArticle& a : *articles) {
      v.articles.push_back(ToArticleRef(a));
      members.insert(a.article.id);
    }
    std::set<std::pair<std::string, std::string>> seen;
    for (const ArticleRef& a : v.articles) {
      Result<std::vector<store::DuplicateRecord>> dups = (*db)->DuplicatesOf(a.id);
      if (!dups) return Fail(dups.error());
      for (const store::DuplicateRecord& d : *dups) {
        if (members.count(d.a) && members.count(d.b) && seen.insert({d.a, d.b}).second) {
          v.copies.push_back(ToDuplicateView(d));
        }
      }
    }
    Result<store::ArticleVolume> volume = (*db)->ArticleVolumeOf(id, /*storyline=*/false);
    if (!volume) return Fail(volume.error());
    v.volume = std::move(*volume);
    if (!v.head.storyline.empty()) {
      Result<std::optional<store::StorylineRecord>> line = (*db)->GetStoryline(v.head.storyline);
      if (!line) return Fail(line.error());
      if (*line) v.storyline_title = (*line)->title;
    }
    return Reply{200, ToJson(v)};
  }

  Result<Reply> Storylines(const httplib::Request& req) {
    Result<std::int64_t> limit = IntParam(req, "limit", 50, 1, 200);
    if (!limit) return Fail(limit.error());
    Result<std::int64_t> offset = IntParam(req, "offset", 0, 0, 10'000'000);
    if (!offset) return Fail(offset.error());
    Result<ReaderPool::Lease> db = readers.Acquire();
    if (!db) return Fail(db.error());
    Result<std::vector<store::StorylineRecord>> lines = (*db)->ListStorylines(*limit, *offset);
    if (!lines) return Fail(lines.error());
    Result<std::int64_t> total = (*db)->CountStorylines();
    if (!total) return Fail(total.error());
    json items = json::array();
    for (const store::StorylineRecord& l : *lines) items.push_back(ToJson(l));
    return Reply{200,
                 {{"storylines", std::move(items)},
                  {"total", *total},
                  {"limit", *limit},
                  {"offset", *offset}}};
  }

  Result<Reply> Storyline(const std::string& id) {
    Result<ReaderPool::Lease> db = readers.Acquire();
    if (!db) return Fail(db.error());
    Result<std::optional<store::StorylineRecord>> line = (*db)->GetStoryline(id);
    if (!line) return Fail(line.error());
    if (!*line) return MakeError(ErrorCode::kNotFound, "no storyline '" + id + "'");
    store::StoryFilter f;
    f.storyline = id;
    f.limit = 200;
    Result<json> items = StoryList(**db, f);
    if (!items) return Fail(items.error());
    Result<store::ArticleVolume> volume = (*db)->ArticleVolumeOf(id, /*storyline=*/true);
    if (!volume) return Fail(volume.error());
    return Reply{200,
                 {{"storyline", ToJson(**line)},
                  {"stories", std::move(*items)},
                  {"volume", ToJson(*volume)}}};
  }

  Result<Reply> ArticlePage(const std::string& id) {
    Result<ReaderPool::Lease> db = readers.Acquire();
    if (!db) return Fail(db.error());
    Result<std::optional<store::StoredArticle>> a = (*db)->GetArticle(id);
    if (!a) return Fail(a.error());
    if (!*a) return MakeError(ErrorCode::kNotFound, "no article '" + id + "'");
    ArticleView v;
    v.ref = ToArticleRef(**a);
    v.story = (*a)->analysis.story;
    v.storyline = (*a)->analysis.storyline;
    v.lang_confidence = (*a)->analysis.lang_confidence;
    v.body = (*a)->analysis.body;
    v.lines = store::LinesOf(**a);
    Result<std::vector<store::DuplicateRecord>> dups = (*db)->DuplicatesOf(id);
    if (!dups) return Fail(dups.error());
    for (const store::DuplicateRecord& d : *dups) v.duplicates.push_back(ToDuplicateView(d));
    if (!v.story.empty()) {
      Result<std::optional<store::StoryRecord>> s = (*db)->GetStory(v.story);
      if (!s) return Fail(s.error());
      if (*s) v.story_title = (*s)->title;
    }
    return Reply{200, ToJson(v)};
  }

  // The search a request asks for (q, limit, offset), run on a reader.
  Result<store::SearchResults> RunSearch(const httplib::Request& req, store::SearchQuery* q) {
    q->text = TextParam(req, "q");
    if (q->text.find_first_not_of(" \t\r\n") == std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "q: a search query is required");
    }
    Result<std::int64_t> limit = IntParam(req, "limit", 20, 1, 100);
    if (!limit) return Fail(limit.error());
    Result<std::int64_t> offset = IntParam(req, "offset", 0, 0, 100'000);
    if (!offset) return Fail(offset.error());
    q->limit = *limit;
    q->offset = *offset;
    Result<ReaderPool::Lease> db = readers.Acquire();
    if (!db) return Fail(db.error());
    return (*db)->Search(*q);
  }

  Result<Reply> Search(const httplib::Request& req) {
    store::SearchQuery q;
    Result<store::SearchResults> r = RunSearch(req, &q);
    if (!r) return Fail(r.error());
    return Reply{200, ToJson(*r, q.text)};
  }

  // An Atom feed of the articles matching a search, best first: how an
  // analyst follows a query in a feed reader.
  Result<Reply> SearchFeed(const httplib::Request& req) {
    store::SearchQuery q;
    Result<store::SearchResults> r = RunSearch(req, &q);
    if (!r) return Fail(r.error());
    std::vector<FeedEntry> entries;
    for (const store::SearchHit& h : r->articles) {
      entries.push_back(
          {h.id, h.title, "/#/article/" + PercentEncode(h.id), h.published, h.source, h.snippet});
    }
    return Reply{200, nullptr, "application/atom+xml; charset=utf-8",
                 AtomFeed("urn:storyline:search:" + q.text, "storyline search: " + q.text,
                          "/feed.atom?q=" + PercentEncode(q.text), entries)};
  }

  // An Atom feed of one story's articles, newest first.
  Result<Reply> StoryFeed(const std::string& id) {
    Result<ReaderPool::Lease> db = readers.Acquire();
    if (!db) return Fail(db.error());
    Result<std::optional<store::StoryRecord>> s = (*db)->GetStory(id);
    if (!s) return Fail(s.error());
    if (!*s) return MakeError(ErrorCode::kNotFound, "no story '" + id + "'");
    // The newest 100, each with the start of its body for a summary.
    Result<std::vector<store::StoredArticle>> newest =
        (*db)->ArticleHeadsOfStory(id, 100, /*newest_first=*/true, /*lead_chars=*/2000);
    if (!newest) return Fail(newest.error());
    std::vector<FeedEntry> entries;
    for (const store::StoredArticle& a : *newest) {
      entries.push_back({a.article.id, a.article.title, "/#/article/" + PercentEncode(a.article.id),
                         a.article.published, a.article.source, Lead(a.analysis.body, 300)});
    }
    const std::string title = (*s)->title.empty() ? id : (*s)->title;
    return Reply{200, nullptr, "application/atom+xml; charset=utf-8",
                 AtomFeed("urn:storyline:story:" + id, title,
                          "/api/stories/" + PercentEncode(id) + "/feed.atom", entries)};
  }

  Result<Reply> Facets() {
    Result<ReaderPool::Lease> db = readers.Acquire();
    if (!db) return Fail(db.error());
    Result<json> body = Memo(*db, "facets", [](store::Store& st) -> Result<json> {
      Result<std::vector<store::ValueCount>> langs = st.CountArticlesByLanguage();
      if (!langs) return Fail(langs.error());
      Result<std::vector<store::ValueCount>> sources = st.CountArticlesBySource(200);
      if (!sources) return Fail(sources.error());
      auto to_json = [](const std::vector<store::ValueCount>& v) {
        json out = json::array();
        for (const store::ValueCount& c : v) {
          out.push_back({{"value", c.value}, {"count", c.count}});
        }
        return out;
      };
      return json{{"languages", to_json(*langs)}, {"sources", to_json(*sources)}};
    });
    if (!body) return Fail(body.error());
    return Reply{200, std::move(*body)};
  }

  Result<Reply> Post(const httplib::Request& req) {
    const std::string origin =
        "post-" +
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count()) +
        "-" + std::to_string(++posts);
    Result<std::vector<Article>> batch =
        ParsePostBody(req.body, origin,
                      {.max_articles = options.max_post_articles,
                       .max_text_bytes = options.max_article_text_bytes});
    if (!batch) return Fail(batch.error());
    std::vector<std::string> ids;
    for (const Article& a : *batch) ids.push_back(a.id);
    std::lock_guard<std::mutex> lock(write_mu);
    if (!pipeline) {
      Result<std::unique_ptr<pipeline::Pipeline>> p =
          pipeline::Pipeline::Open({.db_path = options.db_path,
                                    .duplicate_window_days = options.duplicate_window_days,
                                    .busy_timeout_ms = options.write_wait_ms});
      if (!p) return Fail(p.error());
      pipeline = std::move(*p);
      pipeline->store().SetInterruptCheck([this] { return ShouldStopWrite(); });
    }
    Result<pipeline::BatchReport> r = pipeline->IngestBatch(std::move(*batch));
    if (!r) {
      // The batch was rolled back; a pipeline whose reload was cut short
      // must not serve the next batch: the next POST opens a fresh one.
      pipeline.reset();
      return Fail(r.error());
    }
    json articles = json::array();
    for (const std::string& id : ids) {
      Result<std::optional<store::StoredArticle>> a = pipeline->store().GetArticle(id);
      if (!a) return Fail(a.error());
      if (!*a) continue;
      const store::ArticleAnalysis& an = (*a)->analysis;
      articles.push_back(
          {{"id", id},
           {"dup_group", an.dup_group.empty() ? json(nullptr) : json(an.dup_group)},
           {"copy_of", an.copy_of.empty() ? json(nullptr) : json(an.copy_of)},
           {"story", an.story.empty() ? json(nullptr) : json(an.story)},
           {"storyline", an.storyline.empty() ? json(nullptr) : json(an.storyline)}});
    }
    return Reply{r->inserted > 0 ? 201 : 200,
                 {{"inserted", r->inserted},
                  {"updated", r->updated},
                  {"unchanged", r->unchanged},
                  {"duplicate_pairs", r->duplicate_pairs},
                  {"new_stories", r->new_stories},
                  {"articles", std::move(articles)}}};
  }

  // The checks made once the headers are read and before any body is:
  // Host (against DNS rebinding), then for writes Origin, token, content
  // type and declared length. A refused write's body is never read, and its
  // connection closes.
  httplib::Server::HandlerResponse Admit(const httplib::Request& req, httplib::Response& res) {
    auto refuse = [&](int status, const std::string& code, const std::string& message) {
      res.set_header("Cache-Control", "no-store");
      WriteJson(res, status, {{"error", message}, {"code", code}});
      if (RequestContext* ctx = CurrentRequest()) ctx->close_after = true;
      return httplib::Server::HandlerResponse::Handled;
    };
    const std::string host = req.get_header_value("Host");
    if (!HostAllowed(host, hosts)) {
      return refuse(403, "forbidden_host",
                    "Host '" + host + "' does not name this server; start it with --allow-host " +
                        HostOfAuthority(host) + " to accept that name");
    }
    if (req.method == "GET" || req.method == "HEAD")
      return httplib::Server::HandlerResponse::Unhandled;
    // Before the write checks, and without reading a body: a path no route
    // serves is unknown whatever the method, and a known path asked with a
    // method it does not take says which it takes (RFC 9110 15.5.6).
    const std::string allow = AllowOf(req.path);
    if (allow.empty()) return refuse(404, "not_found", "no such endpoint");
    if (!MethodAllowed(req.method, allow)) {
      res.set_header("Allow", allow);
      return refuse(405, "method_not_allowed",
                    req.method + " is not allowed on " + req.path + "; allowed: " + allow);
    }
    const std::string origin = req.get_header_value("Origin");
    if (!OriginAllowed(origin, host) || req.get_header_value("Sec-Fetch-Site") == "cross-site") {
      return refuse(403, "cross_site",
                    "cross-site write refused (Origin '" + origin + "' is not this server)");
    }
    if (!options.token.empty()) {
      const std::string auth = req.get_header_value("Authorization");
      const std::optional<std::string_view> token = BearerCredentials(auth);
      if (!token || !ConstantTimeEquals(*token, options.token)) {
        // RFC 7235 3.1: a 401 names the scheme that would be accepted.
        res.set_header("WWW-Authenticate", "Bearer realm=\"storyline\"");
        return refuse(401, "unauthorized", "missing or wrong bearer token");
      }
    }
    const std::string type = req.get_header_value("Content-Type");
    if (!IsJsonContentType(type)) {
      return refuse(
          415, "unsupported_media_type",
          "writes take Content-Type application/json or application/x-ndjson, not '" + type + "'");
    }
    if (req.has_header("Content-Length")) {
      const std::string len = req.get_header_value("Content-Length");
      std::size_t n = 0;
      const auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), n);
      if (ec != std::errc() || end != len.data() + len.size() || n > options.max_body_bytes) {
        return refuse(413, "too_large",
                      "request body too large: Content-Length " + len + ", at most " +
                          std::to_string(options.max_body_bytes) + " bytes (--max-body)");
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  // The methods a path takes, "GET, HEAD", "POST" or both, from the routes
  // registered by RouteGet() and RoutePost(); "" for a path no route matches.
  std::string AllowOf(const std::string& path) const {
    bool get = false;
    bool post = false;
    for (const Route& r : routes) {
      if (!r.Matches(path)) continue;
      (r.post ? post : get) = true;
    }
    if (get && post) return "GET, HEAD, POST";
    if (get) return "GET, HEAD";
    return post ? "POST" : "";
  }

  static bool MethodAllowed(const std::string& method, std::string_view allow) {
    if (method == "POST") return allow.find("POST") != std::string_view::npos;
    return (method == "GET" || method == "HEAD") && allow.find("GET") != std::string_view::npos;
  }

  // Registers a route with httplib and records it for AllowOf(); the
  // pattern is a literal path or a literal prefix followed by "([^/]+)".
  void RouteGet(const std::string& pattern, httplib::Server::Handler h) {
    http.Get(pattern, std::move(h));
    routes.push_back(Route::Of(pattern, false));
  }
  void RoutePost(const std::string& pattern, httplib::Server::Handler h) {
    http.Post(pattern, std::move(h));
    routes.push_back(Route::Of(pattern, true));
  }

  void Routes() {
    http.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return Admit(req, res); });
    RouteGet("/healthz", Wrap([this](const httplib::Request&) { return Health(); }));
    RouteGet("/api/stories", Wrap([this](const httplib::Request& r) { return Stories(r); }));
    RouteGet(R"(/api/stories/([^/]+))",
             Wrap([this](const httplib::Request& r) { return Story(r.matches[1]); }));
    RouteGet("/api/storylines", Wrap([this](const httplib::Request& r) { return Storylines(r); }));
    RouteGet(R"(/api/storylines/([^/]+))",
             Wrap([this](const httplib::Request& r) { return Storyline(r.matches[1]); }));
    RouteGet(R"(/api/articles/([^/]+))",
             Wrap([this](const httplib::Request& r) { return ArticlePage(r.matches[1]); }));
    RouteGet("/api/search", Wrap([this](const httplib::Request& r) { return Search(r); }));
    RouteGet("/feed.atom", Wrap([this](const httplib::Request& r) { return SearchFeed(r); }));
    RouteGet(R"(/api/stories/([^/]+)/feed.atom)",
             Wrap([this](const httplib::Request& r) { return StoryFeed(r.matches[1]); }));
    RouteGet("/api/facets", Wrap([this](const httplib::Request&) { return Facets(); }));
    RoutePost("/api/articles", Wrap([this](const httplib::Request& r) { return Post(r); }));
    for (std::size_t i = 0; i < kWebAssetCount; ++i) {
      const WebAsset& asset = kWebAssets[i];
      const std::string path = std::string(asset.path) == "/index.html" ? "/" : asset.path;
      RouteGet(path, [&asset](const httplib::Request&, httplib::Response& res) {
        if (RequestContext* ctx = CurrentRequest()) ctx->BeginWork();
        res.set_header("Cache-Control", "no-cache");
        res.set_header("Content-Security-Policy",
                       "default-src 'self'; style-src 'self'; img-src 'self' data:");
        res.set_content(reinterpret_cast<const char*>(asset.data), asset.size, asset.content_type);
      });
    }
    // Statuses set by httplib itself (404 route, 413 body too large, 400
    // malformed request) get a JSON body too.
    http.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                       httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      // No route for this method, but one for another (GET on a POST-only
      // path; other methods are answered in Admit()).
      if (res.status == 404) {
        if (const std::string allow = AllowOf(req.path); !allow.empty()) {
          res.status = 405;
          res.set_header("Allow", allow);
        }
      }
      // A body cut off by the stream's limits reaches httplib as a
      // failed read (400); say what happened.
      if (const RequestContext* ctx = CurrentRequest(); ctx != nullptr) {
        if (ctx->over_limit) res.status = 413;
        if (ctx->timed_out) res.status = 408;
      }
      std::string message = "error";
      if (res.status == 404) message = "no such endpoint";
      if (res.status == 408) {
        message = "request not received within " + std::to_string(options.request_timeout_s) + " s";
      }
      if (res.status == 413) {
        message = "request body too large: at most " + std::to_string(options.max_body_bytes) +
                  " bytes (--max-body)";
      }
      if (res.status == 400) message = "malformed request";
      if (res.status == 405) {
        message = req.method + " is not allowed on " + req.path +
                  "; allowed: " + res.get_header_value("Allow");
      }
      if (res.status == 414) {
        message = "request URI too long: at most " +
                  std::to_string(CPPHTTPLIB_REQUEST_URI_MAX_LENGTH) + " bytes";
      }
      if (res.status == 431) message = "request headers too large";
      WriteJson(res, res.status,
                {{"error", message}, {"code", std::string(StatusCodeName(res.status))}});
      return httplib::Server::HandlerResponse::Handled;
    }));
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
          WriteJson(res, 500, {{"error", "internal error"}, {"code", "internal"}});
        });
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() {
  if (impl_) impl_->http.Shutdown();
}

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options) {
  if (options.host.empty()) return MakeError(ErrorCode::kInvalidArgument, "--host is empty");
  if (options.port < 0 || options.port > 65535) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--port must be from 0 to 65535, got " + std::to_string(options.port));
  }
  if (options.threads < 1 || options.threads > 1024) {
    return MakeError(ErrorCode::kInvalidArgument, "threads must be from 1 to 1024");
  }
  if (options.request_timeout_s < 1 || options.write_timeout_s < 1 || options.keep_alive_s < 1 ||
      options.query_timeout_ms < 1 || options.write_wait_ms < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "timeouts must be positive");
  }
  for (const std::string& name : options.allowed_hosts) {
    if (name.empty() || name != HostOfAuthority(name)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--allow-host takes a lowercase host name without port, got '" + name + "'");
    }
  }
  if (!IsLoopbackHost(options.host) && options.token.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "refusing to listen on non-loopback address '" + options.host +
                         "' without --token (write endpoints would be open to the network)");
  }
  {
    // Creates the store when missing and migrates it, so that the read-only
    // connections of the request handlers find the current schema.
    Result<std::unique_ptr<store::Store>> s = store::Store::Open(options.db_path);
    if (!s) return Fail(s.error());
  }
  auto impl = std::make_unique<Impl>(options);
  httplib::Server& http = impl->http;
  // Headers and body leave in separate writes: without TCP_NODELAY, Nagle's
  // algorithm holds the body until the client's delayed ACK (~40 ms on Linux)
  // on every keep-alive request whose answer fits in few segments.
  http.set_tcp_nodelay(true);
  http.set_payload_max_length(options.max_body_bytes);
  impl->Routes();
  if (options.port == 0) {
    impl->port = http.bind_to_any_port(options.host);
  } else {
    impl->port = http.bind_to_port(options.host, options.port) ? options.port : -1;
  }
  if (impl->port <= 0) {
    return MakeError(ErrorCode::kIo, "cannot listen on " + options.host + ":" +
                                         std::to_string(options.port) +
                                         " (address in use or not available)");
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->port; }

Status Server::Run() {
  if (!impl_->http.listen_after_bind()) {
    return MakeError(ErrorCode::kIo,
                     "listening on port " + std::to_string(impl_->port) + " stopped with an error");
  }
  return Ok();
}

void Server::Stop() { impl_->http.Shutdown(); }

}  // namespace storyline::server
