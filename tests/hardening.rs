//! The sandbox, files and terminals hold up against bad luck and bad intent:
//! a database from a newer ddsp, file modes, inputs that never end, malformed
//! chunked bodies, absurdly deep queries.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{SandboxProcess, temp_dir};

/// The binary with a home of its own (`--sandbox` keeps its database there).
fn ddsp(args: &[&str]) -> std::process::Output {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let home = temp_dir(&format!("hardening-home-{n}"));
    Command::new(env!("CARGO_BIN_EXE_ddsp"))
        .args(args)
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The binary, killed if it has not ended within `limit` (a refusal that broke
/// would leave a sandbox running, and the test would hang instead of failing).
fn within(limit: Duration, args: &[&str]) -> std::process::Output {
    let home = temp_dir("hardening-within");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ddsp"))
        .args(args)
        .env("HOME", &home)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_sandbox_database_and_its_directory_are_the_owners_only() {
    let dir = temp_dir("modes");
    let db = dir.join("data/sandbox.db");
    let sandbox = SandboxProcess::start(&["--db", db.to_str().unwrap()]);
    let out = Command::new("stat").args(["-c", "%a %n"]).arg(dir.join("data")).arg(&db).output().unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    drop(sandbox);
    assert!(listing.lines().next().unwrap().starts_with("700 "), "{listing}");
    assert!(listing.lines().nth(1).unwrap().starts_with("600 "), "{listing}");
    let wal = db.with_extension("db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600);
    }
}

#[test]
fn a_database_from_a_newer_ddsp_is_refused_at_start() {
    let dir = temp_dir("newer-schema");
    let db = dir.join("s.db");
    drop(ddsp::sandbox::Store::open(Some(&db)).unwrap());
    let out = Command::new("sqlite3").arg(&db).arg("PRAGMA user_version = 99;").output();
    if out.is_err() {
        // No sqlite3 tool: set it through the library instead.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let out =
        within(Duration::from_secs(20), &["sandbox", "--port", "0", "--mqtt-port", "0", "--db", db.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("written by a newer ddsp (schema version 99"), "{err}");
}

#[test]
fn inputs_that_never_end_are_cut_at_16_mib() {
    let out = ddsp(&["validate", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than 16 MiB"));
    let out = ddsp(&["create-security-profile", "--cli-input-json", "file:///dev/zero"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than 16 MiB"));
    // A FIFO whose writer never stops ends too.
    let dir = temp_dir("fifo");
    let fifo = dir.join("pipe.json");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut pipe = std::fs::OpenOptions::new().write(true).open(writer_path).unwrap();
        let block = vec![b' '; 1 << 20];
        // Bounded: stops when the reader closes the pipe, or after 64 MiB.
        for _ in 0..64 {
            if pipe.write_all(&block).is_err() {
                break;
            }
        }
    });
    let out = ddsp(&["validate", fifo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(252));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than 16 MiB"));
    // Whether or not the writer saw ddsp close the FIFO before this reader
    // opened it (O_NONBLOCK), draining what it still writes ends it: it
    // writes at most 64 MiB. (Only opening a reader could leave the writer
    // blocked on a full pipe that nobody reads.)
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut release = std::fs::OpenOptions::new().read(true).custom_flags(0o4000).open(&fifo).unwrap();
    let mut sink = vec![0u8; 1 << 16];
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !writer.is_finished() && std::time::Instant::now() < deadline {
        match release.read(&mut sink) {
            Ok(0) | Err(_) => std::thread::sleep(Duration::from_millis(5)),
            Ok(_) => {}
        }
    }
    drop(release);
    writer.join().unwrap();
}

#[test]
fn a_malformed_chunked_body_is_named_as_such() {
    let sandbox = SandboxProcess::start(&["--in-memory", "--no-auth"]);
    let host = sandbox.url.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&host).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let request = format!(
        "POST /security-profiles/p HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{{}}\r\n0\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("InvalidRequestException"), "{answer}");
    assert!(answer.contains("malformed"), "{answer}");
    assert!(!answer.contains("too large"), "{answer}");
}

#[test]
fn a_deep_query_is_refused_not_a_crash() {
    let query = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let out = ddsp(&["--sandbox", "list-security-profiles", "--query", &query]);
    assert_eq!(out.status.code(), Some(252), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has 20000 operators and brackets"));
    // Flat brackets, chains and operators nest just as deep in the parser.
    for query in [
        format!("a{}", "[]".repeat(20_000)),
        format!("a{}", ".b".repeat(20_000)),
        format!("a{}", " && a".repeat(20_000)),
        format!("a{}", " == a".repeat(20_000)),
    ] {
        let out = ddsp(&["--sandbox", "list-security-profiles", "--query", &query]);
        assert_eq!(out.status.code(), Some(252), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // A real query is fine.
    let out = ddsp(&["--sandbox", "list-security-profiles", "--query", "securityProfileIdentifiers[].name"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn each_region_has_a_private_file_that_survives_a_restart() {
    use ddsp::sandbox::{SandboxConfig, default_keys, serve};
    let dir = temp_dir("region-files");
    let db = dir.join("sandbox.db");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let config = || SandboxConfig { db: Some(db.clone()), ..SandboxConfig::ephemeral() };
    runtime.block_on(async {
        let sandbox = serve(config()).await.unwrap();
        let eu = ddsp::client::for_sandbox(&sandbox.url(), &default_keys(), "eu-west-1");
        eu.create_security_profile().security_profile_name("Euro").send().await.unwrap();
        sandbox.stop().await;
    });
    let eu_file = dir.join("sandbox.eu-west-1.db");
    assert_eq!(mode(&eu_file), 0o600);
    // Restarted, with another --region even: each file still holds its own region.
    runtime.block_on(async {
        let sandbox = serve(SandboxConfig { region: "ap-south-1".into(), ..config() }).await.unwrap();
        let eu = ddsp::client::for_sandbox(&sandbox.url(), &default_keys(), "eu-west-1");
        let us = ddsp::client::for_sandbox(&sandbox.url(), &default_keys(), "us-east-1");
        let listed = eu.list_security_profiles().send().await.unwrap();
        assert_eq!(listed.security_profile_identifiers()[0].name(), "Euro");
        assert!(us.list_security_profiles().send().await.unwrap().security_profile_identifiers().is_empty());
        sandbox.stop().await;
    });
    // A region file from a newer ddsp is refused at start, not at its first request.
    let conn = rusqlite::Connection::open(&eu_file).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let refused = runtime.block_on(serve(config())).err().expect("refused");
    let said = refused.to_string();
    assert!(said.contains("sandbox.eu-west-1.db") && said.contains("newer ddsp"), "{said}");
}

/// The `$EDITOR` file lives in a fresh, random, owner-only directory: a
/// directory or symlink planted in the temp dir is never reused or followed.
#[test]
fn the_editor_file_is_in_a_fresh_private_directory() {
    let parent = temp_dir("hardening-edit-parent");
    let elsewhere = temp_dir("hardening-edit-elsewhere");
    std::fs::set_permissions(&elsewhere, std::fs::Permissions::from_mode(0o755)).unwrap();
    // What an attacker could plant under the old predictable name.
    std::os::unix::fs::symlink(&elsewhere, parent.join(format!("ddsp-edit-{}", std::process::id()))).unwrap();
    let a = ddsp::edit_file::EditFile::create_in(&parent, "name: A\n").unwrap();
    let b = ddsp::edit_file::EditFile::create_in(&parent, "name: B\n").unwrap();
    assert_ne!(a.dir(), b.dir(), "each edit gets its own directory");
    assert!(a.dir().file_name().unwrap().to_str().unwrap().starts_with("ddsp-edit-"));
    assert!(!std::fs::symlink_metadata(a.dir()).unwrap().file_type().is_symlink());
    assert_eq!(mode(a.dir()), 0o700);
    assert_eq!(mode(a.path()), 0o600);
    assert_eq!(a.read_back().unwrap(), "name: A\n");
    // The planted target is untouched: not chmod'ed, nothing written into it.
    assert_eq!(mode(&elsewhere), 0o755);
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    let dir = a.dir().to_owned();
    drop(a);
    assert!(!dir.exists(), "the directory is removed after the edit");
}

/// An editor that leaves a symlink or a FIFO where the file was gets an
/// error, not the link's target and not a hang; the directory still goes.
#[test]
fn the_edited_file_is_read_back_only_if_it_is_a_regular_file() {
    let parent = temp_dir("hardening-edit-back");
    let secret = parent.join("secret.txt");
    std::fs::write(&secret, "TOPSECRET-LINE\n").unwrap();

    let linked = ddsp::edit_file::EditFile::create_in(&parent, "x").unwrap();
    std::fs::remove_file(linked.path()).unwrap();
    std::os::unix::fs::symlink(&secret, linked.path()).unwrap();
    let err = linked.read_back().unwrap_err().to_string();
    assert!(err.contains("symbolic link"), "{err}");

    let fifo = ddsp::edit_file::EditFile::create_in(&parent, "x").unwrap();
    std::fs::remove_file(fifo.path()).unwrap();
    assert!(Command::new("mkfifo").arg(fifo.path()).status().unwrap().success());
    let err = fifo.read_back().unwrap_err().to_string();
    assert!(err.contains("regular file"), "{err}");
    let dir = fifo.dir().to_owned();
    drop(fifo);
    assert!(!dir.exists(), "the directory and the FIFO in it are removed");
}

/// Under a low descriptor limit, idle sockets do not lock other clients out:
/// past the cap the oldest connection is closed and the new client served.
#[test]
fn idle_sockets_under_a_low_descriptor_limit_lock_no_one_out() {
    use std::io::BufRead;
    let mut child = Command::new("bash")
        .args(["-c", "ulimit -n 160 && exec \"$0\" sandbox --port 0 --no-auth --in-memory", env!("CARGO_BIN_EXE_ddsp")])
        .env("HOME", temp_dir("hardening-lockout"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut url, mut cap) = (String::new(), String::new());
    while url.is_empty() || cap.is_empty() {
        let line = lines.next().expect("the sandbox printed its banner").unwrap();
        if let Some(u) = line.strip_prefix("endpoint: ") {
            url = u.to_owned();
        }
        if let Some(c) = line.strip_prefix("connections: ") {
            cap = c.to_owned();
        }
    }
    std::thread::spawn(move || for _ in lines {});
    assert!(cap.starts_with("80 at once"), "the banner says the cap in force: {cap}");
    let addr = url.trim_start_matches("http://").to_owned();
    // More idle sockets than the cap, held open.
    let idle: Vec<TcpStream> = (0..100).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    for _ in 0..10 {
        let mut s = TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(s, "GET /security-profiles HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "served within 5 s despite {} idle sockets: {answer:?}",
            idle.len()
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// One raw HTTP request to a `--no-auth` sandbox: the status line and body.
fn http(addr: &str, method: &str, target: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    let status = answer.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, answer.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_owned()))
}

fn report(metrics: &str, custom: &str) -> String {
    format!(r#"{{"header":{{"report_id":1,"version":"1.0"}}{metrics}{custom}}}"#)
}

/// The sandbox stores nothing AWS refuses, over HTTP reports and ingest alike:
/// negative counters, ports outside 1–65535, custom metrics never created or
/// of another type, built-in names sent as custom metrics, two-member values,
/// junk addresses, and thing or metric names the model's pattern refuses.
#[test]
fn reports_and_ingest_store_nothing_aws_refuses() {
    let sandbox = SandboxProcess::start(&["--in-memory", "--no-auth"]);
    let addr = sandbox.url.trim_start_matches("http://").to_owned();
    let refused = [
        report(r#","metrics":{"network_stats":{"bytes_in":-5}}"#, ""),
        report(r#","metrics":{"listening_tcp_ports":{"ports":[{"port":70000}]}}"#, ""),
        report(r#","metrics":{"listening_udp_ports":{"ports":[{"port":-1}]}}"#, ""),
        report(r#","metrics":{"listening_tcp_ports":{"ports":[],"total":-7}}"#, ""),
        report("", r#","custom_metrics":{"aws:num-messages-sent":[{"number":1e9}]}"#),
        report("", r#","custom_metrics":{"never-created":[{"number":1}]}"#),
        report("", r#","custom_metrics":{"bad\u001bname":[{"number":1}]}"#),
        report("", r#","custom_metrics":{"temperature":[{"number":1,"string_list":["a"]}]}"#),
        report("", r#","custom_metrics":{"temperature":[{"number":1},{"number":2}]}"#),
        report("", r#","custom_metrics":{"temperature":[{"string_list":["a"]}]}"#),
        report("", r#","custom_metrics":{"addresses":[{"ip_list":["10.0.0.1","junk"]}]}"#),
    ];
    let (created, _) =
        http(&addr, "POST", "/custom-metric/temperature", r#"{"metricType":"number","clientRequestToken":"t1"}"#);
    assert_eq!(created, 200);
    let (created, _) = http(
        &addr,
        "POST",
        "/custom-metric/addresses",
        r#"{"metricType":"ip-address-list","clientRequestToken":"t2"}"#,
    );
    assert_eq!(created, 200);
    for body in &refused {
        let (status, answer) = http(&addr, "POST", "/sandbox/things/t/metrics", body);
        assert_eq!(status, 400, "{body} → {answer}");
    }
    let good = report(
        r#","metrics":{"network_stats":{"bytes_in":5}}"#,
        r#","custom_metrics":{"temperature":[{"number":-40}]}"#,
    );
    let (status, answer) = http(&addr, "POST", "/sandbox/things/t/metrics", &good);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("\"status\":\"ACCEPTED\""), "{answer}");

    // Ingest: the same rules, the file named, nothing of a bad file stored.
    let dir = temp_dir("hardening-ingest-rules");
    let db = dir.join("sandbox.db");
    let datum = |thing: &str, name: &str, value: &str| {
        format!(
            r#"{{"version":"1.0","metrics":[{{"name":"{name}","thing":"{thing}","value":{value},"timestamp":1700000000}}]}}"#
        )
    };
    for (i, (doc, says)) in [
        (datum("t", "aws:num-messages-sent", r#"{"count":-5}"#), "never negative"),
        (datum("", "aws:num-messages-sent", r#"{"count":1}"#), "thing name is required"),
        (datum("ctl\\u001b]52;c;x", "aws:num-messages-sent", r#"{"count":1}"#), "thing name contains"),
        (datum(&"a".repeat(10_240), "aws:num-messages-sent", r#"{"count":1}"#), "use at most 128"),
        (datum("t", "aws:nope", r#"{"count":1}"#), "not a built-in metric"),
        (datum("t", "never-created", r#"{"number":1}"#), "not defined here"),
    ]
    .into_iter()
    .enumerate()
    {
        let file = dir.join(format!("bad-{i}.json"));
        std::fs::write(&file, format!("{}\n{doc}\n", datum("good", "aws:num-messages-sent", r#"{"count":1}"#)))
            .unwrap();
        let out = ddsp(&["sandbox", "ingest", "--db", db.to_str().unwrap(), file.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(252), "{err}");
        assert!(err.contains(&format!("bad-{i}.json: line 2")) && err.contains(says), "{says}: {err}");
        assert!(!err.contains('\u{1b}'), "never raw");
        assert!(String::from_utf8_lossy(&out.stdout).contains("stored 0 datapoints"), "a bad file stores nothing");
    }
}

/// A `nextToken` opens only in the query that made it: a forged one, or one
/// from another operation or filter, is an InvalidRequestException.
#[test]
fn page_tokens_are_bound_to_their_query() {
    let sandbox = SandboxProcess::start(&["--in-memory", "--no-auth"]);
    let addr = sandbox.url.trim_start_matches("http://").to_owned();
    for name in ["a", "b", "c"] {
        assert_eq!(http(&addr, "POST", &format!("/things/{name}"), "{}").0, 200);
    }
    let (status, first) = http(&addr, "GET", "/things?maxResults=2", "");
    assert_eq!(status, 200, "{first}");
    let token = serde_json::from_str::<serde_json::Value>(&first).unwrap()["nextToken"].as_str().unwrap().to_owned();
    let (status, second) = http(&addr, "GET", &format!("/things?maxResults=2&nextToken={token}"), "");
    assert_eq!(status, 200, "{second}");
    assert!(second.contains("\"c\"") && !second.contains("\"a\""), "{second}");
    for target in [
        "/things?nextToken=78".to_owned(),
        format!("/security-profiles?nextToken={token}"),
        format!("/things?thingTypeName=x&nextToken={token}"),
    ] {
        let (status, answer) = http(&addr, "GET", &target, "");
        assert_eq!(status, 400, "{target}: {answer}");
        assert!(answer.contains("The nextToken is invalid"), "{answer}");
    }
}

/// verificationStateDescription's pattern refuses control characters, in
/// the command (before sending) and in the sandbox.
#[test]
fn a_verification_description_with_control_characters_is_refused() {
    let sandbox = SandboxProcess::start(&["--in-memory", "--no-auth"]);
    let addr = sandbox.url.trim_start_matches("http://").to_owned();
    let (status, answer) = http(
        &addr,
        "POST",
        "/violations/verification-state/v-1",
        r#"{"verificationState":"BENIGN_POSITIVE","verificationStateDescription":"a\u001b]52;c;SEVMTE8=\u0007b"}"#,
    );
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("control characters are not allowed"), "{answer}");
    let out = ddsp(&[
        "put-verification-state-on-violation",
        "--violation-id",
        "v-1",
        "--verification-state",
        "BENIGN_POSITIVE",
        "--verification-state-description",
        "a\u{1b}]52;c;SEVMTE8=\u{7}b\nc",
        "--endpoint-url",
        &sandbox.url,
        "--region",
        "us-east-1",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(252), "{err}");
    assert!(err.contains("control characters are not allowed") && !err.contains('\u{1b}'), "{err}");
}
