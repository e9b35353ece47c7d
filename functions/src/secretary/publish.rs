//! Publishing approved study notes as Markdown pages: `zhibu notes publish` writes one file per
//! approved note into the site's content (党员生活 by default), so the editors' next commit puts
//! it on the static site. The note stays text: every character that Markdown, HTML or a
//! shortcode could read as markup is escaped.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::catalog::Catalog;
use crate::domain::NoteStatus;
use crate::store::{MemberStore, Note, NoteStore};

/// The file of a note: by date and id, so publishing twice writes nothing new.
pub fn file_name(note: &Note) -> String {
    format!("note-{}-{}.md", note.at.format("%Y%m%d"), &note.id[..note.id.len().min(12)])
}

/// Plain text as Markdown that renders as exactly that text: ASCII punctuation is
/// backslash-escaped, and the characters that open HTML, entities or shortcodes become entities.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A TOML basic string. TOML's escapes are a superset of JSON's, so JSON's quoting is exact.
fn toml_escape(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The page for one note: front matter with its author, date and source page.
pub fn page(note: &Note, author: &str, source_title: &str) -> String {
    let title = format!("学习心得：{source_title}");
    let date: DateTime<FixedOffset> = note.at;
    // Leading spaces and tabs would make an indented code block of a paragraph: they go (the
    // ideographic space U+3000 that indents Chinese paragraphs stays; Markdown ignores it).
    let body = note.body.replace("\r\n", "\n");
    let paragraphs: Vec<String> = body
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(|l| escape_text(l.trim_end().trim_start_matches([' ', '\t'])))
                .collect::<Vec<_>>()
                .join("  \n")
        })
        .filter(|p| !p.trim().is_empty())
        .collect();
    format!(
        "+++\ntitle = {}\ndate = {}\n\n[taxonomies]\ncategories = [\"学习心得\"]\n\n[extra.note]\nauthor = {}\nsource_page = {}\nsource_title = {}\nnote_id = {}\n+++\n\n{}\n",
        toml_escape(&title),
        date.to_rfc3339(),
        toml_escape(author),
        toml_escape(&note.page),
        toml_escape(source_title),
        toml_escape(&note.id),
        paragraphs.join("\n\n"),
    )
}

/// What a publish did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Published {
    pub written: Vec<PathBuf>,
    pub already: usize,
}

/// Writes every approved note not yet in `folder` (created if missing).
pub async fn approved_notes(
    store: &(impl MemberStore + NoteStore + ?Sized),
    catalog: &Catalog,
    folder: &Path,
) -> anyhow::Result<Published> {
    use anyhow::Context as _;
    std::fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))?;
    let names: std::collections::HashMap<String, String> =
        store.members().await?.into_iter().map(|m| (m.member.id.to_string(), m.member.name)).collect();
    let mut result = Published::default();
    for note in store.notes_with_status(NoteStatus::Approved).await? {
        let path = folder.join(file_name(&note));
        if path.exists() {
            result.already += 1;
            continue;
        }
        let author = names.get(note.member_id.as_str()).cloned().unwrap_or_else(|| "支部党员".into());
        let source =
            catalog.note_pages.get(&note.page).map(|p| p.title.clone()).unwrap_or_else(|| note.page.clone());
        let tmp = path.with_extension("md.tmp");
        std::fs::write(&tmp, page(&note, &author, &source))
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
        result.written.push(path);
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_stays_text() {
        assert_eq!(escape_text("<script>alert(1)</script>"), "&lt;script&gt;alert\\(1\\)&lt;\\/script&gt;");
        assert_eq!(
            escape_text("# 标题 *强调* {{ qr() }}"),
            "\\# 标题 \\*强调\\* &#123;&#123; qr\\(\\) &#125;&#125;"
        );
        assert_eq!(escape_text("学习党章，体会深刻。"), "学习党章，体会深刻。");
    }

    #[test]
    fn indented_paragraphs_stay_paragraphs() {
        let note = Note {
            id: "n1".into(),
            page: "/theory/constitution/".into(),
            member_id: crate::domain::MemberId::parse("m001").unwrap(),
            body: "    第一段缩进了四个空格。\r\n\r\n\t第二段用了制表符。\n\u{3000}\u{3000}第三行全角缩进。"
                .into(),
            status: crate::domain::NoteStatus::Approved,
            at: DateTime::parse_from_rfc3339("2026-12-09T10:00:00+08:00").unwrap(),
            flagged_words: vec![],
            review_reason: None,
            reviewed_by: None,
            reviewed_at: None,
        };
        let text = page(&note, "张三", "学习党章");
        let body = text.split("+++\n\n").nth(1).unwrap();
        assert_eq!(
            body,
            "第一段缩进了四个空格。\n\n第二段用了制表符。  \n\u{3000}\u{3000}第三行全角缩进。\n"
        );
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_escape("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
