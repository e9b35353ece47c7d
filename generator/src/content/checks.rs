//! Warnings about how content is laid out, for mistakes that build but show wrong: file names
//! that are not ASCII, pages in folders without `_index.md`, lessons without `weight` in a
//! section sorted by weight, and counts of lessons typed by hand that do not match. Pure: the
//! library and the names of the files in, warnings out.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::front_matter::SortBy;
use super::library::Library;
use super::page::Page;
use crate::messages;
use crate::problems::{Problem, Warnings};
use crate::strict_toml::find_key_line;

/// Extensions of images, for the names suggested for them.
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "svg", "avif"];

/// Every file or folder of `content/` whose name is not ASCII (`content/notices/通知.md`), with
/// an ASCII name to use instead: the page's `slug` when it has one, else the ASCII left in the
/// name, else `page-1`, `image-1`, … numbered within the folder. `names` are relative to the site
/// root, with whether each is a folder.
pub fn names(names: &[(PathBuf, bool)], library: &Library) -> Warnings {
    let page_of: HashMap<&Path, &Page> = library.pages.iter().map(|p| (p.file.as_path(), p)).collect();
    let bundle_of: HashMap<&Path, &Page> =
        library.pages.iter().filter_map(|p| Some((p.bundle_dir.as_deref()?, p))).collect();
    let mut numbered: HashMap<(PathBuf, &str), usize> = HashMap::new();
    let mut warnings = Vec::new();
    for (rel, is_dir) in names {
        let Some(name) = rel.file_name().map(|n| n.to_string_lossy().into_owned()) else { continue };
        if name.is_ascii() {
            continue;
        }
        let path = Path::new(&name);
        let ext = if *is_dir { None } else { path.extension().map(|e| e.to_string_lossy().to_lowercase()) };
        let stem = if *is_dir {
            name.clone()
        } else {
            path.file_stem().map_or(String::new(), |s| s.to_string_lossy().into_owned())
        };
        let page = if *is_dir { bundle_of.get(rel.as_path()) } else { page_of.get(rel.as_path()) };
        let slug = page.and_then(|p| p.meta.slug.as_deref()).filter(|s| s.is_ascii() && !s.trim().is_empty());
        let kept: String =
            stem.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
        let kept = kept.trim_matches(['-', '_']);
        let base = match slug {
            Some(s) => crate::slug::path_slug(s),
            None if kept.chars().any(|c| c.is_ascii_alphabetic()) => kept.to_ascii_lowercase(),
            None => {
                let kind = match ext.as_deref() {
                    None if library.sections.iter().any(|s| s.file.parent() == Some(rel.as_path())) => {
                        "section"
                    }
                    None | Some("md") => "page",
                    Some(e) if IMAGE_EXTENSIONS.contains(&e) => "image",
                    Some(_) => "file",
                };
                let folder = rel.parent().map(Path::to_path_buf).unwrap_or_default();
                let n = numbered.entry((folder, kind)).or_insert(0);
                *n += 1;
                // Keep a date prefix: it still gives the page its date.
                let date = (stem.len() > 11 && stem.is_char_boundary(11))
                    .then(|| &stem[..11])
                    .filter(|d| {
                        d[..10].chars().all(|c| c.is_ascii_digit() || c == '-') && d.ends_with(['-', '_'])
                    })
                    .unwrap_or("");
                format!("{date}{kind}-{n}")
            }
        };
        let suggestion = match &ext {
            Some(e) => format!("{base}.{e}"),
            None => base,
        };
        let message = messages::non_ascii_name(&name, *is_dir, &suggestion);
        warnings.push(if *is_dir || ext.as_deref() != Some("md") {
            Problem::in_file(rel, message)
        } else {
            Problem::at(rel, 1, message)
        });
    }
    warnings
}

/// Pages in a folder without `_index.md`: they join the list of the nearest section above, or
/// no list at all. Bundles (`index.md`) are pages of the folder above theirs and are fine.
pub fn places(library: &Library) -> Warnings {
    let mut warnings = Vec::new();
    for page in &library.pages {
        let section = &library.sections[page.section];
        if section.dir == page.section_dir {
            continue;
        }
        warnings.push(Problem::at(&page.file, 1, messages::page_outside_a_section(&page.section_dir)));
    }
    warnings
}

/// Sections sorted by weight (courses, `ordered = true` in the theme): a page without `weight`
/// (listed last), two pages with the same weight, a title numbered `第N课` that is not the
/// page's place, and a count of lessons typed in the section's text (`共六课`) that is not the
/// number of its pages.
pub fn ordered_sections(library: &Library) -> Warnings {
    let mut warnings = Vec::new();
    for (i, section) in library.sections.iter().enumerate() {
        warnings.extend(lesson_counts(library, i));
        if section.meta.sort_by != SortBy::Weight {
            continue;
        }
        let own: Vec<&Page> =
            section.pages.iter().map(|p| &library.pages[*p]).filter(|p| p.section == i).collect();
        let next = own.iter().filter_map(|p| p.meta.weight).max().unwrap_or(0) + 1;
        let mut seen: HashMap<i64, &Page> = HashMap::new();
        for (place, page) in own.iter().enumerate() {
            let Some(weight) = page.meta.weight else {
                let message = messages::missing_weight(&section.file.display().to_string(), next);
                warnings.push(Problem::at(&page.file, page.front_matter_line, message));
                continue;
            };
            if let Some(other) = seen.insert(weight, page) {
                let line = key_line(page, "weight");
                warnings.push(Problem::at(
                    &page.file,
                    line,
                    messages::same_weight(weight, &other.file.display().to_string()),
                ));
            }
            if let Some((written, n)) = lesson_number(page.title())
                && n != place + 1
            {
                let line = key_line(page, "title");
                warnings.push(Problem::at(&page.file, line, messages::lesson_place(&written, place + 1)));
            }
        }
    }
    warnings
}

