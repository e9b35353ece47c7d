//! Themes, templates and the data files they read.

use super::{Text, did_you_mean};

/// Who reads a data file, for the messages about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    /// A template, by its file.
    Template(String),
    /// A shortcode, by its name.
    Shortcode(String),
    /// `schedule = "…"` of a page's `[extra.campaign]`.
    CampaignSchedule,
    /// `calendar = "…"` of a page's `[extra]`.
    YearCalendar,
}

impl Reader {
    fn words(&self) -> (String, String) {
        match self {
            Reader::Template(file) => (format!("the template {file}"), format!("模板 {file}")),
            Reader::Shortcode(name) => (format!("shortcode `{name}`"), format!("短代码 `{name}`")),
            Reader::CampaignSchedule => {
                ("[extra.campaign] `schedule`".into(), "[extra.campaign] 的 `schedule`".into())
            }
            Reader::YearCalendar => ("[extra] `calendar`".into(), "[extra] 的 `calendar`".into()),
        }
    }
}

/// `theme = "…"` without its folder.
pub fn theme_not_found(theme: &str) -> Text {
    Text::new(
        format!("theme `{theme}` not found: there is no themes/{theme}/ folder"),
        format!("找不到主题 `{theme}`：没有 themes/{theme}/ 文件夹"),
    )
}

/// A template that tera cannot parse. `detail` is tera's words.
pub fn template_syntax_error(detail: &str) -> Text {
    Text::new(format!("template syntax error: {detail}"), format!("模板语法错误：{detail}"))
}

/// Templates that cannot be put together (a missing parent, a missing macro file).
pub fn templates_error(detail: &str) -> Text {
    Text::new(format!("templates: {detail}"), format!("模板有误：{detail}"))
}

/// Rendering an output with a template failed. `location` is the template's file (and line).
pub fn render_failed(location: &str, detail: &str) -> Text {
    Text::new(
        format!("rendering with {location} failed: {detail}"),
        format!("用 {location} 渲染失败：{detail}"),
    )
}

/// A template the site needs that neither the site nor its theme has.
pub fn missing_template(name: &str) -> Text {
    Text::new(
        format!("needs the template `{name}`, which neither templates/ nor the theme has"),
        format!("需要模板 `{name}`，但 templates/ 和主题里都没有"),
    )
}

/// A data file a template, shortcode or schedule reads that does not exist.
pub fn missing_data_file(path: &str, reader: &Reader, suggestion: Option<&str>) -> Text {
    let (reader, reader_zh) = reader.words();
    let (dym, dym_zh) = did_you_mean(suggestion);
    Text::new(
        format!("the data file `{path}` does not exist ({reader} reads it){dym}"),
        format!("数据文件 `{path}` 不存在（{reader_zh} 要读取它）{dym_zh}"),
    )
}

/// A data file that exists but cannot be used; `why` says what is wrong.
pub fn bad_data_file(path: &str, reader: &Reader, why: &Text) -> Text {
    let (reader, reader_zh) = reader.words();
    Text::new(
        format!("the data file `{path}` ({reader} reads it) cannot be used: {}", why.en),
        format!("数据文件 `{path}`（{reader_zh} 要读取它）无法使用：{}", why.zh),
    )
}

/// Why a data file cannot be used: it cannot be read. `detail` is the system's words.
pub fn data_unreadable(detail: &str) -> Text {
    Text::new(detail.to_string(), format!("无法读取（{detail}）"))
}

/// Why a data file cannot be used: there is no such file.
pub fn data_no_such_file() -> Text {
    Text::new("there is no such file", "没有这个文件")
}

/// Why a data file cannot be used: its TOML, at (line, column) when known.
pub fn data_not_toml(at: Option<(usize, usize)>, detail: &str) -> Text {
    match at {
        Some((line, column)) => Text::new(
            format!("not valid TOML at line {line}, column {column}: {detail}"),
            format!("不是有效的 TOML（第 {line} 行第 {column} 列）：{detail}"),
        ),
        None => Text::new(format!("not valid TOML: {detail}"), format!("不是有效的 TOML：{detail}")),
    }
}

pub fn data_not_json(detail: &str) -> Text {
    Text::new(format!("not valid JSON: {detail}"), format!("不是有效的 JSON：{detail}"))
}

pub fn data_not_csv(detail: &str) -> Text {
    Text::new(format!("not valid CSV: {detail}"), format!("不是有效的 CSV：{detail}"))
}

/// Why a data file cannot be used: its YAML.
pub fn data_not_yaml(detail: &str) -> Text {
    Text::new(format!("not valid YAML: {detail}"), format!("不是有效的 YAML：{detail}"))
}

/// `load_data` asked for a format zhibu does not read (Zola's `xml` and `bibtex`, or a name that
/// is no format).
pub fn data_format_not_supported(format: &str) -> Text {
    Text::new(
        format!(
            "`load_data` cannot read the format `{format}`: zhibu reads `toml`, `json`, `csv`, `yaml` and `plain`"
        ),
        format!(
            "`load_data` 不能读取 `{format}` 格式：zhibu 能读取 `toml`、`json`、`csv`、`yaml` 和 `plain`"
        ),
    )
}
