//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "zhibu", version, about = "支部 — the branch's site generator and tools")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Run every check of a build (front matter, links, templates) without writing anything.
    Check(CheckArgs),
    /// Build, serve on 127.0.0.1 and rebuild and reload the browser on every change.
    Serve(ServeArgs),
    /// The branch roster: members and their access codes.
    #[command(subcommand)]
    Members(MembersCommand),
    /// Administration of the configured store and blobs.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create what the configured store and blobs need (safe to run again).
    Init(InitArgs),
    /// Copy every record (and photo) from one store to another, then compare both by counts
    /// and checksums. Safe to run again after an interruption.
    Migrate(MigrateArgs),
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The store to read: sqlite:<path> or dynamodb:<table>.
    #[arg(long, value_name = "STORE")]
    pub from: String,
    /// The store to write: sqlite:<path> or dynamodb:<table> (created if missing).
    #[arg(long, value_name = "STORE")]
    pub to: String,
    /// The photos to read: dir:<path> or s3:<bucket>[/prefix].
    #[arg(long, value_name = "BLOBS", requires = "blobs_to")]
    pub blobs_from: Option<String>,
    /// The photos to write: dir:<path> or s3:<bucket>[/prefix] (the bucket is created if missing).
    #[arg(long, value_name = "BLOBS", requires = "blobs_from")]
    pub blobs_to: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for local data (the embedded store, photos) when ZHIBU_STORE / ZHIBU_BLOBS are not set.
    #[arg(long, default_value = ".zhibu")]
    pub data: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// Import a roster CSV (id,name,role; more columns kept as profile fields). New members get
    /// fresh access codes, written once to the codes file; re-importing never resets a code.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The roster: a CSV with the columns id,name,role.
    pub roster: PathBuf,
    /// Where to write the new members' codes (id,name,code); must not exist yet.
    #[arg(long)]
    pub codes: PathBuf,
    /// Folder for local data (the embedded store) when ZHIBU_STORE is not set.
    #[arg(long, default_value = ".zhibu")]
    pub data: PathBuf,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder (holding config.toml, content/, themes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include pages and sections marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Print only warnings and errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder; defaults to `output_dir` of config.toml (public) under the site folder.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Use this base URL instead of config.toml's.
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Interface to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub interface: String,
    /// Folder for local data (the embedded store, uploaded photos).
    #[arg(long, default_value = ".zhibu")]
    pub data: PathBuf,
}
