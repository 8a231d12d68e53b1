// The job decoder, by hand (see job.hpp), on the poll path of every wait. Two passes at most:
// the scanner (core/json_scan.hpp) reads the job objects pollers see (string fields, scalar
// entities, no sub-jobs) straight into the Job and declines anything else; then a SAX pass
// builds the Job while RapidJSON's reader walks the text and decides the error afterwards, so
// it reports exactly what the former DOM walk reported (tests/unit keeps that walk as the
// reference and compares all three): a parse error first, then per job object its fields in a
// fixed order, then 'entities', then its sub-jobs in document order. Duplicate keys: the first
// of a job field or of 'entities' wins, the last of an entity (as before).
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <rapidjson/internal/dtoa.h>
#include <rapidjson/internal/itoa.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/codec_json.hpp"
#include "core/json_scan.hpp"
#include "core/resources/job.hpp"
#include "core/time.hpp"

namespace sdrs {

namespace {

bool has(const Job::Parts &parts, size_t field) {
  return (parts.present >> field & 1U) != 0;
}

}  // namespace

Job::Job(const Job &other)
    : sub_jobs(other.sub_jobs),
      json_size_(other.json_size_),
      fields_(other.fields_),
      entities_at_(other.entities_at_),
      entity_count_(other.entity_count_) {
  if (other.store_) {
    allocate(other.store_size_);
    std::memcpy(store_.get(), other.store_.get(), store_size_);
  }
}

Job &Job::operator=(const Job &other) {
  if (this != &other) *this = Job(other);
  return *this;
}

void Job::allocate(size_t size) {
  // Uninitialized: every byte is written next.
  store_.reset(new char[size]);
  store_size_ = size;
}

int64_t Job::time_ms(Field f) const {
  const Text t = text(f);
  return t ? parse_time_ms(*t) : kTimeNone;
}

void Job::assign(const Parts &parts) {
  size_t table = parts.json.size() + 1;  // the texts first, each with its NUL
  for (size_t i = 0; i < kFields; ++i) {
    if (has(parts, i)) table += parts.fields[i].size() + 1;
  }
  for (size_t i = 0; i < parts.entity_count; ++i) {
    table += parts.entities[i].first.size() + parts.entities[i].second.size() + 2;
  }
  allocate(table + parts.entity_count * sizeof(EntitySpan));
  char *const base = store_.get();
  size_t at = 0;
  auto put = [base, &at](std::string_view text) {
    const Span span{at, text.size()};
    if (!text.empty()) std::memcpy(base + at, text.data(), text.size());
    at += text.size();
    base[at++] = '\0';
    return span;
  };
  json_size_ = put(parts.json).size;
  for (size_t i = 0; i < kFields; ++i) fields_[i] = has(parts, i) ? put(parts.fields[i]) : Span{};
  entities_at_ = table;
  entity_count_ = parts.entity_count;
  for (size_t i = 0; i < parts.entity_count; ++i) {
    EntitySpan e;
    e.key = put(parts.entities[i].first);
    e.value = put(parts.entities[i].second);
    std::memcpy(base + table + i * sizeof(EntitySpan), &e, sizeof e);
  }
}

void Job::assign_within_json(const Parts &parts) {
  const size_t copy = parts.json.size() + 1;  // where the second copy begins
  const size_t table = 2 * copy;
  allocate(table + parts.entity_count * sizeof(EntitySpan));
  char *const base = store_.get();
  std::memcpy(base, parts.json.data(), parts.json.size());
  base[parts.json.size()] = '\0';
  std::memcpy(base + copy, base, copy);
  // A text is followed by its closing quote or the delimiter after a number, true or false:
  // never the first byte of another text.
  auto place = [&parts, base, copy](std::string_view text) {
    const Span span{copy + static_cast<size_t>(text.data() - parts.json.data()), text.size()};
    base[span.at + span.size] = '\0';
    return span;
  };
  json_size_ = parts.json.size();
  for (size_t i = 0; i < kFields; ++i) {
    fields_[i] = has(parts, i) ? place(parts.fields[i]) : Span{};
  }
  entities_at_ = table;
  entity_count_ = parts.entity_count;
  for (size_t i = 0; i < parts.entity_count; ++i) {
    EntitySpan e;
    e.key = place(parts.entities[i].first);
    e.value = place(parts.entities[i].second);
    std::memcpy(base + table + i * sizeof(EntitySpan), &e, sizeof e);
  }
}

Job::EntitySpan Job::entity_span(size_t i) const {
  EntitySpan e;
  std::memcpy(&e, store_.get() + entities_at_ + i * sizeof(EntitySpan), sizeof e);
  return e;
}

Job::Entity Job::entity_at(size_t i) const {
  const EntitySpan e = entity_span(i);
  return {std::string_view(store_.get() + e.key.at, e.key.size),
          std::string_view(store_.get() + e.value.at, e.value.size)};
}

const char *Job::entity(std::string_view key) const {
  for (size_t i = 0; i < entity_count(); ++i) {
    const EntitySpan e = entity_span(i);
    if (std::string_view(store_.get() + e.key.at, e.key.size) == key) {
      return store_.get() + e.value.at;
    }
  }
  return nullptr;
}

namespace {

using json::bad;
using json::Parsed;
using json::req_string;
using json::require_object;
using json::Value;

// Sub-jobs deeper than this are refused (a job object at depth 9 fails).
constexpr int kMaxDepth = 8;

// The string fields of a job object (Job::Field), in the order they are checked.
constexpr int kId = Job::kId;
constexpr int kType = Job::kType;
constexpr int kStatus = Job::kStatus;
constexpr int kBeginTime = Job::kBeginTime;
constexpr int kEndTime = Job::kEndTime;
constexpr int kErrorCode = Job::kErrorCode;
constexpr int kFailReason = Job::kFailReason;
constexpr int kFields = static_cast<int>(Job::kFields);
constexpr std::array<std::string_view, kFields> kFieldNames = {
    "job_id", "job_type", "status", "begin_time", "end_time", "error_code", "fail_reason"};
constexpr std::array<const char *, kFields> kNotString = {
    "job: 'job_id' is not a string",     "job: 'job_type' is not a string",
    "job: 'status' is not a string",     "job: 'begin_time' is not a string",
    "job: 'end_time' is not a string",   "job: 'error_code' is not a string",
    "job: 'fail_reason' is not a string"};
constexpr int kEntities = kFields;  // the member slot after the fields
constexpr int kIgnored = -1;
constexpr const char *kStatusMissing = "job: 'status' is missing";
constexpr const char *kEntitiesNotObject = "job: 'entities' is not an object";
constexpr const char *kSubJobsNotArray = "job: 'entities.sub_jobs' is not an array";
constexpr const char *kNotObject = "job is not a JSON object";
constexpr const char *kTooDeep = "job: sub_jobs nested too deeply";

// What the first occurrence of a member held.
enum class Seen : uint8_t { kAbsent, kNull, kString, kObject, kOther };
// The kind of a value event.
enum class Kind : uint8_t { kNull, kString, kScalar, kObject, kArray };

struct Slot {
  Seen seen;
  std::string_view text;  // into the in-situ buffer, alive for the whole decode
};

// One job object being read. Trivial, so the fixed array of frames costs nothing to set up.
struct Frame {
  enum Where : uint8_t { kInJob, kInEntities, kInSubJobs };
  Job *job;
  int depth;
  Where where;
  int pending;           // kInJob: the member slot of the next value (a Field, kEntities, kIgnored)
  std::string_view key;  // kInEntities: the key of the next value
  std::array<Slot, kFields> fields;
  Seen entities;
  const char *sub_error;  // the first error among the sub-jobs, in document order
};

class JobHandler {
 public:
  JobHandler(Job &top, const std::string &body) : top_(top), body_(body) {}

