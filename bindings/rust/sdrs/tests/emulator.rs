//! Tests of the safe binding against the sdrs-emulator (each test starts its own).

mod common;

use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{fast_wait, fixture_id, spec, Emulator, DOMAIN_A, PROJECT_ID, VPC};
use sdrs::{
    CallOptions, CancelToken, Client, Config, ErrorKind, JobStatus, ListOptions, LogLevel, PgStatus, PriorityStation,
    ProtectionGroupSpec, ReplicationPairSpec, WaitOptions,
};

fn assert_send_sync<T: Send + Sync>() {}
fn assert_send<T: Send>() {}

#[test]
fn thread_safety_markers() {
    assert_send_sync::<Client>();
    assert_send_sync::<sdrs::Job>();
    assert_send_sync::<sdrs::Error>();
    assert_send_sync::<CancelToken>();
    assert_send_sync::<CallOptions>();
    assert_send_sync::<sdrs::ProtectionGroup>();
    assert_send::<Config>();
    assert_send::<ProtectionGroupSpec>();
    assert_send::<sdrs::GroupIter<'static>>();
}

#[test]
fn version_and_error_names() {
    assert!(sdrs::version().starts_with(&format!("{}.", sdrs::version_number() / 10000)));
    assert!(sdrs::version_number() >= 10000);
    assert_eq!(sdrs::sys::SDRS_SYS_BUILD_VERSION, sdrs::version());
    let all = [
        (-1, ErrorKind::InvalidArgument, "SDRS_EINVAL"),
        (-2, ErrorKind::Validation, "SDRS_EVALIDATION"),
        (-3, ErrorKind::Auth, "SDRS_EAUTH"),
        (-4, ErrorKind::Forbidden, "SDRS_EFORBIDDEN"),
        (-5, ErrorKind::NotFound, "SDRS_ENOTFOUND"),
        (-6, ErrorKind::Conflict, "SDRS_ECONFLICT"),
        (-7, ErrorKind::RateLimit, "SDRS_ERATELIMIT"),
        (-8, ErrorKind::Server, "SDRS_ESERVER"),
        (-9, ErrorKind::Timeout, "SDRS_ETIMEOUT"),
        (-10, ErrorKind::Canceled, "SDRS_ECANCELED"),
        (-11, ErrorKind::Transport, "SDRS_ETRANSPORT"),
        (-12, ErrorKind::Tls, "SDRS_ETLS"),
        (-13, ErrorKind::Protocol, "SDRS_EPROTOCOL"),
        (-14, ErrorKind::JobFailed, "SDRS_EJOBFAILED"),
        (-15, ErrorKind::NoMemory, "SDRS_ENOMEM"),
        (-16, ErrorKind::Internal, "SDRS_EINTERNAL"),
        (-17, ErrorKind::Request, "SDRS_EREQUEST"),
        (-18, ErrorKind::Quota, "SDRS_EQUOTA"),
    ];
    for (code, kind, name) in all {
        assert_eq!(ErrorKind::from_code(code), kind);
        assert_eq!(kind.code(), code);
        assert_eq!(kind.name(), name);
        assert_eq!(sdrs::error_name(code), name);
        assert!(!sdrs::strerror(code).is_empty());
    }
    assert_eq!(ErrorKind::from_code(-999), ErrorKind::Unknown(-999));
    assert_eq!(ErrorKind::Unknown(-999).name(), "SDRS_UNKNOWN");
    assert!(!sdrs::strerror(12345).is_empty());
    assert_eq!(JobStatus::Success.name(), "SUCCESS");
    assert_eq!(PgStatus::FailedOver.name(), "failed-over");
    assert_eq!(PgStatus::Unknown.name(), "unknown");
    for raw in 0..18 {
        assert_eq!(PgStatus::from_raw(raw).to_raw(), raw);
    }
}

