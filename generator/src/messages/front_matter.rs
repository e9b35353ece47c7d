//! Front matter and TOML: the shape of the `+++` block, unknown keys, full-width punctuation,
//! TOML errors, values of the wrong kind.

use super::Text;

/// What kind of key a table has, for the messages about its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A setting of config.toml.
    Setting,
    /// A key of a page's front matter.
    PageKey,
    /// A key of a section's front matter (`_index.md`).
    SectionKey,
}

impl KeyKind {
    /// What an unknown key is called: `setting`, `page front matter key`.
    fn noun(self) -> (&'static str, &'static str) {
        match self {
            KeyKind::Setting => ("setting", "设置"),
            KeyKind::PageKey => ("page front matter key", "页面设置"),
            KeyKind::SectionKey => ("section front matter key", "栏目设置"),
        }
    }

    /// What the allowed keys are called.
    fn known(self) -> (&'static str, &'static str) {
        match self {
            KeyKind::Setting => ("settings here", "设置"),
            KeyKind::PageKey => ("keys", "页面设置"),
            KeyKind::SectionKey => ("keys", "栏目设置"),
        }
    }

    /// What a Zola key zhibu does not implement yet is called.
    fn zola(self) -> (&'static str, &'static str) {
        match self {
            KeyKind::Setting => ("setting", "设置"),
            KeyKind::PageKey => ("page setting", "页面设置"),
            KeyKind::SectionKey => ("section setting", "栏目设置"),
        }
    }
}

/// Which text a syntax problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// The `+++` block of a page or section.
    FrontMatter,
    /// A TOML file: config.toml, a data file.
    Toml,
}

impl Syntax {
    fn what(self) -> (&'static str, &'static str) {
        match self {
            Syntax::FrontMatter => ("invalid front matter", "页面设置有误"),
            Syntax::Toml => ("invalid TOML", "TOML 写法有误"),
        }
    }
}

/// The front matter as a whole could not be read (no position known).
pub fn invalid_front_matter() -> Text {
    Text::new("invalid front matter", "页面设置有误")
}

/// A file that starts with YAML `---` front matter.
/// YAML front matter (between `---` lines) that is not a table of keys.
pub fn yaml_not_a_table() -> Text {
    Text::new(
        "invalid front matter: the YAML between the `---` lines must be keys with values, such as `title: ...`",
        "页面设置有误：两行 `---` 之间的 YAML 必须是“键: 值”的形式，例如 `title: ...`",
    )
}

/// A file without front matter.
pub fn no_front_matter() -> Text {
    Text::new(
        "the file must start with front matter: a `+++` line, TOML such as title = \"...\", and a closing `+++` line",
        "文件必须以页面设置开头：先是一行 `+++`，然后是 title = \"...\" 这样的设置，最后再写一行 `+++`",
    )
}

/// `fence` is `+++` (TOML) or `---` (YAML).
pub fn opening_not_alone(fence: &str) -> Text {
    Text::new(
        format!("the opening `{fence}` must be alone on its line"),
        format!("开头的 `{fence}` 必须单独占一行"),
    )
}

/// `fence` is `+++` (TOML) or `---` (YAML).
pub fn front_matter_not_closed(fence: &str) -> Text {
    Text::new(
        format!("the front matter opened with `{fence}` is never closed: add a `{fence}` line after it"),
        format!("用 `{fence}` 开始的页面设置没有结束：在设置的后面加一行 `{fence}`"),
    )
}

/// A key that belongs under `[taxonomies]`.
pub fn key_is_a_taxonomy(kind: KeyKind, key: &str) -> Text {
    let (noun, noun_zh) = kind.noun();
    Text::new(
        format!(
            "unknown {noun} `{key}`: `{key}` is a taxonomy and goes under [taxonomies]: put a line `[taxonomies]` after the other keys and `{key} = [\"…\"]` below it"
        ),
        format!(
            "未知的{noun_zh} `{key}`：`{key}` 是分类（taxonomy），要写在 [taxonomies] 下面：在其他设置的后面加一行 `[taxonomies]`，再在它下面写 `{key} = [\"…\"]`"
        ),
    )
}

/// A key the theme or the catalog reads from `[extra]`, or a table it reads as `header`
/// (`[extra.signin]`, `[[extra.quiz]]`).
pub fn key_belongs_in_extra(kind: KeyKind, key: &str, header: Option<&str>) -> Text {
    let (noun, noun_zh) = kind.noun();
    match header {
        Some(header) => Text::new(
            format!(
                "unknown {noun} `{key}`: it is read from {header}: write the line `{header}` above its keys"
            ),
            format!("未知的{noun_zh} `{key}`：它属于 {header}：在这些设置的上面写一行 `{header}`"),
        ),
        None => Text::new(
            format!(
                "unknown {noun} `{key}`: the theme reads it from [extra]: put a line `[extra]` after the other keys and `{key} = …` below it"
            ),
            format!(
                "未知的{noun_zh} `{key}`：主题从 [extra] 里读取它：在其他设置的后面加一行 `[extra]`，再在它下面写 `{key} = …`"
            ),
        ),
    }
}

