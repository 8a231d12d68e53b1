// Creates a protection group in the first domain with capacity, lists, renames and deletes it.
//
// SDRS_ENDPOINT=http://127.0.0.1:PORT SDRS_ALLOW_HTTP=1 \
// SDRS_PROJECT_ID=0123456789abcdef0123456789abcdef SDRS_TOKEN=emulator-token \
//     cargo run --example lifecycle
use std::ops::ControlFlow;
use std::time::Duration;

use sdrs::{Client, Config, ErrorKind, ListOptions, ProtectionGroupSpec, WaitOptions};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("set {name}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("libsdrs {}", sdrs::version());
    let config = Config::new()?
        .allow_http(std::env::var("SDRS_ALLOW_HTTP").is_ok_and(|v| v == "1"))?
        .endpoint(&env("SDRS_ENDPOINT"))?
        .project_id(&env("SDRS_PROJECT_ID"))?
        .token(&env("SDRS_TOKEN"))?
        .timeout(Duration::from_secs(30))?;
    let client = Client::new(&config)?;

    // A group lives in an active-active domain; its AZs are the domain's two AZs.
    let domains = client.domains(None)?;
    let domain = domains
        .domains()
        .iter()
        .find(|d| d.sold_out() == Some(false))
        .ok_or("no domain with capacity")?;
    let (source_az, target_az) = (domain.local_az().unwrap_or_default(), domain.remote_az().unwrap_or_default());
    println!("domain {} ({} -> {})", domain.id(), source_az, target_az);

    let spec = ProtectionGroupSpec::new()
        .name("example-group")?
        .description("created by the Rust example")?
        .source_az(source_az)?
        .target_az(target_az)?
        .domain_id(domain.id())?
        .source_vpc_id("3c0a7b1e-9d55-4e1f-8c3a-2b6d0f9e7a41")?;
    let wait = WaitOptions::new()
        .initial_interval(Duration::from_millis(50))
        .max_interval(Duration::from_secs(2))
        .timeout(Duration::from_secs(120));

    let group = client.create_group_and_wait_with_progress(&spec, Some(&wait), |job| {
        println!("  job {} {}", job.id().unwrap_or("?"), job.status());
        ControlFlow::Continue(())
    })?;
    println!("created {} {} status={}", group.id(), group.name(), group.status());

    for g in client.iter_groups(Some(&ListOptions::new().name("example").limit(100)), None)? {
        let g = g?;
        println!("listed {} {} {}", g.id(), g.name(), g.status());
    }

    let renamed = client.rename_group(group.id(), "example-renamed", None)?;
    println!("renamed to {}", renamed.name());

    let job_id = client.delete_group(group.id(), None)?;
    let job = client.wait_job(&job_id, Some(&wait))?;
    println!("delete job {} ended {}", job_id, job.status());

    match client.get_group(group.id(), None) {
        Err(e) if e.kind() == ErrorKind::NotFound => println!("gone: {e}"),
        Err(e) => return Err(e.into()),
        Ok(g) => return Err(format!("group {} still exists", g.id()).into()),
    }
    Ok(())
}
