// A DR rehearsal: select the instances of one application by tag, drill their protection group,
// inspect the drill servers, delete the drill, and check the quota headroom.
//
// SDRS_ENDPOINT=... SDRS_PROJECT_ID=... SDRS_TOKEN=... \
//     cargo run --example rehearsal -- <server_group_id> <app tag value>
use std::time::Duration;

use sdrs::{Client, Config, DrillSpec, Limit, TagQuery, WaitOptions};

pub fn rehearse(client: &Client, group_id: &str, app: &str) -> Result<(), sdrs::Error> {
    // The protected instances of one application: count, then every page.
    let query = TagQuery::new().all("app", Some(app))?;
    println!("{} instances tagged app={app}", client.count_instances_by_tag(&query, None)?);
    for pi in client.iter_instances_by_tag(&query.clone().limit(100)?, None)? {
        let pi = pi?;
        println!("  {} {} ({})", pi.id(), pi.name(), pi.status());
    }

    // Rehearse without touching production: one drill server per protected instance.
    let wait = WaitOptions::new().max_interval(Duration::from_secs(5)).timeout(Duration::from_secs(1800));
    let spec = DrillSpec::new().server_group_id(group_id)?.name("rehearsal")?;
    let drill = client.create_drill_and_wait(&spec, Some(&wait))?;
    println!("drill {} {} in VPC {}", drill.id(), drill.status(), drill.drill_vpc_id().unwrap_or("?"));
    for server in drill.servers() {
        println!("  drill server {} copies instance {}", server.server_id(), server.instance_id());
    }
    client.wait_job(&client.delete_drill(drill.id(), None)?, Some(&wait))?;

    // Headroom before the next roll-out: "unlimited" is a variant, never -1.
    for entry in client.quotas(None)?.entries() {
        let used = entry.used().unwrap_or(0);
        match entry.limit() {
            Some(Limit::Limited(max)) => println!("{}: {used} of {max}", entry.resource_type()),
            Some(Limit::Unlimited) => println!("{}: {used}, unlimited", entry.resource_type()),
            None => println!("{}: {used}, no limit reported", entry.resource_type()),
        }
    }
    Ok(())
}

#[allow(dead_code)] // the tests include this file and call rehearse() only
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let args: Vec<String> = std::env::args().collect();
    let [_, group_id, app] = args.as_slice() else { return Err("usage: rehearsal <server_group_id> <app>".into()) };
    let config = Config::new()?
        .allow_http(std::env::var("SDRS_ALLOW_HTTP").is_ok_and(|v| v == "1"))?
        .endpoint(&var("SDRS_ENDPOINT")?)?
        .project_id(&var("SDRS_PROJECT_ID")?)?
        .token(&var("SDRS_TOKEN")?)?;
    rehearse(&Client::new(&config)?, group_id, app)?;
    Ok(())
}
