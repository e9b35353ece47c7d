//! The files of `content/`: reading them, their names and places, courses, addresses.

use super::{Text, plural};

/// A file or folder of `content/` whose name is not ASCII.
pub fn non_ascii_name(name: &str, is_dir: bool, suggestion: &str) -> Text {
    let (kind, kind_zh) = if is_dir { ("folder", "文件夹") } else { ("file", "文件") };
    // What a link makes of the first such character, e.g. `%E9%80%9A` for 通.
    let encoded: String = name
        .chars()
        .find(|c| !c.is_ascii())
        .map(|c| c.to_string().bytes().map(|b| format!("%{b:02X}")).collect())
        .unwrap_or_default();
    Text::new(
        format!(
            "the {kind} name `{name}` is not ASCII: its address becomes hard to type and share ({encoded}… in links); rename it, e.g. to `{suggestion}`"
        ),
        format!(
            "{kind_zh}名 `{name}` 不是 ASCII（英文字母、数字）：它的网址不好输入，也不好分享（链接里会变成 {encoded}…）；请改个名字，例如 `{suggestion}`"
        ),
    )
}

/// A page in a folder without `_index.md`: as in Zola it is built but listed in no section.
pub fn page_outside_a_section(dir: &str) -> Text {
    Text::new(
        format!(
            "content/{dir}/ has no _index.md, so this page is built but listed in no section (as in Zola); add content/{dir}/_index.md to list it"
        ),
        format!(
            "content/{dir}/ 里没有 _index.md，所以这个页面会生成，但不在任何栏目的列表里（与 Zola 相同）；要列出它，请添加 content/{dir}/_index.md"
        ),
    )
}

/// A page without `weight` in a section sorted by weight.
pub fn missing_weight(section_file: &str, next: i64) -> Text {
    Text::new(
        format!(
            "no `weight`, but {section_file} sorts its pages by weight: this page is listed last; add `weight = {next}` (or the place it should have)"
        ),
        format!(
            "没有 `weight`，但 {section_file} 按 weight 给页面排序：这个页面会排在最后；请加上 `weight = {next}`（或者它应该排的位置）"
        ),
    )
}

/// Two pages of a weight-sorted section with the same weight.
pub fn same_weight(weight: i64, other: &str) -> Text {
    Text::new(
        format!(
            "`weight = {weight}` is also the weight of {other}: the two are ordered by file name; give each its own"
        ),
        format!(
            "`weight = {weight}` 和 {other} 的 weight 相同：这两个页面会按文件名排序；请给每个页面不同的 weight"
        ),
    )
}

/// A title numbered `第N课` in a section sorted by weight, at another place.
pub fn lesson_place(written: &str, place: usize) -> Text {
    Text::new(
        format!(
            "the title says `{written}` but the page is lesson {place} of its section (sorted by weight): correct the title or the `weight`"
        ),
        format!(
            "标题写的是 `{written}`，但这个页面是本栏目的第 {place} 课（按 weight 排序）：请改正标题或 `weight`"
        ),
    )
}

/// A count of lessons typed in a section's text that does not match its pages.
pub fn lesson_count(written: &str, pages: usize) -> Text {
    Text::new(
        format!(
            "the text says `{written}` but the section has {pages} page{}; the theme counts them itself (共 N 课), so correct or remove the number",
            plural(pages)
        ),
        format!(
            "正文写的是 `{written}`，但本栏目有 {pages} 个页面；主题会自己数课数（共 N 课），请改正或删掉这个数字"
        ),
    )
}

/// A site folder without `content/`.
pub fn no_content_folder(root: &str) -> Text {
    Text::new(format!("there is no content/ folder in {root}"), format!("{root} 里没有 content/ 文件夹"))
}

/// A folder that cannot be listed. `why` is the system's words.
pub fn cannot_read_folder(folder: &str, why: &str) -> Text {
    Text::new(format!("cannot read {folder}: {why}"), format!("无法读取 {folder}：{why}"))
}

/// A file that cannot be read (it is named by the problem's place). `why` is the system's words.
pub fn cannot_read_file(why: &str) -> Text {
    Text::new(format!("cannot read: {why}"), format!("无法读取：{why}"))
}

/// A site folder without a readable config.toml.
pub fn cannot_read_config(file: &str, why: &str) -> Text {
    Text::new(
        format!("cannot read {file}: {why} (is this a site folder? it needs a config.toml)"),
        format!("无法读取 {file}：{why}（这是网站的文件夹吗？网站文件夹里要有 config.toml）"),
    )
}

/// A file in a folder of `content/` that no page or section owns.
pub fn file_not_copied(dir: &str) -> Text {
    Text::new(
        format!("file is not copied: {dir} has no index.md or _index.md to own it"),
        format!("这个文件不会被复制：{dir} 里没有 index.md 或 _index.md 来包含它"),
    )
}

/// What wants an address of the site, for [`url_taken`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlOwner {
    /// A page or section file.
    File(String),
    /// An alias (`aliases`) of a page or section file.
    Alias(String),
    /// A taxonomy's list of terms.
    Taxonomy(String),
    /// A term of a taxonomy: (taxonomy, term).
    Term(String, String),
}

impl UrlOwner {
    fn words(&self) -> (String, String) {
        match self {
            UrlOwner::File(f) => (f.clone(), f.clone()),
            UrlOwner::Alias(f) => (format!("{f} (alias)"), format!("{f}（别名 aliases）")),
            UrlOwner::Taxonomy(t) => (format!("taxonomy `{t}`"), format!("分类 `{t}`")),
            UrlOwner::Term(t, term) => (format!("{t} term `{term}`"), format!("{t} 分类的 `{term}`")),
        }
    }
}

/// Two or more files (or aliases, taxonomies) that want one address.
pub fn url_taken(owners: &[UrlOwner], url: &str) -> Text {
    let (en, zh): (Vec<String>, Vec<String>) = owners.iter().map(UrlOwner::words).unzip();
    Text::new(
        format!(
            "{} all want the URL {url}; give one of them another file name, `slug` or `path`",
            en.join(" and ")
        ),
        format!("{} 都要使用网址 {url}；请给其中一个换文件名、`slug` 或 `path`", zh.join("、")),
    )
}

/// Two outputs on one path.
pub fn two_outputs(path: &str) -> Text {
    Text::new(
        format!("two outputs want {path}: a static file and a page, or two pages; rename one"),
        format!("有两个输出都要写到 {path}：一个静态文件和一个页面，或者两个页面；请给其中一个改名"),
    )
}
