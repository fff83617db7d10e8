//! The settings ddsp reads from the AWS CLI's config file (`~/.aws/config` or
//! `$AWS_CONFIG_FILE`): `output`, `cli_timestamp_format` and `ca_bundle`, from the
//! profile in use (`[default]` or `[profile NAME]`). Credentials and region come
//! from aws-config's own loader, not from here.

use std::path::PathBuf;

/// The values found for the profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CliSettings {
    pub output: Option<String>,
    pub cli_timestamp_format: Option<String>,
    pub ca_bundle: Option<String>,
}

fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AWS_CONFIG_FILE") {
        return Some(PathBuf::from(p));
    }
    directories::BaseDirs::new().map(|d| d.home_dir().join(".aws").join("config"))
}

/// Reads the settings of `profile` (or `$AWS_PROFILE`, or `default`); a missing file gives none.
pub fn load(profile: Option<&str>) -> CliSettings {
    let profile = profile
        .map(str::to_owned)
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".to_owned());
    match config_path().and_then(|p| std::fs::read_to_string(p).ok()) {
        Some(text) => parse(&text, &profile),
        None => CliSettings::default(),
    }
}

fn credentials_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE") {
        return Some(PathBuf::from(p));
    }
    directories::BaseDirs::new().map(|d| d.home_dir().join(".aws").join("credentials"))
}

/// True when the config file has `[profile NAME]` (or `[default]`) or the
/// credentials file has `[NAME]`.
pub fn profile_exists(name: &str) -> bool {
    let read = |p: Option<PathBuf>| p.and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default();
    let config = read(config_path());
    let credentials = read(credentials_path());
    let sections = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.trim().strip_prefix('[')?.strip_suffix(']').map(|s| s.trim().to_owned()))
            .collect()
    };
    let in_config =
        sections(&config).iter().any(|s| s == &format!("profile {name}") || (name == "default" && s == "default"));
    in_config || sections(&credentials).iter().any(|s| s == name)
}

/// Parses INI text for one profile's section.
pub fn parse(text: &str, profile: &str) -> CliSettings {
    let wanted = if profile == "default" { "default".to_owned() } else { format!("profile {profile}") };
    let mut in_section = false;
    let mut settings = CliSettings::default();
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim();
            in_section = name == wanted || (profile == "default" && name == "profile default");
            continue;
        }
        if !in_section || raw.starts_with([' ', '\t']) {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            let value = value.trim().to_owned();
            match key.trim() {
                "output" => settings.output = Some(value),
                "cli_timestamp_format" => settings.cli_timestamp_format = Some(value),
                "ca_bundle" => settings.ca_bundle = Some(value),
                _ => {}
            }
        }
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_profile_section() {
        let text = "[default]\noutput = text\n\n[profile ops]\noutput=table\ncli_timestamp_format = iso8601\nca_bundle = /etc/ssl/corp.pem\ns3 =\n  output = json\n";
        assert_eq!(parse(text, "default").output.as_deref(), Some("text"));
        let ops = parse(text, "ops");
        assert_eq!(ops.output.as_deref(), Some("table"));
        assert_eq!(ops.cli_timestamp_format.as_deref(), Some("iso8601"));
        assert_eq!(ops.ca_bundle.as_deref(), Some("/etc/ssl/corp.pem"));
        assert_eq!(parse(text, "none"), CliSettings::default());
    }
}
