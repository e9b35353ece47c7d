//! Zola's template functions over the shared site data: `get_url`, `get_page`, `get_section`,
//! `get_taxonomy`, `get_taxonomy_url`, `get_taxonomy_term`, `get_hash`, `load_data`, `resize_image`,
//! `get_image_metadata` (tera's own `now` stays).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use tera::{Tera, Value};

use crate::content::Item;
use crate::data::SiteData;
use crate::serialize::{self, Mode};

thread_local! {
    /// Set when a template reads other pages' data (get_page, get_section, get_taxonomy,
    /// load_data): such an output may change whenever anything changes.
    static READ_SITE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn mark_site_read() {
    READ_SITE.with(|f| f.set(true));
}

thread_local! {
    /// Set when a template asks for an image (resize_image, get_image_metadata): such a render
    /// must run again on every build so that its resizes are recorded again.
    static USED_IMAGES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` and tells whether it asked for an image through the template functions.
pub fn tracking_image_use<T>(f: impl FnOnce() -> T) -> (T, bool) {
    USED_IMAGES.with(|flag| flag.set(false));
    let value = f();
    (value, USED_IMAGES.with(|flag| flag.replace(false)))
}

fn mark_image_use() {
    mark_site_read();
    USED_IMAGES.with(|f| f.set(true));
}

/// Why `resize_image` or `get_image_metadata` failed, in both languages: carried inside
/// tera's error (its source) so that the page's problem can say it in the run's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageError(pub crate::messages::Text);

impl std::fmt::Display for ImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for ImageError {}

impl ImageError {
    /// The image error somewhere in `e`'s chain of causes.
    pub fn in_chain<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a ImageError> {
        let mut cur = Some(e);
        while let Some(err) = cur {
            if let Some(i) = err.downcast_ref::<ImageError>() {
                return Some(i);
            }
            cur = err.source();
        }
        None
    }
}

fn image_error(text: crate::messages::Text) -> tera::Error {
    tera::Error::chain(text.to_string(), ImageError(text))
}

/// An optional argument that must be a non-negative integer.
fn uint_arg(args: &HashMap<String, Value>, name: &str) -> tera::Result<Option<u64>> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| image_error(crate::messages::image_bad_argument(name, "a non-negative integer"))),
    }
}

/// An optional argument that must be a string.
fn str_arg<'a>(args: &'a HashMap<String, Value>, name: &str) -> tera::Result<Option<&'a str>> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_str()
            .map(Some)
            .ok_or_else(|| image_error(crate::messages::image_bad_argument(name, "a string"))),
    }
}

/// The image file of `path` for `function`, as Zola finds it.
fn image_file(d: &SiteData, function: &str, path: &str) -> tera::Result<Option<std::path::PathBuf>> {
    crate::images::find(&d.root, path, d.config.theme.as_deref(), &d.config.output_dir)
        .map_err(|_| image_error(crate::messages::image_outside_site(function, path)))
}

fn resize_image(d: &SiteData, args: &HashMap<String, Value>) -> tera::Result<Value> {
    use crate::images::{Format, Op, SUBDIR};
    use crate::messages;
    mark_image_use();
    let path = arg(args, "path", "resize_image")?;
    let dim = |name| -> tera::Result<Option<u32>> {
        uint_arg(args, name)?
            .map(|v| {
                u32::try_from(v)
                    .map_err(|_| image_error(messages::image_bad_argument(name, "a non-negative integer")))
            })
            .transpose()
    };
    let (width, height) = (dim("width")?, dim("height")?);
    let op = str_arg(args, "op")?.unwrap_or("fill");
    let format = str_arg(args, "format")?.unwrap_or("auto");
    let quality = uint_arg(args, "quality")?;
    let op = Op::from_args(op, width, height).map_err(image_error)?;
    let file = image_file(d, "resize_image", path)?
        .ok_or_else(|| image_error(messages::image_not_found("resize_image", path)))?;
    let source = d
        .images
        .source(&file)
        .map_err(|e| image_error(messages::image_unreadable("resize_image", path, &e)))?;
    let format = Format::from_args(format, quality, source.format).map_err(image_error)?;
    let (name, plan) = d.images.enqueue(&file, path, op, format, &source);
    let (w, h) = plan.size(source.size);
    Ok(serde_json::json!({
        "url": d.config.make_permalink(&format!("{SUBDIR}/{name}")),
        "static_path": format!("static/{SUBDIR}/{name}"),
        "width": w,
        "height": h,
        "orig_width": source.size.0,
        "orig_height": source.size.1,
    }))
}

fn get_image_metadata(d: &SiteData, args: &HashMap<String, Value>) -> tera::Result<Value> {
    use crate::messages;
    mark_image_use();
    let path = arg(args, "path", "get_image_metadata")?;
    let allow_missing = match args.get("allow_missing") {
        None | Some(Value::Null) => false,
        Some(v) => v
            .as_bool()
            .ok_or_else(|| image_error(messages::image_bad_argument("allow_missing", "a boolean")))?,
    };
    let Some(file) = image_file(d, "get_image_metadata", path)? else {
        return if allow_missing {
            Ok(Value::Null)
        } else {
            Err(image_error(messages::image_not_found("get_image_metadata", path)))
        };
    };
    let unreadable = |e: &str| image_error(messages::image_unreadable("get_image_metadata", path, e));
    if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
        let text = std::fs::read_to_string(&file).map_err(|e| unreadable(&e.to_string()))?;
        let (width, height) = crate::images::svg_size(&text)
            .ok_or_else(|| unreadable("the SVG has neither a width and height nor a viewBox"))?;
        return Ok(
            serde_json::json!({ "width": width, "height": height, "format": "svg", "mime": "text/svg+xml" }),
        );
    }
    let source = d.images.source(&file).map_err(|e| unreadable(&e))?;
    Ok(crate::images::metadata_value(&source))
}

/// Runs `f` and tells whether it read other pages' data through the template functions.
pub fn tracking_site_reads<T>(f: impl FnOnce() -> T) -> (T, bool) {
    READ_SITE.with(|flag| flag.set(false));
    let value = f();
    (value, READ_SITE.with(|flag| flag.replace(false)))
}

fn arg<'a>(args: &'a HashMap<String, Value>, name: &str, function: &str) -> tera::Result<&'a str> {
    args.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| tera::Error::msg(format!("{function}: the `{name}` argument (a string) is required")))
}

/// The `lang` a function is asked for: the default language when not given; an error for a
/// language the site does not have.
fn lang_arg<'a>(d: &'a SiteData, args: &'a HashMap<String, Value>, function: &str) -> tera::Result<&'a str> {
    let default = d.config.default_language.as_str();
    match args.get("lang").and_then(Value::as_str) {
        None => Ok(default),
        Some(lang) if lang == default || d.config.other_languages().any(|l| l == lang) => Ok(lang),
        Some(lang) => Err(tera::Error::msg(format!(
            "{function}: `lang=\"{lang}\"` is not one of the site's languages (add `[languages.{lang}]` to the config)"
        ))),
    }
}

