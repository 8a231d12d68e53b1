// The resources behind protected instances and replication pairs: the ECS servers and EVS
// disks that exist (fixtures), the instances and pairs made from them, failed-job records.
#ifndef SDRS_EMULATOR_MODEL_HPP
#define SDRS_EMULATOR_MODEL_HPP

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace emu {

// Items with `id` and `seq`, kept in creation order and found by id. References stay valid
// until the item is erased (std::map nodes do not move).
template <class T>
class Table {
 public:
  T &add(T item) {
    item.seq = next_seq_++;
    auto it = by_seq_.emplace(item.seq, std::move(item)).first;
    index_[it->second.id] = it->first;
    return it->second;
  }
  T *find(const std::string &id) {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &by_seq_.at(it->second);
  }
  const T *find(const std::string &id) const {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &by_seq_.at(it->second);
  }
  void erase(const std::string &id) {
    auto it = index_.find(id);
    if (it == index_.end()) return;
    by_seq_.erase(it->second);
    index_.erase(it);
  }
  void clear() {
    by_seq_.clear();
    index_.clear();
  }
  size_t size() const { return by_seq_.size(); }
  // Iterates std::pair<const uint64_t, T> in creation order.
  auto begin() { return by_seq_.begin(); }
  auto end() { return by_seq_.end(); }
  auto begin() const { return by_seq_.begin(); }
  auto end() const { return by_seq_.end(); }

 private:
  std::map<uint64_t, T> by_seq_;
  std::unordered_map<std::string, uint64_t> index_;
  uint64_t next_seq_ = 1;
};

// A disk attached to a server at a device, or a pair attached to an instance (and back).
struct Attachment {
  std::string id;  // volume, server, pair or instance id, by context
  std::string device;
};

struct Nic {
  std::string id;
  std::string subnet_id;
  std::string ip_address;
  bool primary = false;
};

// An ECS server (fixture, or a DR server the service created).
struct Server {
  uint64_t seq = 0;
  std::string id;
  std::string name;
  std::string status;  // ACTIVE, SHUTOFF, ERROR, ...
  std::string availability_zone;
  std::string vpc_id;
  std::string flavor;
  std::vector<Attachment> volumes;  // volume id, device
  bool dr = false;                  // created as the DR server of a protected instance
  bool drill = false;               // created by a DR drill
  std::string instance_id;          // the protected instance using it (production or DR)
};

// An EVS disk (fixture, or a DR disk the service created).
struct Volume {
  uint64_t seq = 0;
  std::string id;
  std::string name;
  int64_t size_gb = 10;
  std::string volume_type = "SAS";
  std::string availability_zone;
  std::string status;  // empty: derived (available / in-use)
  bool bootable = false;
  bool multiattach = false;
  bool encrypted = false;
  bool dr = false;
  std::vector<Attachment> attachments;  // server id, device
  std::string pair_id;                  // the replication pair holding it
  std::string current_status() const {
    if (!status.empty()) return status;
    return attachments.empty() ? "available" : "in-use";
  }
};

// A VPC: only what DR drills check (spec-more 5.1): its subnets' CIDR blocks.
struct Vpc {
  uint64_t seq = 0;
  std::string id;
  std::string name;
  std::vector<std::string> cidrs;
  bool drill_made = false;  // created by a drill create without drill_vpc_id
};

struct DrillServer {
  std::string instance_id;
  std::string server_id;
};

struct Drill {
  uint64_t seq = 0;
  std::string id;
  std::string name;
  std::string group_id;
  std::string status;
  std::string drill_vpc_id;
  std::vector<DrillServer> servers;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

struct Instance {
  uint64_t seq = 0;
  std::string id;
  std::string name;
  bool has_description = false;
  std::string description;
  std::string group_id;
  std::string status;
  std::string resume_status;  // status to return to after a nic/resize job
  std::string source_server;
  std::string target_server;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  std::vector<Attachment> attachments;  // pair id, device
  std::vector<std::pair<std::string, std::string>> tags;
  std::vector<Nic> nics;
};

struct Pair {
  uint64_t seq = 0;
  std::string id;
  std::string name;
  bool has_description = false;
  std::string description;
  std::string group_id;
  std::string status;
  std::string resume_status;  // status to return to after attach/detach/expand
  std::string production_volume;
  std::string dr_volume;
  std::vector<Attachment> attachments;  // instance id, device
  std::string owner_instance;           // created with this instance ("" = explicit pair)
  std::string failure_detail;           // SDRS code when status is error
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

// A failed job as the task center lists it (spec-more 7.1).
struct FailureJob {
  uint64_t seq = 0;
  std::string id;  // = job_id
  std::string job_type;
  std::string resource_id;
  std::string resource_name;
  std::string resource_type;  // server_groups, protected_instances, replications, ...
  std::string failure_status;
  std::string error_code;
  std::string fail_reason;
  std::string server_group_id;
  int64_t begin_ms = 0;
};

struct Fixtures {
  std::vector<Vpc> vpcs;
  std::vector<Server> servers;
  std::vector<Volume> volumes;
  // Emit record_metadata.volume_size as a string ("10"), as one doc example does.
  bool volume_size_as_string = false;
};

// The default set (README, "Fixtures").
Fixtures default_fixtures();
// Parses a fixtures document (README); false with a message naming the field on error.
bool parse_fixtures(const std::string &json, Fixtures *out, std::string *error);

}  // namespace emu

#endif  // SDRS_EMULATOR_MODEL_HPP
