//! A consumer of the `sdrs` crate: reads the connection from the environment, creates a
//! protection group, finds it by listing, deletes it, and shows what an error looks like.
//!
//! SDRS_ENDPOINT=http://127.0.0.1:PORT SDRS_ALLOW_HTTP=1 SDRS_PROJECT_ID=... SDRS_TOKEN=... \
//!     cargo run --offline
use std::time::Duration;

use sdrs::{Client, Config, ErrorKind, ListOptions, ProtectionGroupSpec, WaitOptions, Watcher, WatcherOptions};

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::new()?
        .allow_http(env("SDRS_ALLOW_HTTP").is_ok_and(|v| v == "1"))?
        .endpoint(&env("SDRS_ENDPOINT")?)?
        .project_id(&env("SDRS_PROJECT_ID")?)?
        .token(&env("SDRS_TOKEN")?)?;
    let client = Client::new(&config)?;
    println!("consumer: libsdrs {}", sdrs::version());

    let domains = client.domains(None)?;
    let domain = domains.domains().iter().find(|d| d.sold_out() == Some(false)).ok_or("no domain with capacity")?;
    // A cloneable spec: one base request, completed per group.
    let base = ProtectionGroupSpec::new()
        .source_az(domain.local_az().unwrap_or_default())?
        .target_az(domain.remote_az().unwrap_or_default())?
        .domain_id(domain.id())?
        .source_vpc_id("3c0a7b1e-9d55-4e1f-8c3a-2b6d0f9e7a41")?;
    let wait = WaitOptions::new().initial_interval(Duration::from_millis(20)).timeout(Duration::from_secs(60));
    let group = client.create_group_and_wait(&base.clone().name("consumer-group")?, Some(&wait))?;
    println!("consumer: created {} ({})", group.id(), group.status());

    let listed = client.iter_groups(Some(&ListOptions::new().name("consumer")), None)?.collect::<Result<Vec<_>, _>>()?;
    if !listed.iter().any(|g| g.id() == group.id()) {
        return Err(format!("group {} not listed", group.id()).into());
    }

    // The delete job, followed by a watcher (one library thread for any number of jobs; the
    // JobFuture is a std Future, here simply waited for on this thread).
    let watcher = Watcher::new(&client, WatcherOptions::new())?;
    let deleted = watcher.wait(&client.delete_group(group.id(), None)?, &wait).wait_blocking()?;
    println!("consumer: delete job {}", deleted.status());
    match client.get_group(group.id(), None) {
        Err(e) if e.kind() == ErrorKind::NotFound => println!("consumer: deleted; get now fails with {e:?}"),
        Err(e) => return Err(e.into()),
        Ok(g) => return Err(format!("group {} still exists", g.id()).into()),
    }
    println!("consumer: ok");
    Ok(())
}
