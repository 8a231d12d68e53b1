// sdrs::decode_job (the SAX decoder on the poll path) against the former DOM decoder
// (job_dom_reference.cpp): the same Job, getter by getter, or the same error code and message,
// over the job fuzz corpus, hand-made edge cases and mutations of both.
#include <gtest/gtest.h>

#include "mutation_stride.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/resources/job.hpp"
#include "job_dom_reference.hpp"

namespace sdrs {
namespace {

// The reference's RefJob and the decoder's Job, described alike. Job's entities are in no
// particular order: sorted by key as RefJob's map has them (and checked unique, which the map
// guarantees), and each looked up through entity() as well.
void describe(const test::RefJob &job, std::ostringstream &out) {
  auto opt = [&out](const char *name, const OptString &s) {
    out << name << '=' << (s ? "[" + *s + "]" : std::string("<none>")) << '\n';
  };
  out << "json=[" << job.json << "]\n";
  opt("id", job.id);
  opt("type", job.type);
  opt("status", job.status);
  opt("begin_time", job.begin_time);
  opt("end_time", job.end_time);
  opt("error_code", job.error_code);
  opt("fail_reason", job.fail_reason);
  out << "begin_ms=" << job.begin_ms << " end_ms=" << job.end_ms << '\n';
  for (const auto &e : job.entities) out << "entity[" << e.first << "]=[" << e.second << "]\n";
  out << "sub_jobs=" << job.sub_jobs.size() << "{\n";
  for (const test::RefJob &sub : job.sub_jobs) describe(sub, out);
  out << "}\n";
}

void describe(const Job &job, std::ostringstream &out) {
  auto opt = [&out](const char *name, const Job::Text &s) {
    out << name << '=' << (s ? "[" + std::string(*s) + "]" : std::string("<none>")) << '\n';
  };
  out << "json=[" << job.json() << "]\n";
  opt("id", job.id());
  opt("type", job.type());
  opt("status", job.status());
  opt("begin_time", job.begin_time());
  opt("end_time", job.end_time());
  opt("error_code", job.error_code());
  opt("fail_reason", job.fail_reason());
  // What the C getters hand out: the same texts, NUL-terminated.
  for (size_t i = 0; i < Job::kFields; ++i) {
    const auto field = static_cast<Job::Field>(i);
    const Job::Text text = job.text(field);
    const char *c = job.c_str(field);
    EXPECT_TRUE(text ? c != nullptr && std::string_view(c, text->size()) == *text &&
                           c[text->size()] == '\0'
                     : c == nullptr)
        << "c_str of field " << i;
  }
  EXPECT_TRUE(std::string_view(job.json_c_str(), job.json().size()) == job.json() &&
              job.json_c_str()[job.json().size()] == '\0');
  out << "begin_ms=" << job.begin_ms() << " end_ms=" << job.end_ms() << '\n';
  std::map<std::string, std::string> entities;
  for (size_t i = 0; i < job.entity_count(); ++i) {
    const auto [key, value] = job.entity_at(i);
    const bool unique = entities.emplace(key, value).second;
    EXPECT_TRUE(unique) << "entity key twice: " << key;
    // A key with a NUL byte cannot be looked up by a C string, but by its full text.
    const char *found = job.entity(key);
    EXPECT_TRUE(found != nullptr && std::string_view(found, value.size()) == value &&
                found[value.size()] == '\0')
        << "entity() of " << key;
  }
  for (const auto &e : entities) out << "entity[" << e.first << "]=[" << e.second << "]\n";
  out << "sub_jobs=" << job.sub_jobs.size() << "{\n";
  for (const Job &sub : job.sub_jobs) describe(sub, out);
  out << "}\n";
}

// Everything a caller can observe of one decode: the Job's fields or the error.
template <typename Decode>
std::string outcome(Decode decode, const std::string &body) {
  std::ostringstream out;
  try {
    describe(decode(body), out);
  } catch (const Failure &f) {
    out << "error code=" << static_cast<int>(f.info().code) << " message=" << f.info().message;
  }
  return out.str();
}

// How many inputs the scanner (decode_job's first pass) took.
size_t g_scanned = 0;

// Returns whether the decoders agreed (the failure names the input): decode_job, its SAX pass
// alone, and its scanner alone where it takes the input.
bool same_outcome(const std::string &body) {
  const std::string dom = outcome(test::decode_job_dom, body);
  const std::string current = outcome(decode_job, body);
  EXPECT_EQ(dom, current) << "input: " << body;
  bool agree = dom == current;
  // decode_job is the scanner's result where it takes the body, else the SAX pass's: so
  // those bodies are the ones to run through the SAX pass as well.
  Job job;
  if (detail::scan_job(body, &job)) {
    ++g_scanned;
    const std::string sax = outcome(detail::sax_job, body);
    EXPECT_EQ(dom, sax) << "SAX pass, input: " << body;
    agree = agree && dom == sax;
  }
  return agree;
}

std::vector<std::string> corpus() {
  std::vector<std::string> out;
  namespace fs = std::filesystem;
  for (const auto &dir : fs::directory_iterator(SDRS_FUZZ_CORPUS_DIR)) {
    if (dir.path().filename().string().find("job") == std::string::npos) continue;
    for (const auto &file : fs::directory_iterator(dir.path())) {
      std::ifstream in(file.path(), std::ios::binary);
      out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  return out;
}

std::string nested(int depth, const std::string &innermost) {
  std::string s = innermost;
  for (int i = 0; i < depth; ++i) {
    s = R"({"status":"S)" + std::to_string(i) + R"(","entities":{"sub_jobs":[)" + s + "]}}";
  }
  return s;
}

std::vector<std::string> edge_cases() {
  std::vector<std::string> c = {
      "",
      " ",
      "{",
      "}",
      "{}",
      "[]",
      "null",
      "\"job\"",
      "1",
      R"({"status":"A"})",
      R"( { "status" : "A" } )",
      R"({"status":"A"} x)",
      R"({"status":"A"}{})",
      // duplicate keys: the first of a field or of 'entities' wins, the last of an entity
      R"({"status":"A","status":"B"})",
      R"({"status":null,"status":"B"})",
      R"({"status":"B","status":5})",
      R"({"job_id":"a","job_id":5,"status":"x"})",
      R"({"job_id":5,"job_id":"a","status":"x"})",
      R"({"status":"x","entities":{"a":"1","a":"2","b":1,"b":"t","c":"s","c":null,"d":"s","d":{}}})",
      R"({"status":"x","entities":{"a":"1"},"entities":5})",
      R"({"status":"x","entities":null,"entities":{"a":"1"}})",
      R"({"status":"x","entities":{"sub_jobs":[{"status":"a"}],"sub_jobs":[{"status":"b"}]}})",
      R"({"status":"x","entities":{"sub_jobs":[{"status":"a"}],"sub_jobs":5}})",
      R"({"status":"x","entities":{"sub_jobs":null,"sub_jobs":[{"status":"b"}]}})",
      R"({"status":"x","entities":{},"entities":{"sub_jobs":5}})",
      // null fields and wrong types, in every combination of order
      R"({"job_id":null,"job_type":null,"status":"s","begin_time":null,"end_time":null,"error_code":null,"fail_reason":null,"entities":null})",
      R"({"status":null})",
      R"({"job_id":1})",
      R"({"status":[]})",
      R"({"status":{}})",
      R"({"status":true,"job_id":1})",
      R"({"fail_reason":1,"status":"x","error_code":[]})",
      R"({"status":"x","begin_time":3,"end_time":{}})",
      R"({"status":"x","entities":"e"})",
      R"({"status":"x","entities":[]})",
      R"({"entities":5})",
      R"({"status":"x","entities":{"sub_jobs":{}}})",
      R"({"status":"x","entities":{"sub_jobs":"s"}})",
      R"({"status":"x","entities":{"sub_jobs":[1]}})",
      R"({"status":"x","entities":{"sub_jobs":[[]]}})",
      R"({"status":"x","entities":{"sub_jobs":[null,{"status":"a"}]}})",
      R"({"status":"x","entities":{"sub_jobs":[{"status":"a"},{"job_id":1},{"status":5}]}})",
      R"({"status":5,"entities":{"sub_jobs":[1]}})",
      R"({"status":"x","entities":5,"job_id":"a","entities":{"sub_jobs":[1]}})",
      R"({"status":"x","entities":{"sub_jobs":[{"status":"a","entities":{"sub_jobs":[2]}}],"k":"v"}})",
      R"({"status":"x","entities":{"sub_jobs":[{"entities":{"sub_jobs":[2]}}]}})",
      // plain jobs (the scanner's): any member order, spaces, scalar entities, empty sub-jobs
      R"({"job_id":"j","job_type":"t","status":"RUNNING","begin_time":"2024-03-11T09:15:02.118Z","end_time":null,"error_code":null,"fail_reason":null,"entities":{"server_group_id":"g"}})",
      R"({"status":"SUCCESS","job_id":"j","entities":{"a":"x","n":-12,"t":true,"f":false,"z":null,"o":{"p":[1]},"l":[],"sub_jobs":[],"sub_jobs":null},"extra":[{"x":1}]})",
      R"( { "job_id" : "j" , "status" : "INIT" , "entities" : { "a" : "b" , "a" : "c" } } )",
      R"({"status":"FAIL","error_code":"SDRS.1","fail_reason":"café"})",
      "{\"status\":\"FAIL\",\"fail_reason\":\"caf\xc3\xa9\"}",
      R"({"status":"x","entities":{"sub_jobs":[ ]}})",
      R"({"status":"x","entities":{"sub_jobs":[],"sub_jobs":[{"status":"y"}]}})",
      R"({"status":"x","entities":{"n":123456789012345678,"m":1234567890123456789}})",
      R"({"status":"x","u":123456789012345678901234567890})",
      R"({"job_id":"a","job_id":"b","status":"x"})",
      R"({"status":"x","entities":{},"entities":null})",
      R"({"status":"x","job_id":"a\/b"})",
      R"({"status":"x"}   )",
      // times
      R"({"status":"x","begin_time":"2024-03-11T09:15:02.118Z","end_time":"2024-02-30T00:00:00Z"})",
      R"({"status":"x","begin_time":"","end_time":"2024-03-11 09:15:02"})",
      // entity numbers and booleans as their JSON text, huge numbers
      R"({"status":"x","entities":{"a":1,"b":-1,"c":1.0,"d":1e2,"e":-0,"f":0.1,"g":1E-7,"h":true,"i":false}})",
      R"({"status":"x","entities":{"a":2147483648,"b":-2147483649,"c":4294967296,"d":18446744073709551615,"e":18446744073709551616,"f":-9223372036854775808,"g":-9223372036854775809}})",
      R"({"status":"x","entities":{"a":123456789012345678901234567890,"b":1.7976931348623157e308,"c":5e-324,"d":0.30000000000000004}})",
      // the reader makes 1e309 infinity, which RapidJSON's writer refuses part-way
      R"({"status":"x","entities":{"a":1e309,"b":-1e309}})",
      R"({"status":"x","entities":{"sub_jobs":[{"status":"a","n":1e309,"entities":{"sub_jobs":[{"status":"b"}]}},{"status":"c","entities":{"sub_jobs":[{"status":"d","m":[1e309]},{"status":"e"}]}}]}})",
      R"({"status":"x","entities":{"a":1e400}})",
      R"({"status":"x","entities":{"a":-}})",
      R"({"status":"x","entities":{"a":01}})",
      R"({"status":1e400})",
      // sub-jobs keep their JSON text as written by RapidJSON (spaces dropped, escapes redone)
      "{\"status\":\"x\",\"entities\":{\"sub_jobs\":[ { \"status\" : \"a\\u0041\\/\" , \"n\" : "
      "1.50 , \"o\":{ \"p\":[1, 2e3,true,null] } } , "
      "{\"status\":\"b\",\"entities\":{\"sub_jobs\":[{\"status\":\"c\"}, {\"status\":\"d\"}]}} ]}}",
      // NUL bytes and escapes
      std::string("{\"status\":\"x\0\"}", 15),
      "{\"status\":\"a\\u0000b\",\"job_id\":\"\\u0000\"}",
      "{\"status\":\"x\",\"entities\":{\"k\\u0000\":\"v\\u0000w\",\"sub_jobs\\u0000\":1}}",
      "{\"status\\u0000\":\"x\"}",
      "{\"status\":\"\\ud83d\\ude00\\n\\t\\\"\"}",
      "{\"status\":\"\\ud83d\"}",
      "{\"status\":\"\\x\"}",
      "{\"status\":\"a\nb\"}",
      // invalid UTF-8
      "{\"status\":\"\xff\"}",
      "{\"status\":\"\xc3\x28\"}",
      "{\"status\":\"\xe2\x82\"}",
      "{\"status\":\"\xed\xa0\x80\"}",
      "{\"status\":\"caf\xc3\xa9\"}",
  };
  // The depth limit: sub-jobs nest 8 deep; a job object at depth 9 fails, anything else there
  // fails as "not a JSON object"; an earlier error still wins.
  for (int depth : {7, 8, 9, 10, 50}) {
    c.push_back(nested(depth, R"({"status":"leaf"})"));
    c.push_back(nested(depth, "1"));
    c.push_back(nested(depth, R"({"job_id":1})"));
  }
  c.push_back(R"({"status":1,"entities":{"sub_jobs":[)" + nested(20, R"({"status":"x"})") + "]}}");
  c.push_back(std::string(100000, '[') + std::string(100000, ']'));
  c.push_back(nested(9, R"({"status":"leaf"})") + "x");
  return c;
}

TEST(JobDecoder, SameAsDomDecoderOnFuzzCorpus) {
  const auto files = corpus();
  ASSERT_GE(files.size(), 3u);
  for (const auto &body : files) same_outcome(body);
}

TEST(JobDecoder, SameAsDomDecoderOnEdgeCases) {
  g_scanned = 0;
  const auto cases = edge_cases();
  for (const auto &body : cases) same_outcome(body);
  // The scanner takes the plain jobs and leaves the rest to the SAX pass.
  EXPECT_GE(g_scanned, 12u);
  EXPECT_LT(g_scanned, cases.size() / 2);
}

// Every truncation and every one-byte replacement (by bytes that change the JSON's structure,
// its types, its encoding) of the corpus and of the edge cases.
TEST(JobDecoder, SameAsDomDecoderOnMutations) {
  g_scanned = 0;
  auto inputs = corpus();
  for (auto &e : edge_cases()) {
    if (e.size() < 2000) inputs.push_back(std::move(e));
  }
  const std::string replacements = std::string("\"\\{}[],:0-9.enulltf \n\x01\xff\x80") + '\0';
  size_t disagreements = 0;
  size_t runs = 0;
  const size_t stride = sdrs_test::mutation_stride();
  for (const auto &body : inputs) {
    for (size_t n = 0; n < body.size(); n += stride) {
      runs++;
      if (!same_outcome(body.substr(0, n))) ++disagreements;
      for (char r : replacements) {
        std::string m = body;
        m[n] = r;
        runs++;
        if (!same_outcome(m)) ++disagreements;
      }
      std::string without = body;
      without.erase(n, 1);
      runs++;
      if (!same_outcome(without)) ++disagreements;
    }
  }
  EXPECT_EQ(disagreements, 0u) << "of " << runs;
  EXPECT_GT(runs, 10000u / stride);
  EXPECT_GT(g_scanned, 5000u / stride);
}

// decode_job_id (a scanner for the compact answer in front of the complete pass) against its
// complete pass alone: the same id or the same error, over the create answers, edge cases and
// their mutations.
TEST(JobDecoder, JobIdSameAsCompletePass) {
  const auto id_outcome = [](auto decode, const std::string &body) {
    try {
      return "id=[" + decode(body) + "]";
    } catch (const Failure &f) {
      return "error code=" + std::to_string(static_cast<int>(f.info().code)) +
             " message=" + f.info().message;
    }
  };
  std::vector<std::string> inputs = {
      R"({"job_id":"4e6f2a91c0d84b7fa13e58d2b7c9a045"})",
      R"({"job_id":"j"})",
      R"({"job_id":"j"}  )",
      R"({"job_id":"j"} x)",
      R"({"job_id":"j"}{})",
      R"({"job_id":""})",
      R"({"job_id":"a\/b"})",
      R"({"job_id":"a\u0000b"})",
      R"({"job_id":"caf\u00e9"})",
      "{\"job_id\":\"caf\xc3\xa9\"}",
      "{\"job_id\":\"\xff\"}",
      "{\"job_id\":\"\xed\xa0\x80\"}",
      std::string("{\"job_id\":\"j\"}\0", 15),
      std::string("{\"job_id\":\"j\0\"}", 15),
      R"({ "job_id" : "j" })",
      R"({"job_id":"j","x":1})",
      R"({"x":1,"job_id":"j"})",
      R"({"job_id":"a","job_id":"b"})",
      R"({"job_id":1})",
      R"({"job_id":null})",
      R"({"job_id":["j"]})",
      R"({"jobs_id":"j"})",
      R"({})",
      R"([])",
      R"("j")",
      "",
      "{",
      R"({"job_id":"j")",
      R"({"job_id":"j)",
      "<html>502 Bad Gateway</html>",
  };
  const std::string replacements = std::string("\"\\{}[],:0-9.enulltf \n\x01\xff\x80") + '\0';
  const size_t base = inputs.size();
  for (size_t i = 0; i < base; ++i) {
    const std::string body = inputs[i];
    for (size_t n = 0; n < body.size(); ++n) {
      inputs.push_back(body.substr(0, n));
      std::string without = body;
      without.erase(n, 1);
      inputs.push_back(without);
      for (char r : replacements) {
        std::string m = body;
        m[n] = r;
        inputs.push_back(m);
      }
    }
  }
  size_t disagreements = 0;
  size_t ids = 0;
  for (const auto &body : inputs) {
    const std::string complete = id_outcome(detail::dom_job_id, body);
    const std::string current = id_outcome(decode_job_id, body);
    EXPECT_EQ(complete, current) << "input: " << body;
    if (complete != current) ++disagreements;
    if (complete.rfind("id=", 0) == 0) ++ids;
  }
  EXPECT_EQ(disagreements, 0u);
  EXPECT_GT(ids, 100u);  // the mutations keep many answers valid, not only errors
  EXPECT_EQ(decode_job_id(R"({"job_id":"4e6f2a91c0d84b7fa13e58d2b7c9a045"})"),
            "4e6f2a91c0d84b7fa13e58d2b7c9a045");
}

// A copy owns its own buffer (the C API's progress callbacks are shown copies); a moved-from
// job reads as empty.
TEST(JobDecoder, CopiesAndMovesKeepTheTexts) {
  const std::string body =
      R"({"job_id":"job-with-a-long-id-0123456789","status":"FAIL","entities":{"k":"v","n":1,)"
      R"("sub_jobs":[{"status":"S","entities":{"g":"sub-entity-value-0123456789"}}]}})";
  const auto text = [](const Job &job) {
    std::ostringstream out;
    describe(job, out);
    return out.str();
  };
  const std::string expected = text(decode_job(body));
  Job original = decode_job(body);
  Job copy = original;
  EXPECT_EQ(text(copy), expected);
  original = decode_job(R"({"status":"other"})");  // the copy does not share its buffer
  EXPECT_EQ(text(copy), expected);
  Job assigned;
  assigned = copy;
  EXPECT_EQ(text(assigned), expected);
  const Job moved = std::move(copy);
  EXPECT_EQ(text(moved), expected);
  EXPECT_STREQ(moved.sub_jobs.at(0).entity("g"), "sub-entity-value-0123456789");
  // NOLINTNEXTLINE(bugprone-use-after-move): what a moved-from job reads as is the point
  EXPECT_EQ(text(copy), text(Job()));
  EXPECT_EQ(Job().json_c_str(), std::string_view());
  EXPECT_EQ(Job().status(), std::nullopt);
  EXPECT_EQ(Job().entity("k"), nullptr);
}

// The decoder's own results, so the comparison above cannot pass by both being wrong alike.
TEST(JobDecoder, DecodesFieldsEntitiesAndSubJobs) {
  const std::string body =
      R"({"job_id":"j","status":"FAIL","begin_time":"2024-03-11T09:15:02.118Z","entities":)"
      R"({"a":"x","n":1.50,"b":true,"sub_jobs":[ {"status": "SUCCESS", "entities":{"sub_jobs":[{"status":"R"}]}} ]}})";
  const Job job = decode_job(body);
  EXPECT_EQ(job.json(), body);
  EXPECT_EQ(job.id(), "j");
  EXPECT_FALSE(job.type());
  EXPECT_EQ(job.status(), "FAIL");
  EXPECT_EQ(job.begin_ms(), 1710148502118);
  EXPECT_EQ(job.end_ms(), kTimeNone);
  EXPECT_STREQ(job.entity("a"), "x");
  EXPECT_STREQ(job.entity("n"), "1.5");
  EXPECT_STREQ(job.entity("b"), "true");
  EXPECT_EQ(job.entity("sub_jobs"), nullptr);
  ASSERT_EQ(job.sub_jobs.size(), 1u);
  EXPECT_EQ(job.sub_jobs[0].json(),
            R"({"status":"SUCCESS","entities":{"sub_jobs":[{"status":"R"}]}})");
  ASSERT_EQ(job.sub_jobs[0].sub_jobs.size(), 1u);
  EXPECT_EQ(job.sub_jobs[0].sub_jobs[0].json(), R"({"status":"R"})");
  EXPECT_EQ(job.sub_jobs[0].sub_jobs[0].status(), "R");
}

}  // namespace
}  // namespace sdrs
