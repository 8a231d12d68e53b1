// The codec's JSON toolkit over RapidJSON, for the codec files only (core/codec.cpp,
// core/resources/*_codec.cpp): parsing into a pooled document, the typed member readers with
// the "unexpected response: <context>: '<key>' ..." messages, and the generic record decoder.
// scripts/check-layers keeps RapidJSON out of every other file.
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <new>
#include <string>

#include <rapidjson/allocators.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "core/error.hpp"
#include "core/models.hpp"
#include "core/record.hpp"
#include "core/validate.hpp"

namespace sdrs::json {

using rapidjson::Value;

[[noreturn]] void bad(const std::string &what);

// Iterative parsing keeps deeply nested hostile input from exhausting the stack. Encoding is
// checked before parsing (is_utf8_without_nul), which rejects invalid UTF-8 instead of passing
// it on to callers; RapidJSON's own per-character validation cost more than the parse itself.
constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag;

// RapidJSON allocates from buffers inside these objects first, so a typical response or
// request needs no heap memory in the codec (a large one, such as a 1000-group list, spills into
// 64 KiB chunks). Before this, every parse took a fresh 64 KiB chunk and freed it again.
using Pool = rapidjson::MemoryPoolAllocator<>;
using PooledDocument = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool>;

class Parsed {
 public:
  // Throws kProtocol for a body that is not JSON.
  explicit Parsed(const std::string &body) : Parsed() {
    if (!parse(body)) bad(message());
  }
  Parsed()
      : values_(values_buf_.data(), values_buf_.size()),
        stack_(stack_buf_.data(), stack_buf_.size()),
        doc_(&values_, kStackCapacity, &stack_) {}
  Parsed(const Parsed &) = delete;
  Parsed &operator=(const Parsed &) = delete;
  ~Parsed() = default;

  // false for a body that is not JSON (message() says why).
  bool parse(const std::string &body) {
    if (!is_utf8_without_nul(body)) {
      not_utf8_ = true;
      return false;
    }
    // Parsed in place in a copy held by the pool, so strings point into it instead of being
    // copied a character at a time (most of a parse's cost). NUL-terminated parsing is exact:
    // the body has no NUL byte.
    auto *text = static_cast<char *>(values_.Malloc(body.size() + 1));
    if (text == nullptr) throw std::bad_alloc();
    std::memcpy(text, body.data(), body.size());
    text[body.size()] = '\0';
    doc_.ParseInsitu<kParseFlags>(text);
    return !doc_.HasParseError();
  }
  std::string message() const {
    if (not_utf8_) return "invalid JSON (not UTF-8, or a NUL byte)";
    return std::string("invalid JSON (") + rapidjson::GetParseError_En(doc_.GetParseError()) +
           " at offset " + std::to_string(doc_.GetErrorOffset()) + ")";
  }
  const Value &root() const { return doc_; }

 private:
  static constexpr size_t kStackCapacity = 512;
  // Scratch memory for the pools, deliberately not zeroed (that cost more than the parse).
  alignas(std::max_align_t) std::array<char, 4096> values_buf_;  // NOLINT(*-member-init)
  alignas(std::max_align_t) std::array<char, 2048> stack_buf_;   // NOLINT(*-member-init)
  Pool values_;
  Pool stack_;
  PooledDocument doc_;
  bool not_utf8_ = false;
};

// The JSON text of a value (RapidJSON's writer).
std::string to_json(const Value &v);
// obj[key], which must be an object / an array.
const Value &member_object(const Value &obj, const char *key, const char *context);
const Value &member_array(const Value &obj, const char *key, const char *context);
// A string field: absent/null -> nullopt; wrong type -> protocol error.
OptString opt_string(const Value &obj, const char *key, const char *context);
std::string req_string(const Value &obj, const char *key, const char *context);
void require_object(const Value &v, const char *context);

// Decodes v by the table into b's store, as a top-level record: strict about the types of
// known fields, silent about unknown ones.
Record decode_record(const Value &v, const RecordDef &def, const char *context, RecordBuilder &b);

}  // namespace sdrs::json
