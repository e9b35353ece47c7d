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
    /// The production server on one machine: build once (or serve a built folder), then serve
    /// the site and the API — compressed, cached, logged, optionally over TLS — with the daily
    /// location purge; stops gracefully on SIGTERM.
    Run(RunArgs),
    /// The branch roster: members and their access codes.
    #[command(subcommand)]
    Members(MembersCommand),
    /// Administration of the configured store and blobs.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Study notes: publish the approved ones as pages of the site.
    #[command(subcommand)]
    Notes(NotesCommand),
    /// Reports for the college, as CSV (UTF-8 with BOM, for Excel and WPS) or XLSX.
    #[command(subcommand)]
    Report(ReportCommand),
    /// The dues ledger (党费): set a member's monthly amount, record a payment made to the
    /// branch, remind the group (counts only).
    #[command(subcommand)]
    Dues(DuesCommand),
}

#[derive(Debug, Subcommand)]
pub enum DuesCommand {
    /// Set a member's monthly amount from a month on, in fen or from their after-tax monthly
    /// wage by the 2008 table (0 exempts); replaces one set for the same month.
    Rate(DuesRateArgs),
    /// Record a payment made to the branch (cash at a meeting): confirmed at once.
    Record(DuesRecordArgs),
    /// Post a reminder to the branch's group chat through its webhook: how many are behind and
    /// how many payments wait — counts only, never a name or an amount.
    Notify(DuesNotifyArgs),
}