/// A content path in another language, as Zola writes it: `blog/_index.md` in `fr` is
/// `blog/_index.fr.md`.
fn path_in(d: &SiteData, path: &str, lang: &str) -> String {
    if lang == d.config.default_language {
        return path.to_string();
    }
    match path.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{lang}.{ext}"),
        None => path.to_string(),
    }
}

fn flag(args: &HashMap<String, Value>, name: &str) -> bool {
    args.get(name).and_then(Value::as_bool).unwrap_or(false)
}

pub fn register(tera: &mut Tera, data: Arc<SiteData>) {
    let d = data.clone();
    tera.register_function("get_url", move |args: &HashMap<String, Value>| {
        let path = arg(args, "path", "get_url")?;
        let lang = lang_arg(&d, args, "get_url")?;
        if let Some(target) = path.strip_prefix("@/") {
            let (file, anchor) = target.split_once('#').map(|(f, a)| (f, Some(a))).unwrap_or((target, None));
            let file = &path_in(&d, file, lang);
            let mut url = d.permalink_of(file).ok_or_else(|| {
                tera::Error::msg(format!("get_url: there is no content/{file} (from `{path}`)"))
            })?;
            if let Some(a) = anchor {
                url.push('#');
                url.push_str(a);
            }
            return Ok(Value::String(url));
        }
        // Zola's rules: the language's folder first (unless the path starts with it), then
        // Zola's permalink (a `/` added to anything but a feed, an anchor or a path ending in
        // one), and no `/` at the end unless `trailing_slash=true`.
        let trimmed = path.trim_start_matches('/');
        let in_language = lang != d.config.default_language
            && (path.is_empty() || !path.get(1..).unwrap_or("").starts_with(lang));
        let with_lang = if in_language { format!("{lang}/{path}") } else { path.to_string() };
        let mut url = d.config.zola_permalink(&with_lang);
        if !flag(args, "trailing_slash") && url.ends_with('/') {
            url.pop();
        }
        if flag(args, "cachebust") {
            let hash = d.static_hashes.get(trimmed).ok_or_else(|| {
                tera::Error::msg(format!("get_url: cannot cachebust `{path}`: no such file in static/"))
            })?;
            url.push_str("?h=");
            url.push_str(hash);
        }
        Ok(Value::String(url))
    });

    let d = data.clone();
    tera.register_function("get_page", move |args: &HashMap<String, Value>| {
        mark_site_read();
        let path = arg(args, "path", "get_page")?;
        let path = &path_in(&d, path, lang_arg(&d, args, "get_page")?);
        match d.library.get(path) {
            Some(Item::Page(i)) => Ok(serialize::page(&d, i, Mode::Full)),
            _ => Err(tera::Error::msg(format!("get_page: there is no page content/{path}"))),
        }
    });

    let d = data.clone();
    tera.register_function("get_section", move |args: &HashMap<String, Value>| {
        mark_site_read();
        let path = arg(args, "path", "get_section")?;
        let path = &path_in(&d, path, lang_arg(&d, args, "get_section")?);
        match d.library.get(path) {
            Some(Item::Section(i)) => {
                let mode = if flag(args, "metadata_only") { Mode::Meta } else { Mode::Full };
                Ok(serialize::section(&d, i, mode, true))
            }
            _ => Err(tera::Error::msg(format!("get_section: there is no section content/{path}"))),
        }
    });

    let d = data.clone();
    tera.register_function("get_taxonomy", move |args: &HashMap<String, Value>| {
        mark_site_read();
        let kind = arg(args, "kind", "get_taxonomy")?;
        let t = d.library.taxonomy(kind, lang_arg(&d, args, "get_taxonomy")?);
        match t {
            Some(t) => {
                let items: Vec<Value> = (0..d.library.taxonomies[t].terms.len())
                    .map(|k| serialize::term(&d, t, k, &d.library.taxonomies[t].terms[k].pages, Mode::Link))
                    .collect();
                Ok(serde_json::json!({ "kind": serialize::taxonomy_config(&d, t), "items": items }))
            }
            None if flag(args, "required") || !args.contains_key("required") => Err(tera::Error::msg(
                format!("get_taxonomy: taxonomy `{kind}` is not declared in config.toml"),
            )),
            None => Ok(Value::Null),
        }
    });

    let d = data.clone();
    tera.register_function("get_taxonomy_url", move |args: &HashMap<String, Value>| {
        let kind = arg(args, "kind", "get_taxonomy_url")?;
        let name = arg(args, "name", "get_taxonomy_url")?;
        let lang = lang_arg(&d, args, "get_taxonomy_url")?;
        let tax = d.library.taxonomy(kind, lang).map(|t| &d.library.taxonomies[t]).ok_or_else(|| {
            tera::Error::msg(format!("get_taxonomy_url: taxonomy `{kind}` is not declared in config.toml"))
        })?;
        let slug = crate::slug::term_slug_by(name, d.config.slugify.taxonomies);
        match tax.terms.iter().find(|t| t.slug == slug) {
            Some(term) => Ok(Value::String(d.config.make_permalink(&term.path))),
            None => Err(tera::Error::msg(format!("get_taxonomy_url: no page has {kind} `{name}`"))),
        }
    });

    let d = data.clone();
    tera.register_function("trans", move |args: &HashMap<String, Value>| {
        let key = arg(args, "key", "trans")?;
        let lang = lang_arg(&d, args, "trans")?;
        let translations = d.config.language(lang).map(|l| l.translations).unwrap_or_default();
        match translations.get(key) {
            Some(toml::Value::String(text)) => Ok(Value::String(text.clone())),
            Some(other) => Ok(crate::serialize::toml_to_json(other)),
            None => Err(tera::Error::msg(format!(
                "trans: there is no translation of `{key}` for the language `{lang}` (add it under `translations` in the config)"
            ))),
        }
    });

    let d = data.clone();
    tera.register_function("resize_image", move |args: &HashMap<String, Value>| resize_image(&d, args));
    let d = data.clone();
    tera.register_function("get_image_metadata", move |args: &HashMap<String, Value>| {
        get_image_metadata(&d, args)
    });

    let d = data.clone();
    tera.register_filter("markdown", move |value: &Value, args: &HashMap<String, Value>| {
        let text = value.as_str().ok_or_else(|| tera::Error::msg("markdown expects a string"))?;
        let html = render_markdown_value(&d, text)?;
        if flag(args, "inline") {
            Ok(Value::String(super::filters::unwrap_paragraph(&html)))
        } else {
            Ok(Value::String(html))
        }
    });

    let language = data.config.default_language.clone();
    tera.register_filter("num_format", move |value: &Value, args: &HashMap<String, Value>| {
        super::filters::num_format(value, args, &language)
    });

    tera.register_function("qr_svg", |args: &HashMap<String, Value>| {
        let text = arg(args, "text", "qr_svg")?;
        let label = args.get("label").and_then(Value::as_str).unwrap_or("二维码");
        qr_svg(text, label).map(Value::String)
    });

    let d = data.clone();
    tera.register_function("get_taxonomy_term", move |args: &HashMap<String, Value>| {
        mark_site_read();
        let kind = arg(args, "kind", "get_taxonomy_term")?;
        let name = arg(args, "term", "get_taxonomy_term")?;
        let required = args.get("required").and_then(Value::as_bool).unwrap_or(true);
        let include_pages = args.get("include_pages").and_then(Value::as_bool).unwrap_or(true);
        // A language without that taxonomy has none, as in Zola.
        let lang = args.get("lang").and_then(Value::as_str).unwrap_or(&d.config.default_language);
        let t = d.library.taxonomy(kind, lang);
        let Some(t) = t else {
            return if required {
                Err(tera::Error::msg(format!(
                    "get_taxonomy_term: taxonomy `{kind}` is not declared in config.toml"
                )))
            } else {
                Ok(Value::Null)
            };
        };
        let tax = &d.library.taxonomies[t];
        match tax.terms.iter().position(|term| term.name == name) {
            Some(k) => {
                let pages: &[usize] = if include_pages { &tax.terms[k].pages } else { &[] };
                Ok(serialize::term(&d, t, k, pages, Mode::Link))
            }
            None if required => {
                Err(tera::Error::msg(format!("get_taxonomy_term: no page has {kind} `{name}`")))
            }
            None => Ok(Value::Null),
        }
    });

    let d = data.clone();
    tera.register_function("get_hash", move |args: &HashMap<String, Value>| {
        let path = args.get("path").and_then(Value::as_str);
        let literal = args.get("literal").and_then(Value::as_str);
        let bytes = match (path, literal) {
            (Some(path), None) => {
                mark_site_read();
                // Zola's order, with the CSS compiled from sass/ standing for the output folder
                // (`integrity="sha384-{{ get_hash(path='main.css') }}"`): the site, its static/
                // and content/, the compiled CSS, the theme's static/.
                let compiled = d.sass_css.get(path.trim_start_matches('/'));
                match (find_data_file(&d.root, None, path), compiled) {
                    (None, Some(css)) => css.clone(),
                    (found, _) => {
                        let file = found
                            .or_else(|| find_data_file(&d.root, d.config.theme.as_deref(), path))
                            .ok_or_else(|| {
                                tera::Error::msg(format!("get_hash: there is no file `{path}`"))
                            })?;
                        std::fs::read(&file)
                            .map_err(|e| tera::Error::msg(format!("get_hash: cannot read `{path}`: {e}")))?
                    }
                }
            }
            (None, Some(literal)) => literal.as_bytes().to_vec(),
            _ => return Err(tera::Error::msg("get_hash: give one of `path` or `literal`")),
        };
        let sha_type = match args.get("sha_type") {
            None => 384,
            Some(v) => {
                v.as_u64().ok_or_else(|| tera::Error::msg("get_hash: `sha_type` must be 256, 384 or 512"))?
            }
        };
        let base64 = args.get("base64").and_then(Value::as_bool).unwrap_or(true);
        hash(&bytes, sha_type, base64).map(Value::String)
    });

    let d = data;
    let cache: Arc<Mutex<HashMap<String, Value>>> = Arc::default();
    tera.register_function("load_data", move |args: &HashMap<String, Value>| {
        mark_site_read();
        let format = args.get("format").and_then(Value::as_str);
        let path = args.get("path").and_then(Value::as_str);
        let literal = args.get("literal").and_then(Value::as_str);
        if args.contains_key("url") {
            return Err(tera::Error::msg(
                "load_data: `url` is not supported: zhibu builds without the network; save the data in the site and give its `path`",
            ));
        }
        let key = match (path, literal) {
            (Some(p), None) => format!("path\0{}\0{p}", format.unwrap_or("")),
            (None, Some(l)) => format!("literal\0{}\0{l}", format.unwrap_or("")),
            _ => return Err(tera::Error::msg("load_data: give one of `path` or `literal`")),
        };
        if let Some(v) = cache.lock().map_err(|_| tera::Error::msg("load_data: cache poisoned"))?.get(&key) {
            return Ok(v.clone());
        }
        let value = match (path, literal) {
            (Some(path), _) => {
                // Zola's `required = false`: a missing file is `null` instead of an error.
                let optional = args.get("required").and_then(Value::as_bool) == Some(false);
                if optional
                    && !path.contains("..")
                    && find_data_file(&d.root, d.config.theme.as_deref(), path).is_none()
                {
                    return Ok(Value::Null);
                }
                load_data(&d.root, d.config.theme.as_deref(), path, format)?
            }
            (None, Some(literal)) => parse_data("load_data(literal=…)", literal, format.unwrap_or("plain"))?,
            (None, None) => Value::Null,
        };
        if let Ok(mut c) = cache.lock() {
            c.insert(key, value.clone());
        }
        Ok(value)
    });
}

