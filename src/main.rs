//! `zhibu`: one binary for editors and the secretary. Wiring only; the work is in the libraries.

mod access_log;
mod cli;
mod cmd;
mod daily;
mod external_links;
mod health;
mod http_server;
mod progress;
mod site_host;
mod tls;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc keeps peak memory and time down on big sites: many threads allocate and free
/// short-lived strings and tree values at a high rate.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Build(args) => cmd::build::run(&args),
        cli::Command::Check(args) => cmd::check::run(&args),
        cli::Command::Serve(args) => cmd::serve::run(&args),
        cli::Command::Run(args) => cmd::run::run(&args),
        cli::Command::Members(cli::MembersCommand::Import(args)) => cmd::members::import(&args),
        cli::Command::Members(cli::MembersCommand::List(args)) => cmd::members::list(&args),
        cli::Command::Members(cli::MembersCommand::ResetCode(args)) => cmd::members::reset_code(&args),
        cli::Command::Members(cli::MembersCommand::Logout(args)) => cmd::members::logout(&args),
        cli::Command::Members(cli::MembersCommand::Remove(args)) => cmd::members::remove(&args),
        cli::Command::Members(cli::MembersCommand::Export(args)) => cmd::members::export(&args),
        cli::Command::Members(cli::MembersCommand::Stage(args)) => cmd::members::stage(&args),
        cli::Command::Admin(cli::AdminCommand::Purge(args)) => cmd::admin::purge(&args),
        cli::Command::Notes(cli::NotesCommand::Publish(args)) => cmd::notes::publish(&args),
        cli::Command::Report(cli::ReportCommand::Attendance(args)) => cmd::report::attendance(&args),
        cli::Command::Report(cli::ReportCommand::Copies(args)) => cmd::report::copies(&args),
        cli::Command::Report(cli::ReportCommand::Notes(args)) => cmd::report::notes(&args),
        cli::Command::Report(cli::ReportCommand::Reports(args)) => cmd::report::thought_reports(&args),
        cli::Command::Report(cli::ReportCommand::Joining(args)) => cmd::report::joining(&args),
        cli::Command::Report(cli::ReportCommand::Dues(args)) => cmd::report::dues(&args),
        cli::Command::Report(cli::ReportCommand::Review(args)) => cmd::report::review(&args),
        cli::Command::Report(cli::ReportCommand::Stats(args)) => cmd::report::stats(&args),
        cli::Command::Dues(cli::DuesCommand::Rate(args)) => cmd::dues::rate(&args),
        cli::Command::Dues(cli::DuesCommand::Record(args)) => cmd::dues::record(&args),
        cli::Command::Dues(cli::DuesCommand::Notify(args)) => cmd::dues::notify(&args),
        cli::Command::Admin(cli::AdminCommand::Init(args)) => cmd::admin::init(&args),
        cli::Command::Admin(cli::AdminCommand::Migrate(args)) => cmd::admin::migrate(&args),
        cli::Command::Admin(cli::AdminCommand::Backup(args)) => cmd::admin::backup(&args),
        cli::Command::Admin(cli::AdminCommand::Verify(args)) => cmd::admin::verify(&args),
        cli::Command::Admin(cli::AdminCommand::Restore(args)) => cmd::admin::restore(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A build error is already a numbered list; other errors print their chain.
            let error = progress::say(&zhibu_generator::messages::error_prefix()).to_string();
            if let Some(build) = e.downcast_ref::<zhibu_generator::BuildError>() {
                eprint!("{error}{build}");
            } else {
                eprintln!("{error}{e:#}");
            }
            ExitCode::FAILURE
        }
    }
}
