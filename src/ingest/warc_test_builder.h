// Writing small WARC archives in tests: records, HTTP responses and one
// gzip member per record, as web crawlers write .warc.gz files.
//
//   std::string archive = WarcGzip({
//       WarcInfo("urn:uuid:0"),
//       WarcResponse("urn:uuid:1", "https://a.example/x", "2022-01-08T10:00:00Z",
//                    HttpOk("text/html; charset=utf-8", page)),
//   });
//
// Header-only, for test targets (they link zlib). Not part of any library.
#ifndef STORYLINE_INGEST_WARC_TEST_BUILDER_H_
#define STORYLINE_INGEST_WARC_TEST_BUILDER_H_

#include <zlib.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace storyline::ingest::testing {

// One gzip member holding `data`.
inline std::string GzipMember(std::string_view data) {
  z_stream z;
  std::memset(&z, 0, sizeof z);
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

// A WARC/1.1 record: version line, header fields, block, two CRLFs.
// Empty `uri` and `date` leave those fields out.
inline std::string WarcRecord(std::string_view type, std::string_view id, std::string_view uri,
                              std::string_view date, std::string_view content_type,
                              std::string_view block) {
  std::string r = "WARC/1.1\r\n";
  r += "WARC-Type: " + std::string(type) + "\r\n";
  r += "WARC-Record-ID: <" + std::string(id) + ">\r\n";
  if (!date.empty()) r += "WARC-Date: " + std::string(date) + "\r\n";
  if (!uri.empty()) r += "WARC-Target-URI: " + std::string(uri) + "\r\n";
  r += "Content-Type: " + std::string(content_type) + "\r\n";
  r += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n";
  r += block;
  r += "\r\n\r\n";
  return r;
}

inline std::string WarcInfo(std::string_view id) {
  return WarcRecord("warcinfo", id, "", "2022-01-08T09:00:00Z", "application/warc-fields",
                    "software: storyline-test\r\nformat: WARC File Format 1.1\r\n");
}

inline std::string WarcRequest(std::string_view id, std::string_view uri) {
  return WarcRecord("request", id, uri, "2022-01-08T09:00:00Z",
                    "application/http; msgtype=request",
                    "GET / HTTP/1.1\r\nHost: example\r\nUser-Agent: storyline-test\r\n\r\n");
}

// An HTTP/1.1 response with the given status, Content-Type and body.
inline std::string HttpMessage(int status, std::string_view content_type, std::string_view body) {
  std::string m = "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Other") + "\r\n";
  m += "Content-Type: " + std::string(content_type) + "\r\n";
  m += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  m += body;
  return m;
}

inline std::string HttpOk(std::string_view content_type, std::string_view body) {
  return HttpMessage(200, content_type, body);
}

inline std::string WarcResponse(std::string_view id, std::string_view uri, std::string_view date,
                                std::string_view http_message) {
  return WarcRecord("response", id, uri, date, "application/http; msgtype=response",
                    http_message);
}

// The records as one archive with a gzip member per record.
inline std::string WarcGzip(const std::vector<std::string>& records) {
  std::string out;
  for (const std::string& r : records) out += GzipMember(r);
  return out;
}

// The records as one uncompressed archive.
inline std::string WarcPlain(const std::vector<std::string>& records) {
  std::string out;
  for (const std::string& r : records) out += r;
  return out;
}

}  // namespace storyline::ingest::testing

#endif  // STORYLINE_INGEST_WARC_TEST_BUILDER_H_
