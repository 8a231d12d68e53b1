//! Transport settings: each reaches libsdrs' checks, the valid ones give a working client,
//! retries are counted per call, and a proxy is honoured or bypassed.
mod common;

use std::net::TcpListener;
use std::time::Duration;

use common::Emulator;
use sdrs::{ErrorKind, HttpVersion};

type Setter = Box<dyn Fn(sdrs::Config) -> Result<sdrs::Config, sdrs::Error>>;

#[test]
fn transport_settings_are_validated() {
    let bad: Vec<(&str, Setter)> = vec![
        ("max_attempts", Box::new(|c| c.max_attempts(0))),
        (
            "low_speed_seconds",
            Box::new(|c| c.low_speed(1, Duration::from_secs(0))),
        ),
        ("ca_dir", Box::new(|c| c.ca_dir(Some("/nonexistent-dir")))),
        (
            "key_file",
            Box::new(|c| c.client_cert(Some("/etc/hostname"), None, None)),
        ),
        (
            "proxy_url",
            Box::new(|c| c.proxy(Some("ftp://proxy"), None)),
        ),
    ];
    for (field, set) in bad {
        let err = set(sdrs::Config::new().unwrap()).expect_err(field);
        assert_eq!(err.kind(), ErrorKind::Validation, "{field}");
        assert!(err.message().contains(field), "{field}: {}", err.message());
    }
    // Valid values are accepted; insecure_skip_tls_verify(false) keeps verification on.
    sdrs::Config::new()
        .and_then(|c| c.client_cert(None, None, None))
        .and_then(|c| c.insecure_skip_tls_verify(false))
        .and_then(|c| c.http_version(HttpVersion::Http2))
        .expect("valid settings");
}

#[test]
fn retries_and_proxy() {
    let emu = Emulator::start();
    let client = emu
        .config()
        .max_attempts(3)
        .and_then(|c| c.http_version(HttpVersion::Http1_1))
        .and_then(|c| c.low_speed(1, Duration::from_secs(10)))
        .and_then(|c| c.ca_dir(Some("/tmp")))
        .and_then(|c| c.proxy(None, Some("127.0.0.1")))
        .expect("config")
        .build()
        .expect("client");
    // A GET is retried on 503 within its budget.
    let (status, _) = emu.admin(
        "POST",
        "/_emulator/faults",
        r#"{"path":"/v1","kind":"status","status":503,"count":2}"#,
    );
    assert_eq!(status, 200);
    client.domains(None).expect("domains after two 503s");
    let (status, _) = emu.admin(
        "POST",
        "/_emulator/faults",
        r#"{"path":"/v1","kind":"status","status":503,"count":-1}"#,
    );
    assert_eq!(status, 200);
    let err = client.domains(None).expect_err("503 forever");
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.attempts(), 3);
    emu.admin("DELETE", "/_emulator/faults", "");

    // A dead proxy is used; Some("") means a direct connection.
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let via_proxy = emu
        .config()
        .proxy(Some(&proxy), Some(""))
        .and_then(|c| c.max_attempts(1))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        via_proxy.domains(None).expect_err("dead proxy").kind(),
        ErrorKind::Transport
    );
    let direct = emu.config().proxy(Some(""), None).unwrap().build().unwrap();
    direct.domains(None).expect("direct");
}
