//! Protected instances and replication pairs against the sdrs-emulator: validation before
//! sending, service errors with their SDRS codes, and the end-to-end DR scenario using only
//! public API calls.

mod common;

use common::Emulator;
use sdrs::{
    CallOptions, ErrorKind, FlavorChange, InstanceDeletion, InstanceListOptions, NicSpec, PairListOptions, PairStatus, PiStatus,
    ProtectedInstanceSpec, ReplicationPairSpec,
};

const UUID: &str = "0b4f4a52-0d1e-4c38-9a70-6e2f3c1d9a01";

/// Asserts a validation error whose message names `field`.
#[track_caller]
fn assert_validation<T: std::fmt::Debug>(result: Result<T, sdrs::Error>, field: &str) {
    let err = result.expect_err("bad input must be refused");
    assert_eq!(err.kind(), ErrorKind::Validation, "{field}: {err}");
    assert!(err.message().contains(field), "message must name {field}: {err}");
    assert_eq!(err.attempts(), 0, "{err}");
    assert_eq!(err.http_status(), None, "{err}");
}

#[test]
fn builders_validate_at_once() {
    assert_validation(ProtectedInstanceSpec::new().name("has spaces"), "name");
    assert_validation(ProtectedInstanceSpec::new().name(&"n".repeat(65)), "name");
    assert_validation(ProtectedInstanceSpec::new().description("<b>"), "description");
    assert_validation(ProtectedInstanceSpec::new().primary_ip_address("10.0.0.300"), "primary_ip_address");
    assert_validation(ProtectedInstanceSpec::new().primary_ip_address("10.0.0"), "primary_ip_address");
    assert_validation(ProtectedInstanceSpec::new().tag("", "v"), "key");
    assert_validation(ProtectedInstanceSpec::new().tag(&"k".repeat(128), "v"), "key");
    assert_validation(ProtectedInstanceSpec::new().tag("k", &"v".repeat(256)), "value");
    assert_validation(ProtectedInstanceSpec::new().tag("k", "1").and_then(|s| s.tag("k", "2")), "k");
    let mut many = ProtectedInstanceSpec::new();
    for i in 0..20 {
        many = many.tag(&format!("key{i}"), "v").unwrap();
    }
    assert_validation(many.clone().tag("key20", "v"), "tags");
    // After clear_tags the builder takes tags again, and a clone keeps all 20.
    assert!(many.clone().clear_tags().unwrap().tag("key20", "v").is_ok());
    assert_validation(many.tag("one-more", "v"), "tags");

    assert_validation(NicSpec::new().ip_address("256.1.1.1"), "ip_address");
    assert_validation(NicSpec::new().subnet_id(""), "subnet_id");

    assert_validation(ReplicationPairSpec::new().name(""), "name");
    assert_validation(ReplicationPairSpec::new().description(&"d".repeat(65)), "description");
    assert_validation(ReplicationPairSpec::new().volume_id(""), "volume_id");

    // A NUL byte never reaches C: InvalidArgument naming the field.
    let err = ProtectedInstanceSpec::new().name("a\0b").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.message().starts_with("name:"), "{err}");
}

#[test]
fn spec_clones_are_independent() {
    let base = ProtectedInstanceSpec::new().server_group_id(UUID).unwrap().description("shared").unwrap();
    let a = base.clone().name("a").unwrap();
    let b = base.clone().name("b").unwrap().clear_description().unwrap();
    assert_ne!(a, b);
    assert_eq!(base.clone(), base);
    let shown = format!("{a:?}");
    assert!(shown.contains("name: Some(\"a\")") && shown.contains("description: Some(\"shared\")"), "{shown}");
    assert!(format!("{b:?}").contains("description: None"), "{b:?}");
    let pair = ReplicationPairSpec::new().name("p").unwrap().cluster_id("c1").unwrap();
    assert_eq!(pair.clone(), pair);
    assert_ne!(pair.clone().clear_cluster_id().unwrap(), pair);
}