/// The SHA-2 digest (`sha_type` 256, 384 or 512) of `bytes`, in base64 or lower-case hex, as
/// Zola's `get_hash` gives it.
pub fn hash(bytes: &[u8], sha_type: u64, base64: bool) -> tera::Result<String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest: Vec<u8> = match sha_type {
        256 => sha2::Sha256::digest(bytes).to_vec(),
        384 => sha2::Sha384::digest(bytes).to_vec(),
        512 => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return Err(tera::Error::msg(format!(
                "get_hash: `sha_type` must be 256, 384 or 512, not {other}"
            )));
        }
    };
    Ok(if base64 {
        base64::engine::general_purpose::STANDARD.encode(digest)
    } else {
        digest.iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// Markdown from a template (`{{ page.extra.note | markdown }}`): rendered like content, `@/`
/// links resolved; a broken link fails the page's render with its message. Shortcodes belong in
/// content files, not here.
fn render_markdown_value(data: &SiteData, text: &str) -> tera::Result<String> {
    struct FilterContext<'a>(&'a SiteData);
    impl crate::markdown::RenderContext for FilterContext<'_> {
        fn resolve(&self, content_path: &str) -> Option<String> {
            self.0.permalink_of(content_path)
        }
        fn has_shortcode(&self, _name: &str) -> bool {
            false
        }
        fn shortcode(
            &self,
            call: &crate::markdown::shortcodes::Call,
        ) -> Result<crate::markdown::ShortcodeOutput, crate::messages::Text> {
            Err(crate::messages::shortcode_in_markdown_filter(&call.name))
        }
    }
    let source =
        crate::markdown::Source { file: Path::new("<markdown filter>"), body_line: 1, permalink: "" };
    let rendered = crate::markdown::render(text, &source, &data.config.markdown, &FilterContext(data));
    if let Some(p) = rendered.problems.first() {
        return Err(tera::Error::msg(format!("markdown filter: {}", p.message)));
    }
    Ok(rendered.html)
}

