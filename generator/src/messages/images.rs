//! Images: `resize_image` and `get_image_metadata`.

use super::Text;

/// An image a template asks for that is nowhere zhibu looks.
pub fn image_not_found(function: &str, path: &str) -> Text {
    Text::new(
        format!(
            "`{function}`: there is no image `{path}` (looked in the site folder, static/, content/, the output folder and the theme's static/)"
        ),
        format!(
            "`{function}`：找不到图片 `{path}`（已在网站目录、static/、content/、输出目录和主题的 static/ 中查找）"
        ),
    )
}

/// An image path that leads out of the site folder.
pub fn image_outside_site(function: &str, path: &str) -> Text {
    Text::new(
        format!("`{function}`: `{path}` is outside the site folder"),
        format!("`{function}`：`{path}` 在网站目录之外"),
    )
}

/// An image file that cannot be read or is not an image zhibu knows.
pub fn image_unreadable(function: &str, path: &str, detail: &str) -> Text {
    Text::new(
        format!("`{function}`: cannot read the image `{path}`: {detail}"),
        format!("`{function}`：无法读取图片 `{path}`：{detail}"),
    )
}

/// A `resize_image` argument that is missing or of the wrong kind.
pub fn image_bad_argument(name: &str, expected: &str) -> Text {
    Text::new(
        format!("`resize_image`: `{name}` must be {expected}"),
        format!(
            "`resize_image`：`{name}` 必须是{}",
            match expected {
                "a string" => "字符串",
                "a boolean" => "布尔值（true 或 false）",
                _ => "非负整数",
            }
        ),
    )
}

/// An `op` that `resize_image` does not have.
pub fn image_bad_op(op: &str) -> Text {
    Text::new(
        format!(
            "`resize_image`: there is no op `{op}`; use `scale`, `fit_width`, `fit_height`, `fit` or `fill`"
        ),
        format!(
            "`resize_image`：没有 `{op}` 这种 op；可用 `scale`、`fit_width`、`fit_height`、`fit` 或 `fill`"
        ),
    )
}

/// An `op` called without the width or height it needs.
pub fn image_op_needs(op: &str, needs: &str) -> Text {
    let zh = match needs {
        "width" => "`width`",
        "height" => "`height`",
        _ => "`width` 和 `height`",
    };
    let en = match needs {
        "width" | "height" => format!("a `{needs}`"),
        _ => "a `width` and a `height`".to_string(),
    };
    Text::new(format!("`resize_image`: op `{op}` needs {en}"), format!("`resize_image`：op `{op}` 需要 {zh}"))
}

/// A `format` that `resize_image` cannot write.
pub fn image_bad_format(format: &str) -> Text {
    Text::new(
        format!("`resize_image`: cannot write the format `{format}`; use `auto`, `jpg`, `png` or `webp`"),
        format!("`resize_image`：不能输出 `{format}` 格式；可用 `auto`、`jpg`、`png` 或 `webp`"),
    )
}

/// A `quality` out of the format's range.
pub fn image_bad_quality(format: &str, quality: u64, min: u8, max: u8) -> Text {
    Text::new(
        format!("`resize_image`: quality for {format} must be from {min} to {max}; {quality} is not"),
        format!("`resize_image`：{format} 的 quality 必须在 {min} 到 {max} 之间，{quality} 不行"),
    )
}

/// An image that could not be resized after the pages were rendered.
pub fn image_process_failed(path: &str, detail: &str) -> Text {
    Text::new(
        format!("cannot resize the image `{path}`: {detail}"),
        format!("无法缩放图片 `{path}`：{detail}"),
    )
}

/// A template whose `resize_image` or `get_image_metadata` failed, at `location` (the
/// template's file and line).
pub fn image_failed(location: &str, why: &Text) -> Text {
    Text::new(
        format!("rendering with {location} failed: {}", why.en),
        format!("用 {location} 渲染失败：{}", why.zh),
    )
}

/// A shortcode whose `resize_image` or `get_image_metadata` failed.
pub fn image_failed_in_shortcode(name: &str, template: &str, why: &Text) -> Text {
    Text::new(
        format!("shortcode `{name}` failed in {template}: {}", why.en),
        format!("短代码 `{name}` 在 {template} 中出错：{}", why.zh),
    )
}
