//! Sass: the theme's and the site's `sass/` compiled to CSS.

use super::Text;

/// The Sass compiler's error, quoted as it comes (the place is the problem's file and line).
pub fn sass_error(detail: &str) -> Text {
    Text::new(format!("Sass error: {detail}"), format!("Sass 编译出错：{detail}"))
}

/// A Sass file's `@warn`, quoted as it comes.
pub fn sass_warn(detail: &str) -> Text {
    Text::new(format!("Sass `@warn`: {detail}"), format!("Sass 的 `@warn`：{detail}"))
}

/// Two Sass files of one `sass/` folder that compile to the same CSS file.
pub fn sass_same_output(first: &str, second: &str, css: &str) -> Text {
    Text::new(
        format!("`{first}` and `{second}` both compile to `{css}`: rename or remove one"),
        format!("`{first}` 和 `{second}` 都会编译成 `{css}`：请改名或删掉其中一个"),
    )
}
