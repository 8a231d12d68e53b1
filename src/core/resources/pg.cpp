#include "core/resources/pg.hpp"

#include <iterator>
#include <optional>
#include <string_view>
#include <utility>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/url.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

#define SDRS_FIELD_DEF(index, wire, kind, required) {wire, nullptr, FieldKind::kind, required},
constexpr FieldDef kPgFields[] = {SDRS_PG_FIELDS(SDRS_FIELD_DEF)};
#undef SDRS_FIELD_DEF
static_assert(std::size(kPgFields) == kPgFieldCount, "SDRS_PG_FIELDS: table and enum differ");

}  // namespace

const RecordDef kPgRecord = {"server_group", kPgFields, std::size(kPgFields)};

const char *action_key(PgAction a) {
  switch (a) {
    case PgAction::kStart:
      return "start-server-group";
    case PgAction::kStop:
      return "stop-server-group";
    case PgAction::kFailover:
      return "failover-server-group";
    case PgAction::kReverse:
      return "reverse-server-group";
  }
  return "";
}

namespace {

void check_spec(const PgSpec &spec, bool fields_checked) {
  if (!spec.name) fail(Code::kValidation, "name: required");
  if (!fields_checked) validate_name("name", *spec.name);
  if (spec.description && !fields_checked) validate_description(*spec.description);
  const std::pair<const char *, const OptString *> required[] = {
      {"source_availability_zone", &spec.source_az},
      {"target_availability_zone", &spec.target_az},
      {"domain_id", &spec.domain_id},
      {"source_vpc_id", &spec.source_vpc_id}};
  for (const auto &r : required) {
    if (!*r.second) fail(Code::kValidation, std::string(r.first) + ": required");
    if (!fields_checked) validate_required_text(r.first, **r.second);
  }
  if (*spec.source_az == *spec.target_az) {
    fail(Code::kValidation,
         "target_availability_zone: must differ from source_availability_zone (both '" +
             *spec.source_az + "')");
  }
}

}  // namespace

void validate_spec(const PgSpec &spec) {
  check_spec(spec, false);
}

void validate_spec_complete(const PgSpec &spec) {
  check_spec(spec, true);
}

std::string list_query_string(const ListQuery &q) {
  std::string s;
  auto add = [&s](const char *key, const std::string &value) {
    s += s.empty() ? "?" : "&";
    s += key;
    s += "=";
    append_percent_encoded(s, value);
  };
  if (q.limit) {
    validate_range("limit", *q.limit, 1, 1000);
    add("limit", std::to_string(*q.limit));
  }
  if (q.offset) {
    validate_range("offset", *q.offset, 0, INT32_MAX);
    add("offset", std::to_string(*q.offset));
  }
  if (q.status) add("status", *q.status);
  if (q.name) add("name", *q.name);
  if (q.query_type) add("query_type", *q.query_type);
  if (q.availability_zone) add("availability_zone", *q.availability_zone);
  return s;
}

std::string encode_create(const PgSpec &spec) {
  const std::string_view dr_type = spec.dr_type ? std::string_view(*spec.dr_type) : "migration";
  const std::pair<std::string_view, const OptString *> fields[] = {
      {"name", &spec.name},
      {"description", &spec.description},
      {"source_availability_zone", &spec.source_az},
      {"target_availability_zone", &spec.target_az},
      {"domain_id", &spec.domain_id},
      {"source_vpc_id", &spec.source_vpc_id},
      {"dr_type", nullptr},  // always sent: the default when unset
      {"server_type", &spec.server_type}};
  auto value = [&dr_type](const OptString *v) -> std::optional<std::string_view> {
    if (v == nullptr) return dr_type;
    if (!*v) return std::nullopt;
    return std::string_view(**v);
  };
  // One exact-size allocation: measure, then write (appending piece by piece cost more than
  // the rest of the request's library work together). The first try assumes no value needs an
  // escape, so each value is read once, checked and copied together; a value with an escape
  // makes the second measure the escaped sizes and write them.
  constexpr std::string_view kOpen = R"({"server_group":{)";
  constexpr std::string_view kClose = "}}";
  for (const bool escaped : {false, true}) {
    size_t size = kOpen.size() + kClose.size();
    for (const auto &f : fields) {
      if (const auto v = value(f.second)) {
        size += 1 + f.first.size() + 3 + (escaped ? json_string_size(*v) : v->size() + 2);
      }
    }
    std::string out(size, '\0');
    char *p = write_text(out.data(), kOpen);
    bool first = true;
    for (const auto &f : fields) {
      const auto v = value(f.second);
      if (!v) continue;
      if (!first) *p++ = ',';
      first = false;
      *p++ = '"';
      p = write_text(p, f.first);
      p = write_text(p, "\":");
      p = escaped ? write_json_string(p, *v) : write_plain_json_string(p, *v);
      if (p == nullptr) break;
    }
    if (p == nullptr) continue;
    p = write_text(p, kClose);
    // The size counted one comma too many (none before the first member).
    out.resize(static_cast<size_t>(p - out.data()));
    return out;
  }
  return {};  // not reached: the escaped pass always ends
}

std::string encode_rename(const std::string &name) {
  return R"({"server_group":{"name":)" + json_quote(name) + "}}";
}

std::string encode_action(const std::string &action, const std::string &priority_station) {
  std::string inner = "{}";
  if (!priority_station.empty())
    inner = "{\"priority_station\":" + json_quote(priority_station) + "}";
  return "{" + json_quote(action) + ":" + inner + "}";
}

Group decode_group_envelope(const std::string &body) {
  return decode_record_member(body, "server_group", kPgRecord);
}

GroupList decode_group_list(const std::string &body) {
  GroupList list;
  list.groups = decode_record_array(body, "server_groups", kPgRecord, &list.count, nullptr);
  return list;
}

}  // namespace sdrs
