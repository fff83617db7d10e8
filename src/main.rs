//! The `ddsp` binary: everything happens in `ddsp::cli`.

use std::process::ExitCode;

fn main() -> ExitCode {
    ddsp::cli::run()
}
