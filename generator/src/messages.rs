//! What the checks added for editors (issue 19) say, in one place, grouped by kind: the words
//! only, no logic beyond putting the parts together. The checks decide *whether* and *where*; a
//! catalogue of messages in other languages can take these functions over one for one.
//!
//! The style is the generator's: the fact first, quoting what the editor wrote in backticks, then
//! what to do; "did you mean" when a close name exists.

/// `; did you mean `x`?` when there is a suggestion, else nothing.
fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default()
}

fn listed(names: &[String]) -> String {
    if names.is_empty() { "none".to_string() } else { names.join(", ") }
}

// --- Front matter: unknown keys, full-width punctuation, TOML errors --------------------------

/// A key that belongs under `[taxonomies]`.
pub fn key_is_a_taxonomy(noun: &str, key: &str) -> String {
    format!(
        "unknown {noun} `{key}`: `{key}` is a taxonomy and goes under [taxonomies]: put a line `[taxonomies]` after the other keys and `{key} = [\"…\"]` below it"
    )
}

/// A key the theme or the catalog reads from `[extra]`, or a table it reads as `header`
/// (`[extra.signin]`, `[[extra.quiz]]`).
pub fn key_belongs_in_extra(noun: &str, key: &str, header: Option<&str>) -> String {
    if let Some(header) = header {
        format!("unknown {noun} `{key}`: it is read from {header}: write the line `{header}` above its keys")
    } else {
        format!(
            "unknown {noun} `{key}`: the theme reads it from [extra]: put a line `[extra]` after the other keys and `{key} = …` below it"
        )
    }
}

/// A key close to a known one (`tittle` → `title`).
pub fn key_did_you_mean(noun: &str, key: &str, suggestion: &str, place: Option<&str>) -> String {
    match place {
        Some(place) => {
            format!("unknown {noun} `{key}`; did you mean `{suggestion}`? (it goes under {place})")
        }
        None => format!("unknown {noun} `{key}`; did you mean `{suggestion}`?"),
    }
}

/// A page key written below `[extra]` or `[taxonomies]`, where it is not the page's.
pub fn key_under_wrong_table(key: &str, table: &str) -> String {
    format!(
        "`{key}` is written under [{table}], so it is not the page's `{key}`: move the line above the `[{table}]` line"
    )
}

/// Full-width punctuation from a Chinese keyboard where TOML needs ASCII. `fixed` is the line
/// as it should be.
pub fn full_width(what: &str, found: char, column: usize, fixed: &str) -> String {
    let kind = match found {
        '“' | '”' | '＂' => "a Chinese (full-width) quotation mark: TOML needs the ASCII `\"`",
        '‘' | '’' | '＇' => "a Chinese (full-width) quotation mark: TOML needs the ASCII `\"` (or `'`)",
        '：' => "a full-width colon: TOML writes `key = value` with an ASCII `=`",
        '＝' => "a full-width equals sign: TOML needs the ASCII `=`",
        '，' | '、' => "a full-width comma: TOML separates values with the ASCII `,`",
        '【' | '】' | '［' | '］' => "a full-width bracket: TOML needs the ASCII `[` and `]`",
        '｛' | '｝' => "a full-width brace: TOML needs the ASCII `{` and `}`",
        '　' => "a full-width space: TOML needs an ASCII space",
        _ => "full-width punctuation: TOML needs ASCII punctuation",
    };
    format!(
        "{what} at column {column}: `{found}` is {kind} (switch the keyboard to English punctuation); write `{}`",
        fixed.trim()
    )
}

/// A TOML syntax or type error, with its column when known.
pub fn toml_error(what: &str, column: Option<usize>, message: &str) -> String {
    match column {
        Some(c) => format!("{what} at column {c}: {message}"),
        None => format!("{what}: {message}"),
    }
}

/// A taxonomy a page uses that config.toml does not declare.
pub fn taxonomy_not_declared(name: &str, declared: &[&str], suggestion: Option<&str>) -> String {
    let declared = if declared.is_empty() { "none".to_string() } else { declared.join(", ") };
    match suggestion {
        Some(s) => format!(
            "taxonomy `{name}` is not declared in config.toml (declared: {declared}); did you mean `{s}`? Or add {{ name = \"{name}\" }} to `taxonomies`"
        ),
        None => format!(
            "taxonomy `{name}` is not declared in config.toml (declared: {declared}); add {{ name = \"{name}\" }} to `taxonomies`"
        ),
    }
}

