// Waits for many jobs at once with no thread per wait: a Watcher polls every job from one
// library thread and each wait is a std::future::Future, for any executor (here a small one
// written with std only).
//
// SDRS_ENDPOINT=http://127.0.0.1:PORT SDRS_ALLOW_HTTP=1 \
// SDRS_PROJECT_ID=0123456789abcdef0123456789abcdef SDRS_TOKEN=emulator-token \
//     cargo run --example watch
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use sdrs::{Client, Config, ErrorKind, JobFuture, ProtectionGroupSpec, WaitOptions, Watcher, WatcherOptions};

/// A minimal executor: polls the future, parks the thread until its waker fires.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut future = std::pin::pin!(future);
    loop {
        match future.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Ready(out) => return out,
            Poll::Pending => std::thread::park(),
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let config = Config::new()?
        .allow_http(var("SDRS_ALLOW_HTTP").is_ok_and(|v| v == "1"))?
        .endpoint(&var("SDRS_ENDPOINT")?)?
        .project_id(&var("SDRS_PROJECT_ID")?)?
        .token(&var("SDRS_TOKEN")?)?;
    let client = Client::new(&config)?;
    let watcher = Watcher::new(&client, WatcherOptions::new().max_polls_per_sec(200))?;
    let wait = WaitOptions::new().initial_interval(Duration::from_millis(50)).timeout(Duration::from_secs(600));

    // A roll-out: start every job first, then follow them all; a `fail-` name fails.
    let base = ProtectionGroupSpec::new()
        .source_az("eu-de-01")?
        .target_az("eu-de-02")?
        .domain_id("5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11")?
        .source_vpc_id("3c0a7b1e-9d55-4e1f-8c3a-2b6d0f9e7a41")?;
    let mut futures: Vec<JobFuture> = Vec::new();
    for name in ["watch-a", "watch-b", "fail-watch-c"] {
        let job_id = client.create_group(&base.clone().name(name)?, None)?;
        futures.push(watcher.wait(&job_id, &wait));
    }

    block_on(async {
        // Every job is followed from the moment it was added, so awaiting in turn costs nothing.
        for future in futures {
            match future.await {
                Ok(job) => {
                    let group = job.entity("server_group_id").unwrap_or_default().to_string();
                    println!("created {group}");
                    // The next step of the same task: delete the group, follow that job too.
                    let deleted = watcher.wait(&client.delete_group(&group, None)?, &wait).await?;
                    println!("deleted {group} ({})", deleted.status());
                }
                Err(e) if e.kind() == ErrorKind::JobFailed => {
                    println!("job {} failed: {} {}", e.job_id().unwrap_or("?"), e.api_code().unwrap_or("?"), e.fail_reason().unwrap_or(""));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    })?;
    Ok(())
}
