#include "output.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace sdrscli {

std::string json_string(const char *s) {
  if (!s) return "null";
  std::string out = "\"";
  for (const char *p = s; *p; ++p) {
    auto c = static_cast<unsigned char>(*p);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string json_or_null(const char *json_text) {
  return json_text ? json_text : "null";
}

std::string json_array(const std::vector<std::string> &items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]";
}

std::string or_dash(const char *s) {
  return (s && *s) ? s : "-";
}

std::string count_or_dash(int64_t v) {
  return v < 0 ? "-" : std::to_string(v);
}

void print_key_values(const KeyValues &rows) {
  size_t width = 0;
  for (const auto &r : rows) width = std::max(width, r.first.size());
  for (const auto &r : rows)
    std::cout << r.first << ":" << std::string(width - r.first.size() + 1, ' ') << r.second << "\n";
}

void print_table(const std::vector<std::string> &headers,
                 const std::vector<std::vector<std::string>> &rows) {
  std::vector<size_t> widths(headers.size());
  for (size_t i = 0; i < headers.size(); ++i) widths[i] = headers[i].size();
  for (const auto &r : rows)
    for (size_t i = 0; i < r.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], r[i].size());
  auto line = [&](const std::vector<std::string> &cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) {
      s += cells[i];
      if (i + 1 < cells.size()) s += std::string(widths[i] - cells[i].size() + 2, ' ');
    }
    std::cout << s << "\n";
  };
  line(headers);
  for (const auto &r : rows) line(r);
}

KeyValues job_fields(const sdrs_job *job) {
  KeyValues kv = {
      {"job_id", or_dash(sdrs_job_id(job))},
      {"job_type", or_dash(sdrs_job_type(job))},
      {"status", or_dash(sdrs_job_status_str(job))},
      {"begin_time", or_dash(sdrs_job_begin_time(job))},
      {"end_time", or_dash(sdrs_job_end_time(job))},
      {"server_group_id", or_dash(sdrs_job_entity(job, "server_group_id"))},
  };
  if (sdrs_job_error_code(job)) kv.emplace_back("error_code", sdrs_job_error_code(job));
  if (sdrs_job_fail_reason(job)) kv.emplace_back("fail_reason", sdrs_job_fail_reason(job));
  size_t subs = sdrs_job_sub_job_count(job);
  for (size_t i = 0; i < subs; ++i) {
    const sdrs_job *sub = sdrs_job_sub_job(job, i);
    kv.emplace_back("sub_job[" + std::to_string(i) + "]", or_dash(sdrs_job_id(sub)) + " " +
                                                              or_dash(sdrs_job_type(sub)) + " " +
                                                              or_dash(sdrs_job_status_str(sub)));
  }
  return kv;
}

KeyValues pg_fields(const sdrs_pg *pg) {
  return {
      {"id", or_dash(sdrs_pg_id(pg))},
      {"name", or_dash(sdrs_pg_name(pg))},
      {"description", or_dash(sdrs_pg_description(pg))},
      {"status", or_dash(sdrs_pg_status_str(pg))},
      {"progress", count_or_dash(sdrs_pg_progress(pg))},
      {"source_availability_zone", or_dash(sdrs_pg_source_az(pg))},
      {"target_availability_zone", or_dash(sdrs_pg_target_az(pg))},
      {"priority_station", or_dash(sdrs_pg_priority_station(pg))},
      {"domain_id", or_dash(sdrs_pg_domain_id(pg))},
      {"domain_name", or_dash(sdrs_pg_domain_name(pg))},
      {"source_vpc_id", or_dash(sdrs_pg_source_vpc_id(pg))},
      {"target_vpc_id", or_dash(sdrs_pg_target_vpc_id(pg))},
      {"protected_instance_num", count_or_dash(sdrs_pg_protected_instance_num(pg))},
      {"replication_num", count_or_dash(sdrs_pg_replication_num(pg))},
      {"disaster_recovery_drill_num", count_or_dash(sdrs_pg_disaster_recovery_drill_num(pg))},
      {"protected_status", or_dash(sdrs_pg_protected_status(pg))},
      {"replication_status", or_dash(sdrs_pg_replication_status(pg))},
      {"health_status", or_dash(sdrs_pg_health_status(pg))},
      {"dr_type", or_dash(sdrs_pg_dr_type(pg))},
      {"server_type", or_dash(sdrs_pg_server_type(pg))},
      {"protection_type", or_dash(sdrs_pg_protection_type(pg))},
      {"created_at", or_dash(sdrs_pg_created_at(pg))},
      {"updated_at", or_dash(sdrs_pg_updated_at(pg))},
  };
}

const std::vector<std::string> &pg_table_headers() {
  static const std::vector<std::string> kHeaders = {"ID",        "NAME",      "STATUS",
                                                    "SOURCE_AZ", "TARGET_AZ", "PRIORITY"};
  return kHeaders;
}

std::vector<std::string> pg_row(const sdrs_pg *pg) {
  return {or_dash(sdrs_pg_id(pg)),         or_dash(sdrs_pg_name(pg)),
          or_dash(sdrs_pg_status_str(pg)), or_dash(sdrs_pg_source_az(pg)),
          or_dash(sdrs_pg_target_az(pg)),  or_dash(sdrs_pg_priority_station(pg))};
}

void print_job(const sdrs_job *job, bool json) {
  if (json)
    std::cout << json_or_null(sdrs_job_json(job)) << "\n";
  else
    print_key_values(job_fields(job));
}

void print_pg(const sdrs_pg *pg, bool json) {
  if (json)
    std::cout << json_or_null(sdrs_pg_json(pg)) << "\n";
  else
    print_key_values(pg_fields(pg));
}

int exit_code_for(int code) {
  switch (code) {
    case SDRS_OK:
      return 0;
    case SDRS_EVALIDATION:
    case SDRS_EINVAL:
      return 3;
    case SDRS_EJOBFAILED:
      return 5;
    case SDRS_ETIMEOUT:
    case SDRS_ECANCELED:
      return 6;
    default:
      return 4;
  }
}

void print_error(int code, const std::string &message, const sdrs_error *err) {
  std::string detail;
  auto add = [&detail](const std::string &label, const std::string &v) {
    detail += (detail.empty() ? "" : ", ") + label + " " + v;
  };
  if (err) {
    if (int32_t status = sdrs_error_http_status(err)) add("http status", std::to_string(status));
    if (const char *c = sdrs_error_api_code(err)) add("SDRS code", c);
    if (const char *r = sdrs_error_request_id(err)) add("request id", r);
    if (const char *j = sdrs_error_job_id(err)) add("job", j);
  }
  std::cerr << "sdrs: " << sdrs_error_name(code) << ": " << message;
  if (!detail.empty()) std::cerr << " (" << detail << ")";
  std::cerr << std::endl;
}

}  // namespace sdrscli
