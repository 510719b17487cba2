#include "server/request_policy.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "server/guarded_http.h"
#include "server/post_body.h"

namespace storyline::server {
namespace {

TEST(HostOfAuthorityTest, StripsPortAndBrackets) {
  EXPECT_EQ(HostOfAuthority("Example.COM:8080"), "example.com");
  EXPECT_EQ(HostOfAuthority("[::1]:80"), "::1");
  EXPECT_EQ(HostOfAuthority("::1"), "::1");
  EXPECT_EQ(HostOfAuthority("127.0.0.1"), "127.0.0.1");
}

TEST(HostAllowedTest, AddressesBoundNameLocalhostAndAllowedNames) {
  const HostPolicy loopback{"127.0.0.1", {"news.internal"}};
  EXPECT_TRUE(HostAllowed("127.0.0.1:8080", loopback));
  EXPECT_TRUE(HostAllowed("localhost:8080", loopback));
  EXPECT_TRUE(HostAllowed("[::1]:8080", loopback));
  EXPECT_TRUE(HostAllowed("NEWS.internal:8080", loopback));
  EXPECT_TRUE(HostAllowed("", loopback));
  EXPECT_FALSE(HostAllowed("evil.example:8080", loopback));
  EXPECT_FALSE(HostAllowed("localhost.evil.example", loopback));
  const HostPolicy named{"news.example", {}};
  EXPECT_TRUE(HostAllowed("news.example", named));
  EXPECT_FALSE(HostAllowed("localhost", named)) << "localhost only when bound to loopback";
}

TEST(OriginAllowedTest, AbsentOrSameOriginOnly) {
  EXPECT_TRUE(OriginAllowed("", "127.0.0.1:8080"));
  EXPECT_TRUE(OriginAllowed("http://127.0.0.1:8080", "127.0.0.1:8080"));
  EXPECT_TRUE(OriginAllowed("http://LOCALHOST:8080", "localhost:8080"));
  EXPECT_FALSE(OriginAllowed("http://127.0.0.1:9090", "127.0.0.1:8080"));
  EXPECT_FALSE(OriginAllowed("http://evil.example", "127.0.0.1:8080"));
  EXPECT_FALSE(OriginAllowed("null", "127.0.0.1:8080"));
  EXPECT_FALSE(OriginAllowed("file://", "127.0.0.1:8080"));
}

TEST(IsJsonContentTypeTest, JsonAndNdjsonOnly) {
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(IsJsonContentType("application/x-ndjson"));
  EXPECT_FALSE(IsJsonContentType("text/plain"));
  EXPECT_FALSE(IsJsonContentType("application/x-www-form-urlencoded"));
  EXPECT_FALSE(IsJsonContentType("multipart/form-data; boundary=x"));
  EXPECT_FALSE(IsJsonContentType(""));
}

TEST(BearerCredentialsTest, SchemeIsCaseInsensitive) {
  const struct {
    const char* header;
    const char* credentials;  // nullptr: none
    const char* why;
  } rows[] = {
      {"Bearer abc", "abc", "canonical"},
      {"bearer abc", "abc", "lowercase scheme (RFC 7235 2.1)"},
      {"BEARER abc", "abc", "uppercase scheme"},
      {"Bearer   abc  ", "abc", "extra spaces"},
      {"Bearer\tabc", "abc", "tab"},
      {"Bearer", nullptr, "no credentials"},
      {"Bearer ", nullptr, "blank credentials"},
      {"Basic YWxhZGRpbjpvcGVuc2VzYW1l", nullptr, "another scheme"},
      {"Bearerabc", nullptr, "no separator"},
      {"", nullptr, "absent"},
  };
  for (const auto& row : rows) {
    const std::optional<std::string_view> got = BearerCredentials(row.header);
    if (row.credentials == nullptr) {
      EXPECT_FALSE(got) << row.why;
    } else {
      ASSERT_TRUE(got) << row.why;
      EXPECT_EQ(*got, row.credentials) << row.why;
    }
  }
}

TEST(ParsePostBodyTest, ObjectArrayAndLines) {
  const PostBodyLimits limits;
  auto one = ParsePostBody(R"({"id":"a","text":"Text."})", "post", limits);
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->size(), 1u);
  auto arr = ParsePostBody(R"([{"id":"a","text":"A."},{"id":"b","text":"B."}])", "post", limits);
  ASSERT_TRUE(arr);
  EXPECT_EQ(arr->size(), 2u);
  auto lines = ParsePostBody("{\"id\":\"a\",\"text\":\"A.\"}\n\n{\"id\":\"b\",\"text\":\"B.\"}\n",
                             "post", limits);
  ASSERT_TRUE(lines);
  EXPECT_EQ(lines->size(), 2u);
}

TEST(ParsePostBodyTest, ErrorsNameTheRecord) {
  PostBodyLimits limits;
  limits.max_articles = 2;
  limits.max_text_bytes = 10;
  auto twice =
      ParsePostBody("{\"id\":\"a\",\"text\":\"A.\"}\n{\"id\":\"a\",\"text\":\"B.\"}", "p", limits);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("line 2: article id 'a' appears twice (first at line 1)"),
            std::string::npos)
      << twice.error().message;
  auto long_text = ParsePostBody(R"([{"id":"x","text":"0123456789ABC"}])", "p", limits);
  ASSERT_FALSE(long_text);
  EXPECT_NE(long_text.error().message.find("element 1: article 'x' has 13 bytes of text"),
            std::string::npos)
      << long_text.error().message;
  auto many = ParsePostBody(
      R"([{"id":"a","text":"A"},{"id":"b","text":"B"},{"id":"c","text":"C"}])", "p", limits);
  ASSERT_FALSE(many);
  EXPECT_NE(many.error().message.find("too many"), std::string::npos);
  auto deep = ParsePostBody(
      R"([{"id":"a","text":"A","x":)" + std::string(100, '[') + std::string(100, ']') + "}]", "p",
      limits);
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().message.find("nested deeper"), std::string::npos);
  // Brackets inside strings are text, not nesting.
  auto quoted = ParsePostBody(R"({"id":"q","text":")" + std::string(100, '[') + "\"}", "p",
                              {.max_articles = 1, .max_text_bytes = 1000});
  EXPECT_TRUE(quoted) << quoted.error().message;
  EXPECT_FALSE(ParsePostBody("   ", "p", limits));
}

}  // namespace
}  // namespace storyline::server

namespace storyline::server {
namespace {

// What stops a query when its client leaves: the request context sees the
// peer's close.
TEST(RequestContextTest, SeesTheClientLeave) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  RequestContext ctx;
  ctx.fd = fds[0];
  EXPECT_FALSE(ctx.ClientGone());
  close(fds[1]);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(ctx.ClientGone());
  close(fds[0]);
}

}  // namespace
}  // namespace storyline::server