/// A value of the wrong type for a known key (the table gives no position: the key's line).
pub fn wrong_type(key: &str, message: &str) -> String {
    format!("invalid front matter: `{key}`: {message}")
}

// --- Names and places of content files -------------------------------------------------------

/// A file or folder of `content/` whose name is not ASCII.
pub fn non_ascii_name(name: &str, is_dir: bool, suggestion: &str) -> String {
    let kind = if is_dir { "folder" } else { "file" };
    // What a link makes of the first such character, e.g. `%E9%80%9A` for 通.
    let encoded: String = name
        .chars()
        .find(|c| !c.is_ascii())
        .map(|c| c.to_string().bytes().map(|b| format!("%{b:02X}")).collect())
        .unwrap_or_default();
    format!(
        "the {kind} name `{name}` is not ASCII: its address becomes hard to type and share ({encoded}… in links); rename it, e.g. to `{suggestion}`"
    )
}

/// A page in a folder without `_index.md`.
pub fn page_outside_a_section(dir: &str, listed_in: Option<(&str, &str)>) -> String {
    match listed_in {
        Some((file, title)) => format!(
            "content/{dir}/ has no _index.md, so this page is listed in {file} ({title}); add content/{dir}/_index.md to give the folder a list of its own"
        ),
        None => format!(
            "content/{dir}/ has no _index.md and no folder above it has one, so this page is in no list; add content/{dir}/_index.md"
        ),
    }
}

/// A page without `weight` in a section sorted by weight.
pub fn missing_weight(section_file: &str, next: i64) -> String {
    format!(
        "no `weight`, but {section_file} sorts its pages by weight: this page is listed last; add `weight = {next}` (or the place it should have)"
    )
}

/// Two pages of a weight-sorted section with the same weight.
pub fn same_weight(weight: i64, other: &str) -> String {
    format!(
        "`weight = {weight}` is also the weight of {other}: the two are ordered by file name; give each its own"
    )
}

/// A title numbered `第N课` in a section sorted by weight, at another place.
pub fn lesson_place(written: &str, place: usize) -> String {
    format!(
        "the title says `{written}` but the page is lesson {place} of its section (sorted by weight): correct the title or the `weight`"
    )
}

/// A count of lessons typed in a section's text that does not match its pages.
pub fn lesson_count(written: &str, pages: usize) -> String {
    format!(
        "the text says `{written}` but the section has {pages} page{}; the theme counts them itself (共 N 课), so correct or remove the number",
        if pages == 1 { "" } else { "s" }
    )
}

// --- Links and images ------------------------------------------------------------------------

/// An `@/` link to a content file that does not exist.
pub fn broken_content_link(target: &str, path: &str, suggestion: Option<&str>) -> String {
    format!(
        "broken internal link `@/{target}`: there is no content/{path}{}",
        did_you_mean(suggestion.map(|s| format!("@/{s}")).as_deref())
    )
}

/// A link to an address of the site that nothing is published at.
pub fn broken_link(url: &str, suggestion: Option<&str>, content_hint: Option<&str>) -> String {
    let hint = match content_hint {
        Some(c) => format!("; to link a content file write `@/{c}`"),
        None => String::new(),
    };
    format!(
        "broken link `{url}`: the site has no page or file at that address{}{hint}",
        did_you_mean(suggestion)
    )
}

/// A link to a file (a document, a download) that does not exist. `looked` says where it was
/// expected.
pub fn missing_linked_file(url: &str, looked: &str, suggestion: Option<&str>) -> String {
    format!("broken link `{url}`: there is no {looked}{}", did_you_mean(suggestion))
}

/// A link whose page exists but has no such anchor.
pub fn broken_link_anchor(url: &str, anchor: &str, headings: &[String]) -> String {
    format!(
        "broken anchor `{url}`: no heading with the id `{anchor}` there (headings there: {})",
        listed(headings)
    )
}

/// An image whose file does not exist. `looked` says where it was expected.
pub fn missing_image(src: &str, looked: &str, suggestion: Option<&str>) -> String {
    format!("image `{src}` does not exist: there is no {looked}{}", did_you_mean(suggestion))
}