#[derive(Debug, Args)]
pub struct DuesRateArgs {
    /// The member's id.
    pub id: String,
    /// The first month the amount applies to, e.g. 2026-01.
    #[arg(long)]
    pub from: String,
    /// The monthly amount in fen (20 = 0.20 yuan, the student rate; 0 exempts).
    #[arg(long, required_unless_present = "wage", conflicts_with = "wage")]
    pub fen: Option<u32>,
    /// The after-tax monthly wage in yuan: the amount follows the 2008 table (0.5% up to 3000,
    /// 1% up to 5000, 1.5% up to 10000, 2% above).
    #[arg(long)]
    pub wage: Option<u32>,
    /// A short note kept with the amount (at most 200 characters).
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct DuesRecordArgs {
    /// The member's id.
    pub id: String,
    /// The months the payment covers, comma-separated: 2026-10,2026-11 (at most 12).
    #[arg(long, value_delimiter = ',', required = true)]
    pub months: Vec<String>,
    /// The amount paid, in fen (40 = 0.40 yuan).
    #[arg(long, allow_negative_numbers = true)]
    pub fen: i64,
    /// How it was paid: cash, wechat, bank or host (at the host organisation).
    #[arg(long)]
    pub method: String,
    /// A short note kept with the payment (at most 200 characters).
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct DuesNotifyArgs {
    /// The group robot's webhook URL (a secret; default: ZHIBU_DUES_WEBHOOK).
    #[arg(long)]
    pub webhook: Option<String>,
    /// The chat the webhook belongs to: wecom (企业微信) or feishu (飞书).
    #[arg(long, default_value = "wecom", value_parser = ["wecom", "feishu"])]
    pub style: String,
    /// Print the message without sending it.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Subcommand)]
pub enum NotesCommand {
    /// Write every approved note not yet published as a Markdown page (author, date and source
    /// page in the front matter), for the editors to commit.
    Publish(PublishArgs),
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The content folder to write into (党员生活 by default).
    #[arg(long, default_value = "content/life")]
    pub to: PathBuf,
    /// The catalog, for the source pages' titles (default: ZHIBU_CATALOG or .zhibu/zhibu-catalog.json).
    #[arg(long)]
    pub catalog: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Each event opening between two dates: who signed in, when, where (coarsely), who did not.
    Attendance(AttendanceArgs),
    /// A copy campaign: each member's days done, one column per day.
    Copies(CopiesArgs),
    /// The study notes with their status and review.
    Notes(NotesReportArgs),
    /// A quarter's thought reports (思想汇报): each person who writes them, in roster order —
    /// missing, submitted or read, when, how many comments.
    Reports(ThoughtReportsArgs),
    /// The joining record (发展党员纪实): each person on the road, in roster order — stage,
    /// contact persons, latest milestone, next step, probation end, missing reports, warnings.
    Joining(JoiningReportArgs),
    /// The dues ledger (党费台账) of a year: each member who pays dues, in roster order — the
    /// monthly amount, each month's state, the months and amount in arrears, months behind.
    Dues(DuesReportArgs),
    /// A democratic review round (民主评议党员): each participant, in roster order — self-assessment
    /// submitted or not, how many peer opinions (never their content), outcome and feedback.
    Review(ReviewReportArgs),
    /// Counts only (participation per event, campaign progress in bands; no names), as JSON for
    /// the site's statistics page.
    Stats(StatsArgs),
}

#[derive(Debug, Args)]
pub struct DuesReportArgs {
    /// The year, e.g. 2026 (default: this year, Beijing time).
    #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub year: Option<i32>,
    #[command(flatten)]
    pub out: ReportOut,
}

#[derive(Debug, Args)]
pub struct ReviewReportArgs {
    /// The review round's id, as declared in `[extra.review]` (e.g. 2026-review).
    #[arg(long)]
    pub review: String,
    #[command(flatten)]
    pub out: ReportOut,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Where the site reads it (replaced).
    #[arg(long, default_value = "data/stats.json")]
    pub output: PathBuf,
    /// The catalog of events and campaigns (default: ZHIBU_CATALOG or .zhibu/zhibu-catalog.json).
    #[arg(long)]
    pub catalog: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct ReportOut {
    /// csv or xlsx.
    #[arg(long, default_value = "csv", value_parser = ["csv", "xlsx"])]
    pub format: String,
    /// The file to write (must not exist yet); CSV goes to stdout without it.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// The catalog of events and campaigns (default: ZHIBU_CATALOG or .zhibu/zhibu-catalog.json).
    #[arg(long)]
    pub catalog: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct AttendanceArgs {
    /// First day (YYYY-MM-DD) of events to include, by the day they open.
    #[arg(long)]
    pub from: chrono::NaiveDate,
    /// Last day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub to: chrono::NaiveDate,
    #[command(flatten)]
    pub out: ReportOut,
}

#[derive(Debug, Args)]
pub struct CopiesArgs {
    /// The campaign's id, e.g. constitution-100.
    #[arg(long)]
    pub campaign: String,
    #[command(flatten)]
    pub out: ReportOut,
}

#[derive(Debug, Args)]
pub struct NotesReportArgs {
    /// Only notes with this status: pending, approved or rejected.
    #[arg(long, value_parser = ["pending", "approved", "rejected"])]
    pub status: Option<String>,
    #[command(flatten)]
    pub out: ReportOut,
}

#[derive(Debug, Args)]
pub struct ThoughtReportsArgs {
    /// The quarter, e.g. 2026Q4 (default: the current quarter, Beijing time).
    #[arg(long)]
    pub quarter: Option<String>,
    #[command(flatten)]
    pub out: ReportOut,
}

#[derive(Debug, Args)]
pub struct JoiningReportArgs {
    #[command(flatten)]
    pub out: ReportOut,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create what the configured store and blobs need (safe to run again).
    Init(InitArgs),
    /// Remove sign-in locations older than the retention period (what the scheduled function does on AWS).
    Purge(PurgeArgs),
    /// Copy every record (and photo) from one store to another, then compare both by counts
    /// and checksums. Safe to run again after an interruption.
    Migrate(MigrateArgs),
    /// Copy the embedded store (SQLite's online backup) and the photos into a new folder while
    /// the server keeps running, with a manifest of counts and checksums.
    Backup(BackupArgs),
    /// Check a backup folder: integrity, checksum, counts, every photo present.
    Verify(VerifyArgs),
    /// Restore a backup into a data folder that has no store yet (the backup is verified first).
    Restore(RestoreArgs),
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new (or empty) folder to write the backup into, e.g. /var/backups/zhibu/2026-12-01.
    #[arg(long, value_name = "DIR")]
    pub to: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The backup folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup folder.
    #[arg(long, value_name = "DIR")]
    pub from: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
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
pub struct PurgeArgs {
    /// Days a location is kept (default: ZHIBU_LOCATION_RETENTION_DAYS, or 180).
    #[arg(long)]
    pub days: Option<u32>,
    #[command(flatten)]
    pub data: DataArgs,
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
    /// The roster in its order, with each member's last activity.
    List(ListArgs),
    /// Give a member a new access code (written once to the codes file; the old one stops working).
    ResetCode(ResetCodeArgs),
    /// End every session of a member at once (a lost phone): their logins stop working
    /// everywhere; their access code stays.
    Logout(LogoutArgs),
    /// Remove a member from the roster; with --erase also delete all their records and photos.
    Remove(RemoveArgs),
    /// Everything the branch holds about a member, as JSON (and their photos into a folder).
    Export(ExportArgs),
    /// A member's joining record (发展党员纪实): record a milestone with its date, remove one
    /// recorded by mistake, or (with neither) show the timeline, next step and warnings.
    Stage(StageArgs),
}

#[derive(Debug, Args)]
pub struct StageArgs {
    /// The member's id.
    pub id: String,
    /// The milestone to record, by key (activist) or Chinese name (确定为积极分子).
    #[arg(long, requires = "date", conflicts_with = "remove")]
    pub milestone: Option<String>,
    /// The day it happened (YYYY-MM-DD; not in the future).
    #[arg(long, requires = "milestone")]
    pub date: Option<String>,
    /// A short note kept with the milestone.
    #[arg(long, requires = "milestone")]
    pub note: Option<String>,
    /// Remove a milestone recorded by mistake (key or Chinese name).
    #[arg(long, value_name = "MILESTONE")]
    pub remove: Option<String>,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct DataArgs {
    /// Folder for local data (the embedded store, photos) when ZHIBU_STORE / ZHIBU_BLOBS are not set.
    #[arg(long, default_value = ".zhibu")]
    pub data: PathBuf,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Write CSV (UTF-8 with BOM, for Excel and WPS) to stdout instead of a table.
    #[arg(long)]
    pub csv: bool,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct ResetCodeArgs {
    /// The member's id.
    pub id: String,
    /// Where to write the new code (id,name,code); must not exist yet.
    #[arg(long)]
    pub codes: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The member's id.
    pub id: String,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The member's id.
    pub id: String,
    /// Also delete every sign-in, note, copy, quiz answer and photo of theirs (PIPL erasure).
    #[arg(long)]
    pub erase: bool,
    /// Confirm an --erase (it cannot be undone).
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The member's id.
    pub id: String,
    /// The JSON file to write (must not exist yet).
    #[arg(long)]
    pub output: PathBuf,
    /// A folder to copy the member's photos into (created; must be empty or missing).
    #[arg(long)]
    pub photos: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
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
    /// Where to write the catalog for the functions (events, campaigns, quiz rounds with their
    /// answer keys); never inside the output folder. Default: .zhibu/zhibu-catalog.json under the
    /// site folder.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Also fetch every link to another site (as `zola check` does): broken ones are errors, or
    /// warnings with `[link_checker] external_level = "warn"`. Good answers are kept a day in
    /// .zhibu/external-links.json.
    #[arg(long)]
    pub external: bool,
    /// Seconds to wait for each external link's answer.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=120))]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Serve this folder, built before with `zhibu build`, instead of building the site at
    /// start (the catalog is then read from ZHIBU_CATALOG, <data>/zhibu-catalog.json or the
    /// build's .zhibu/zhibu-catalog.json under --root).
    #[arg(long = "site", value_name = "DIR")]
    pub built: Option<PathBuf>,
    /// Build with this base URL instead of config.toml's (the address members open).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Interface to listen on (0.0.0.0 for every interface; 127.0.0.1 behind a proxy on the same machine).
    #[arg(long, default_value = "127.0.0.1")]
    pub interface: String,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Folder for local data (the embedded store, photos, the token secret).
    #[arg(long, default_value = ".zhibu")]
    pub data: PathBuf,
    /// TLS certificate chain (PEM), e.g. Let's Encrypt's fullchain.pem; read again on SIGHUP.
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM) of the certificate.
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Also answer HTTPS-only headers (HSTS) although this server speaks plain HTTP: a proxy in
    /// front of it terminates TLS.
    #[arg(long)]
    pub behind_https: bool,
    /// A reverse proxy's address whose X-Forwarded-For / Forwarded name the client (repeatable);
    /// from anyone else those headers are ignored.
    #[arg(long = "trusted-proxy", value_name = "IP")]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// When the daily jobs run (the location purge), HH:MM in China time.
    #[arg(long, default_value = "03:30")]
    pub daily_at: String,
    /// /api/health fails when the data folder's file system has less free space than this, in MB.
    #[arg(long, default_value_t = 512)]
    pub min_free_mb: u64,
    /// How long requests in flight get to finish after SIGTERM, in seconds.
    #[arg(long, default_value_t = 10)]
    pub grace: u64,
    /// No access log on stdout.
    #[arg(long)]
    pub no_access_log: bool,
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