  // The error of the whole body once the reader accepted it (nullptr: none).
  const char *error() const { return root_ == Seen::kOther ? kNotObject : top_error_; }

  bool Null() {
    forward([](auto &w) { return w.Null(); });
    value(Kind::kNull, {});
    return true;
  }
  bool Bool(bool b) {
    forward([b](auto &w) { return w.Bool(b); });
    return scalar(b ? std::string_view("true") : std::string_view("false"));
  }
  bool Int(int i) {
    forward([i](auto &w) { return w.Int(i); });
    if (!wants_scalar_text()) return scalar({});
    return scalar(text_of(rapidjson::internal::i32toa(i, number_.data())));
  }
  bool Uint(unsigned u) {
    forward([u](auto &w) { return w.Uint(u); });
    if (!wants_scalar_text()) return scalar({});
    return scalar(text_of(rapidjson::internal::u32toa(u, number_.data())));
  }
  bool Int64(int64_t i) {
    forward([i](auto &w) { return w.Int64(i); });
    if (!wants_scalar_text()) return scalar({});
    return scalar(text_of(rapidjson::internal::i64toa(i, number_.data())));
  }
  bool Uint64(uint64_t u) {
    forward([u](auto &w) { return w.Uint64(u); });
    if (!wants_scalar_text()) return scalar({});
    return scalar(text_of(rapidjson::internal::u64toa(u, number_.data())));
  }
  bool Double(double d) {
    forward([d](auto &w) { return w.Double(d); });
    if (!wants_scalar_text()) return scalar({});
    // The reader turns a number too large for a double into infinity, which the writer refuses:
    // the DOM decoder's to_json gave "" for it.
    if (rapidjson::internal::Double(d).IsNanOrInf()) return scalar(std::string_view());
    // As RapidJSON's writer formats it (what the DOM decoder's to_json wrote).
    return scalar(text_of(rapidjson::internal::dtoa(
        d, number_.data(), rapidjson::Writer<rapidjson::StringBuffer>::kDefaultMaxDecimalPlaces)));
  }
  static bool RawNumber(const char *, rapidjson::SizeType, bool) { return true; }  // not requested
  bool String(const char *s, rapidjson::SizeType n, bool) {
    forward([s, n](auto &w) { return w.String(s, n); });
    value(Kind::kString, std::string_view(s, n));
    return true;
  }
  bool StartObject() {
    value(Kind::kObject, {});
    forward([](auto &w) { return w.StartObject(); });
    return true;
  }
  bool Key(const char *s, rapidjson::SizeType n, bool) {
    forward([s, n](auto &w) { return w.Key(s, n); });
    if (skip_ > 0) return true;
    Frame &f = frames_[level_];
    const std::string_view key(s, n);
    if (f.where == Frame::kInEntities) {
      f.key = key;
      return true;
    }
    f.pending = kIgnored;
    if (key == "entities") {
      if (f.entities == Seen::kAbsent) f.pending = kEntities;
      return true;
    }
    for (int i = 0; i < kFields; ++i) {
      if (key == kFieldNames[i]) {
        if (f.fields[i].seen == Seen::kAbsent) f.pending = i;
        break;
      }
    }
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    forward([](auto &w) { return w.EndObject(0); });
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    Frame &f = frames_[level_];
    if (f.where == Frame::kInEntities) {
      f.where = Frame::kInJob;
    } else {
      close_frame();
    }
    return true;
  }
  bool StartArray() {
    value(Kind::kArray, {});
    forward([](auto &w) { return w.StartArray(); });
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    forward([](auto &w) { return w.EndArray(0); });
    if (skip_ > 0) {
      --skip_;
    } else {
      frames_[level_].where = Frame::kInEntities;  // only a sub_jobs array is entered
    }
    return true;
  }

