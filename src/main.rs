//! The `eso-render` binary: parse flags, set up logging, run, print, exit. Nothing else.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use eso_render::cli::{Cli, ProcessEnv, ReportStyle};
use eso_render::error::{Report, exit};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.verbose);
    let style = cli.report_style();
    let outcome = match cli.plan(&ProcessEnv) {
        Ok(plan) => eso_render::run(plan),
        Err(d) => {
            let mut report = Report::default();
            report.push(d);
            eso_render::Outcome {
                exit_code: exit::INPUT,
                report,
                ..Default::default()
            }
        }
    };
    if let Some(summary) = outcome.report.summary(!outcome.stdout.is_empty()) {
        let report = match style {
            ReportStyle::Full => outcome.report.to_string(),
            // Argo CD shows stderr in its UI: a screenful of one-line errors.
            ReportStyle::Short => outcome.report.short(10),
        };
        // stderr may be closed; there is nowhere left to report that.
        let _ = writeln!(std::io::stderr().lock(), "{report}{summary}");
    }
    if !outcome.stdout.is_empty() {
        let mut out = std::io::stdout().lock();
        // A closed pipe (`| head`) is not our failure, but the output did not arrive whole.
        if out
            .write_all(&outcome.stdout)
            .and_then(|()| out.flush())
            .is_err()
        {
            return ExitCode::from(exit::RESOLVE as u8);
        }
    }
    ExitCode::from(u8::try_from(outcome.exit_code).unwrap_or(1))
}

/// Logs go to stderr; `-v` is debug, `-vv` trace, and `RUST_LOG` wins when set.
///
/// Other crates never log at trace level here: the AWS SDK and the HTTP stack print whole
/// request and response bodies at trace, and those bodies carry secret values.
fn init_tracing(verbose: u8) {
    use tracing_subscriber::filter::{FilterExt, filter_fn};
    use tracing_subscriber::prelude::*;
    use tracing_subscriber::{EnvFilter, fmt};
    let default = match verbose {
        0 => "warn",
        1 => "eso_render=debug,warn",
        _ => "eso_render=trace,debug",
    };
    let filter = EnvFilter::try_from_env(eso_render::cli::env::RUST_LOG)
        .unwrap_or_else(|_| EnvFilter::new(default));
    let no_foreign_trace = filter_fn(|meta| {
        *meta.level() != tracing::Level::TRACE || meta.target().starts_with("eso_render")
    });
    let layer = fmt::layer()
        .with_writer(std::io::stderr)
        // Argo CD and CI capture stderr: colour codes only for a terminal.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .with_filter(filter.and(no_foreign_trace));
    tracing_subscriber::registry().with(layer).init();
}
