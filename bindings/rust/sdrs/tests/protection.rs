//! Protected instances and replication pairs against the sdrs-emulator: validation before
//! sending, service errors with their SDRS codes, and the end-to-end DR scenario using only
//! public API calls.

mod common;

use common::{fast_wait, fixture_group, fixture_id, Emulator};
use sdrs::{
    CallOptions, Client, ErrorKind, FlavorChange, InstanceDeletion, InstanceListOptions, JobStatus, ListOptions, NicSpec, PairListOptions,
    PairStatus, PgStatus, PiStatus, PriorityStation, ProtectedInstance, ProtectedInstanceSpec,
    ReplicationPair, ReplicationPairSpec,
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

// ---------------------------------------------------------------------------------------------
// Against the emulator's model of servers and disks
// ---------------------------------------------------------------------------------------------

fn wait_ok(client: &Client, job_id: &str) {
    let job = client.wait_job(job_id, Some(&fast_wait())).unwrap_or_else(|e| panic!("job {job_id}: {e:?}"));
    assert_eq!(job.status(), JobStatus::Success);
}

fn instances_of(client: &Client, group_id: &str) -> Vec<ProtectedInstance> {
    let opts = InstanceListOptions::new().server_group_id(group_id).limit(1);
    client.iter_protected_instances(Some(&opts), None).unwrap().collect::<Result<_, _>>().unwrap()
}

fn pairs_of(client: &Client, group_id: &str) -> Vec<ReplicationPair> {
    client.iter_replication_pairs(Some(&PairListOptions::new().server_group_id(group_id).limit(2)), None).unwrap().collect::<Result<_, _>>().unwrap()
}

/// Every instance and pair of the group, and the group, in the expected status.
#[track_caller]
fn assert_states(client: &Client, group_id: &str, group: PgStatus, instance: PiStatus, pair: PairStatus, station: &str) {
    let g = client.get_group(group_id, None).unwrap();
    assert_eq!(g.status(), group, "group {g:?}");
    assert_eq!(g.priority_station(), Some(station));
    for i in instances_of(client, group_id) {
        assert_eq!(i.status(), instance, "instance {i:?}");
        assert_eq!(i.priority_station(), Some(station), "instance {i:?}");
    }
    for p in pairs_of(client, group_id) {
        assert_eq!(p.status(), pair, "pair {p:?}");
        assert_eq!(p.priority_station(), Some(station), "pair {p:?}");
    }
}

#[test]
fn disaster_recovery_end_to_end() {
    let emu = Emulator::start();
    let client = emu.client();
    let servers = emu.admin_ok("GET", "/_emulator/servers", "");
    let volumes = emu.admin_ok("GET", "/_emulator/volumes", "");
    let (app1, app2) = (fixture_id(&servers, "app-1"), fixture_id(&servers, "app-2"));
    let shared_disk = fixture_id(&volumes, "shared-1");

    // Domain -> group.
    let group = fixture_group(&client, "dr-e2e");
    let gid = group.id().to_string();
    assert_eq!(group.status(), PgStatus::Available);

    // Protect two servers: each brings its DR server and one attached pair per disk.
    let base = ProtectedInstanceSpec::new().server_group_id(&gid).unwrap().tag("tier", "app").unwrap();
    let mut instances = Vec::new();
    for (name, server, disks) in [("app-1", &app1, 2), ("app-2", &app2, 3)] {
        let spec = base.clone().name(name).unwrap().server_id(server).unwrap().description("protected by the Rust test").unwrap();
        let pi = client.create_protected_instance_and_wait(&spec, Some(&fast_wait())).unwrap();
        assert_eq!(pi.status(), PiStatus::Available, "{pi:?}");
        assert_eq!(pi.name(), name);
        assert_eq!(pi.server_group_id(), Some(gid.as_str()));
        assert_eq!(pi.source_server(), Some(server.as_str()));
        let dr = pi.target_server().expect("a DR server");
        assert_ne!(dr, server.as_str());
        assert_eq!(pi.attachments().len(), disks, "{pi:?}");
        assert!(pi.attachments().iter().any(|a| a.device() == "/dev/vda"), "{pi:?}");
        assert_eq!(pi.tags().iter().map(|t| (t.key(), t.value())).collect::<Vec<_>>(), [("tier", "app")]);
        assert!(!pi.frozen());
        assert!(pi.created_at_ms().is_some() && pi.json().contains(pi.id()));
        assert!(emu.admin_ok("GET", "/_emulator/servers", "").contains(dr), "the DR server exists");
        for a in pi.attachments() {
            let pair = client.get_replication_pair(a.replication_id(), None).unwrap();
            assert_eq!(pair.attachments().iter().map(|x| (x.instance_id(), x.device())).collect::<Vec<_>>(), [(pi.id(), a.device())]);
            assert_eq!(pair.volume_ids().len(), 2, "{pair:?}");
            assert_eq!(pair.bootable(), Some(a.device() == "/dev/vda"));
        }
        instances.push(pi);
    }
    let g = client.get_group(&gid, None).unwrap();
    assert_eq!((g.protected_instance_num(), g.replication_num()), (Some(2), Some(5)));

    // Rename one; the listing pages one instance at a time.
    let renamed = client.rename_protected_instance(instances[0].id(), "app-1-renamed", None).unwrap();
    assert_eq!(renamed.name(), "app-1-renamed");
    let page = client.list_protected_instances(Some(&InstanceListOptions::new().server_group_id(&gid).limit(1)), None).unwrap();
    assert_eq!((page.items().len(), page.count()), (1, Some(2)));
    assert_eq!(instances_of(&client, &gid).len(), 2);

    // A pair for the shared disk, attached to both instances.
    let pair_spec = ReplicationPairSpec::new().server_group_id(&gid).unwrap().volume_id(&shared_disk).unwrap().name("shared-data").unwrap();
    let shared = client.create_replication_pair_and_wait(&pair_spec, Some(&fast_wait())).unwrap();
    assert_eq!(shared.status(), PairStatus::Available, "{shared:?}");
    assert_eq!(shared.production_volume_id(), Some(shared_disk.as_str()));
    assert!(shared.dr_volume_id().is_some_and(|d| d != shared_disk));
    assert_eq!(shared.volume_ids_text(), Some(shared.volume_ids().join(",").as_str()));
    assert_eq!((shared.multiattach(), shared.bootable(), shared.volume_size_gb()), (Some(true), Some(false), Some(100)));
    assert_eq!(shared.volume_type(), Some("SSD"));
    assert_eq!(shared.replication_model(), Some("hypermetro"));
    for pi in &instances {
        wait_ok(&client, &client.attach_replication_pair(pi.id(), shared.id(), "/dev/vdz", None).unwrap());
        let pi = client.get_protected_instance(pi.id(), None).unwrap();
        assert!(pi.attachments().iter().any(|a| a.replication_id() == shared.id() && a.device() == "/dev/vdz"), "{pi:?}");
    }
    let shared_now = client.get_replication_pair(shared.id(), None).unwrap();
    assert_eq!(shared_now.attachments().len(), 2, "{shared_now:?}");
    let on_first = client.list_replication_pairs(Some(&PairListOptions::new().instance_id(instances[0].id())), None).unwrap();
    assert_eq!(on_first.items().len(), 3, "{on_first:?}");
    assert_eq!(client.get_group(&gid, None).unwrap().replication_num(), Some(6));

    // Enable -> failover -> re-protect -> planned failover -> disable.
    wait_ok(&client, &client.enable_protection(&gid, None).unwrap());
    assert_states(&client, &gid, PgStatus::Protected, PiStatus::Protected, PairStatus::Protected, "source");
    assert!(pairs_of(&client, &gid).iter().all(|p| p.replication_status() == Some("active")));
    wait_ok(&client, &client.failover(&gid, None).unwrap());
    assert_states(&client, &gid, PgStatus::FailedOver, PiStatus::FailedOver, PairStatus::FailedOver, "target");
    wait_ok(&client, &client.enable_protection(&gid, None).unwrap());
    assert_states(&client, &gid, PgStatus::Protected, PiStatus::Protected, PairStatus::Protected, "target");
    wait_ok(&client, &client.planned_failover(&gid, PriorityStation::Source, None).unwrap());
    assert_states(&client, &gid, PgStatus::Protected, PiStatus::Protected, PairStatus::Protected, "source");
    wait_ok(&client, &client.disable_protection(&gid, None).unwrap());
    assert_states(&client, &gid, PgStatus::Available, PiStatus::Available, PairStatus::Available, "source");

    // Instance operations while available: the DR server's flavor, a data pair's size.
    wait_ok(&client, &client.resize_protected_instance(instances[1].id(), FlavorChange::Dr("s3.xlarge.2"), None).unwrap());
    let data_pair = instances[0].attachments().iter().find(|a| a.device() == "/dev/vdb").unwrap().replication_id().to_string();
    wait_ok(&client, &client.expand_replication_pair(&data_pair, 120, None).unwrap());
    assert_eq!(client.get_replication_pair(&data_pair, None).unwrap().volume_size_gb(), Some(120));
    assert_eq!(client.rename_replication_pair(&data_pair, "app-1-data", None).unwrap().name(), "app-1-data");

    // Teardown: detach the shared pair from one instance; delete both instances with their DR
    // servers (their own pairs go with them, the shared pair is detached from the other).
    wait_ok(&client, &client.detach_replication_pair(instances[1].id(), shared.id(), None).unwrap());
    assert_eq!(client.get_replication_pair(shared.id(), None).unwrap().attachments().len(), 1);
    for pi in &instances {
        wait_ok(&client, &client.delete_protected_instance(pi.id(), InstanceDeletion::new().delete_target_server(true), None).unwrap());
        let err = client.get_protected_instance(pi.id(), None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err:?}");
        assert!(!emu.admin_ok("GET", "/_emulator/servers", "").contains(pi.target_server().unwrap()), "DR server deleted");
    }
    let g = client.get_group(&gid, None).unwrap();
    assert_eq!((g.protected_instance_num(), g.replication_num()), (Some(0), Some(1)));
    let remaining = pairs_of(&client, &gid);
    assert_eq!(remaining.iter().map(ReplicationPair::id).collect::<Vec<_>>(), [shared.id()]);
    assert!(remaining[0].attachments().is_empty(), "{:?}", remaining[0]);

    wait_ok(&client, &client.delete_replication_pair(shared.id(), Some(&gid), true, None).unwrap());
    assert_eq!(client.get_group(&gid, None).unwrap().replication_num(), Some(0));
    wait_ok(&client, &client.delete_group(&gid, None).unwrap());
    assert_eq!(client.get_group(&gid, None).unwrap_err().kind(), ErrorKind::NotFound);
    assert!(client.list_groups(Some(&ListOptions::new().name("dr-e2e")), None).unwrap().groups().is_empty());
}

#[test]
fn service_errors_carry_the_sdrs_code() {
    let emu = Emulator::start();
    let client = emu.client();
    let servers = emu.admin_ok("GET", "/_emulator/servers", "");

    // Not found: an unknown instance and pair.
    let err = client.get_protected_instance(UUID, None).unwrap_err();
    assert_eq!((err.kind(), err.api_code()), (ErrorKind::NotFound, Some("SDRS.1320")), "{err:?}");
    let shown = format!("{err:?}");
    assert!(shown.starts_with("Error { code: SDRS_ENOTFOUND, message: ") && shown.contains("api_code: \"SDRS.1320\""), "{shown}");
    let err = client.get_replication_pair(UUID, None).unwrap_err();
    assert_eq!((err.kind(), err.api_code()), (ErrorKind::NotFound, Some("SDRS.1608")), "{err:?}");

    // Conflicts: a server in another VPC, a server protected twice, an attached pair deleted.
    let group = fixture_group(&client, "dr-errors");
    let spec = |name: &str, server: &str| {
        ProtectedInstanceSpec::new().server_group_id(group.id()).and_then(|s| s.name(name)).and_then(|s| s.server_id(server)).unwrap()
    };
    let err = client.create_protected_instance(&spec("other", &fixture_id(&servers, "other-vpc")), None).unwrap_err();
    assert_eq!((err.kind(), err.api_code()), (ErrorKind::Request, Some("SDRS.1304")), "{err:?}");
    let pi = client.create_protected_instance_and_wait(&spec("app-3", &fixture_id(&servers, "app-3")), Some(&fast_wait())).unwrap();
    let err = client.create_protected_instance(&spec("again", &fixture_id(&servers, "app-3")), None).unwrap_err();
    assert_eq!((err.kind(), err.api_code()), (ErrorKind::Conflict, Some("SDRS.1305")), "{err:?}");
    let attached = pi.attachments()[0].replication_id().to_string();
    let err = client.delete_replication_pair(&attached, None, false, None).unwrap_err();
    assert_eq!((err.kind(), err.api_code()), (ErrorKind::Conflict, Some("SDRS.1605")), "{err:?}");
    // A failed create job: the error carries the job and its code.
    let err = client.create_protected_instance_and_wait(&spec("fail-create", &fixture_id(&servers, "app-1")), Some(&fast_wait())).unwrap_err();
    assert_eq!((err.kind(), err.api_code()), (ErrorKind::JobFailed, Some("SDRS.1350")), "{err:?}");
    assert!(err.job_id().is_some(), "{err:?}");
}
