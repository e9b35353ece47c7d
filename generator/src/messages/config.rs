//! config.toml: its settings and the `[search]` table.

use super::Text;

/// A `[markdown.highlighting] style` that is neither `inline` nor `class`.
pub fn highlighting_style(style: &str) -> Text {
    Text::new(
        format!(
            "`markdown.highlighting.style = \"{style}\"`: the style is `\"inline\"` (styles in the page) or `\"class\"` (CSS classes and a `giallo.css`)"
        ),
        format!(
            "`markdown.highlighting.style = \"{style}\"`：样式只能是 `\"inline\"`（样式写在页面里）或 `\"class\"`（用 CSS 类，另外生成 `giallo.css`）"
        ),
    )
}

/// `[markdown.highlighting]` without a theme.
pub fn highlighting_theme_missing() -> Text {
    Text::new(
        "`[markdown.highlighting]` needs a `theme` (or a `light_theme` and a `dark_theme`), e.g. `theme = \"github-light\"`",
        "`[markdown.highlighting]` 需要 `theme`（或者 `light_theme` 和 `dark_theme`），例如 `theme = \"github-light\"`",
    )
}

/// A highlighting theme that giallo does not have.
pub fn highlighting_theme_unknown(key: &str, theme: &str) -> Text {
    Text::new(
        format!(
            "`markdown.highlighting.{key} = \"{theme}\"`: there is no such theme (Zola's documentation lists them, e.g. `github-light`, `github-dark`, `catppuccin-latte`)"
        ),
        format!(
            "`markdown.highlighting.{key} = \"{theme}\"`：没有这个主题（Zola 的文档里有主题列表，例如 `github-light`、`github-dark`、`catppuccin-latte`）"
        ),
    )
}

/// An `extra_grammars` or `extra_themes` file that could not be read.
pub fn highlighting_files(why: &str) -> Text {
    Text::new(
        format!("`markdown.highlighting`: a grammar or theme could not be loaded: {why}"),
        format!("`markdown.highlighting`：语法或主题文件加载失败：{why}"),
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
