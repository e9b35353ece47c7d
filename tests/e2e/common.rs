//! Helpers shared by the end-to-end tests: fixture sites copied into a temporary folder and the
//! real `zhibu` binary run on them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub fn fixture(name: &str) -> Site {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&src, dir.path());
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    /// The catalog the last build wrote for the functions (beside the output, never in it).
    pub fn read_catalog(&self) -> String {
        let path = self.root().join(".zhibu/zhibu-catalog.json");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
    }

    pub fn read_out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("reading public/{rel}: {e}"))
    }

    pub fn zhibu(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_zhibu"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env_remove("ZHIBU_LANG")
            .output()
            .expect("run zhibu");
        Run::from(output)
    }

    pub fn build(&self) -> Run {
        self.zhibu(&["build"])
    }
}

pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            success: o.status.success(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> Run {
        assert!(self.success, "zhibu failed:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn failed(self) -> Run {
        assert!(!self.success, "zhibu should have failed:\n{}", self.stderr);
        self
    }
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir(src) {
        let rel = entry.strip_prefix(src).expect("inside");
        let target = dst.join(rel);
        if entry.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            std::fs::copy(&entry, &target).expect("copy");
        }
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            out.push(p.clone());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every file under `dir` with its bytes, sorted by relative path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            (p.strip_prefix(dir).expect("inside").display().to_string(), std::fs::read(&p).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// A plain HTTP/1.1 request to a local server: (status, body).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    json_body: Option<&str>,
) -> (u16, String) {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(std::time::Duration::from_secs(20))).expect("timeout");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(t) = token {
        head.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    let body = json_body.unwrap_or("");
    if json_body.is_some() {
        head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send");
    stream.write_all(body.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// A running `zhibu serve`, stopped when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Site {
    /// Starts `zhibu serve` on a free port with its data under `data`.
    pub fn serve(&self, data: &Path) -> Server {
        self.serve_with(data, &[])
    }

    /// `zhibu serve` with these environment variables (e.g. ZHIBU_STORE=dynamodb:…).
    pub fn serve_with(&self, data: &Path, env: &[(&str, &str)]) -> Server {
        use std::io::BufRead as _;
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhibu"))
            .args(["serve", "--port", "0", "--quiet", "--root"])
            .arg(self.root())
            .arg("--data")
            .arg(data)
            .env_remove("ZHIBU_STORE")
            .env_remove("ZHIBU_BLOBS")
            .env_remove("ZHIBU_TOKEN_SECRET")
            .env_remove("ZHIBU_LANG")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start zhibu serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line).expect("read the serving line");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// Runs `zhibu` with arguments of its own (no `--root`).
    pub fn zhibu_plain(&self, args: &[&std::ffi::OsStr]) -> Run {
        self.zhibu_with(args, &[])
    }

    /// Runs `zhibu` with arguments of its own and these environment variables.
    pub fn zhibu_with(&self, args: &[&std::ffi::OsStr], env: &[(&str, &str)]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_zhibu"))
            .args(args)
            .current_dir(self.root())
            .env_remove("ZHIBU_STORE")
            .env_remove("ZHIBU_BLOBS")
            .env_remove("ZHIBU_LANG")
            .envs(env.iter().copied())
            .output()
            .expect("run zhibu");
        Run::from(output)
    }
}

impl Site {
    /// `zhibu members import ROSTER --codes CODES --data DATA` with this roster text.
    pub fn import_roster(&self, roster: &str, codes: &str, data: &Path) -> Run {
        self.write("roster.csv", roster);
        self.zhibu_plain(&[
            std::ffi::OsStr::new("members"),
            std::ffi::OsStr::new("import"),
            std::ffi::OsStr::new("roster.csv"),
            std::ffi::OsStr::new("--codes"),
            std::ffi::OsStr::new(codes),
            std::ffi::OsStr::new("--data"),
            data.as_os_str(),
        ])
    }

    /// The (id, code) pairs of a codes file, which must be UTF-8 with a BOM.
    pub fn codes(&self, file: &str) -> Vec<(String, String)> {
        let text = std::fs::read_to_string(self.root().join(file)).expect("codes file");
        assert!(text.starts_with('\u{feff}'), "UTF-8 with BOM for Excel and WPS");
        text.trim_start_matches('\u{feff}')
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[0].to_string(), f[2].to_string())
            })
            .collect()
    }
}