/// A QR code as inline SVG, made at build time (no request to any service), so a printed poster
/// or a shared screenshot leads back to the page. Each row's run of dark modules is one
/// rectangle of one path, which keeps a page URL's code around 2 KB; CSS sets its size.
pub fn qr_svg(text: &str, label: &str) -> tera::Result<String> {
    use std::fmt::Write as _;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| tera::Error::msg(format!("qr_svg: cannot encode `{text}`: {e}")))?;
    const QUIET: usize = 4;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::with_capacity(width * width / 2);
    // Each run is a one-module-wide stroke along the row's middle; relative moves from where
    // the last run ended keep the numbers short.
    let (mut pen_x, mut pen_y) = (0i64, 0i64);
    path.push_str("M0 0.5");
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == qrcode::Color::Dark {
                let start = x;
                while x < width && row[x] == qrcode::Color::Dark {
                    x += 1;
                }
                let (sx, sy) = ((start + QUIET) as i64, (y + QUIET) as i64);
                let run = x - start;
                let _ = write!(path, "m{} {}h{run}", sx - pen_x, sy - pen_y);
                (pen_x, pen_y) = (sx + run as i64, sy);
            } else {
                x += 1;
            }
        }
    }
    let size = width + 2 * QUIET;
    let label = crate::templates::escape_html(label);
    Ok(format!(
        "<svg class=\"qr\" role=\"img\" aria-label=\"{label}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// Why `load_data` could not give a data file: carried inside tera's error (its source) so that
/// the message of a failed render can name the data file and the page instead of template
/// internals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFileError {
    /// As the template gave it, e.g. `data/constitution-100.toml`.
    pub path: String,
    /// True when there is no such file.
    pub missing: bool,
    /// What is wrong with it.
    pub why: crate::messages::Text,
}

impl std::fmt::Display for DataFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "load_data: `{}`: {}", self.path, self.why)
    }
}