 private:
  using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

  // A sub-job's JSON text as the DOM decoder's to_json wrote it: RapidJSON's writer fed every
  // event inside the sub-job, stopping for good at the first event it refuses (a non-finite
  // number), as Value::Accept did. One per open sub-job, each stopping on its own.
  struct Sink {
    Sink() : writer(text) {}
    rapidjson::StringBuffer text;
    Writer writer;
    bool open = true;
  };

  template <typename Fn>
  void forward(Fn fn) {
    for (int d = 1; d <= level_; ++d) {
      Sink &s = *sinks_[d];
      if (s.open && !fn(s.writer)) s.open = false;
    }
  }

  std::string_view text_of(const char *end) const {
    return {number_.data(), static_cast<size_t>(end - number_.data())};
  }

  // Only an entity's number or boolean keeps its text.
  bool wants_scalar_text() const {
    if (skip_ > 0 || level_ < 0) return false;
    const Frame &f = frames_[level_];
    return f.where == Frame::kInEntities && f.key != "sub_jobs";
  }
  bool scalar(std::string_view text) {
    value(Kind::kScalar, text);
    return true;
  }

  static void set_first(const char *&slot, const char *error) {
    if (slot == nullptr) slot = error;
  }

  // A value begins (a scalar, or the start of an object/array). true: a job frame was opened.
  bool value(Kind kind, std::string_view text) {
    const bool container = kind == Kind::kObject || kind == Kind::kArray;
    if (skip_ > 0) {
      if (container) ++skip_;
      return false;
    }
    if (level_ < 0) {
      if (kind != Kind::kObject) {
        root_ = Seen::kOther;
        if (container) skip_ = 1;
        return false;
      }
      open_frame(top_, 0);
      return true;
    }
    Frame &f = frames_[level_];
    switch (f.where) {
      case Frame::kInJob:
        if (f.pending >= 0 && f.pending < kFields) {
          f.fields[f.pending] = {kind == Kind::kNull     ? Seen::kNull
                                 : kind == Kind::kString ? Seen::kString
                                                         : Seen::kOther,
                                 text};
        } else if (f.pending == kEntities) {
          f.entities = kind == Kind::kNull     ? Seen::kNull
                       : kind == Kind::kObject ? Seen::kObject
                                               : Seen::kOther;
          if (kind == Kind::kObject) {
            f.where = Frame::kInEntities;
            return false;
          }
        }
        break;
      case Frame::kInEntities:
        if (f.key == "sub_jobs") {
          if (kind == Kind::kArray) {
            f.where = Frame::kInSubJobs;
            return false;
          }
          if (kind != Kind::kNull) set_first(f.sub_error, kSubJobsNotArray);
        } else if (kind == Kind::kString || kind == Kind::kScalar) {
          // Copied: a number's text is overwritten by the next number.
          entities_[static_cast<size_t>(level_)].insert_or_assign(std::string(f.key),
                                                                  std::string(text));
        }
        break;
      case Frame::kInSubJobs:
        if (kind != Kind::kObject) {
          set_first(f.sub_error, kNotObject);
        } else if (f.depth + 1 > kMaxDepth) {
          set_first(f.sub_error, kTooDeep);
        } else {
          Job &sub = f.job->sub_jobs.emplace_back();
          open_frame(sub, f.depth + 1);
          start_text(f.depth + 1);
          return true;
        }
        break;
    }
    if (container) skip_ = 1;
    return false;
  }

