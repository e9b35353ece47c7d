//! A section: a folder of `content/` with an `_index.md`.

use std::path::{Path, PathBuf};

use super::front_matter::{self, Elsewhere, SectionFrontMatter};
use super::page::dir_path;
use crate::problems::{Problem, Warnings};

#[derive(Debug, Clone)]
pub struct Section {
    pub file: PathBuf,
    /// `notices/_index.md`; `_index.md` for the home page.
    pub content_path: String,
    /// Folder relative to `content/` (`notices`; `` for the root).
    pub dir: String,
    pub meta: SectionFrontMatter,
    pub raw: String,
    pub body_line: usize,
    /// Hashes of the front matter and of the whole file: what `serve` compares between builds.
    pub front_matter_hash: u64,
    pub source_hash: u64,
    /// `/notices/`; `/` for the root.
    pub path: String,
    /// Colocated files (images beside `_index.md`), relative to the site root.
    pub assets: Vec<PathBuf>,
    /// Set by the library: direct pages (sorted), subsections, parent.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    pub parent: Option<usize>,
    /// False for a folder without `_index.md` that zhibu stands in for (only the root).
    pub from_file: bool,
    /// The front matter as written and the line it starts on, for messages about its values.
    pub front_matter: String,
    pub front_matter_line: usize,
    /// Its language, as a page's ([`super::Page::lang`]).
    pub lang: String,
}

impl Section {
    /// Takes the file's text by value: the body is kept in place, not copied.
    pub fn parse(file: &Path, content_path: &str, text: String) -> Result<(Section, Warnings), Problem> {
        let (section, warnings, problems) =
            Self::parse_all(file, content_path, None, text, &Elsewhere::default())?;
        match problems.into_iter().min_by_key(|p| p.line) {
            Some(p) => Err(p),
            None => Ok((section, warnings)),
        }
    }

    /// Parses a section as far as it can be read, like [`super::Page::parse_all`].
    pub fn parse_all(
        file: &Path,
        content_path: &str,
        lang: Option<&str>,
        text: String,
        elsewhere: &Elsewhere,
    ) -> Result<(Section, Warnings, Vec<Problem>), Problem> {
        let split = front_matter::split(file, &text)?;
        let body_start = text.len() - split.body.len();
        let body_line = split.body_line;
        let front_matter_hash = xxhash_rust::xxh3::xxh3_64(split.front_matter.as_bytes());
        let source_hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        let front_matter = split.front_matter.to_string();
        let front_matter_line = split.front_matter_line;
        let (meta, warnings, problems) = SectionFrontMatter::parse_all(file, &split, elsewhere);
        let dir = Path::new(content_path)
            .parent()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let mut raw = text;
        raw.drain(..body_start);
        Ok((
            Section {
                file: file.to_path_buf(),
                content_path: content_path.to_string(),
                path: match lang {
                    Some(code) => format!("/{code}{}", section_path(&dir)),
                    None => section_path(&dir),
                },
                dir,
                meta,
                raw,
                body_line,
                front_matter_hash,
                source_hash,
                assets: Vec::new(),
                pages: Vec::new(),
                subsections: Vec::new(),
                parent: None,
                from_file: true,
                front_matter,
                front_matter_line,
                lang: lang.unwrap_or_default().to_string(),
            },
            warnings,
            problems,
        ))
    }

    /// The home section when `content/_index.md` is missing; `lang` for another language's home
    /// (`/fr/`, when `content/_index.fr.md` is missing).
    pub fn default_root(lang: Option<&str>) -> Section {
        let (content_path, path) = match lang {
            Some(code) => (format!("_index.{code}.md"), format!("/{code}/")),
            None => ("_index.md".to_string(), "/".to_string()),
        };
        Section {
            file: PathBuf::from("content").join(&content_path),
            content_path,
            dir: String::new(),
            meta: SectionFrontMatter::default(),
            raw: String::new(),
            body_line: 1,
            front_matter_hash: 0,
            source_hash: 0,
            path,
            assets: Vec::new(),
            pages: Vec::new(),
            subsections: Vec::new(),
            parent: None,
            from_file: false,
            front_matter: String::new(),
            front_matter_line: 2,
            lang: lang.unwrap_or_default().to_string(),
        }
    }

    pub fn is_root(&self) -> bool {
        self.dir.is_empty()
    }

    pub fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or("")
    }
}

fn section_path(dir: &str) -> String {
    if dir.is_empty() { "/".into() } else { format!("/{}/", dir_path(dir)) }
}
