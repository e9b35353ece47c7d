//! The readable text of a page's rendered body: its blocks (paragraphs, list items, cells,
//! headings) as plain text, without markup, scripts, forms, code blocks or anything marked
//! `data-search-ignore` (or Pagefind's `data-pagefind-ignore`).

/// What a block is, for ranking: a match in the title counts most, then headings and the
/// description, then the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Body = 0,
    Heading = 1,
    Title = 2,
}

/// Elements whose content is not prose a reader searches for.
const SKIPPED: &[&str] = &[
    "script", "style", "template", "noscript", "svg", "math", "form", "button", "select", "textarea", "pre",
    "iframe", "canvas", "audio", "video", "object",
];

/// Elements that end a block of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "nav",
    "blockquote",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "caption",
    "figure",
    "figcaption",
    "details",
    "summary",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

const VOID: &[&str] =
    &["br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "embed", "source", "track"];

/// The blocks of text of an HTML fragment, in order, with whitespace collapsed.
pub fn blocks(html: &str) -> Vec<(Field, String)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut field = Field::Body;
    // The element being skipped and how deep in elements of its name we are.
    let mut skipping: Option<(String, usize)> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skipping.is_none() {
                decode_into(rest, &mut text);
            }
            break;
        };
        if skipping.is_none() {
            decode_into(&rest[..lt], &mut text);
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name.is_empty() {
            continue;
        }
        if let Some((skipped, depth)) = &mut skipping {
            if *skipped == name && !VOID.contains(&name.as_str()) {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skipping = None;
                    }
                } else if !tag.ends_with('/') {
                    *depth += 1;
                }
            }
            continue;
        }
        let ignored = !closing
            && (SKIPPED.contains(&name.as_str())
                || tag.contains("data-search-ignore")
                || tag.contains("data-pagefind-ignore"));
        if ignored {
            if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
                skipping = Some((name, 1));
            }
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            flush(&mut out, &mut text, field);
            let heading = matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
            if heading {
                field = if closing { Field::Body } else { Field::Heading };
            }
        }
    }
    flush(&mut out, &mut text, field);
    out
}

fn flush(out: &mut Vec<(Field, String)>, text: &mut String, field: Field) {
    let clean = collapse(text);
    text.clear();
    if !clean.is_empty() {
        out.push((field, clean));
    }
}

/// Whether a character is written without spaces around it in Chinese text: Han characters and
/// CJK punctuation (full-width forms included).
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Whitespace runs become one space, or nothing between two CJK characters (a line break in
/// the Markdown source inside a Chinese sentence is not a space); trimmed.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            let prev = out.chars().next_back();
            if !(prev.is_some_and(is_cjk) && is_cjk(c)) {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Appends `raw` with HTML character references decoded.
fn decode_into(raw: &str, out: &mut String) {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|i| i + 1);
        let decoded = match end {
            Some(end) if rest[end..].starts_with(';') => {
                let name = &rest[1..end];
                let c = match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    _ => name
                        .strip_prefix("#x")
                        .or_else(|| name.strip_prefix("#X"))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32),
                };
                c.map(|c| (c, end + 1))
            }
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<(Field, &'static str)> {
        blocks(html).into_iter().map(|(f, t)| (f, &*t.leak())).collect()
    }

    #[test]
    fn paragraphs_and_headings_become_blocks() {
        let html = "<h2 id=\"a\">党费标准</h2>\n<p>按月<strong>交纳</strong>党费。</p><ul><li>一</li><li>二</li></ul>";
        assert_eq!(
            texts(html),
            [
                (Field::Heading, "党费标准"),
                (Field::Body, "按月交纳党费。"),
                (Field::Body, "一"),
                (Field::Body, "二")
            ]
        );
    }

    #[test]
    fn scripts_forms_code_and_ignored_parts_are_left_out() {
        let html = "<p>前</p><script>var x = \"<p>no</p>\";</script><form><label>姓名</label><input></form>\
                    <pre><code>fn main() {}</code></pre><div data-search-ignore><div>隐藏</div>也隐藏</div><p>后</p>";
        assert_eq!(texts(html), [(Field::Body, "前"), (Field::Body, "后")]);
    }

    #[test]
    fn entities_are_decoded_and_comments_dropped() {
        assert_eq!(
            texts("<p>A&amp;B &lt;&#x4E00;&#20108;&gt;<!-- x -->&nbsp;C &unknown; D&</p>"),
            [(Field::Body, "A&B <一二> C &unknown; D&")]
        );
    }

    #[test]
    fn line_breaks_inside_chinese_are_not_spaces() {
        assert_eq!(collapse("这是一段\n简单的 text\n 测试，\n好"), "这是一段简单的 text 测试，好");
    }
}
