// Protected-instance operations: validate, build the path and body (core/resources/pi), one
// exchange, decode. Every instance id in a path goes through validate_pi_id (the literal-segment
// trap of spec part 2 section 1).
#include "client/client.hpp"
#include "core/validate.hpp"

namespace sdrs {
namespace {

constexpr const char *kInstanceIdField = "protected_instance_id";

}  // namespace

std::string Client::create_pi(const PiSpec &spec, const CallContext &ctx) {
  validate_spec(spec);
  const std::string path = project_path(ctx, "/protected-instances");
  return exchange("POST", path, encode_create(spec), ctx, decode_job_id);
}

Instance Client::get_pi(const std::string &instance_id, const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  const std::string path = project_path(ctx, "/protected-instances/", instance_id);
  return exchange("GET", path, "", ctx, decode_instance_envelope);
}

Instance Client::rename_pi(const std::string &instance_id, const std::string &name,
                           const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  validate_name("name", name);
  const std::string path = project_path(ctx, "/protected-instances/", instance_id);
  return exchange("PUT", path, encode_pi_rename(name), ctx, decode_instance_envelope);
}

// A DELETE with a JSON body: the transport sends any non-empty body (POSTFIELDS, method kept by
// CUSTOMREQUEST) and retries it as every DELETE: sending it twice deletes once (the second
// answer is an error about the state, never a second effect).
std::string Client::delete_pi(const std::string &instance_id, bool delete_target_server,
                              bool delete_target_eip, const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  const std::string path = project_path(ctx, "/protected-instances/", instance_id);
  return exchange("DELETE", path, encode_pi_delete(delete_target_server, delete_target_eip), ctx,
                  decode_job_id);
}

std::string Client::attach_pi(const std::string &instance_id, const std::string &replication_id,
                              const std::string &device, const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  validate_required_text("replication_id", replication_id);
  validate_device(device);
  const std::string path =
      project_path(ctx, "/protected-instances/", instance_id, "/attachreplication");
  return exchange("POST", path, encode_pi_attach(replication_id, device), ctx, decode_job_id);
}

std::string Client::detach_pi(const std::string &instance_id, const std::string &replication_id,
                              const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  validate_path_segment("replication_id", replication_id);
  const std::string path = project_path(ctx, "/protected-instances/", instance_id,
                                        "/detachreplication/" + replication_id);
  return exchange("DELETE", path, "", ctx, decode_job_id);
}

std::string Client::add_nic_pi(const std::string &instance_id, const PiNicSpec &nic,
                               const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  validate_nic_spec(nic);
  const std::string path = project_path(ctx, "/protected-instances/", instance_id, "/nic");
  return exchange("POST", path, encode_nic(nic), ctx, decode_job_id);
}

std::string Client::delete_nic_pi(const std::string &instance_id, const std::string &nic_id,
                                  const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  validate_required_text("nic_id", nic_id);
  const std::string path = project_path(ctx, "/protected-instances/", instance_id, "/nic/delete");
  return exchange("POST", path, encode_delete_nic(nic_id), ctx, decode_job_id);
}

std::string Client::resize_pi(const std::string &instance_id, const PiResize &resize,
                              const CallContext &ctx) {
  validate_pi_id(kInstanceIdField, instance_id);
  validate_resize(resize);
  const std::string path = project_path(ctx, "/protected-instances/", instance_id, "/resize");
  return exchange("POST", path, encode_resize(resize), ctx, decode_job_id);
}

InstanceList Client::list_pi(const PiListQuery &query, const CallContext &ctx) {
  const std::string path = project_path(ctx, "/protected-instances") + list_query_string(query);
  return exchange("GET", path, "", ctx, decode_instance_list);
}

Instance Client::create_pi_and_wait(const PiSpec &spec, const WaitOptions &options) {
  return create_and_get(spec, options, "protected_instance_id", &Client::create_pi,
                        &Client::get_pi);
}

}  // namespace sdrs
