// Jobs (spec 5): what GET /jobs/{id} returns, polled by the waiter. The job keeps a
// hand-written decoder (job_codec.cpp) instead of a RecordDef table: it is on the poll path of
// every wait, and its entities map with nested sub-jobs is its own shape (see
// docs/architecture.md, "Why the job is not a table").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/models.hpp"

namespace sdrs {

// One job object. All its texts live in one buffer (one allocation per poll instead of one per
// text and entity): the JSON text, then the texts of the string fields and of the entities'
// keys and values, each NUL-terminated (a text may hold a NUL of its own, from "\u0000":
// lengths are kept), then the entity table. Offsets, not pointers, so copies need no fix-up.
class Job {
 public:
  Job() = default;
  Job(const Job &other);
  Job &operator=(const Job &other);
  // A moved-from job reads as empty (its store went with the move; every getter checks it).
  Job(Job &&) noexcept = default;
  Job &operator=(Job &&) noexcept = default;
  ~Job() = default;

  // The string fields, in the order the decoder checks them.
  enum Field : uint8_t { kId, kType, kStatus, kBeginTime, kEndTime, kErrorCode, kFailReason };
  static constexpr size_t kFields = 7;

  using Text = std::optional<std::string_view>;
  using Entity = std::pair<std::string_view, std::string_view>;

  // What a decoder hands to assign(): views that need to live only during the call.
  struct Parts {
    std::string_view json;
    std::array<std::string_view, kFields> fields{};
    unsigned present = 0;              // a bit per Field
    const Entity *entities = nullptr;  // unique keys
    size_t entity_count = 0;
  };
  // Replaces the job's texts and entities with copies of parts' (sub_jobs are left alone).
  void assign(const Parts &parts);
  // The same when every text of parts is a view into parts.json (what the scanner reads): the
  // JSON text is copied twice, the second copy with a NUL after each text in place.
  void assign_within_json(const Parts &parts);

  // The job's JSON text (a top-level job: the body as received); NUL-terminated.
  std::string_view json() const {
    return store_ ? std::string_view(store_.get(), json_size_) : std::string_view();
  }
  const char *json_c_str() const { return store_ ? store_.get() : ""; }

  Text text(Field f) const {
    const Span &s = fields_[f];
    if (!store_ || s.at == kAbsent) return std::nullopt;
    return std::string_view(store_.get() + s.at, s.size);
  }
  // NUL-terminated, nullptr when absent.
  const char *c_str(Field f) const {
    return !store_ || fields_[f].at == kAbsent ? nullptr : store_.get() + fields_[f].at;
  }
  Text id() const { return text(kId); }
  Text type() const { return text(kType); }
  Text status() const { return text(kStatus); }
  Text begin_time() const { return text(kBeginTime); }
  Text end_time() const { return text(kEndTime); }
  Text error_code() const { return text(kErrorCode); }
  Text fail_reason() const { return text(kFailReason); }

  // begin_time and end_time in ms since the epoch (kTimeNone: absent or not a time), read when
  // asked: the waiter never needs them, so a poll does not pay for them.
  int64_t begin_ms() const { return time_ms(kBeginTime); }
  int64_t end_ms() const { return time_ms(kEndTime); }

  bool finished() const { return status() == "SUCCESS" || status() == "FAIL"; }

  // Scalar entries of 'entities' (numbers and booleans as JSON text), unique keys, in no
  // particular order.
  size_t entity_count() const { return store_ ? entity_count_ : 0; }
  Entity entity_at(size_t i) const;
  // The value under key (NUL-terminated), nullptr when there is none.
  const char *entity(std::string_view key) const;

  std::vector<Job> sub_jobs;

 private:
  static constexpr size_t kAbsent = SIZE_MAX;
  struct Span {
    size_t at = kAbsent;  // offset into store_
    size_t size = 0;
  };
  struct EntitySpan {
    Span key, value;
  };
  EntitySpan entity_span(size_t i) const;
  void allocate(size_t size);
  int64_t time_ms(Field f) const;

  // Not a std::string: its resize would zero the bytes first. Null: not assigned, or moved
  // from (an empty job: JSON "", no fields, no entities).
  std::unique_ptr<char[]> store_;
  size_t store_size_ = 0;
  size_t json_size_ = 0;
  std::array<Span, kFields> fields_{};
  size_t entities_at_ = 0;  // offset of the entity table (EntitySpans, unaligned) in store_
  size_t entity_count_ = 0;
};

// {"job_id": "..."}: the answer of every asynchronous call (non-empty id).
std::string decode_job_id(const std::string &body);
// A job object; its json is the body as received.
Job decode_job(const std::string &body);

namespace detail {

// The two passes behind decode_job, apart for the tests that compare them: the scanner takes
// the common job objects (false for anything else, *out then unchanged), the SAX decoder
// takes everything and throws the errors.
bool scan_job(const std::string &body, Job *out);
Job sax_job(const std::string &body);

// decode_job_id's complete pass (a DOM parse), behind its scanner for the compact answer.
std::string dom_job_id(const std::string &body);

}  // namespace detail

}  // namespace sdrs
