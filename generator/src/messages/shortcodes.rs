//! Shortcode calls in Markdown: their syntax, their names, their templates.

use super::{Text, listed};

/// A shortcode name that no template has.
pub fn unknown_shortcode(name: &str, suggestion: Option<&str>, known: &[String]) -> Text {
    let (list, list_zh) = listed(known);
    match suggestion {
        Some(s) => Text::new(
            format!(
                "unknown shortcode `{name}`: did you mean `{s}`? The shortcodes of this site are: {list}"
            ),
            format!("未知的短代码 `{name}`：您是不是想写 `{s}`？本站的短代码有：{list_zh}"),
        ),
        None => Text::new(
            format!("unknown shortcode `{name}`: the shortcodes of this site are: {list}"),
            format!("未知的短代码 `{name}`：本站的短代码有：{list_zh}"),
        ),
    }
}

/// `{{ name(…)` without `}}` (or `{% name(…)` without `%}`).
pub fn shortcode_not_closed(name: &str, close: &str) -> Text {
    Text::new(
        format!("shortcode `{name}` is not closed with `{close}`"),
        format!("短代码 `{name}` 没有用 `{close}` 结束"),
    )
}

/// `{% name(…) %}` without `{% end %}`.
pub fn shortcode_without_end(name: &str) -> Text {
    Text::new(
        format!("shortcode `{name}` with a body has no `{{% end %}}`"),
        format!("带正文的短代码 `{name}` 缺少 `{{% end %}}`"),
    )
}

pub fn shortcode_missing_paren(name: &str) -> Text {
    Text::new(format!("shortcode `{name}`: missing `)`"), format!("短代码 `{name}`：缺少 `)`"))
}

pub fn shortcode_argument_name(name: &str) -> Text {
    Text::new(
        format!("shortcode `{name}`: expected an argument name such as key=\"value\""),
        format!("短代码 `{name}`：这里应该是参数名，例如 key=\"value\""),
    )
}

pub fn shortcode_argument_value(name: &str, key: &str) -> Text {
    Text::new(
        format!("shortcode `{name}`: argument `{key}` needs a value: {key}=\"...\""),
        format!("短代码 `{name}`：参数 `{key}` 需要一个值：{key}=\"...\""),
    )
}

pub fn shortcode_after_argument(name: &str, key: &str) -> Text {
    Text::new(
        format!("shortcode `{name}`: expected `,`, a space, the next argument or `)` after argument `{key}`"),
        format!("短代码 `{name}`：参数 `{key}` 后面应该是 `,`、空格、下一个参数或 `)`"),
    )
}

pub fn shortcode_string_not_closed(name: &str, key: &str) -> Text {
    Text::new(
        format!("shortcode `{name}`: the string of `{key}` is not closed"),
        format!("短代码 `{name}`：`{key}` 的字符串没有结束（缺少后面的引号）"),
    )
}

pub fn shortcode_list_separator(name: &str, key: &str) -> Text {
    Text::new(
        format!("shortcode `{name}`: expected `,` or `]` in `{key}`"),
        format!("短代码 `{name}`：`{key}` 的列表里这里应该是 `,` 或 `]`"),
    )
}

pub fn shortcode_bad_value(name: &str, key: &str, word: &str) -> Text {
    Text::new(
        format!(
            "shortcode `{name}`: `{key}` has an invalid value `{word}` (use \"text\", a number, true/false or [a, b])"
        ),
        format!("短代码 `{name}`：`{key}` 的值 `{word}` 无效（请用 \"文字\"、数字、true/false 或 [a, b]）"),
    )
}

/// Text in prose that starts like a shortcode call but is not one (`reason` says why): shown as
/// it is written, as Zola does.
pub fn shortcode_kept_as_text(reason: &Text) -> Text {
    Text::new(
        format!(
            "{}; so this is shown as text, not run as a shortcode (to show a shortcode on purpose, write {{{{/* name(...) */}}}})",
            reason.en()
        ),
        format!(
            "{}；因此这段文字会原样显示，不会作为短代码运行（若要特意显示短代码，请写成 {{{{/* name(...) */}}}}）",
            reason.zh()
        ),
    )
}

/// A shortcode's template failed. `detail` is the template engine's words.
pub fn shortcode_failed(name: &str, template: &str, detail: &str) -> Text {
    Text::new(
        format!("shortcode `{name}` failed in {template}: {detail}"),
        format!("短代码 `{name}` 在 {template} 中出错：{detail}"),
    )
}

/// A shortcode in text given to the `markdown` filter of a template.
pub fn shortcode_in_markdown_filter(name: &str) -> Text {
    Text::new(
        format!("shortcode `{name}` cannot be used in the markdown filter; put it in a content file"),
        format!("短代码 `{name}` 不能用在 markdown 过滤器里；请把它写在内容文件中"),
    )
}
