//! Tags, the tag query, DR drills, the task center and quotas against the sdrs-emulator, with
//! public API calls only: protect two servers -> tag them -> query by tag -> drill -> delete the
//! drill -> make a job fail -> find it in the task center -> delete it -> quota counts moving.
//! Plus: validation before sending, and the modelled preconditions with their SDRS codes.

mod common;

use std::collections::BTreeSet;

use common::{fast_wait, fixture_group, fixture_id, Emulator, FIXTURE_VPC};
use sdrs::{
    Client, DrillListOptions, DrillSpec, DrillStatus, ErrorKind, Limit, ProtectedInstance, ProtectedInstanceSpec, TagMatch, TagQuery, TagSet, TaskListOptions,
};

#[allow(dead_code)]
mod example {
    include!("../examples/rehearsal.rs");
}

const UUID: &str = "0b4f4a52-0d1e-4c38-9a70-6e2f3c1d9a01";
/// A valid drill VPC (same CIDR as the fixture servers' VPC).
const DRILL_VPC: &str = "c0000000-0000-4000-8000-00000000000c";
/// A tag key that needs percent-encoding in the DELETE path (space, `#`, `?`, `%`).
const ODD_KEY: &str = "cost center #1?50%";

#[track_caller]
fn assert_validation<T: std::fmt::Debug>(result: Result<T, sdrs::Error>, field: &str) {
    let err = result.expect_err("bad input must be refused");
    assert_eq!(err.kind(), ErrorKind::Validation, "{field}: {err}");
    assert!(err.message().contains(field), "message must name {field}: {err}");
    assert_eq!(err.http_status(), None, "{err}");
}

#[track_caller]
fn assert_api_code<T: std::fmt::Debug>(result: Result<T, sdrs::Error>, code: &str) -> sdrs::Error {
    let err = result.expect_err("the service must refuse this");
    assert_eq!(err.api_code(), Some(code), "{err:?}");
    err
}

fn protect(client: &Client, group_id: &str, name: &str, server_id: &str) -> ProtectedInstance {
    let spec = ProtectedInstanceSpec::new().server_group_id(group_id).and_then(|s| s.name(name)).and_then(|s| s.server_id(server_id)).unwrap();
    client.create_protected_instance_and_wait(&spec, Some(&fast_wait())).unwrap()
}

fn tag_pairs(tags: &[sdrs::Tag]) -> BTreeSet<(String, String)> {
    tags.iter().map(|t| (t.key().to_string(), t.value().to_string())).collect()
}