/// A key close to a known one (`tittle` → `title`), perhaps of another table (`place`).
pub fn key_did_you_mean(kind: KeyKind, key: &str, suggestion: &str, place: Option<&str>) -> Text {
    let (noun, noun_zh) = kind.noun();
    match place {
        Some(place) => Text::new(
            format!("unknown {noun} `{key}`; did you mean `{suggestion}`? (it goes under {place})"),
            format!("未知的{noun_zh} `{key}`；您是不是想写 `{suggestion}`？（它要写在 {place} 下面）"),
        ),
        None => Text::new(
            format!("unknown {noun} `{key}`; did you mean `{suggestion}`?"),
            format!("未知的{noun_zh} `{key}`；您是不是想写 `{suggestion}`？"),
        ),
    }
}

/// A key that is nothing zhibu knows, with the keys there are.
pub fn unknown_key(kind: KeyKind, key: &str, known_keys: &[&str]) -> Text {
    let (noun, noun_zh) = kind.noun();
    let (known, known_zh) = kind.known();
    let list = known_keys.join(", ");
    Text::new(
        format!("unknown {noun} `{key}`; known {known} are: {list}. Put your own values under [extra]"),
        format!("未知的{noun_zh} `{key}`；可用的{known_zh}有：{list}。自己的值请写在 [extra] 下面"),
    )
}

/// A Zola key zhibu accepts but does not act on yet.
pub fn key_not_implemented(kind: KeyKind, key: &str) -> Text {
    let (zola, zola_zh) = kind.zola();
    Text::new(
        format!("`{key}` is a Zola {zola} that zhibu does not implement yet; it is ignored"),
        format!("`{key}` 是 Zola 的{zola_zh}，zhibu 还没有实现它，这一项会被忽略"),
    )
}

/// A page key written below `[extra]` or `[taxonomies]`, where it is not the page's.
pub fn key_under_wrong_table(key: &str, table: &str) -> Text {
    Text::new(
        format!(
            "`{key}` is written under [{table}], so it is not the page's `{key}`: move the line above the `[{table}]` line"
        ),
        format!(
            "`{key}` 写在了 [{table}] 下面，所以它不是页面的 `{key}`：请把这一行移到 `[{table}]` 那一行的上面"
        ),
    )
}

/// Full-width punctuation from a Chinese keyboard where TOML needs ASCII. `fixed` is the line
/// as it should be.
pub fn full_width(syntax: Syntax, found: char, column: usize, fixed: &str) -> Text {
    let (what, what_zh) = syntax.what();
    let (kind, kind_zh) = match found {
        '“' | '”' | '＂' => (
            "a Chinese (full-width) quotation mark: TOML needs the ASCII `\"`",
            "中文（全角）引号：TOML 要用英文的 `\"`",
        ),
        '‘' | '’' | '＇' => (
            "a Chinese (full-width) quotation mark: TOML needs the ASCII `\"` (or `'`)",
            "中文（全角）引号：TOML 要用英文的 `\"`（或 `'`）",
        ),
        '：' => (
            "a full-width colon: TOML writes `key = value` with an ASCII `=`",
            "全角冒号：TOML 的写法是 `key = value`，用英文的 `=`",
        ),
        '＝' => ("a full-width equals sign: TOML needs the ASCII `=`", "全角等号：TOML 要用英文的 `=`"),
        '，' | '、' => (
            "a full-width comma: TOML separates values with the ASCII `,`",
            "全角逗号：TOML 用英文的 `,` 分隔各个值",
        ),
        '【' | '】' | '［' | '］' => (
            "a full-width bracket: TOML needs the ASCII `[` and `]`",
            "全角方括号：TOML 要用英文的 `[` 和 `]`",
        ),
        '｛' | '｝' => {
            ("a full-width brace: TOML needs the ASCII `{` and `}`", "全角花括号：TOML 要用英文的 `{` 和 `}`")
        }
        '　' => ("a full-width space: TOML needs an ASCII space", "全角空格：TOML 要用英文的空格"),
        _ => ("full-width punctuation: TOML needs ASCII punctuation", "全角标点：TOML 要用英文标点"),
    };
    let fixed = fixed.trim();
    Text::new(
        format!(
            "{what} at column {column}: `{found}` is {kind} (switch the keyboard to English punctuation); write `{fixed}`"
        ),
        format!(
            "{what_zh}（第 {column} 列）：`{found}` 是{kind_zh}（请把输入法切换到英文标点）；应写成 `{fixed}`"
        ),
    )
}