/// The hint for an image beside a page that is not a bundle.
pub fn image_needs_a_bundle(page_file: &str, bundle: &str) -> String {
    format!(
        "(only a page bundle has files beside it: move {page_file} to {bundle}/index.md and the image into {bundle}/, or put the image in static/ and write its path from there, starting with `/`)"
    )
}

// --- Shortcodes ------------------------------------------------------------------------------

/// A shortcode name that no template has.
pub fn unknown_shortcode(name: &str, suggestion: Option<&str>, known: &[String]) -> String {
    match suggestion {
        Some(s) => format!(
            "unknown shortcode `{name}`: did you mean `{s}`? The shortcodes of this site are: {}",
            listed(known)
        ),
        None => format!("unknown shortcode `{name}`: the shortcodes of this site are: {}", listed(known)),
    }
}

// --- Data files ------------------------------------------------------------------------------

/// A data file a template reads (`load_data`) that does not exist.
pub fn missing_data_file(path: &str, reader: &str, suggestion: Option<&str>) -> String {
    format!("the data file `{path}` does not exist ({reader} reads it){}", did_you_mean(suggestion))
}

/// A data file that exists but cannot be read as its format.
pub fn bad_data_file(path: &str, reader: &str, why: &str) -> String {
    format!("the data file `{path}` ({reader} reads it) cannot be used: {why}")
}

// --- Campaign schedules ----------------------------------------------------------------------

/// How a schedule's rows disagree with their campaign. `campaign` names it with its page.
pub fn schedule_row_count(rows: usize, campaign: &str, days: u32) -> String {
    format!(
        "the schedule has {rows} day{} but {campaign} lasts {days} days: give every day one `[[days]]` row, or change `days` of the campaign",
        if rows == 1 { "" } else { "s" }
    )
}

pub fn schedule_day_number(found: &str, expected: usize) -> String {
    format!("`day = {found}` where day {expected} comes next: number the rows 1, 2, 3 … in order")
}

pub fn schedule_date_outside(day: usize, date: &str, campaign: &str, first: &str, last: &str) -> String {
    format!("day {day} is dated {date}, outside {campaign} ({first} to {last})")
}

pub fn schedule_date_wrong(day: usize, date: &str, expected: &str, starts: &str) -> String {
    format!(
        "day {day} is dated {date} but falls on {expected} (the campaign starts {starts}); the site finds today's row by its day"
    )
}

pub fn schedule_date_missing(day: usize) -> String {
    format!("day {day} has no `date`: write the date of that day, e.g. date = 2026-09-01")
}

pub fn schedule_kind(day: usize, kind: &str, known: &[&str], suggestion: Option<&str>) -> String {
    let kinds = known.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ");
    match suggestion {
        Some(s) => format!(
            "day {day}: `kind = \"{kind}\"` is not a kind of schedule day; did you mean \"{s}\"? (the kinds are {kinds})"
        ),
        None => {
            format!("day {day}: `kind = \"{kind}\"` is not a kind of schedule day; the kinds are {kinds}")
        }
    }
}

pub fn schedule_no_days(campaign: &str) -> String {
    format!("the schedule of {campaign} has no `[[days]]` rows")
}

/// Names a campaign and the page that declares it, for the messages above.
pub fn campaign_named(id: &str, page: &str) -> String {
    format!("campaign `{id}` ({page})")
}

// --- Catalog ---------------------------------------------------------------------------------

/// An id declared by two pages; `other` is the page that declared it too.
pub fn declared_twice(kind: &str, id: &str, other: &str) -> String {
    format!("{kind} id `{id}` is declared twice: also in {other}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggestion_is_added_only_when_there_is_one() {
        assert_eq!(
            unknown_shortcode("sigin", Some("signin"), &["note".into(), "signin".into()]),
            "unknown shortcode `sigin`: did you mean `signin`? The shortcodes of this site are: note, signin"
        );
        assert_eq!(
            unknown_shortcode("x", None, &[]),
            "unknown shortcode `x`: the shortcodes of this site are: none"
        );
    }

    #[test]
    fn full_width_names_the_character_and_the_fix() {
        let m = full_width("invalid front matter", '“', 9, "title = \"学习\"\n");
        assert!(
            m.starts_with("invalid front matter at column 9: `“` is a Chinese (full-width) quotation mark"),
            "{m}"
        );
        assert!(m.ends_with("write `title = \"学习\"`"), "{m}");
    }
}