fn key_line(page: &Page, key: &str) -> usize {
    find_key_line(&page.front_matter, key).map_or(page.front_matter_line, |l| page.front_matter_line + l - 1)
}

/// `第六课` at the start of a title: as written, and its number.
fn lesson_number(title: &str) -> Option<(String, usize)> {
    let rest = title.trim_start().strip_prefix('第')?;
    let digits: String =
        rest.chars().take_while(|c| numeral_value(*c).is_some() || c.is_ascii_digit()).collect();
    let after = rest[digits.len()..].trim_start();
    if !after.starts_with('课') {
        return None;
    }
    Some((format!("第{digits}课"), parse_number(&digits)?))
}

/// Counts of lessons written in a section's description and body (`共六课`, `共 6 课`, `这六课`)
/// that are not the number of pages it lists.
fn lesson_counts(library: &Library, i: usize) -> Warnings {
    let section = &library.sections[i];
    let pages = section.pages.len();
    if !section.from_file || pages == 0 {
        return Vec::new();
    }
    let mut warnings = Vec::new();
    let description_line = find_key_line(&section.front_matter, "description")
        .map_or(section.front_matter_line, |l| section.front_matter_line + l - 1);
    let texts = [
        (section.meta.description.as_deref().unwrap_or(""), None),
        (section.raw.as_str(), Some(section.body_line)),
    ];
    for (text, body_line) in texts {
        for (offset, written, n) in lesson_count_phrases(text) {
            if n == pages {
                continue;
            }
            let line = match body_line {
                Some(first) => first + text[..offset].matches('\n').count(),
                None => description_line,
            };
            warnings.push(Problem::at(&section.file, line, messages::lesson_count(&written, pages)));
        }
    }
    warnings
}

/// `共六课`-like phrases of `text`: (byte offset, as written, the number).
fn lesson_count_phrases(text: &str) -> Vec<(usize, String, usize)> {
    let mut found = Vec::new();
    for (at, c) in text.char_indices() {
        if !matches!(c, '共' | '这' | '的' | '全') {
            continue;
        }
        let rest = &text[at + c.len_utf8()..];
        let spaced = rest.trim_start_matches(' ');
        let digits: String =
            spaced.chars().take_while(|c| numeral_value(*c).is_some() || c.is_ascii_digit()).collect();
        if digits.is_empty() {
            continue;
        }
        let after = &spaced[digits.len()..];
        if !after.trim_start_matches(' ').starts_with('课') {
            continue;
        }
        let Some(n) = parse_number(&digits) else { continue };
        // `这一课` is "this lesson", not a count.
        if c != '共' && n < 2 {
            continue;
        }
        let end = rest.len() - after.trim_start_matches(' ').len() + '课'.len_utf8();
        found.push((at, format!("{c}{}", &rest[..end]), n));
    }
    found
}

fn numeral_value(c: char) -> Option<usize> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        '百' => 100,
        _ => return None,
    })
}

/// `六` → 6, `十二` → 12, `二十三` → 23, `一百零五` → 105, `12` → 12.
fn parse_number(text: &str) -> Option<usize> {
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    let mut total = 0;
    let mut digit: Option<usize> = None;
    for c in text.chars() {
        match numeral_value(c)? {
            unit @ (10 | 100) => {
                total += digit.unwrap_or(1) * unit;
                digit = None;
            }
            d => digit = Some(d),
        }
    }
    Some(total + digit.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_are_read() {
        for (text, n) in [
            ("六", 6),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("一百零五", 105),
            ("两", 2),
            ("12", 12),
        ] {
            assert_eq!(parse_number(text), Some(n), "{text}");
        }
    }

    #[test]
    fn counts_of_lessons_are_found_but_not_places_or_this_lesson() {
        let found = lesson_count_phrases(
            "本课程共六课，建议学好这 3 课。第六课讲誓词，这一课很短，“三会一课”要记住。",
        );
        let phrases: Vec<(&str, usize)> = found.iter().map(|(_, w, n)| (w.as_str(), *n)).collect();
        assert_eq!(phrases, [("共六课", 6), ("这 3 课", 3)]);
    }

    #[test]
    fn a_lesson_number_is_read_from_the_title() {
        assert_eq!(lesson_number("第二课 党的组织原则"), Some(("第二课".into(), 2)));
        assert_eq!(lesson_number("党的组织原则"), None);
        assert_eq!(lesson_number("第二章"), None);
    }
}