fn set(pairs: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The ids a query's filter call returns, checked against its count call.
fn matching(client: &Client, query: &TagQuery) -> BTreeSet<String> {
    let page = client.filter_instances_by_tag(query, None).unwrap();
    let ids: BTreeSet<String> = page.resources().iter().map(|r| r.resource_id().to_string()).collect();
    assert_eq!(page.total_count(), Some(ids.len() as i64), "{page:?}");
    assert_eq!(client.count_instances_by_tag(query, None).unwrap(), ids.len() as i64, "{query:?}");
    ids
}

fn ids(instances: &[&ProtectedInstance]) -> BTreeSet<String> {
    instances.iter().map(|p| p.id().to_string()).collect()
}

#[test]
fn tags_query_drill_task_center_quota_end_to_end() {
    let emu = Emulator::start();
    let client = emu.client();
    let servers = emu.admin_ok("GET", "/_emulator/servers", "");

    let quotas = client.quotas(None).unwrap();
    let groups_q = quotas.server_groups().expect("a server_groups quota").clone();
    let pairs_q = quotas.replications().expect("a replications quota").clone();
    assert_eq!((groups_q.used(), pairs_q.used()), (Some(0), Some(0)), "{quotas:?}");
    assert!(matches!(groups_q.limit(), Some(Limit::Limited(n)) if n > 0), "{groups_q:?}");
    assert_eq!(groups_q.max(), Some(Limit::Unlimited), "max -1 is unlimited: {groups_q:?}");
    assert_eq!(groups_q.min(), Some(Limit::Limited(0)));
    assert_eq!(quotas.get("replications"), Some(&pairs_q));
    assert!(quotas.json().contains("server_groups"));

    // Protect two servers (2 and 3 disks: five pairs).
    let group = fixture_group(&client, "rehearsal");
    let gid = group.id().to_string();
    let pi1 = protect(&client, &gid, "app-1", &fixture_id(&servers, "app-1"));
    let pi2 = protect(&client, &gid, "app-2", &fixture_id(&servers, "app-2"));
    let quotas = client.quotas(None).unwrap();
    assert_eq!(quotas.server_groups().unwrap().used(), Some(1));
    assert_eq!(quotas.replications().unwrap().used(), Some(5));

    // Tag them: one add, batch adds (an existing key gets the new value).
    client.add_tag(pi1.id(), "app", "crm", None).unwrap();
    client.add_tag(pi1.id(), "app", "erp", None).unwrap();
    let batch = TagSet::new().tag("env", "prod").and_then(|s| s.tag("tier", "web")).and_then(|s| s.tag(ODD_KEY, "cc-42")).unwrap();
    client.batch_add_tags(pi1.id(), &batch, None).unwrap();
    let batch2 = TagSet::new().tag("app", "erp").and_then(|s| s.tag("env", "test")).and_then(|s| s.tag("tier", "db")).unwrap();
    client.batch_add_tags(pi2.id(), &batch2, None).unwrap();
    assert_eq!(
        tag_pairs(&client.list_instance_tags(pi1.id(), None).unwrap()),
        set(&[("app", "erp"), ("env", "prod"), ("tier", "web"), (ODD_KEY, "cc-42")])
    );
    let project: Vec<(String, BTreeSet<String>)> = client
        .list_project_tags(None)
        .unwrap()
        .iter()
        .map(|t| (t.key().to_string(), t.values().iter().cloned().collect()))
        .collect();
    let project: std::collections::BTreeMap<_, _> = project.into_iter().collect();
    assert_eq!(project.len(), 4, "{project:?}");
    assert_eq!(project["env"], ["prod".to_string(), "test".to_string()].into());
    assert_eq!(project["tier"], ["db".to_string(), "web".to_string()].into());
    assert_eq!(project["app"], ["erp".to_string()].into());

    // Delete one tag by a key that needs percent-encoding; again: 404 SDRS.2206.
    client.delete_tag(pi1.id(), ODD_KEY, None).unwrap();
    assert_eq!(tag_pairs(&client.list_instance_tags(pi1.id(), None).unwrap()), set(&[("app", "erp"), ("env", "prod"), ("tier", "web")]));
    let err = assert_api_code(client.delete_tag(pi1.id(), ODD_KEY, None), "SDRS.2206");
    assert_eq!((err.kind(), err.http_status()), (ErrorKind::NotFound, Some(404)), "{err:?}");

    // Batch delete: "tier" whatever its value; env=prod does not match env=test and stays.
    client.batch_delete_tags(pi2.id(), &TagSet::new().key("tier").and_then(|s| s.tag("env", "prod")).unwrap(), None).unwrap();
    assert_eq!(tag_pairs(&client.list_instance_tags(pi2.id(), None).unwrap()), set(&[("app", "erp"), ("env", "test")]));

    // Query by tag, filter and count, every match kind and the name match.
    let both = ids(&[&pi1, &pi2]);
    let erp = TagQuery::new().all("app", Some("erp")).unwrap();
    assert_eq!(matching(&client, &erp), both);
    assert_eq!(matching(&client, &erp.clone().all("env", Some("prod")).unwrap()), ids(&[&pi1]));
    assert_eq!(matching(&client, &TagQuery::new().all("env", None).unwrap()), both, "None = any value");
    assert_eq!(matching(&client, &TagQuery::new().any("tier", Some("web")).and_then(|q| q.any("env", Some("staging"))).unwrap()), ids(&[&pi1]));
    assert_eq!(matching(&client, &TagQuery::new().any("env", Some("test")).and_then(|q| q.any("tier", Some("web"))).unwrap()), both);
    assert_eq!(matching(&client, &TagQuery::new().not_all("env", Some("prod")).unwrap()), ids(&[&pi2]));
    assert_eq!(matching(&client, &TagQuery::new().not_all("app", Some("erp")).and_then(|q| q.not_all("env", Some("test"))).unwrap()), ids(&[&pi1]));
    assert_eq!(matching(&client, &TagQuery::new().not_any("env", Some("*tes")).unwrap()), ids(&[&pi1]), "fuzzy value");
    assert_eq!(matching(&client, &TagQuery::new().condition(TagMatch::NotAny, "tier", None).unwrap()), ids(&[&pi2]));
    assert_eq!(matching(&client, &erp.clone().name("APP-2").unwrap()), ids(&[&pi2]), "case-insensitive name match");
    assert!(matching(&client, &TagQuery::new().all("app", Some("crm")).unwrap()).is_empty());
    assert_eq!(matching(&client, &TagQuery::new()), both, "no condition matches every instance");

    // Paging: one per page, total_count over all pages, the detail with its tags.
    let first = client.filter_instances_by_tag(&erp.clone().limit(1).unwrap(), None).unwrap();
    let second = client.filter_instances_by_tag(&erp.clone().limit(1).and_then(|q| q.offset(1)).unwrap(), None).unwrap();
    assert_eq!((first.resources().len(), first.total_count()), (1, Some(2)));
    assert_eq!((second.resources().len(), second.total_count()), (1, Some(2)));
    let paged: BTreeSet<String> = first.resources().iter().chain(second.resources()).map(|r| r.resource_id().to_string()).collect();
    assert_eq!(paged, both);
    let r = &first.resources()[0];
    let detail = r.instance().expect("resource_detail");
    assert_eq!((detail.id(), detail.name()), (r.resource_id(), r.resource_name()));
    assert!(r.tags().iter().any(|t| (t.key(), t.value()) == ("app", "erp")), "{r:?}");
    let all: Vec<ProtectedInstance> = client.iter_instances_by_tag(&erp.clone().limit(1).unwrap(), None).unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(ids(&all.iter().collect::<Vec<_>>()), both);

    // Drill: create and wait, inspect the drill servers.
    let spec = DrillSpec::new().server_group_id(&gid).and_then(|s| s.name("rehearsal-1")).and_then(|s| s.drill_vpc_id(DRILL_VPC)).unwrap();
    let drill = client.create_drill_and_wait(&spec, Some(&fast_wait())).unwrap();
    assert_eq!(drill.status(), DrillStatus::Available, "{drill:?}");
    assert_eq!((drill.name(), drill.server_group_id(), drill.drill_vpc_id()), ("rehearsal-1", Some(gid.as_str()), Some(DRILL_VPC)));
    assert!(drill.created_at_ms().is_some() && drill.json().contains(drill.id()), "{drill:?}");
    let copied: BTreeSet<String> = drill.servers().iter().map(|s| s.instance_id().to_string()).collect();
    assert_eq!(copied, both, "one drill server per protected instance");
    let listing = emu.admin_ok("GET", "/_emulator/servers", "");
    for s in drill.servers() {
        assert!(listing.contains(s.server_id()), "drill server {} exists", s.server_id());
        assert!(s.server_id() != pi1.target_server().unwrap() && s.server_id() != pi2.target_server().unwrap());
    }
    assert_eq!(client.get_drill(drill.id(), None).unwrap(), drill);
    let page = client.list_drills(Some(&DrillListOptions::new().server_group_id(&gid)), None).unwrap();
    assert_eq!((page.items().len(), page.count()), (1, Some(1)));
    assert_eq!(client.iter_drills(Some(&DrillListOptions::new().drill_vpc_id(DRILL_VPC).limit(1)), None).unwrap().count(), 1);
    // Preconditions: the VPC is taken by this drill; the group's own VPC is no drill VPC.
    let again = spec.clone().name("rehearsal-2").unwrap();
    assert_api_code(client.create_drill(&again, None), "SDRS.1921");
    assert_api_code(client.create_drill(&again.clone().drill_vpc_id(FIXTURE_VPC).unwrap(), None), "SDRS.1907");

    // Rename, delete: the drill servers go, the drill is unknown.
    let renamed = client.rename_drill(drill.id(), "rehearsal-1b", None).unwrap();
    assert_eq!((renamed.id(), renamed.name()), (drill.id(), "rehearsal-1b"));
    assert_eq!(client.list_drills(Some(&DrillListOptions::new().name("1b")), None).unwrap().items().len(), 1);
    let job = client.wait_job(&client.delete_drill(drill.id(), None).unwrap(), Some(&fast_wait())).unwrap();
    assert_eq!(job.status(), sdrs::JobStatus::Success);
    assert_api_code(client.get_drill(drill.id(), None), "SDRS.1902");
    let listing = emu.admin_ok("GET", "/_emulator/servers", "");
    assert!(drill.servers().iter().all(|s| !listing.contains(s.server_id())), "drill servers deleted");
    assert!(client.list_drills(None, None).unwrap().items().is_empty());

    // Make one job fail: the next drill create. The task center lists it in the group's scope.
    assert_eq!(emu.stat("failure_jobs"), 0);
    emu.admin_ok("POST", "/_emulator/fail-next-jobs", r#"{"count": 1, "job_type": "createDisasterRecoveryDrill"}"#);
    let failed = client.create_drill_and_wait(&spec.clone().name("doomed").unwrap(), Some(&fast_wait())).unwrap_err();
    assert_eq!(failed.kind(), ErrorKind::JobFailed, "{failed:?}");
    let failed_job = failed.job_id().expect("the failed job").to_string();
    assert!(client.list_failed_tasks(None, None).unwrap().items().is_empty(), "not a group-level failure");
    let in_group = TaskListOptions::new().server_group_id(&gid);
    let page = client.list_failed_tasks(Some(&in_group), None).unwrap();
    assert_eq!((page.items().len(), page.count()), (1, Some(1)), "{page:?}");
    let task = &page.items()[0];
    assert_eq!(task.job_id(), failed_job);
    assert_eq!(task.job_type(), Some("createDisasterRecoveryDrill"));
    assert_eq!((task.job_status(), task.failure_status()), (Some("FAIL"), Some("createFail")));
    assert_eq!((task.resource_type(), task.resource_name()), (Some("disaster_recovery_drills"), Some("doomed")));
    assert_eq!(task.error_code(), failed.api_code(), "{task:?}");
    assert!(task.fail_reason().is_some() && task.begin_time_ms().is_some() && task.json().contains(&failed_job), "{task:?}");
    let filtered = in_group.clone().failure_status("createFail").resource_type("disaster_recovery_drills").resource_name("doom");
    assert_eq!(client.iter_failed_tasks(Some(&filtered.limit(1)), None).unwrap().count(), 1);
    assert!(client.list_failed_tasks(Some(&in_group.clone().failure_status("deleteFail")), None).unwrap().items().is_empty());
    assert_eq!(emu.stat("failure_jobs"), 1);

    // The failed drill is in `error` and may be deleted; then the record goes from the task center.
    let broken = client.list_drills(Some(&DrillListOptions::new().status("error")), None).unwrap();
    assert_eq!(broken.items().iter().map(|d| (d.name(), d.status())).collect::<Vec<_>>(), [("doomed", DrillStatus::Error)]);
    client.wait_job(&client.delete_drill(broken.items()[0].id(), None).unwrap(), Some(&fast_wait())).unwrap();
    client.delete_failed_task(&failed_job, None).unwrap();
    assert!(client.list_failed_tasks(Some(&in_group), None).unwrap().items().is_empty());
    assert_eq!(emu.stat("failure_jobs"), 0);

    // The quota follows: deleting an instance frees its two pairs; a limit set to -1 reads as
    // Unlimited, a group limit of 1 is full and the next group create is refused.
    client
        .wait_job(&client.delete_protected_instance(pi1.id(), sdrs::InstanceDeletion::new().delete_target_server(true), None).unwrap(), Some(&fast_wait()))
        .unwrap();
    emu.admin_ok("POST", "/_emulator/config", r#"{"quota_replications": -1, "quota_server_groups": 1}"#);
    let quotas = client.quotas(None).unwrap();
    let (g, p) = (quotas.server_groups().unwrap(), quotas.replications().unwrap());
    assert_eq!((p.used(), p.limit(), p.remaining()), (Some(3), Some(Limit::Unlimited), Some(Limit::Unlimited)), "{p:?}");
    assert_eq!((g.used(), g.limit(), g.remaining()), (Some(1), Some(Limit::Limited(1)), Some(Limit::Limited(0))), "{g:?}");
    assert!(!g.limit().unwrap().allows(g.used().unwrap()));
    let refused = client.create_group(&common::spec("one-too-many"), None);
    assert_api_code(refused, "SDRS.0305");
}

#[test]
fn task_center_scopes_and_deletes() {
    let emu = Emulator::start();
    let client = emu.client();
    let servers = emu.admin_ok("GET", "/_emulator/servers", "");

    // A group-level failure (a failed group create) and one inside a group (an instance create).
    let err = client.create_group_and_wait(&common::spec("fail-group"), Some(&fast_wait())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::JobFailed, "{err:?}");
    let group = fixture_group(&client, "tasks");
    let spec = ProtectedInstanceSpec::new().server_group_id(group.id()).and_then(|s| s.name("fail-pi")).and_then(|s| s.server_id(&fixture_id(&servers, "app-1"))).unwrap();
    let err = client.create_protected_instance_and_wait(&spec, Some(&fast_wait())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::JobFailed, "{err:?}");

    let top = client.list_failed_tasks(None, None).unwrap();
    assert_eq!(top.items().len(), 1, "{top:?}");
    assert_eq!((top.items()[0].resource_type(), top.items()[0].resource_name()), (Some("server_groups"), Some("fail-group")));
    let in_group = TaskListOptions::new().server_group_id(group.id());
    let inner = client.list_failed_tasks(Some(&in_group), None).unwrap();
    assert_eq!(inner.items().len(), 1, "{inner:?}");
    assert_eq!(inner.items()[0].resource_type(), Some("protected_instances"));
    assert_eq!(inner.items()[0].error_code(), Some("SDRS.1350"));

    // "Delete all" removes the group-level records only; the group's own delete the rest.
    client.delete_group_level_failed_tasks(None).unwrap();
    assert!(client.list_failed_tasks(None, None).unwrap().items().is_empty());
    assert_eq!(client.list_failed_tasks(Some(&in_group), None).unwrap().items().len(), 1);
    client.delete_group_failed_tasks(group.id(), None).unwrap();
    assert!(client.iter_failed_tasks(Some(&in_group), None).unwrap().next().is_none());
    assert_eq!(emu.stat("failure_jobs"), 0);
}

#[test]
fn readme_rehearsal_example_runs() {
    let emu = Emulator::start();
    let client = emu.client();
    let servers = emu.admin_ok("GET", "/_emulator/servers", "");
    let group = fixture_group(&client, "example");
    for name in ["app-1", "app-3"] {
        let pi = protect(&client, group.id(), name, &fixture_id(&servers, name));
        client.add_tag(pi.id(), "app", "erp", None).unwrap();
    }
    example::rehearse(&client, group.id(), "erp").unwrap();
    assert!(client.list_drills(None, None).unwrap().items().is_empty(), "the example deletes its drill");
}

#[test]
fn invalid_inputs_send_no_request() {
    let emu = Emulator::start();
    let client = emu.client();
    let before = emu.stat("api_requests");

    // Drills.
    let no_group = DrillSpec::new().name("d1").unwrap();
    assert_validation(client.create_drill(&no_group, None), "server_group_id");
    assert_validation(client.create_drill_and_wait(&no_group, Some(&fast_wait())), "server_group_id");
    assert_validation(client.create_drill(&DrillSpec::new().server_group_id(UUID).unwrap(), None), "name");
    assert_validation(client.get_drill("a/b", None), "disaster_recovery_drill_id");
    assert_validation(client.get_drill("", None), "disaster_recovery_drill_id");
    assert_validation(client.rename_drill(UUID, "bad name", None), "name");
    assert_validation(client.delete_drill("../x", None), "disaster_recovery_drill_id");
    assert_validation(client.list_drills(Some(&DrillListOptions::new().limit(0)), None), "limit");
    assert_validation(client.list_drills(Some(&DrillListOptions::new().offset(-1)), None), "offset");
    assert_validation(client.iter_drills(Some(&DrillListOptions::new().limit(1001)), None).map(|_| ()), "limit");

    // Tags: writes.
    assert_validation(client.add_tag(UUID, "", "v", None), "key");
    assert_validation(client.add_tag(UUID, &"k".repeat(128), "v", None), "key");
    assert_validation(client.add_tag(UUID, "k", &"v".repeat(256), None), "value");
    assert_validation(client.add_tag(UUID, "k\u{1}", "v", None), "key");
    assert_validation(client.add_tag("a/b", "k", "v", None), "protected_instance_id");
    assert_validation(client.delete_tag(UUID, "", None), "key");
    assert_validation(client.list_instance_tags("", None), "protected_instance_id");
    assert_validation(client.batch_add_tags(UUID, &TagSet::new(), None), "tags");
    assert_validation(client.batch_delete_tags(UUID, &TagSet::new(), None), "tags");
    assert_validation(client.batch_add_tags(UUID, &TagSet::new().key("k").unwrap(), None), "value");

    // Tags: the query. Count refuses paging (the service forbids it there).
    let paged = TagQuery::new().all("app", Some("erp")).and_then(|q| q.limit(10)).unwrap();
    assert_validation(client.count_instances_by_tag(&paged, None), "limit");
    assert_validation(client.count_instances_by_tag(&TagQuery::new().offset(5).unwrap(), None), "offset");
    assert_eq!(paged.without_paging(), TagQuery::new().all("app", Some("erp")).unwrap());

    // The task center.
    assert_validation(client.delete_failed_task("batch", None), "failure_job_id");
    assert_validation(client.delete_failed_task("", None), "failure_job_id");
    assert_validation(client.delete_group_failed_tasks("a/b", None), "server_group_id");
    assert_validation(client.list_failed_tasks(Some(&TaskListOptions::new().failure_status("oops")), None), "failure_status");
    assert_validation(client.list_failed_tasks(Some(&TaskListOptions::new().resource_type("disks")), None), "resource_type");
    assert_validation(client.list_failed_tasks(Some(&TaskListOptions::new().limit(0)), None), "limit");
    assert_validation(client.iter_failed_tasks(Some(&TaskListOptions::new().offset(-1)), None).map(|_| ()), "offset");

    assert_eq!(emu.stat("api_requests"), before, "a refused input must not reach the service");
}

#[test]
fn builders_validate_at_once() {
    assert_validation(DrillSpec::new().name(""), "name");
    assert_validation(DrillSpec::new().name(&"d".repeat(65)), "name");
    assert_validation(DrillSpec::new().server_group_id(""), "server_group_id");

    assert_validation(TagSet::new().tag("", "v"), "key");
    assert_validation(TagSet::new().tag(&"k".repeat(128), "v"), "key");
    assert_validation(TagSet::new().tag("k", &"v".repeat(256)), "value");
    assert_validation(TagSet::new().tag("k", "1").and_then(|s| s.key("k")), "k");
    let mut twenty = TagSet::new();
    for i in 0..20 {
        twenty = twenty.tag(&format!("key{i}"), "v").unwrap();
    }
    assert_validation(twenty.clone().tag("key20", "v"), "tags");
    assert_eq!(twenty.clone(), twenty);
    // The tolerant limits: 127-character keys, 255-character values, any printable character.
    assert!(TagSet::new().tag(&"k".repeat(127), &"v".repeat(255)).is_ok());
    assert!(TagSet::new().tag(ODD_KEY, "ä/ö").is_ok());

    assert_validation(TagQuery::new().any("app", Some("*")), "*");
    assert_validation(TagQuery::new().all("", None), "key");
    assert_validation(TagQuery::new().all("app", Some("x")).and_then(|q| q.all("app", Some("x"))), "x");
    let mut wide = TagQuery::new();
    for i in 0..20 {
        wide = wide.not_any(&format!("key{i}"), None).unwrap();
    }
    assert!(wide.clone().all("key20", None).is_ok(), "20 keys per list, not per query");
    assert_validation(wide.not_any("key20", None), "20");
    let mut deep = TagQuery::new();
    for i in 0..20 {
        deep = deep.any("app", Some(&format!("v{i}"))).unwrap();
    }
    assert_validation(deep.any("app", Some("v20")), "20");
    assert_validation(TagQuery::new().name(&"n".repeat(256)), "255");
    assert!(TagQuery::new().name("").is_ok(), "the empty name is an exact match");
    for limit in [0, 1001] {
        assert_validation(TagQuery::new().limit(limit), "limit");
    }
    assert_validation(TagQuery::new().offset(-1), "offset");

    // Clones are independent and compare by value.
    let base = TagQuery::new().all("app", Some("erp")).unwrap();
    let narrowed = base.clone().name("web").unwrap();
    assert_ne!(base, narrowed);
    assert_eq!(narrowed.clone().clear_name().unwrap(), base);
    assert!(format!("{narrowed:?}").contains("name: Some(\"web\")"), "{narrowed:?}");
    let spec = DrillSpec::new().name("d").and_then(|s| s.drill_vpc_id(DRILL_VPC)).unwrap();
    assert_eq!(spec.clone().clear_drill_vpc_id().unwrap(), DrillSpec::new().name("d").unwrap());

    // A NUL byte never reaches C.
    let err = TagSet::new().tag("a\0b", "v").unwrap_err();
    assert_eq!((err.kind(), err.message().starts_with("key:")), (ErrorKind::InvalidArgument, true), "{err}");
}

#[test]
fn enums_and_limits() {
    for raw in 0..6 {
        assert_eq!(DrillStatus::from_raw(raw).to_raw(), raw);
    }
    assert_eq!(DrillStatus::from_raw(99), DrillStatus::Unknown);
    assert_eq!(DrillStatus::ErrorDeleting.name(), "error-deleting");
    assert_eq!(DrillStatus::Available.to_string(), "available");
    let names: Vec<_> = [TagMatch::All, TagMatch::Any, TagMatch::NotAll, TagMatch::NotAny].iter().map(|m| (m.to_raw(), m.wire_name())).collect();
    assert_eq!(names, [(0, "tags"), (1, "tags_any"), (2, "not_tags"), (3, "not_tags_any")]);
    assert_eq!(Limit::Limited(3).remaining(5), Some(0), "never negative");
    assert_eq!(Limit::Limited(10).remaining(4), Some(6));
    assert_eq!(Limit::Unlimited.remaining(4), None);
    assert!(Limit::Unlimited.is_unlimited() && !Limit::Limited(-1).is_unlimited());
    assert_eq!(Limit::Limited(7).value(), Some(7));
}
