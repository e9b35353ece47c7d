//! A page: one Markdown file (or `index.md` of a page bundle) with its front matter.

use std::path::{Path, PathBuf};

use super::front_matter::{self, Date, Elsewhere, PageFrontMatter};
use crate::problems::{Problem, Warnings};
use crate::slug::path_slug_by;

#[derive(Debug, Clone)]
pub struct Page {
    /// File relative to the site root (`content/notices/a.md`), for messages.
    pub file: PathBuf,
    /// Path relative to `content/` (`notices/a.md`), what `@/` links name.
    pub content_path: String,
    /// Folder of the section the page sits in, relative to `content/` (`notices`; `` for root).
    pub section_dir: String,
    pub meta: PageFrontMatter,
    /// Markdown body.
    pub raw: String,
    pub body_line: usize,
    /// The front matter as written and the line it starts on, for messages about its values.
    pub front_matter: String,
    pub front_matter_line: usize,
    /// Hashes of the front matter and of the whole file: what `serve` compares between builds.
    pub front_matter_hash: u64,
    pub source_hash: u64,
    pub slug: String,
    /// Site path: `/notices/a/`.
    pub path: String,
    /// Files beside a bundle's `index.md`, relative to the site root.
    pub assets: Vec<PathBuf>,
    /// For a bundle: its folder relative to the site root.
    pub bundle_dir: Option<PathBuf>,
    /// Set by the library: the owning section, its ancestors (root first) and neighbours.
    pub section: usize,
    pub ancestors: Vec<usize>,
    pub lower: Option<usize>,
    pub higher: Option<usize>,
    /// The language it is written in: `fr` for `a.fr.md` when the config has `[languages.fr]`;
    /// the site's default language otherwise (set by the library when empty).
    pub lang: String,
    /// The content path without the language (`blog/a.md` for `blog/a.fr.md`): pages with the
    /// same one are translations of each other.
    pub canonical: String,
    /// When the file was last changed, where the loader could tell: of two pages declaring the
    /// same id, the newer is the one being edited.
    pub modified: Option<std::time::SystemTime>,
}

impl Page {
    /// Parses a page from its text. `content_path` is relative to `content/`.
    /// Takes the file's text by value: the body is kept in place, not copied.
    pub fn parse(file: &Path, content_path: &str, text: String) -> Result<(Page, Warnings), Problem> {
        let (page, warnings, problems) =
            Self::parse_all(file, content_path, None, text, &Elsewhere::default())?;
        match problems.into_iter().min_by_key(|p| p.line) {
            Some(p) => Err(p),
            None => Ok((page, warnings)),
        }
    }

    /// Parses a page as far as it can be read: the page (with what its front matter could give),
    /// its warnings and every problem of its front matter. Only a file without a front matter
    /// block gives no page. `elsewhere` says where keys that are not page keys belong. `lang` is
    /// the language named in the file name (`fr` in `a.fr.md`), if it is not the default one.
    pub fn parse_all(
        file: &Path,
        content_path: &str,
        lang: Option<&str>,
        text: String,
        elsewhere: &Elsewhere,
    ) -> Result<(Page, Warnings, Vec<Problem>), Problem> {
        let split = front_matter::split(file, &text)?;
        let body_start = text.len() - split.body.len();
        let body_line = split.body_line;
        let front_matter_text = split.front_matter.to_string();
        let front_matter_line = split.front_matter_line;
        let front_matter_hash = xxhash_rust::xxh3::xxh3_64(split.front_matter.as_bytes());
        let source_hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        let (mut meta, warnings, mut problems) = PageFrontMatter::parse_all(file, &split, elsewhere);
        let canonical = match lang {
            Some(code) => without_language(content_path, code),
            None => content_path.to_string(),
        };
        let cp = Path::new(&canonical);
        let is_bundle = cp.file_name().is_some_and(|n| n == "index.md");
        let own_dir = cp.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
        let (section_dir, stem) = if is_bundle {
            let d = Path::new(&own_dir);
            let parent = d.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            let name = d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (parent, name)
        } else {
            let stem = cp.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (own_dir.clone(), stem)
        };
        // Zola: a `2026-12-09-name` file name gives the date and the slug `name` (unless
        // `slugify.paths_keep_dates`).
        let (file_date, dateless) = split_date_prefix(&stem);
        if meta.date.is_none() {
            meta.date = file_date;
        }
        let stem = if elsewhere.paths_keep_dates { stem.as_str() } else { dateless };
        let slugged = |name: &str| path_slug_by(name, elsewhere.slugify_paths);
        let slug = match meta.slug.as_deref().map(slugged) {
            Some(s) if s.is_empty() => {
                problems.push(Problem::at(file, split.key_line("slug"), crate::messages::empty_slug()));
                slugged(stem)
            }
            Some(s) => s,
            None => slugged(stem),
        };
        // A translation's address is under its language (`/fr/blog/a/`), unless `path` says.
        let language = lang.map(|code| format!("/{code}")).unwrap_or_default();
        let path = match &meta.path {
            Some(p) => normalize_path(p),
            None if section_dir.is_empty() => format!("{language}/{slug}/"),
            None => format!("{language}/{}/{slug}/", dir_path(&section_dir)),
        };
        let mut raw = text;
        raw.drain(..body_start);
        Ok((
            Page {
                file: file.to_path_buf(),
                content_path: content_path.to_string(),
                section_dir,
                meta,
                raw,
                body_line,
                front_matter: front_matter_text,
                front_matter_line,
                front_matter_hash,
                source_hash,
                slug,
                path,
                assets: Vec::new(),
                bundle_dir: is_bundle.then(|| file.parent().map(Path::to_path_buf).unwrap_or_default()),
                section: 0,
                ancestors: Vec::new(),
                lower: None,
                higher: None,
                lang: lang.unwrap_or_default().to_string(),
                canonical,
                modified: None,
            },
            warnings,
            problems,
        ))
    }