#[test]
fn builders_validate_before_sending() {
    let err = ProtectionGroupSpec::new().name(&"x".repeat(65)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("name"), "{err}");
    assert_eq!(err.http_status(), None);
    assert_eq!(err.attempts(), 0);
    let err = ProtectionGroupSpec::new().source_az("").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("source_availability_zone"), "{err}");
    let err = ProtectionGroupSpec::new().name("nul\0byte").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.message().contains("name"), "{err}");
    let err = Config::new().unwrap().project_id("a/b").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("project_id"), "{err}");
    // A plain http:// endpoint involves two settings (allow_http may come later), so
    // Client::new judges it (docs/reliability.md), naming the endpoint.
    let plain = Config::new().unwrap().endpoint("http://127.0.0.1:1").and_then(|c| c.project_id(PROJECT_ID)).and_then(|c| c.token("t")).unwrap();
    let err = Client::new(&plain).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("endpoint"), "{err}");
    Client::new(&plain.allow_http(true).unwrap()).expect("allow_http after the endpoint");
    // A client without the required settings names the first missing one.
    let err = Client::new(&Config::new().unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(!err.message().is_empty());
    assert!(err.to_string().contains("SDRS_EVALIDATION"), "{err}");
}

#[test]
fn create_checks_required_fields_without_sending() {
    let emu = Emulator::start();
    let client = emu.client();
    let before = emu.stat("api_requests");
    let incomplete = ProtectionGroupSpec::new().name("incomplete").unwrap();
    let err = client.create_group(&incomplete, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("source_availability_zone"), "{err}");
    let same_az = spec("same-az").target_az("eu-de-01").unwrap();
    let err = client.create_group(&same_az, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    let err = client.get_group("../etc", None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("server_group_id"), "{err}");
    let err = client.poll_job("a/b", None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().contains("job_id"), "{err}");
    assert_eq!(emu.stat("api_requests"), before, "nothing may be sent");
}

#[test]
fn service_errors_carry_detail() {
    let emu = Emulator::start();
    let client = emu.client();
    let err = client.get_group("6b1f3c2e-0000-4000-8000-000000000000", None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(err.api_code(), Some("SDRS.1013"));
    assert_eq!(err.http_status(), Some(400));
    assert!(err.request_id().is_some_and(|r| !r.is_empty()), "{err:?}");
    assert!(err.body().is_some_and(|b| b.contains("SDRS.1013")));
    assert!(!err.is_retryable());
    assert!(err.attempts() >= 1);
    let shown = err.to_string();
    assert!(shown.contains("SDRS_ENOTFOUND") && shown.contains("SDRS.1013"), "{shown}");
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(err);
    assert!(!boxed.to_string().is_empty());

    let bad_token = Client::new(&emu.config().token("wrong-token").unwrap()).unwrap();
    let err = bad_token.domains(None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err}");
    assert_eq!(err.http_status(), Some(401));

    // Unknown job: the emulator answers 404 with SDRS.0408 ("job object is null", an
    // internal-class code); libsdrs treats any 404 as not found.
    let err = client.poll_job("ffffffffffffffffffffffffffffffff", None).unwrap_err();
    assert_eq!(err.http_status(), Some(404), "{err}");
    assert_eq!(err.api_code(), Some("SDRS.0408"));
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    eprintln!("unknown job: retryable={} attempts={}", err.is_retryable(), err.attempts());

    // Enabling protection without a replication pair is a state conflict.
    let g = client.create_group_and_wait(&spec("no-pairs"), Some(&fast_wait())).unwrap();
    let err = client.enable_protection(g.id(), None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert_eq!(err.api_code(), Some("SDRS.1002"));
}

#[test]
fn domains_and_api_versions() {
    let emu = Emulator::start();
    let client = emu.client();
    let list = client.domains(None).unwrap();
    assert_eq!(list.domains().len(), 2);
    assert!(list.json().contains("dr-domain-a"));
    let a = list.domains().iter().find(|d| d.id() == DOMAIN_A).unwrap();
    assert_eq!(a.name(), Some("dr-domain-a"));
    assert_eq!(a.sold_out(), Some(false));
    assert_eq!(a.local_az(), Some("eu-de-01"));
    assert_eq!(a.remote_az(), Some("eu-de-02"));
    assert!(a.json().contains(DOMAIN_A));
    let b = list.domains().iter().find(|d| d.id() != DOMAIN_A).unwrap();
    assert_eq!(b.sold_out(), Some(true));

    let versions = client.api_versions(None).unwrap();
    let v1 = versions.iter().find(|v| v.id() == "v1").expect("v1 listed");
    assert!(v1.status().is_some());
    let one = client.api_version("v1", None).unwrap();
    assert_eq!(one.id(), "v1");
    assert_eq!(one.status(), v1.status());
    assert!(one.self_link().is_some_and(|l| l.ends_with("/v1")), "{one:?}");
    assert!(one.json().contains("v1"));
    let _ = (one.version(), one.min_version(), one.updated());
}

#[test]
fn job_poll_and_wait_with_progress() {
    let emu = Emulator::start();
    let client = emu.client();
    let job_id = client.create_group(&spec("polled"), None).unwrap();
    assert_eq!(job_id.len(), 32);
    let first = client.poll_job(&job_id, Some(&CallOptions::new().timeout(Duration::from_secs(10)))).unwrap();
    assert_eq!(first.id(), Some(job_id.as_str()));
    assert!(matches!(first.status(), JobStatus::Init | JobStatus::Running | JobStatus::Success));

    let mut seen = Vec::new();
    let job = client
        .wait_job_with_progress(&job_id, Some(&fast_wait()), |j| {
            seen.push(j.status());
            ControlFlow::Continue(())
        })
        .unwrap();
    assert!(!seen.is_empty());
    assert_eq!(job.status(), JobStatus::Success);
    assert_eq!(job.status_str(), Some("SUCCESS"));
    assert_eq!(job.job_type(), Some("createProtectionGroupNoCG"));
    let group_id = job.entity("server_group_id").expect("server_group_id entity").to_string();
    assert_eq!(job.entity("no-such-key"), None);
    assert!(job.begin_time().is_some());
    let (begin, end) = (job.begin_time_ms().unwrap(), job.end_time_ms().unwrap());
    assert!(end >= begin + 90, "begin {begin} end {end}");
    assert!(job.end_system_time().unwrap() >= job.begin_system_time().unwrap());
    assert_eq!(job.error_code(), None);
    assert_eq!(job.fail_reason(), None);
    assert_eq!(job.sub_job_count(), 0);
    assert!(job.sub_jobs().is_empty());
    assert!(job.sub_job(0).is_none());
    assert!(job.json().contains(&job_id));
    assert_eq!(client.get_group(&group_id, None).unwrap().status(), PgStatus::Available);

    // Jobs may be moved to and read from other threads.
    let job = Arc::new(job);
    let j2 = Arc::clone(&job);
    assert_eq!(std::thread::spawn(move || j2.status()).join().unwrap(), JobStatus::Success);

    // Break from the closure cancels the wait.
    let job_id = client.create_group(&spec("broken-off"), None).unwrap();
    let err = client.wait_job_with_progress(&job_id, Some(&fast_wait()), |_| ControlFlow::Break(())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Canceled, "{err}");
}

#[test]
fn panic_in_progress_closure_is_reraised_after_the_c_call() {
    let emu = Emulator::start();
    let client = emu.client();
    let job_id = client.create_group(&spec("panicky"), None).unwrap();
    let calls = AtomicUsize::new(0);
    let caught = catch_unwind(AssertUnwindSafe(|| {
        client.wait_job_with_progress(&job_id, Some(&fast_wait()), |_| {
            calls.fetch_add(1, Ordering::SeqCst);
            panic!("boom from progress");
        })
    }));
    let payload = caught.expect_err("the panic must reach the caller");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom from progress"));
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the wait stops at the first panic");
    // The client is still fine afterwards.
    let job = client.wait_job(&job_id, Some(&fast_wait())).unwrap();
    assert_eq!(job.status(), JobStatus::Success);
}

#[test]
fn failed_job_reports_job_detail() {
    let emu = Emulator::start();
    let client = emu.client();
    let err = client.create_group_and_wait(&spec("fail-on-purpose"), Some(&fast_wait())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::JobFailed, "{err}");
    assert_eq!(err.api_code(), Some("SDRS.1014"));
    assert!(err.fail_reason().is_some_and(|r| !r.is_empty()), "{err:?}");
    assert!(err.job_id().is_some_and(|j| j.len() == 32), "{err:?}");

    emu.admin_ok("POST", "/_emulator/fail-next-jobs", r#"{"count":1,"error_code":"SDRS.1030","fail_reason":"disk on fire"}"#);
    let job_id = client.create_group(&spec("fails-by-admin"), None).unwrap();
    let err = client.wait_job(&job_id, Some(&fast_wait())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::JobFailed);
    assert_eq!(err.api_code(), Some("SDRS.1030"));
    assert_eq!(err.fail_reason(), Some("disk on fire"));
    assert_eq!(err.job_id(), Some(job_id.as_str()));
    let job = err.job().expect("final job attached");
    assert_eq!(job.status(), JobStatus::Fail);
    assert_eq!(job.error_code(), Some("SDRS.1030"));
    assert_eq!(job.fail_reason(), Some("disk on fire"));
}

#[test]
fn lifecycle_end_to_end() {
    let emu = Emulator::start();
    let client = emu.client();
    let wait = fast_wait();
    let domain = client.domains(None).unwrap().into_domains().into_iter().find(|d| d.sold_out() == Some(false)).unwrap();
    let s = ProtectionGroupSpec::new()
        .name("life-1")
        .and_then(|s| s.description("end to end"))
        .and_then(|s| s.source_az(domain.local_az().unwrap()))
        .and_then(|s| s.target_az(domain.remote_az().unwrap()))
        .and_then(|s| s.domain_id(domain.id()))
        .and_then(|s| s.source_vpc_id(VPC))
        .and_then(|s| s.dr_type("migration"))
        .and_then(|s| s.server_type("ECS"))
        .unwrap();
    let g = client.create_group_and_wait(&s, Some(&wait)).unwrap();
    assert_eq!(g.name(), "life-1");
    assert_eq!(g.description(), Some("end to end"));
    assert_eq!(g.status(), PgStatus::Available);
    assert_eq!(g.status_str(), Some("available"));
    assert_eq!(g.source_az(), Some("eu-de-01"));
    assert_eq!(g.target_az(), Some("eu-de-02"));
    assert_eq!(g.domain_id(), Some(DOMAIN_A));
    assert_eq!(g.domain_name(), Some("dr-domain-a"));
    assert_eq!(g.priority_station(), Some("source"));
    assert_eq!(g.source_vpc_id(), Some(VPC));
    assert_eq!(g.target_vpc_id(), Some(VPC));
    assert_eq!(g.test_vpc_id(), None);
    assert_eq!(g.dr_type(), Some("migration"));
    assert_eq!(g.server_type(), Some("ECS"));
    assert_eq!(g.protection_type(), Some("replication-pair"));
    assert_eq!(g.replication_model(), None);
    assert_eq!((g.protected_status(), g.replication_status(), g.health_status()), (None, None, None));
    assert_eq!(g.progress(), Some(0));
    assert_eq!(g.protected_instance_num(), Some(0));
    assert_eq!(g.replication_num(), Some(0));
    assert_eq!(g.disaster_recovery_drill_num(), Some(0));
    assert!(g.created_at().is_some() && g.updated_at().is_some());
    assert!(g.created_at_ms().unwrap() > 1_600_000_000_000);
    assert!(g.updated_at_ms().unwrap() >= g.created_at_ms().unwrap());
    assert!(g.json().contains(g.id()));
    assert_eq!(client.get_group(g.id(), None).unwrap().id(), g.id());

    let renamed = client.rename_group(g.id(), "life-renamed", None).unwrap();
    assert_eq!(renamed.name(), "life-renamed");
    let err = client.rename_group(g.id(), "bad name", None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);

    // Give the group a real replication pair (public API), then walk the protection actions.
    // A pair needs no VPC match, only a free disk in the group's production AZ (eu-de-01).
    let disk = fixture_id(&emu.admin_ok("GET", "/_emulator/volumes", ""), "data-1");
    let pair_spec = ReplicationPairSpec::new().server_group_id(g.id()).and_then(|s| s.volume_id(&disk)).and_then(|s| s.name("life-pair")).unwrap();
    let pair = client.create_replication_pair_and_wait(&pair_spec, Some(&wait)).unwrap();
    assert_eq!(pair.server_group_id(), Some(g.id()));
    let run = |job_id: String| {
        let job = client.wait_job(&job_id, Some(&wait)).unwrap();
        assert_eq!(job.status(), JobStatus::Success);
        assert_eq!(job.entity("server_group_id"), Some(g.id()));
        client.get_group(g.id(), None).unwrap()
    };
    let after = run(client.enable_protection(g.id(), None).unwrap());
    assert_eq!(after.status(), PgStatus::Protected);
    assert_eq!(after.replication_num(), Some(1));
    assert_eq!(after.progress(), Some(100));

    let after = run(client.planned_failover(g.id(), PriorityStation::Target, None).unwrap());
    assert_eq!(after.status(), PgStatus::Protected);
    assert_eq!(after.priority_station(), Some("target"));
    let after = run(client.planned_failover(g.id(), PriorityStation::Source, None).unwrap());
    assert_eq!(after.priority_station(), Some("source"));

    let after = run(client.failover(g.id(), None).unwrap());
    assert_eq!(after.status(), PgStatus::FailedOver);
    assert_eq!(after.priority_station(), Some("target"));
    let after = run(client.enable_protection(g.id(), None).unwrap());
    assert_eq!(after.status(), PgStatus::Protected);
    let after = run(client.disable_protection(g.id(), None).unwrap());
    assert_eq!(after.status(), PgStatus::Available);

    // Delete needs the pair gone.
    let err = client.delete_group(g.id(), None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    let job = client.wait_job(&client.delete_replication_pair(pair.id(), Some(g.id()), false, None).unwrap(), Some(&wait)).unwrap();
    assert_eq!(job.status(), JobStatus::Success);
    assert_eq!(client.get_group(g.id(), None).unwrap().replication_num(), Some(0));
    let job_id = client.delete_group(g.id(), None).unwrap();
    let job = client.wait_job(&job_id, Some(&wait)).unwrap();
    assert_eq!(job.status(), JobStatus::Success);
    let err = client.get_group(g.id(), None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn listing_filters_and_paging() {
    let emu = Emulator::start();
    let client = emu.client();
    emu.admin_ok("POST", "/_emulator/seed-groups", r#"{"count":25,"name_prefix":"seed-"}"#);
    emu.admin_ok("POST", "/_emulator/seed-groups", r#"{"count":3,"name_prefix":"prot-","status":"protected"}"#);

    let all = client.list_groups(None, None).unwrap();
    assert_eq!(all.groups().len(), 28);
    assert_eq!(all.count(), Some(28));

    let page = client.list_groups(Some(&ListOptions::new().limit(10).offset(20)), None).unwrap();
    assert_eq!(page.count(), Some(28));
    let names: Vec<_> = page.groups().iter().map(|g| g.name().to_string()).collect();
    assert_eq!(names.len(), 8);
    assert_eq!(names[0], "seed-00020");

    let prot = client.list_groups(Some(&ListOptions::new().status("protected")), None).unwrap();
    assert_eq!(prot.count(), Some(3));
    assert!(prot.groups().iter().all(|g| g.status() == PgStatus::Protected));
    let named = client.list_groups(Some(&ListOptions::new().name("seed-0001")), None).unwrap();
    assert_eq!(named.into_groups().len(), 10);
    let stopped = client.list_groups(Some(&ListOptions::new().query_type("stop_protected").availability_zone("eu-de-01")), None).unwrap();
    assert_eq!(stopped.count(), Some(25));

    // The iterator pages with the given limit and yields every group exactly once.
    let it = client.iter_groups(Some(&ListOptions::new().limit(4)), Some(&CallOptions::new().timeout(Duration::from_secs(10)))).unwrap();
    let names: Vec<String> = it.map(|g| g.unwrap().name().to_string()).collect();
    assert_eq!(names.len(), 28);
    let mut dedup = names.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), 28);
    let from = client.iter_groups(Some(&ListOptions::new().limit(5).offset(26)), None).unwrap().count();
    assert_eq!(from, 2);

    // A bad page size is rejected (by libsdrs or the service) and ends the iterator.
    let mut bad = client.iter_groups(Some(&ListOptions::new().limit(0)), None).map(|mut it| {
        let first = it.next();
        (first, it.next())
    });
    match &mut bad {
        Err(e) => assert!(matches!(e.kind(), ErrorKind::Validation | ErrorKind::Request), "{e}"),
        Ok((first, second)) => {
            let e = first.take().expect("an item").unwrap_err();
            assert!(matches!(e.kind(), ErrorKind::Validation | ErrorKind::Request), "{e}");
            assert!(second.is_none());
        }
    }
}

#[test]
fn sixteen_threads_share_one_client_and_create_320_groups() {
    let emu = Emulator::start();
    let client = Arc::new(emu.client());
    let wait = fast_wait().max_interval(Duration::from_millis(100));
    let created = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let client = Arc::clone(&client);
            let created = Arc::clone(&created);
            let wait = wait.clone();
            std::thread::spawn(move || {
                for i in 0..20 {
                    let g = client
                        .create_group_and_wait(&spec(&format!("mt-{t:02}-{i:02}")), Some(&wait))
                        .unwrap_or_else(|e| panic!("thread {t} group {i}: {e}"));
                    assert_eq!(g.status(), PgStatus::Available);
                    created.lock().unwrap().push(g.id().to_string());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("worker thread");
    }
    let mut ids = created.lock().unwrap().clone();
    assert_eq!(ids.len(), 320);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 320);
    let listed = client.iter_groups(Some(&ListOptions::new().name("mt-").limit(100)), None).unwrap();
    assert_eq!(listed.map(|g| g.unwrap()).filter(|g| g.status() == PgStatus::Available).count(), 320);
    assert_eq!(emu.stat("creates"), 320);
}

#[test]
fn cancel_from_another_thread_ends_wait_within_200ms() {
    // Long jobs: the wait can only end through the cancel token.
    let emu = Emulator::start_with(30_000, 30_000);
    let client = emu.client();
    let job_id = client.create_group(&spec("long-running"), None).unwrap();
    let token = CancelToken::new();
    let opts = WaitOptions::new().initial_interval(Duration::from_millis(200)).max_interval(Duration::from_secs(5)).cancel(&token);
    let (tx, rx) = std::sync::mpsc::channel::<Instant>();
    let trigger = token.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(700));
        let at = Instant::now();
        trigger.cancel();
        tx.send(at).unwrap();
    });
    let err = client.wait_job(&job_id, Some(&opts)).unwrap_err();
    let returned = Instant::now();
    let triggered = rx.recv_timeout(Duration::from_secs(5)).expect("canceller ran");
    canceller.join().unwrap();
    let latency = returned.saturating_duration_since(triggered);
    eprintln!("cancel latency: {latency:?}");
    assert_eq!(err.kind(), ErrorKind::Canceled, "{err}");
    assert!(err.job().is_none());
    assert!(latency <= Duration::from_millis(200), "wait returned {latency:?} after the cancel");
    assert!(token.is_canceled());

    // A triggered token also stops a plain call, before or during the transfer.
    let err = client.get_group("6b1f3c2e-0000-4000-8000-000000000000", Some(&CallOptions::new().cancel(&token))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Canceled, "{err}");
    token.reset();
    assert!(!token.is_canceled());
    assert_eq!(client.poll_job(&job_id, Some(&CallOptions::new().cancel(&token))).unwrap().status(), JobStatus::Init);

    // The wait deadline gives Timeout.
    let started = Instant::now();
    let err = client.wait_job(&job_id, Some(&fast_wait().timeout(Duration::from_millis(300)))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn log_sink_receives_lines_from_calls() {
    let emu = Emulator::start();
    let lines = Arc::new(Mutex::new(Vec::<(LogLevel, String)>::new()));
    let sink_lines = Arc::clone(&lines);
    let cfg = emu
        .config()
        .user_agent_suffix(Some("rust-tests"))
        .and_then(|c| c.connect_timeout(Duration::from_secs(5)))
        .and_then(|c| c.max_response_bytes(1 << 20))
        .and_then(|c| c.ca_file(None))
        .and_then(|c| c.log_sink(LogLevel::Info, move |level, line| sink_lines.lock().unwrap().push((level, line.to_string()))))
        .unwrap();
    let client = cfg.build().unwrap();
    drop(cfg); // the client keeps the sink alive
    client.domains(None).unwrap();
    let got = lines.lock().unwrap().clone();
    assert!(!got.is_empty(), "no log lines");
    assert!(got.iter().any(|(_, l)| l.contains("active-domains")), "{got:?}");
    assert!(got.iter().all(|(lvl, _)| *lvl <= LogLevel::Info));
    assert!(got.iter().all(|(_, l)| !l.contains(common::TOKEN)), "token leaked into logs");

    // Clearing the sink stops the lines; a panicking sink never unwinds into C.
    let quiet = Client::new(&emu.config().log_sink(LogLevel::Debug, |_, _| panic!("sink panic")).unwrap()).unwrap();
    quiet.domains(None).unwrap();
    let cleared = Client::new(&emu.config().log_sink(LogLevel::Info, |_, _| {}).and_then(|c| c.clear_log_sink()).unwrap()).unwrap();
    cleared.domains(None).unwrap();
    let err = emu.config().ca_file(Some("/nonexistent/ca.pem")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    let _ = PROJECT_ID;
}

/// A local TCP server that accepts connections and never answers.
struct SilentServer {
    port: u16,
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SilentServer {
    fn start() -> SilentServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((conn, _)) => held.push(conn),
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        SilentServer { port, stop, thread: Some(thread) }
    }
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn call_deadline_and_cancel_abort_a_hanging_transfer() {
    let server = SilentServer::start();
    let cfg = Config::new()
        .and_then(|c| c.allow_http(true))
        .and_then(|c| c.endpoint(&format!("http://127.0.0.1:{}", server.port)))
        .and_then(|c| c.project_id(PROJECT_ID))
        .and_then(|c| c.token(common::TOKEN))
        .and_then(|c| c.timeout(Duration::from_secs(30)))
        .unwrap();
    let client = Client::new(&cfg).unwrap();

    let started = Instant::now();
    let err = client.domains(Some(&CallOptions::new().timeout(Duration::from_millis(300)))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(250) && took < Duration::from_secs(5), "took {took:?}");

    let token = CancelToken::new();
    let trigger = token.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        let at = Instant::now();
        trigger.cancel();
        at
    });
    let err = client.list_groups(None, Some(&CallOptions::new().cancel(&token))).unwrap_err();
    let returned = Instant::now();
    let triggered = canceller.join().unwrap();
    let latency = returned.saturating_duration_since(triggered);
    assert_eq!(err.kind(), ErrorKind::Canceled, "{err}");
    assert!(latency <= Duration::from_millis(500), "transfer aborted {latency:?} after the cancel");
}
