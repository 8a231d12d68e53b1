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
  // The other entities the instance, pair and drill jobs name, when present.
  static const char *const kEntities[] = {"protected_instance_id",
                                          "native_server_id",
                                          "replication_pair_id",
                                          "volume_ids",
                                          "nic_id",
                                          "disaster_recovery_drill_id"};
  for (const char *key : kEntities) {
    if (const char *v = sdrs_job_entity(job, key)) kv.emplace_back(key, v);
  }
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

namespace {

std::string tri_state(int v) {  // 1 / 0 / -1 (absent)
  return v < 0 ? "-" : (v ? "yes" : "no");
}

}  // namespace

KeyValues pi_fields(const sdrs_pi *pi) {
  KeyValues kv = {
      {"id", or_dash(sdrs_pi_id(pi))},
      {"name", or_dash(sdrs_pi_name(pi))},
      {"description", or_dash(sdrs_pi_description(pi))},
      {"server_group_id", or_dash(sdrs_pi_server_group_id(pi))},
      {"status", or_dash(sdrs_pi_status_str(pi))},
      {"progress", count_or_dash(sdrs_pi_progress(pi))},
      {"source_server", or_dash(sdrs_pi_source_server(pi))},
      {"target_server", or_dash(sdrs_pi_target_server(pi))},
      {"priority_station", or_dash(sdrs_pi_priority_station(pi))},
      {"frozen", sdrs_pi_frozen(pi) ? "yes" : "no"},
      {"created_at", or_dash(sdrs_pi_created_at(pi))},
      {"updated_at", or_dash(sdrs_pi_updated_at(pi))},
  };
  for (size_t i = 0; i < sdrs_pi_attachment_count(pi); ++i) {
    kv.emplace_back("attachment[" + std::to_string(i) + "]",
                    or_dash(sdrs_pi_attachment_replication_id(pi, i)) + " " +
                        or_dash(sdrs_pi_attachment_device(pi, i)));
  }
  for (size_t i = 0; i < sdrs_pi_tag_count(pi); ++i) {
    const char *value = sdrs_pi_tag_value(pi, i);
    kv.emplace_back("tag[" + std::to_string(i) + "]",
                    or_dash(sdrs_pi_tag_key(pi, i)) + "=" + (value ? value : ""));
  }
  for (size_t i = 0; i < sdrs_pi_metadata_count(pi); ++i) {
    kv.emplace_back("metadata[" + or_dash(sdrs_pi_metadata_key(pi, i)) + "]",
                    or_dash(sdrs_pi_metadata_value(pi, i)));
  }
  return kv;
}

const std::vector<std::string> &pi_table_headers() {
  static const std::vector<std::string> kHeaders = {
      "ID", "NAME", "STATUS", "SOURCE_SERVER", "TARGET_SERVER", "PRIORITY", "PAIRS"};
  return kHeaders;
}

std::vector<std::string> pi_row(const sdrs_pi *pi) {
  return {or_dash(sdrs_pi_id(pi)),
          or_dash(sdrs_pi_name(pi)),
          or_dash(sdrs_pi_status_str(pi)),
          or_dash(sdrs_pi_source_server(pi)),
          or_dash(sdrs_pi_target_server(pi)),
          or_dash(sdrs_pi_priority_station(pi)),
          std::to_string(sdrs_pi_attachment_count(pi))};
}

KeyValues pair_fields(const sdrs_pair *pair) {
  KeyValues kv = {
      {"id", or_dash(sdrs_pair_id(pair))},
      {"name", or_dash(sdrs_pair_name(pair))},
      {"description", or_dash(sdrs_pair_description(pair))},
      {"server_group_id", or_dash(sdrs_pair_server_group_id(pair))},
      {"status", or_dash(sdrs_pair_status_str(pair))},
      {"replication_status", or_dash(sdrs_pair_replication_status(pair))},
      {"replication_model", or_dash(sdrs_pair_replication_model(pair))},
      {"progress", count_or_dash(sdrs_pair_progress(pair))},
      {"priority_station", or_dash(sdrs_pair_priority_station(pair))},
      {"production_volume_id", or_dash(sdrs_pair_production_volume_id(pair))},
      {"dr_volume_id", or_dash(sdrs_pair_dr_volume_id(pair))},
      {"volume_size_gb", count_or_dash(sdrs_pair_volume_size_gb(pair))},
      {"volume_type", or_dash(sdrs_pair_volume_type(pair))},
      {"multiattach", tri_state(sdrs_pair_multiattach(pair))},
      {"bootable", tri_state(sdrs_pair_bootable(pair))},
      {"fault_level", or_dash(sdrs_pair_fault_level(pair))},
      {"failure_detail", or_dash(sdrs_pair_failure_detail(pair))},
      {"created_at", or_dash(sdrs_pair_created_at(pair))},
      {"updated_at", or_dash(sdrs_pair_updated_at(pair))},
  };
  for (size_t i = 0; i < sdrs_pair_attachment_count(pair); ++i) {
    kv.emplace_back("attachment[" + std::to_string(i) + "]",
                    or_dash(sdrs_pair_attachment_instance_id(pair, i)) + " " +
                        or_dash(sdrs_pair_attachment_device(pair, i)));
  }
  return kv;
}

const std::vector<std::string> &pair_table_headers() {
  static const std::vector<std::string> kHeaders = {"ID",      "NAME",   "STATUS",  "REPLICATION",
                                                    "SIZE_GB", "SHARED", "ATTACHED"};
  return kHeaders;
}

std::vector<std::string> pair_row(const sdrs_pair *pair) {
  return {or_dash(sdrs_pair_id(pair)),
          or_dash(sdrs_pair_name(pair)),
          or_dash(sdrs_pair_status_str(pair)),
          or_dash(sdrs_pair_replication_status(pair)),
          count_or_dash(sdrs_pair_volume_size_gb(pair)),
          tri_state(sdrs_pair_multiattach(pair)),
          std::to_string(sdrs_pair_attachment_count(pair))};
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

void print_pi(const sdrs_pi *pi, bool json) {
  if (json)
    std::cout << json_or_null(sdrs_pi_json(pi)) << "\n";
  else
    print_key_values(pi_fields(pi));
}

void print_pair(const sdrs_pair *pair, bool json) {
  if (json)
    std::cout << json_or_null(sdrs_pair_json(pair)) << "\n";
  else
    print_key_values(pair_fields(pair));
}

int exit_code_for(int code, const sdrs_error *err) {
  return sdrs_error_outcome_unknown(err) == 1 ? kExitOutcomeUnknown : exit_code_for(code);
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