    pub fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or("")
    }

    pub fn date(&self) -> Option<&Date> {
        self.meta.date.as_ref()
    }
}

/// `blog/a.md` for `blog/a.fr.md`, `blog/_index.md` for `blog/_index.fr.md`.
pub fn without_language(content_path: &str, code: &str) -> String {
    match content_path.strip_suffix(&format!(".{code}.md")) {
        Some(stem) => format!("{stem}.md"),
        None => content_path.to_string(),
    }
}

/// The language a content file's name gives (`fr` for `a.fr.md`, `_index.fr.md`), as Zola reads
/// it: the part after the first dot of the name, when the site has other languages. `Ok(None)`
/// for the default language; `Err(code)` for a code the config does not declare.
pub fn language_in_name<'a>(
    content_path: &'a str,
    default: &str,
    others: &[&str],
) -> Result<Option<&'a str>, &'a str> {
    if others.is_empty() {
        return Ok(None);
    }
    let name = content_path.rsplit('/').next().unwrap_or(content_path);
    let Some(stem) = name.strip_suffix(".md") else { return Ok(None) };
    let Some((_, code)) = stem.split_once('.') else { return Ok(None) };
    if code == default {
        Ok(None)
    } else if others.contains(&code) {
        Ok(Some(code))
    } else {
        Err(code)
    }
}

/// URL form of a content folder path (`party-school/basics`): the folder names as they are, as
/// in Zola, which slugs a page's own name but not the folders of its sections
/// (`applying_page_template/` stays as it is; its `my_page.md` is `my-page/`).
pub fn dir_path(dir: &str) -> String {
    dir.split('/').filter(|c| !c.is_empty()).collect::<Vec<_>>().join("/")
}

/// `custom/path` → `/custom/path/`.
pub fn normalize_path(p: &str) -> String {
    let trimmed = p.trim().trim_matches('/');
    if trimmed.is_empty() { "/".into() } else { format!("/{trimmed}/") }
}

fn split_date_prefix(stem: &str) -> (Option<Date>, &str) {
    if stem.len() > 11 && stem.is_char_boundary(10) && stem.is_char_boundary(11) {
        let (d, rest) = stem.split_at(10);
        if rest.starts_with(['-', '_'])
            && let Some(date) = Date::parse(d)
        {
            return (Some(date), &rest[1..]);
        }
    }
    (None, stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(content_path: &str, text: &str) -> Page {
        Page::parse(&Path::new("content").join(content_path), content_path, text.to_string()).unwrap().0
    }

    #[test]
    fn path_comes_from_the_file_name() {
        let p = page("notices/Meeting Notice.md", "+++\ntitle = \"x\"\n+++\n");
        assert_eq!(p.path, "/notices/meeting-notice/");
        assert_eq!(p.section_dir, "notices");
    }

    #[test]
    fn the_name_is_slugged_and_the_section_folders_are_not_as_in_zola() {
        assert_eq!(page("party_school/my_page.md", "+++\n+++\n").path, "/party_school/my-page/");
        assert_eq!(page("themes/zola.386/index.md", "+++\n+++\n").path, "/themes/zola-386/");
    }

    #[test]
    fn bundle_path_comes_from_its_folder() {
        let p = page("life/trip/index.md", "+++\n+++\n");
        assert_eq!(p.path, "/life/trip/");
        assert_eq!(p.section_dir, "life");
        assert_eq!(p.bundle_dir.as_deref(), Some(Path::new("content/life/trip")));
    }

    #[test]
    fn slug_and_path_override() {
        assert_eq!(page("a/b.md", "+++\nslug = \"New Name\"\n+++\n").path, "/a/new-name/");
        assert_eq!(page("a/b.md", "+++\npath = \"about\"\n+++\n").path, "/about/");
    }

    #[test]
    fn date_prefix_gives_date_and_slug() {
        let p = page("notices/2026-12-01-dues.md", "+++\n+++\n");
        assert_eq!(p.path, "/notices/dues/");
        assert_eq!(p.date().unwrap().ymd(), "2026-12-01");
    }

    #[test]
    fn body_line_is_after_the_front_matter() {
        let p = page("a.md", "+++\ntitle = \"x\"\n+++\n学习党章\n");
        assert_eq!(p.body_line, 4);
        assert_eq!(p.raw, "学习党章\n");
    }

    #[test]
    fn no_file_text_makes_page_parsing_panic() {
        const PIECES: &[&str] = &[
            "+++",
            "\n",
            "title",
            " = ",
            "\"",
            "党",
            "date",
            "2026-12-09",
            "[extra]",
            "[taxonomies]",
            "slug",
            "path",
            "/",
            "é",
            "2026-13-45-",
            "-",
            "[",
            "]",
            "\r\n",
            "\u{feff}",
            "weight",
            "1",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut text = String::new();
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            for _ in 0..(state >> 59) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            if let Err(p) = Page::parse(Path::new("content/x.md"), "x.md", text.clone()) {
                assert!(p.line.is_some() || p.file.is_some(), "{p:?} for {text:?}");
            }
        }
    }
}
