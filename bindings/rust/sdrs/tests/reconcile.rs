//! Unknown outcomes: a create whose answer is lost says so (never retryable, with its send
//! time), and `find_created_group` settles it without risking a duplicate.
mod common;

use std::time::{Duration, SystemTime};

use common::{spec, Emulator};
use sdrs::{Client, ErrorKind, ListOptions};

/// Makes the next create POST fail with `kind` (close_after: the group is made; close_before:
/// it is not) and checks the error reports an unknown outcome; returns it.
fn lost_create(emu: &Emulator, client: &Client, spec: &sdrs::ProtectionGroupSpec, kind: &str) -> sdrs::Error {
    emu.admin_ok("POST", "/_emulator/faults", &format!(r#"{{"route":"POST /server-groups","kind":"{kind}","count":1}}"#));
    let before = SystemTime::now() - Duration::from_secs(1);
    let err = client.create_group(spec, None).expect_err("the connection closes");
    let after = SystemTime::now() + Duration::from_secs(1);
    assert_eq!(err.kind(), ErrorKind::Transport, "{kind}: {err:?}");
    assert!(err.outcome_unknown(), "{kind}: {err:?}");
    assert!(!err.is_retryable(), "{kind}: {err:?}");
    assert_eq!(err.attempts(), 1, "{kind}: the create must not be sent again");
    let sent = err.sent_at().expect("send time");
    assert!(sent >= before && sent <= after, "{kind}: sent_at {sent:?}");
    assert!(err.sent_at_ms().is_some());
    assert!(err.message().contains("may have"), "{kind}: {}", err.message());
    assert!(err.to_string().contains("outcome unknown"), "{err}");
    assert!(format!("{err:?}").contains("outcome_unknown: true"), "{err:?}");
    let faults = emu.admin_ok("GET", "/_emulator/faults", "");
    assert!(faults.contains(r#""hits":1"#), "{faults}");
    emu.admin_ok("DELETE", "/_emulator/faults", "");
    err
}

fn groups_named(client: &Client, name: &str) -> usize {
    let page = client.list_groups(Some(&ListOptions::new().name(name)), None).expect("list");
    page.groups().iter().filter(|g| g.name() == name).count()
}

#[test]
fn lost_create_that_was_made_is_found() {
    let emu = Emulator::start();
    let client = emu.client();
    let spec = spec("lost-made");
    let err = lost_create(&emu, &client, &spec, "close_after");
    let since = err.sent_at().unwrap();

    let group = client.find_created_group(&spec, since, None).expect("the lost create's group");
    assert_eq!(group.name(), "lost-made");
    assert_eq!(group.domain_id(), Some(common::DOMAIN_A));
    assert_eq!(group.source_vpc_id(), Some(common::VPC));
    assert_eq!(groups_named(&client, "lost-made"), 1, "exactly one group exists");

    // A group made long before `since` (beyond the clock-skew allowance) is not the lost one's.
    let later = client.find_created_group(&spec, since + Duration::from_secs(3600), None).expect_err("an hour later");
    assert_eq!(later.kind(), ErrorKind::NotFound, "{later:?}");
    // A spec that differs in a field the group has does not match.
    let other = spec.clone().source_vpc_id("b0000000-0000-4000-8000-00000000000b").unwrap();
    assert_eq!(client.find_created_group(&other, since, None).unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn lost_create_that_was_not_made_is_not_found_then_safe_to_repeat() {
    let emu = Emulator::start();
    let client = emu.client();
    let spec = spec("lost-not");
    let err = lost_create(&emu, &client, &spec, "close_before");
    let since = err.sent_at().unwrap();

    let none = client.find_created_group(&spec, since, None).expect_err("nothing was made");
    assert_eq!(none.kind(), ErrorKind::NotFound, "{none:?}");
    assert!(!none.outcome_unknown() && none.sent_at().is_none(), "{none:?}");
    let made = client.create_group_and_wait(&spec, Some(&common::fast_wait())).expect("creating again");
    let found = client.find_created_group(&spec, since, None).expect("the second create's group");
    assert_eq!(found.id(), made.id());
    assert_eq!(groups_named(&client, "lost-not"), 1, "exactly one group exists");
}

#[test]
fn find_created_for_a_spec_never_sent() {
    let emu = Emulator::start();
    let client = emu.client();
    let spec = spec("never-sent");
    let err = client.find_created_group(&spec, SystemTime::now(), None).expect_err("never sent");
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err:?}");
    assert!(!err.outcome_unknown() && err.sent_at().is_none() && !format!("{err:?}").contains("outcome_unknown"));
    // A time before 1970 is refused by libsdrs, naming the argument.
    let bad = client.find_created_group(&spec, SystemTime::UNIX_EPOCH - Duration::from_secs(1), None).expect_err("before 1970");
    assert_eq!(bad.kind(), ErrorKind::Validation, "{bad:?}");
    assert!(bad.message().contains("since"), "{}", bad.message());
    // A spec without its required fields is refused before any request.
    let requests = emu.stat("api_requests");
    let empty = sdrs::ProtectionGroupSpec::new();
    assert_eq!(client.find_created_group(&empty, SystemTime::now(), None).unwrap_err().kind(), ErrorKind::Validation);
    assert_eq!(emu.stat("api_requests"), requests);
}