impl std::error::Error for DataFileError {}

impl DataFileError {
    fn error(path: &str, missing: bool, why: crate::messages::Text) -> tera::Error {
        let e = DataFileError { path: path.to_string(), missing, why };
        tera::Error::chain(e.to_string(), e)
    }

    /// The data-file error somewhere in `e`'s chain of causes.
    pub fn in_chain<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a DataFileError> {
        let mut cur = Some(e);
        while let Some(err) = cur {
            if let Some(d) = err.downcast_ref::<DataFileError>() {
                return Some(d);
            }
            cur = err.source();
        }
        None
    }
}

/// The file of the site whose name is closest to the data file `path` that does not exist, in
/// the same folder, as the path to write.
pub fn closest_data_file(root: &Path, path: &str) -> Option<String> {
    let rel = Path::new(path.trim_start_matches('/'));
    let dir = rel.parent().unwrap_or(Path::new(""));
    let name = rel.file_name()?.to_string_lossy().into_owned();
    let names: Vec<String> = std::fs::read_dir(root.join(dir))
        .ok()?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let found = crate::suggest::closest(&name, names.iter().map(String::as_str))?;
    Some(dir.join(found).to_string_lossy().replace('\\', "/"))
}

/// Where the file a template names (`load_data`, `get_hash`) is, searched as Zola 0.22 does:
/// from the site root, then in `static/`, `content/` and the theme's `static/`; `@/x` is
/// `content/x` and a leading `/` is dropped. `None` when there is none (or the path leaves the
/// site).
pub fn find_data_file(root: &Path, theme: Option<&str>, path: &str) -> Option<std::path::PathBuf> {
    if path.contains("..") {
        return None;
    }
    let rel = match path.strip_prefix("@/") {
        Some(rest) => format!("content/{rest}"),
        None => path.trim_start_matches('/').to_string(),
    };
    let mut dirs = vec![root.to_path_buf(), root.join("static"), root.join("content")];
    if let Some(theme) = theme {
        dirs.push(root.join("themes").join(theme).join("static"));
    }
    dirs.into_iter().map(|d| d.join(&rel)).find(|f| f.is_file())
}