/// A TOML syntax or type error, with its column when known. `detail` is the parser's words.
pub fn toml_error(syntax: Syntax, column: Option<usize>, detail: &str) -> Text {
    let (what, what_zh) = syntax.what();
    match column {
        Some(c) => {
            Text::new(format!("{what} at column {c}: {detail}"), format!("{what_zh}（第 {c} 列）：{detail}"))
        }
        None => Text::new(format!("{what}: {detail}"), format!("{what_zh}：{detail}")),
    }
}

/// A content file named for a language (`a.de.md`) the config does not declare.
pub fn language_not_declared(code: &str, declared: &[&str]) -> Text {
    let (list, list_zh) = super::listed(declared);
    Text::new(
        format!(
            "the file name gives the language `{code}`, which is not one of the site's languages ({list}); add `[languages.{code}]` to the config, or rename the file"
        ),
        format!(
            "文件名里的语言 `{code}` 不是本站的语言（{list_zh}）；请在配置文件里加上 `[languages.{code}]`，或者改文件名"
        ),
    )
}

/// A taxonomy a page uses that config.toml does not declare.
pub fn taxonomy_not_declared(name: &str, declared: &[&str], suggestion: Option<&str>) -> Text {
    let (list, list_zh) = super::listed(declared);
    match suggestion {
        Some(s) => Text::new(
            format!(
                "taxonomy `{name}` is not declared in config.toml (declared: {list}); did you mean `{s}`? Or add {{ name = \"{name}\" }} to `taxonomies`"
            ),
            format!(
                "分类 `{name}` 没有在 config.toml 里声明（已声明：{list_zh}）；您是不是想写 `{s}`？或者在 `taxonomies` 里加上 {{ name = \"{name}\" }}"
            ),
        ),
        None => Text::new(
            format!(
                "taxonomy `{name}` is not declared in config.toml (declared: {list}); add {{ name = \"{name}\" }} to `taxonomies`"
            ),
            format!(
                "分类 `{name}` 没有在 config.toml 里声明（已声明：{list_zh}）；请在 `taxonomies` 里加上 {{ name = \"{name}\" }}"
            ),
        ),
    }
}

/// A value of the wrong type for a known key. `detail` is the parser's words.
pub fn wrong_type(key: &str, detail: &str) -> Text {
    Text::new(format!("invalid front matter: `{key}`: {detail}"), format!("页面设置有误：`{key}`：{detail}"))
}

/// `extra = …` that is not a table. `found` is the TOML type written (`string`, `integer`).
pub fn extra_not_a_table(found: &str) -> Text {
    Text::new(
        format!(
            "invalid front matter: `extra`: must be a table, not a {found}: write a line `[extra]` and the values below it"
        ),
        format!(
            "页面设置有误：`extra` 必须是一个表（table），不能是 {found}：写一行 `[extra]`，再把值写在它下面"
        ),
    )
}

/// A taxonomy whose value is not a list of names.
pub fn taxonomy_not_a_list(name: &str) -> Text {
    Text::new(
        format!("invalid front matter: taxonomy `{name}` must be a list of names, e.g. {name} = [\"党费\"]"),
        format!("页面设置有误：分类 `{name}` 必须是一组名称，例如 {name} = [\"党费\"]"),
    )
}

/// A date key whose value is not a date or a string.
pub fn date_expected(key: &str) -> Text {
    Text::new(
        format!("`{key}` must be a date such as 2026-12-09"),
        format!("`{key}` 必须是日期，例如 2026-12-09"),
    )
}

/// A date key whose text is not a date.
pub fn not_a_date(key: &str, text: &str) -> Text {
    Text::new(
        format!("`{key}` = {text} is not a date: write 2026-12-09 or 2026-12-09T19:00:00+08:00"),
        format!("`{key}` = {text} 不是日期：请写成 2026-12-09 或 2026-12-09T19:00:00+08:00"),
    )
}

/// `paginate_by = 0` in a section.
pub fn paginate_by_zero() -> Text {
    Text::new("`paginate_by` must be at least 1", "`paginate_by` 至少要是 1")
}

/// A `slug` with nothing left once unsafe characters are removed.
pub fn empty_slug() -> Text {
    Text::new(
        "`slug` is empty once unsafe characters are removed",
        "去掉不安全的字符后，`slug` 成了空的：请换一个由英文字母和数字组成的 slug",
    )
}
