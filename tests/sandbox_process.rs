//! `ddsp sandbox` as a process: kill -9 in the middle of a stream of writes
//! loses no acknowledged write, and a restart on the same database serves it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};

use common::{SandboxProcess, temp_dir};
use ddsp::client::for_sandbox;
use ddsp::sandbox::default_keys;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_no_acknowledged_write() {
    let dir = temp_dir("kill9");
    let db = dir.join("sandbox.db");
    let db_arg = db.to_str().unwrap().to_owned();
    let sandbox = SandboxProcess::start(&["--db", &db_arg]);
    let iot = for_sandbox(&sandbox.url, &default_keys(), "us-east-1");

    let acked = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let acked = Arc::clone(&acked);
        let iot = iot.clone();
        tokio::spawn(async move {
            for i in 0..100_000 {
                let name = format!("p{i:05}");
                match iot
                    .create_security_profile()
                    .security_profile_name(&name)
                    .security_profile_description("crash test")
                    .send()
                    .await
                {
                    Ok(_) => acked.lock().unwrap().push(name),
                    Err(_) => break,
                }
            }
        })
    };
    // Let a good number of writes through, then crash the server mid-stream.
    let deadline = std::time::Instant::now() + common::timeout();
    while acked.lock().unwrap().len() < 40 {
        assert!(std::time::Instant::now() < deadline, "writes did not get through");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    sandbox.kill();
    writer.await.unwrap();
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 40);

    let sandbox = SandboxProcess::start(&["--db", &db_arg]);
    let iot = for_sandbox(&sandbox.url, &default_keys(), "us-east-1");
    for name in &acked {
        let p = iot.describe_security_profile().security_profile_name(name).send().await.unwrap();
        assert_eq!(p.version(), 1, "{name}");
    }
    drop(sandbox);
    std::fs::remove_dir_all(&dir).unwrap();
}