/// Reads a data file (found by [`find_data_file`]): TOML, JSON, CSV, YAML or plain text, by
/// `format` or else by the file's extension.
pub fn load_data(root: &Path, theme: Option<&str>, path: &str, format: Option<&str>) -> tera::Result<Value> {
    if path.contains("..") {
        return Err(tera::Error::msg(format!("load_data: `{path}` must stay inside the site")));
    }
    let file = find_data_file(root, theme, path).unwrap_or_else(|| root.join(path.trim_start_matches('/')));
    let text = std::fs::read_to_string(&file).map_err(|e| {
        let missing = e.kind() == std::io::ErrorKind::NotFound;
        DataFileError::error(
            path,
            missing,
            if missing {
                crate::messages::data_no_such_file()
            } else {
                crate::messages::data_unreadable(&e.to_string())
            },
        )
    })?;
    let known = |f: &str| matches!(f, "toml" | "json" | "csv" | "yaml" | "yml" | "xml" | "bibtex" | "plain");
    let format = match format {
        Some(f) => f.to_string(),
        // As in Zola, a file whose extension names no data format is text.
        None => Path::new(path)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .filter(|e| known(e))
            .unwrap_or_else(|| "plain".into()),
    };
    let format = format.as_str();
    parse_data(path, &text, format)
}