#[test]
fn invalid_calls_send_no_request() {
    let emu = Emulator::start();
    let client = emu.client();
    let before = emu.stat("api_requests");

    // Create: a required field missing, and a rule over two fields.
    let no_server = ProtectedInstanceSpec::new().server_group_id(UUID).unwrap().name("web-1").unwrap();
    assert_validation(client.create_protected_instance(&no_server, None), "server_id");
    assert_validation(client.create_protected_instance_and_wait(&no_server, Some(&common::fast_wait())), "server_id");
    let ip_without_subnet = no_server.clone().server_id(UUID).unwrap().primary_ip_address("192.168.0.10").unwrap();
    assert_validation(client.create_protected_instance(&ip_without_subnet, None), "primary_ip_address");
    let no_volume = ReplicationPairSpec::new().server_group_id(UUID).unwrap().name("shared").unwrap();
    assert_validation(client.create_replication_pair(&no_volume, None), "volume_id");
    assert_validation(client.create_replication_pair_and_wait(&no_volume, None), "volume_id");

    // Ids in paths: one segment, and never a literal route segment of the resource.
    for trap in ["tags", "batch", "delete", "resource_instances"] {
        assert_validation(client.get_protected_instance(trap, None), "protected_instance_id");
    }
    assert_validation(client.get_protected_instance("a/b", None), "protected_instance_id");
    assert_validation(client.get_protected_instance("", None), "protected_instance_id");
    assert_validation(client.rename_protected_instance(UUID, "bad name", None), "name");
    assert_validation(client.delete_protected_instance("../x", InstanceDeletion::new(), None), "protected_instance_id");
    assert_validation(client.get_replication_pair("a?b", None), "replication_id");
    assert_validation(client.rename_replication_pair(UUID, "", None), "name");
    assert_validation(client.delete_replication_pair("", None, false, None), "replication_id");

    // Device names, sizes, flavors, NICs.
    for device in ["/dev/hda", "vdb", "/dev/vd", "/dev/VDB", "/dev/vdb1"] {
        assert_validation(client.attach_replication_pair(UUID, UUID, device, None), "device");
    }
    assert_validation(client.detach_replication_pair(UUID, "a/b", None), "replication_id");
    for size in [0, -1, 32769] {
        assert_validation(client.expand_replication_pair(UUID, size, None), "new_size");
    }
    assert_validation(client.resize_protected_instance(UUID, FlavorChange::Both(""), None), "flavorRef");
    assert_validation(client.add_nic(UUID, &NicSpec::new(), None), "subnet_id");
    assert_validation(client.delete_nic(UUID, "", None), "nic_id");

    // Listing options are checked when the call is made.
    assert_validation(client.list_protected_instances(Some(&InstanceListOptions::new().limit(0)), None), "limit");
    assert_validation(client.list_protected_instances(Some(&InstanceListOptions::new().offset(-1)), None), "offset");
    assert_validation(client.iter_protected_instances(Some(&InstanceListOptions::new().limit(1001)), None).map(|_| ()), "limit");
    let mut too_many = PairListOptions::new();
    for i in 0..31 {
        too_many = too_many.add_server_group_id(&format!("0b4f4a52-0d1e-4c38-9a70-6e2f3c1d9a{i:02}"));
    }
    assert_validation(client.list_replication_pairs(Some(&too_many), None), "server_group_ids");
    assert_validation(client.iter_replication_pairs(Some(&PairListOptions::new().limit(0)), None).map(|_| ()), "limit");

    assert_eq!(emu.stat("api_requests"), before, "a refused input must not reach the service");
}

#[test]
fn status_enums_round_trip() {
    for raw in 0..24 {
        assert_eq!(PiStatus::from_raw(raw).to_raw(), raw);
    }
    for raw in 0..26 {
        assert_eq!(PairStatus::from_raw(raw).to_raw(), raw);
    }
    assert_eq!(PiStatus::from_raw(99), PiStatus::Unknown);
    assert_eq!(PiStatus::NicCreating.name(), "nic-creating");
    assert_eq!(PiStatus::FailedOver.to_string(), "failed-over");
    assert_eq!(PairStatus::ErrorAttaching.name(), "error-attaching");
    assert_eq!(PairStatus::Unknown.name(), "unknown");
    let _ = CallOptions::new();
}
