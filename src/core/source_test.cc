#include "storyline/core/source.h"

#include <gtest/gtest.h>

namespace storyline {
namespace {

struct HostRow {
  const char* url;
  const char* expected;
  const char* why;
};

TEST(SourceTest, SourceFromUrlTable) {
  const HostRow rows[] = {
      {"http://www.reuters.com/article/1", "reuters.com", "www. dropped"},
      {"https://WWW.BBC.co.uk/news", "bbc.co.uk", "lowercased"},
      {"http://example.com:8080/a", "example.com", "port dropped"},
      {"http://user:pw@news.example.org/x", "news.example.org", "user info dropped"},
      {"https://example.com?q=1", "example.com", "query right after the host"},
      {"https://example.com#top", "example.com", "fragment right after the host"},
      {"https://example.com./a", "example.com", "trailing root dot"},
      {"  https://example.com/a  ", "example.com", "surrounding spaces"},
      {"http://[2001:db8::1]:80/a", "[2001:db8::1]", "IPv6 literal keeps its brackets"},
      {"http://192.0.2.7/a", "192.0.2.7", "IPv4"},
      {"http://www./a", "www", "nothing left to strip after the root dot"},
      {"example.com/a", "", "no scheme"},
      {"/relative/path", "", "relative"},
      {"http:///a", "", "empty host"},
      {"http://exa mple.com/", "", "space in host"},
      {"1http://example.com", "", "scheme starting with a digit"},
      {"http://[::1/a", "", "unclosed IPv6 bracket"},
      {"", "", "empty"},
  };
  for (const HostRow& row : rows) {
    EXPECT_EQ(SourceFromUrl(row.url), row.expected) << row.why << ": " << row.url;
  }
}

TEST(SourceTest, FillsOnlyABlankSource) {
  Article a;
  a.url = "https://www.lemonde.fr/x";
  EXPECT_TRUE(FillSourceFromUrl(&a));
  EXPECT_EQ(a.source, "lemonde.fr");

  Article given;
  given.url = "https://www.lemonde.fr/x";
  given.source = "Le Monde";
  EXPECT_FALSE(FillSourceFromUrl(&given));
  EXPECT_EQ(given.source, "Le Monde");

  Article blank;
  blank.url = "https://www.lemonde.fr/x";
  blank.source = "  ";
  EXPECT_TRUE(FillSourceFromUrl(&blank));
  EXPECT_EQ(blank.source, "lemonde.fr");

  Article no_url;
  EXPECT_FALSE(FillSourceFromUrl(&no_url));
  EXPECT_EQ(no_url.source, "");
}

}  // namespace
}  // namespace storyline