/// Data in `format` (as `load_data`'s `format` names it), `path` naming it in messages.
fn parse_data(path: &str, text: &str, format: &str) -> tera::Result<Value> {
    match format {
        "toml" => toml::from_str::<toml::Value>(text).map(|v| serialize::toml_to_json(&v)).map_err(|e| {
            let at = crate::strict_toml::error_position(text, &e);
            DataFileError::error(path, false, crate::messages::data_not_toml(at, e.message().trim()))
        }),
        "json" => serde_json::from_str(text)
            .map_err(|e| DataFileError::error(path, false, crate::messages::data_not_json(&e.to_string()))),
        "csv" => parse_csv(text)
            .map_err(|why| DataFileError::error(path, false, crate::messages::data_not_csv(&why))),
        "yaml" | "yml" => serde_yaml_ng::from_str::<Value>(text)
            .map_err(|e| DataFileError::error(path, false, crate::messages::data_not_yaml(&e.to_string()))),
        "plain" => Ok(Value::String(text.to_string())),
        other => Err(DataFileError::error(path, false, crate::messages::data_format_not_supported(other))),
    }
}

/// CSV in Zola's shape: `{headers: [...], records: [[...], ...]}`, read by the `csv` crate
/// (quoted fields, `""` escapes, CRLF, a leading BOM). Every record must have as many fields as
/// the header; a record that does not is an error naming its line.
fn parse_csv(text: &str) -> Result<Value, String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::UnequalLengths { pos, expected_len, len } => format!(
                "line {} has {len} field{} where the header has {expected_len}",
                pos.as_ref().map_or(0, |p| p.line()),
                if *len == 1 { "" } else { "s" }
            ),
            _ => e.to_string(),
        })?;
        rows.push(record.iter().map(str::to_string).collect::<Vec<_>>());
    }
    let mut it = rows.into_iter();
    let headers = it.next().unwrap_or_default();
    Ok(serde_json::json!({ "headers": headers, "records": it.collect::<Vec<_>>() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_parses() {
        let v = parse_csv("day,chapters\n1,\"总纲, 第一章\"\n2,第二章\n").unwrap();
        assert_eq!(v["headers"], serde_json::json!(["day", "chapters"]));
        assert_eq!(v["records"][0][1], "总纲, 第一章");
        assert_eq!(v["records"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn csv_reads_crlf_and_a_byte_order_mark() {
        let v = parse_csv("\u{feff}day,chapters\r\n1,\"说 \"\"一\"\"\"\r\n").unwrap();
        assert_eq!(v["headers"], serde_json::json!(["day", "chapters"]));
        assert_eq!(v["records"], serde_json::json!([["1", "说 \"一\""]]));
    }

    #[test]
    fn csv_record_with_a_missing_field_names_its_line() {
        let why = parse_csv("day,chapters\n1,总纲\n2\n").unwrap_err();
        assert_eq!(why, "line 3 has 1 field where the header has 2");
    }

    #[test]
    fn qr_code_is_compact_inline_svg() {
        let url = "https://dangzhibu.example.edu.cn/campaigns/december-9th-remembrance/";
        let svg = qr_svg(url, "本页二维码").unwrap();
        assert!(svg.starts_with("<svg class=\"qr\" role=\"img\" aria-label=\"本页二维码\""), "{svg}");
        assert!(svg.ends_with("</svg>") && !svg.contains("<?xml"));
        assert!(svg.len() < 3_500, "{} bytes", svg.len());
        // Every dark module of the code is covered by exactly the runs drawn.
        let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).unwrap();
        let dark = code.to_colors().iter().filter(|c| **c == qrcode::Color::Dark).count();
        let drawn: usize = svg
            .split('h')
            .skip(1)
            .filter_map(|part| part.split(['m', '"']).next()?.parse::<usize>().ok())
            .sum();
        assert!(svg.contains("d=\"M0 0.5m"), "the path starts with a move: {svg}");
        assert_eq!(drawn, dark);
    }

    #[test]
    fn load_data_refuses_to_leave_the_site() {
        assert!(load_data(Path::new("/tmp"), None, "../etc/passwd", None).is_err());
    }
}
