//! config.toml: its settings and the `[search]` table.

use super::Text;

pub fn highlighting_style(style: &str) -> Text {
    Text::new(
        format!(
            "`markdown.highlighting.style = \"{style}\"`: zhibu always highlights with CSS classes, never inline styles"
        ),
        format!("`markdown.highlighting.style = \"{style}\"`：zhibu 总是用 CSS 类来高亮代码，不用行内样式"),
    )
}

/// A setting of the wrong type. `detail` is the parser's words.
pub fn invalid_configuration(detail: &str) -> Text {
    Text::new(format!("invalid configuration: {detail}"), format!("配置有误：{detail}"))
}

pub fn base_url_required() -> Text {
    Text::new(
        "`base_url` is required, e.g. base_url = \"https://dangzhibu.example.edu.cn\"",
        "缺少 `base_url`，例如 base_url = \"https://dangzhibu.example.edu.cn\"",
    )
}

/// The `number`th taxonomy (from 1) without a name.
pub fn taxonomy_without_name(number: usize) -> Text {
    Text::new(
        format!("taxonomy #{number} has an empty `name`"),
        format!("第 {number} 个分类（taxonomy）的 `name` 是空的"),
    )
}

pub fn taxonomy_paginate_by(name: &str) -> Text {
    Text::new(
        format!("taxonomy `{name}`: `paginate_by` must be at least 1"),
        format!("分类 `{name}`：`paginate_by` 至少要是 1"),
    )
}

/// A pattern of `ignored_content` that is not a glob. `detail` is the glob library's words.
pub fn bad_glob(pattern: &str, detail: &str) -> Text {
    Text::new(
        format!("`ignored_content`: `{pattern}` is not a valid glob: {detail}"),
        format!("`ignored_content`：`{pattern}` 不是有效的通配符（glob）：{detail}"),
    )
}

pub fn bad_globs(detail: &str) -> Text {
    Text::new(format!("`ignored_content`: {detail}"), format!("`ignored_content` 有误：{detail}"))
}

pub fn exclude_paginated_pages() -> Text {
    Text::new(
        "`exclude_paginated_pages_in_sitemap` must be \"none\" or \"all\"",
        "`exclude_paginated_pages_in_sitemap` 只能是 \"none\" 或 \"all\"",
    )
}

/// `search.<key>` that should be a flag.
pub fn search_flag(key: &str) -> Text {
    Text::new(format!("`search.{key}` must be true or false"), format!("`search.{key}` 只能是 true 或 false"))
}

pub fn search_truncate_length() -> Text {
    Text::new(
        "`search.truncate_content_length` must be a number of characters",
        "`search.truncate_content_length` 必须是字符的个数（一个整数）",
    )
}

pub fn search_index_format() -> Text {
    Text::new(
        "`search.index_format` must be \"elasticlunr_javascript\", \"elasticlunr_json\", \"fuse_javascript\" or \"fuse_json\"",
        "`search.index_format` 只能是 \"elasticlunr_javascript\"、\"elasticlunr_json\"、\"fuse_javascript\" 或 \"fuse_json\"",
    )
}

pub fn search_unknown_setting(key: &str, known: &[&str]) -> Text {
    let list = known.join(", ");
    Text::new(
        format!("unknown setting `search.{key}`; known: {list}"),
        format!("未知的设置 `search.{key}`；可用的有：{list}"),
    )
}

/// The search index wants a path the site already has.
pub fn search_output_taken(path: &str) -> Text {
    Text::new(
        format!(
            "the search index wants {path}, which the site already has (a page or a static file): move that one"
        ),
        format!("搜索索引要写到 {path}，但网站已经有这个文件（一个页面或静态文件）：请把那个文件移走"),
    )
}

/// `markdown.external_links_class` with a quotation mark, which would break the HTML.
pub fn external_links_class_quotes(class: &str) -> Text {
    Text::new(
        format!("`markdown.external_links_class` cannot contain quotation marks: `{class}`"),
        format!("`markdown.external_links_class` 里不能有引号：`{class}`"),
    )
}