  void open_frame(Job &job, int depth) {
    ++level_;
    Frame &f = frames_[level_];
    f.job = &job;
    f.depth = depth;
    f.where = Frame::kInJob;
    f.pending = kIgnored;
    f.key = {};
    for (Slot &s : f.fields) s = {Seen::kAbsent, {}};
    f.entities = Seen::kAbsent;
    f.sub_error = nullptr;
    entities_[static_cast<size_t>(level_)].clear();
  }

  void start_text(int depth) {
    std::optional<Sink> &s = sinks_[depth];
    if (!s) s.emplace();
    s->text.Clear();
    s->writer.Reset(s->text);
    s->open = true;
  }

  // The job object ends: its error in the DOM walk's order, its fields, its text.
  void close_frame() {
    Frame &f = frames_[level_];
    const char *error = nullptr;
    for (int i = 0; i < kFields && error == nullptr; ++i) {
      if (f.fields[i].seen == Seen::kOther) error = kNotString[i];
      if (i == kStatus && f.fields[i].seen != Seen::kString && error == nullptr) {
        error = kStatusMissing;
      }
    }
    if (error == nullptr && f.entities == Seen::kOther) error = kEntitiesNotObject;
    if (error == nullptr) error = f.sub_error;

    Job::Parts parts;
    for (int i = 0; i < kFields; ++i) {
      if (f.fields[i].seen == Seen::kString) {
        parts.fields[static_cast<size_t>(i)] = f.fields[i].text;
        parts.present |= 1U << i;
      }
    }
    const auto &map = entities_[static_cast<size_t>(level_)];
    entity_views_.clear();
    for (const auto &e : map) entity_views_.emplace_back(e.first, e.second);
    parts.entities = entity_views_.data();
    parts.entity_count = entity_views_.size();
    if (f.depth > 0) {
      const Sink &s = *sinks_[f.depth];
      parts.json = std::string_view(s.text.GetString(), s.text.GetSize());
    } else {
      parts.json = body_;
    }
    f.job->assign(parts);
    --level_;
    if (level_ < 0) {
      top_error_ = error;
    } else if (error != nullptr) {
      set_first(frames_[level_].sub_error, error);
    }
  }

