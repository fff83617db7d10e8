//! Later: a subcommand's arguments, built only when that subcommand is the
//! one parsed (clap's `Command::defer`). ddsp has more than fifty
//! subcommands, and building every one's arguments (their names, help,
//! value parsers) on each run was a large part of a short command's time.
//! Help, completions and errors build what they show as they need it.

use clap::{ArgMatches, Args, Command, FromArgMatches};

/// `T`'s arguments, added to its subcommand when clap builds that subcommand.
#[derive(Debug, Clone, PartialEq)]
pub struct Later<T>(pub T);

impl<T: FromArgMatches> FromArgMatches for Later<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Later)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Later)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for Later<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }

    fn augment_args(cmd: Command) -> Command {
        cmd.defer(keeping_about::<T>)
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        cmd.defer(keeping_about_for_update::<T>)
    }
}

/// As `keeping_about`, with the arguments `Parser::update_from` takes.
fn keeping_about_for_update<T: Args>(cmd: Command) -> Command {
    keep_about(cmd, T::augment_args_for_update)
}

/// `T`'s arguments added to `cmd`, whose own words stay: a derived
/// `augment_args` also sets the about of its (or a flattened) struct's doc
/// comment, which the subcommand's words set after it would otherwise cover.
fn keeping_about<T: Args>(cmd: Command) -> Command {
    keep_about(cmd, T::augment_args)
}

fn keep_about(cmd: Command, augment: fn(Command) -> Command) -> Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let cmd = augment(cmd);
    let cmd = match about {
        Some(about) => cmd.about(about),
        None => cmd.about(None::<&str>),
    };
    match long_about {
        Some(long_about) => cmd.long_about(long_about),
        None => cmd.long_about(None::<&str>),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn deferred_arguments_are_there_once_a_subcommand_is_built() {
        let mut cli = super::super::Cli::command();
        // Before it is built, a subcommand carries no arguments of its own.
        let unbuilt = cli.find_subcommand("describe-security-profile").map(|c| c.get_arguments().count());
        assert_eq!(unbuilt, Some(0));
        // clap's own consistency checks, with every deferred part built.
        cli.clone().debug_assert();
        cli.build();
        let built = cli.find_subcommand("describe-security-profile").expect("the subcommand");
        assert!(built.get_arguments().any(|a| a.get_long() == Some("security-profile-name")));
    }
}
