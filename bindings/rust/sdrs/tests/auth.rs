//! Password and AK/SK authentication against the sdrs-emulator (started with a user and a key
//! pair by tests/common).

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Emulator, PROJECT_ID};
use sdrs::{Config, ErrorKind, LogLevel};

const PASSWORD: &str = "alice-Pa55word-x";

fn password_config(emu: &Emulator, password: &str) -> Config {
    Config::new()
        .and_then(|c| c.allow_http(true))
        .and_then(|c| c.auth_url(&emu.endpoint()))
        .and_then(|c| c.username("alice"))
        .and_then(|c| c.password(password))
        .and_then(|c| c.user_domain_name("emulator-domain"))
        .and_then(|c| c.project_name("eu-de_emulator"))
        .and_then(|c| c.token_refresh_margin(Duration::from_secs(60)))
        .expect("password config")
}

#[test]
fn password_auth_token_and_project() {
    let emu = Emulator::start();
    let log = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&log);
    let client = password_config(&emu, PASSWORD)
        .log_sink(LogLevel::Debug, move |_, line| {
            sink.lock().unwrap().push_str(line)
        })
        .and_then(|c| c.build())
        .expect("client");
    client
        .domains(None)
        .expect("domains with a password-issued token");
    let token = client.token(None).expect("token");
    assert!(token.starts_with("MIIemu"), "token {token:.10}...");
    assert_eq!(client.project_id(None).expect("project id"), PROJECT_ID);
    let text = log.lock().unwrap().clone();
    assert!(text.contains("/v3/auth/tokens"));
    assert!(
        !text.contains(&token) && !text.contains(PASSWORD),
        "secret in the log"
    );

    let bad = password_config(&emu, "wrong").build().expect("client");
    assert_eq!(bad.domains(None).unwrap_err().kind(), ErrorKind::Auth);
}

#[test]
fn access_key_auth_and_sources() {
    let emu = Emulator::start();
    let base = || {
        Config::new()
            .and_then(|c| c.allow_http(true))
            .and_then(|c| c.endpoint(&emu.endpoint()))
            .and_then(|c| c.project_id(PROJECT_ID))
    };
    let ok = base()
        .and_then(|c| {
            c.access_key(
                "OTCEXAMPLEAK00000001",
                "OtcExampleSecretKey0000000000000000000001",
                None,
            )
        })
        .and_then(|c| c.build())
        .expect("client");
    ok.domains(None).expect("domains signed with AK/SK");
    assert_eq!(
        ok.token(None).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    let wrong = base()
        .and_then(|c| {
            c.access_key(
                "OTCEXAMPLEAK00000001",
                "OtcExampleSecretKey0000000000000000000002",
                None,
            )
        })
        .and_then(|c| c.build())
        .expect("client");
    assert_eq!(wrong.domains(None).unwrap_err().kind(), ErrorKind::Auth);

    // clouds.yaml supplies the user; the environment is read too (nothing relevant set there).
    let dir = std::env::temp_dir().join(format!("sdrs-rust-auth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clouds.yaml");
    std::fs::write(
        &path,
        format!(
            "clouds:\n  emu:\n    auth:\n      auth_url: {}\n      username: alice\n      password: {PASSWORD}\n      user_domain_name: emulator-domain\n      project_name: eu-de_emulator\n",
            emu.endpoint()
        ),
    )
    .unwrap();
    let from_file = Config::new()
        .and_then(|c| c.allow_http(true))
        .and_then(|c| c.region("eu-de"))
        .and_then(|c| c.load_env())
        .and_then(|c| c.load_clouds_yaml(path.to_str(), Some("emu")))
        .and_then(|c| c.build())
        .expect("client from clouds.yaml");
    from_file
        .domains(None)
        .expect("domains with clouds.yaml settings");
    let missing = Config::new().and_then(|c| c.load_clouds_yaml(path.to_str(), Some("nope")));
    assert_eq!(missing.unwrap_err().kind(), ErrorKind::Validation);
    let _ = Config::new()
        .and_then(|c| c.user_id("u-alice"))
        .and_then(|c| c.user_domain_id("d-x"))
        .expect("setters");
    std::fs::remove_dir_all(&dir).unwrap();
}