  Job &top_;
  const std::string &body_;
  std::array<Frame, kMaxDepth + 1> frames_;  // NOLINT(*-member-init): set by open_frame
  int level_ = -1;
  int skip_ = 0;  // > 0: inside a value nobody reads, this many containers deep
  Seen root_ = Seen::kAbsent;
  const char *top_error_ = nullptr;
  std::array<std::optional<Sink>, kMaxDepth + 1> sinks_;  // by depth; 0 unused (body as is)
  std::array<char, 32> number_{};  // a number's text (dtoa needs at most 25 bytes)
  // The entities of each open job object, by level (the last of a key wins).
  std::array<std::map<std::string, std::string>, kMaxDepth + 1> entities_;
  std::vector<Job::Entity> entity_views_;  // a closing job's entities, handed to Job::assign
};

// ---- the fast path ----

// Which member of a job object a key names: a Field, kEntities, or kIgnored.
int job_member(std::string_view key) {
  using scan::equals;
  switch (key.size()) {
    case 6:
      return equals(key, "job_id") ? kId : equals(key, "status") ? kStatus : kIgnored;
    case 8:
      return equals(key, "job_type")   ? kType
             : equals(key, "end_time") ? kEndTime
             : equals(key, "entities") ? kEntities
                                       : kIgnored;
    case 10:
      return equals(key, "begin_time")   ? kBeginTime
             : equals(key, "error_code") ? kErrorCode
                                         : kIgnored;
    case 11:
      return equals(key, "fail_reason") ? kFailReason : kIgnored;
    default:
      return kIgnored;
  }
}

// The entities the scanner takes (more: it declines, the SAX pass decodes them alike).
constexpr size_t kMaxScannedEntities = 16;
class ScannedEntities {
 public:
  ScannedEntities() {}  // NOLINT(modernize-use-equals-default): raw_ stays uninitialized
  ScannedEntities(const ScannedEntities &) = delete;
  ScannedEntities &operator=(const ScannedEntities &) = delete;
  ~ScannedEntities() = default;  // Entity is trivially destructible

  size_t count() const { return count_; }
  const Job::Entity *items() const { return count_ == 0 ? nullptr : at(0); }

  // The last of a key wins.
  bool put(std::string_view key, std::string_view value) {
    for (size_t i = 0; i < count_; ++i) {
      if (at(i)->first == key) {
        at(i)->second = value;
        return true;
      }
    }
    if (count_ == kMaxScannedEntities) return false;
    ::new (static_cast<void *>(raw_ + count_ * sizeof(Job::Entity))) Job::Entity(key, value);
    ++count_;
    return true;
  }

 private:
  Job::Entity *at(size_t i) const {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): objects made by put()
    return std::launder(reinterpret_cast<Job::Entity *>(raw_ + i * sizeof(Job::Entity)));
  }
  // Storage only, constructed one entity at a time: sixteen empty pairs cost about 70
  // instructions per job, more than its entities (one or two) do.
  static_assert(std::is_trivially_destructible_v<Job::Entity>);
  alignas(Job::Entity) mutable unsigned char raw_[kMaxScannedEntities * sizeof(Job::Entity)];
  size_t count_ = 0;
};

// After 'entities' '{': its scalar members as entities (the last of a key wins), objects and
// arrays left out, 'sub_jobs' only null or empty (sub-jobs need their JSON text rewritten: the
// SAX decoder's part). The texts are views into the body.
bool scan_entities(scan::Scanner &in, ScannedEntities &entities) {
  in.advance();
  if (in.eat('}')) return true;
  for (;;) {
    std::string_view key;
    if (!in.key(&key)) return false;
    const char c = in.peek();
    std::string_view value;
    int64_t number = 0;
    bool keep = true;
    if (scan::equals(key, "sub_jobs")) {
      if (c == 'n') {
        if (!in.literal("null")) return false;
      } else if (c != '[' || (in.advance(), !in.eat(']'))) {
        return false;
      }
      keep = false;
    } else if (c == '"') {
      in.advance();
      if (!in.string(&value)) return false;
    } else if (c == 't' || c == 'f') {
      value = std::string_view(in.pos(), c == 't' ? 4 : 5);  // a view into the body
      if (!in.literal(c == 't' ? "true" : "false")) return false;
    } else if (c == 'n' || c == '{' || c == '[') {
      if (!in.skip_value()) return false;
      keep = false;
    } else if (!in.integer(&number, &value)) {
      return false;
    }
    if (keep && !entities.put(key, value)) return false;
    if (in.eat(',')) continue;
    return in.eat('}');
  }
}

}  // namespace

