//! Reading the command line with only the subcommands it names.
//!
//! clap copies every global option (`--region`, `--output`, … fifteen of
//! them) into every subcommand when it builds the tree, more than sixty
//! subcommands here: nine hundred argument copies, then as many drops, were
//! most of a short command's own instructions. The line names its subcommand
//! by one of its words, so a tree that holds only the subcommands some word
//! names reads it the same: clap picks a subcommand by its exact name, from
//! the first word (before any `--`) that is not an option or an option's
//! value, in both trees, and that subcommand is in the narrow one. This holds
//! while the root has no positional arguments and no subcommand has aliases
//! or is inferred from a prefix (`infer_subcommands`); a test checks all
//! three. Anything else — an error, `--help`, `--version` — is read again
//! with the whole tree, so what clap prints (suggestions, lists of
//! subcommands) is what it always was; a line that names no subcommand is
//! read with the whole tree at once.

use std::ffi::OsString;

use clap::{Command, CommandFactory, FromArgMatches};

use super::Cli;

/// `Cli::try_parse_from(args)` (the program's name first), building only the
/// subcommands the line names when that reads it without error.
///
/// A line read narrow leaves its trees to the end of the process (a small
/// built one, and the whole one unbuilt): dropping them would be work for
/// nothing. The whole tree built is dropped: it is what the editor (a line
/// with no subcommand) reads, and kept it would stay in the editor's memory
/// for as long as it runs.
pub fn parse(args: Vec<OsString>) -> Result<Cli, clap::Error> {
    let mut full = Cli::command();
    if let Some(mut narrow) = narrowed(&full, &args) {
        let read = read_with(&mut narrow, &args);
        std::mem::forget(narrow);
        if let Ok(cli) = read {
            std::mem::forget(full);
            return Ok(cli);
        }
    }
    read_with(&mut full, &args)
}

fn read_with(command: &mut Command, args: &[OsString]) -> Result<Cli, clap::Error> {
    let mut matches = command.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(command))
}

/// `full`'s root (its name, words, version, global options and their groups) with only the
/// subcommands whose name is a word of `args`; None when no word names one.
/// (`full` is unbuilt here: a `Later` subcommand's clone is its name and
/// words; `sandbox`, `validate` and the other few are cloned whole.)
fn narrowed(full: &Command, args: &[OsString]) -> Option<Command> {
    let words: Vec<&str> = args.iter().skip(1).filter_map(|a| a.to_str()).collect();
    let named: Vec<&Command> = full.get_subcommands().filter(|sc| words.contains(&sc.get_name())).collect();
    if named.is_empty() {
        return None;
    }
    Some(
        rooted_like(full)
            .args(full.get_arguments().cloned())
            .groups(full.get_groups().cloned())
            .subcommands(named.into_iter().cloned()),
    )
}

/// A root with `full`'s words, and the name and version `Cli`'s `#[command]`
/// gives (repeated here: clap keeps them as `&'static str`), with none of its
/// arguments or subcommands. `narrowed` naming every subcommand gives `full`
/// itself (a test compares the two whole).
fn rooted_like(full: &Command) -> Command {
    let mut root = Command::new("ddsp").version(env!("CARGO_PKG_VERSION"));
    if let Some(about) = full.get_about() {
        root = root.about(about.clone());
    }
    if let Some(long_about) = full.get_long_about() {
        root = root.long_about(long_about.clone());
    }
    root
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn line(words: &str) -> Vec<OsString> {
        std::iter::once("ddsp").chain(words.split_whitespace()).map(OsString::from).collect()
    }

    #[test]
    fn naming_every_subcommand_gives_the_whole_tree() {
        let full = Cli::command();
        let every: Vec<OsString> = std::iter::once("ddsp".to_owned())
            .chain(full.get_subcommands().map(|sc| sc.get_name().to_owned()))
            .map(OsString::from)
            .collect();
        let narrow = narrowed(&full, &every).expect("every subcommand is named");
        assert_eq!(format!("{narrow:?}"), format!("{full:?}"));
    }

    #[test]
    fn subcommands_are_found_by_their_exact_name_only() {
        // What makes the narrow tree read a line as the whole one does (module doc).
        let full = Cli::command();
        assert!(full.get_positionals().next().is_none());
        // A prefix that names one subcommand only is not taken for it (no `infer_subcommands`).
        let prefix =
            Cli::command().try_get_matches_from(["ddsp", "describe-security-profil", "--security-profile-name", "p"]);
        assert!(prefix.is_err());
        for sc in full.get_subcommands() {
            assert_eq!(sc.get_all_aliases().count(), 0, "{} has an alias", sc.get_name());
            assert!(sc.get_short_flag().is_none() && sc.get_long_flag().is_none(), "{}", sc.get_name());
        }
    }

    #[test]
    fn a_line_reads_the_same_narrow_and_whole() {
        for words in [
            "list-security-profiles --endpoint-url http://127.0.0.1:1",
            "--region eu-west-1 --output table describe-security-profile --security-profile-name list-security-profiles",
            "--query list-security-profiles describe-security-profile --security-profile-name p",
            "create-security-profile --cli-input-json file://x.json --security-profile-name p --no-paginate",
            "validate a.json b.yaml --as create",
            "skeleton update-security-profile yaml-input",
            "sandbox --port 0 --in-memory",
            "sandbox ingest export.json.gz --db s.db",
            "--query=list-security-profiles list-security-profiles",
            "tune profile.yaml --sandbox --metrics a.json b.json.gz",
            "--output text backtest profile.json --metrics tune",
        ] {
            let args = line(words);
            let mut whole = Cli::command();
            let expected = read_with(&mut whole, &args).map(|cli| format!("{cli:?}"));
            let mut narrow = narrowed(&Cli::command(), &args).expect("the line names a subcommand");
            let got = read_with(&mut narrow, &args).map(|cli| format!("{cli:?}"));
            assert_eq!(got.ok(), expected.ok(), "{words}");
            assert!(parse(args).is_ok(), "{words}");
        }
    }

    #[test]
    fn errors_and_help_come_from_the_whole_tree() {
        // A misspelt subcommand names none: no narrow tree, clap's suggestion as before.
        assert!(narrowed(&Cli::command(), &line("list-security-profile")).is_none());
        let err = parse(line("list-security-profile")).unwrap_err().to_string();
        assert!(err.contains("list-security-profiles"), "{err}");
        // The root's help lists every subcommand, though the line names one.
        let help = parse(line("--help list-security-profiles")).unwrap_err().to_string();
        assert!(help.contains("create-security-profile") && help.contains("sandbox"), "{help}");
        // An unknown option of a named subcommand: clap's message, with the subcommand's usage.
        let err = parse(line("describe-security-profile --bogus")).unwrap_err().to_string();
        assert!(err.contains("--bogus") && err.contains("describe-security-profile"), "{err}");
    }
}
