//! Helpers shared by the tests that run the real `ddsp` binary.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod tmux;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `ddsp sandbox` process and the endpoint it printed.
pub struct SandboxProcess {
    pub child: Child,
    pub url: String,
    /// The MQTT listeners' addresses (HOST:PORT): over TLS, and plain when asked for.
    pub mqtts: Option<String>,
    pub mqtt: Option<String>,
}

impl SandboxProcess {
    /// Starts `ddsp sandbox --port 0` with the extra arguments (and its TLS
    /// MQTT listener on a free port, unless they say otherwise) and waits for
    /// its banner.
    pub fn start(extra: &[&str]) -> SandboxProcess {
        let mqtt_chosen = extra.iter().any(|a| *a == "--mqtt-port" || *a == "--no-mqtt");
        let mut child = Command::new(env!("CARGO_BIN_EXE_ddsp"))
            .args(["sandbox", "--port", "0"])
            .args(if mqtt_chosen { &[][..] } else { &["--mqtt-port", "0"][..] })
            .args(extra)
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + timeout();
        let (mut url, mut mqtts, mut mqtt) = (None, None, None);
        loop {
            assert!(Instant::now() < deadline, "the sandbox printed no endpoint");
            let line = lines.next().expect("sandbox exited").unwrap();
            if let Some(u) = line.strip_prefix("endpoint: ") {
                url = Some(u.to_owned());
            }
            let address = |scheme: &str| {
                line.strip_prefix("mqtt: ")
                    .and_then(|l| l.strip_prefix(scheme))
                    .and_then(|l| l.split_whitespace().next())
                    .map(str::to_owned)
            };
            mqtts = mqtts.or_else(|| address("mqtts://"));
            mqtt = mqtt.or_else(|| address("mqtt://"));
            if line.starts_with("Stop it with") {
                break;
            }
        }
        // Keep draining stdout so the process never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        SandboxProcess { child, url: url.expect("the sandbox printed no endpoint"), mqtts, mqtt }
    }

    /// SIGKILL, as a crash would.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How long a test waits for a process; `DDSP_TEST_TIMEOUT_SECS` overrides.
pub fn timeout() -> Duration {
    let secs = std::env::var("DDSP_TEST_TIMEOUT_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    Duration::from_secs(secs)
}

/// A fresh directory under the system temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ddsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The AWS CLI to test against: `$DDSP_AWS_CLI`, the repository's `.venv`
/// (made by scripts/test), or `aws` on PATH.
pub fn aws_cli() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("DDSP_AWS_CLI") {
        return Some(PathBuf::from(path));
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/aws");
    if venv.exists() {
        return Some(venv);
    }
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|p| p.join("aws")).find(|p| p.exists()))
}

/// The AWS CLI, or the test fails saying so (the tests that need it are
/// ignored unless asked for; scripts/test installs it and asks for them).
pub fn require_aws_cli() -> PathBuf {
    aws_cli().expect("the AWS CLI is missing; scripts/test installs it into .venv")
}

/// The repository's Python (`.venv`, made by scripts/test), or the test
/// fails saying which of `modules` is missing.
pub fn require_python(modules: &[&str]) -> PathBuf {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    for m in modules {
        let found =
            Command::new(&python).args(["-c", &format!("import {m}")]).output().is_ok_and(|o| o.status.success());
        assert!(found, "the Python module {m} is missing; scripts/test installs it into .venv");
    }
    python
}

/// Fails the test when `script` (util-linux) cannot run.
pub fn require_script() {
    let found = std::process::Command::new("script").arg("--version").output().is_ok();
    assert!(found, "script (util-linux) is missing");
}

/// Sets the environment a CLI run against a sandbox needs, isolated from the
/// user's own AWS configuration.
pub fn sandbox_env(cmd: &mut Command, home: &Path) {
    cmd.env("AWS_ACCESS_KEY_ID", ddsp::sandbox::DEFAULT_ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", ddsp::sandbox::DEFAULT_SECRET_KEY)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("AWS_PAGER", "")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_OUTPUT")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL");
}

/// A config dir under `dir` whose settings file exists, so the editor skips
/// the first-start setup; returns the dir for XDG_CONFIG_HOME.
pub fn configured(dir: &Path) -> PathBuf {
    let config = dir.join("config");
    std::fs::create_dir_all(config.join("ddsp")).unwrap();
    std::fs::write(config.join("ddsp/config"), "theme = auto\n").unwrap();
    config
}