namespace detail {

// The members in the order the spec (and the service) sends them: each key is first compared
// at once with the one expected next.
constexpr int kOrder[] = {kId,      kType,      kStatus,     kBeginTime,
                          kEndTime, kErrorCode, kFailReason, kEntities};
constexpr scan::Pattern kKeys[] = {
    scan::pattern("\"job_id\":"),      scan::pattern("\"job_type\":"),
    scan::pattern("\"status\":"),      scan::pattern("\"begin_time\":"),
    scan::pattern("\"end_time\":"),    scan::pattern("\"error_code\":"),
    scan::pattern("\"fail_reason\":"), scan::pattern("\"entities\":")};

bool scan_job(const std::string &body, Job *out) {
  scan::Scanner in(body);
  if (!in.eat('{')) return false;
  Job::Parts parts;  // the fields' texts are scanned into it
  ScannedEntities entities;
  unsigned seen = 0;     // members met (a bit per Field, and kEntities)
  unsigned strings = 0;  // fields that hold a string
  if (!in.eat('}')) {
    size_t expected = 0;  // index into kOrder
    for (;;) {
      int member = kIgnored;
      if (expected < std::size(kOrder) && in.match(kKeys[expected])) {
        member = kOrder[expected++];
      } else {
        std::string_view key;
        if (!in.key(&key)) return false;
        member = job_member(key);
        for (size_t i = 0; i < std::size(kOrder); ++i) {
          if (kOrder[i] == member) expected = i + 1;
        }
      }
      if (member == kIgnored) {
        if (!in.skip_value()) return false;
      } else {
        // A duplicate: which one counts is the SAX decoder's to say.
        if ((seen >> member & 1U) != 0) return false;
        seen |= 1U << member;
        const char c = in.peek();
        if (c == 'n') {
          if (!in.literal("null")) return false;
        } else if (member == kEntities) {
          if (c != '{' || !scan_entities(in, entities)) return false;
        } else {
          if (c != '"') return false;
          in.advance();
          if (!in.string(&parts.fields[static_cast<size_t>(member)])) return false;
          strings |= 1U << member;
        }
      }
      if (in.eat(',')) continue;
      if (!in.eat('}')) return false;
      break;
    }
  }
  in.peek();
  if (!in.at_end() || (strings >> kStatus & 1U) == 0) return false;
  if (in.non_ascii() && !is_utf8_without_nul(body)) return false;
  parts.json = body;
  parts.present = strings;
  parts.entities = entities.items();
  parts.entity_count = entities.count();
  out->assign_within_json(parts);
  return true;
}

Job sax_job(const std::string &body) {
  // The same checks and reader flags as json::Parsed, so a bad body gets the same message.
  if (!is_utf8_without_nul(body)) bad("invalid JSON (not UTF-8, or a NUL byte)");
  alignas(std::max_align_t) std::array<char, 4096> scratch;  // NOLINT(*-member-init)
  json::Pool pool(scratch.data(), scratch.size());
  auto *text = static_cast<char *>(pool.Malloc(body.size() + 1));
  if (text == nullptr) throw std::bad_alloc();
  std::memcpy(text, body.data(), body.size());
  text[body.size()] = '\0';

  Job job;
  JobHandler handler(job, body);
  rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, json::Pool> reader(&pool, 512);
  rapidjson::GenericInsituStringStream<rapidjson::UTF8<>> in(text);
  const rapidjson::ParseResult result =
      reader.Parse<json::kParseFlags | rapidjson::kParseInsituFlag>(in, handler);
  if (result.IsError()) {
    bad(std::string("invalid JSON (") + rapidjson::GetParseError_En(result.Code()) + " at offset " +
        std::to_string(result.Offset()) + ")");
  }
  if (const char *error = handler.error()) bad(error);
  return job;
}

std::string dom_job_id(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  require_object(doc, "response");
  std::string id = req_string(doc, "job_id", "response");
  if (id.empty()) bad("response: 'job_id' is empty");
  return id;
}

}  // namespace detail

std::string decode_job_id(const std::string &body) {
  // The compact answer the service sends, read in place; anything else (spaces, escapes, more
  // members, an empty id, bad JSON) goes to the complete pass, which words the errors.
  static constexpr scan::Pattern kJobIdKey = scan::pattern(R"({"job_id":")");
  scan::Scanner in(body);
  std::string_view id;
  if (in.match(kJobIdKey) && in.string(&id) && !id.empty() && in.eat('}')) {
    in.peek();
    if (in.at_end() && (!in.non_ascii() || is_utf8_without_nul(body))) return std::string(id);
  }
  return detail::dom_job_id(body);
}

Job decode_job(const std::string &body) {
  Job job;  // one named result, constructed in place
  if (!detail::scan_job(body, &job)) job = detail::sax_job(body);
  return job;
}

}  // namespace sdrs
