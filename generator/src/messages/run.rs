//! The lines of a run of `zhibu build`, `check` and `serve`: progress, the list of problems,
//! warnings, the summary.

use super::{Text, plural};

/// The phases of a build, for its progress lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Templates,
    Content,
    Sass,
    Markdown,
    Checks,
    Render,
    Images,
    Search,
    Write,
}

/// A phase's name in a progress line.
pub fn phase(phase: Phase) -> Text {
    let (en, zh) = match phase {
        Phase::Templates => ("templates", "模板"),
        Phase::Content => ("content", "内容"),
        Phase::Sass => ("sass", "Sass 编译"),
        Phase::Markdown => ("markdown", "Markdown 渲染"),
        Phase::Checks => ("checks", "检查"),
        Phase::Render => ("render", "生成页面"),
        Phase::Images => ("images", "图片处理"),
        Phase::Search => ("search", "搜索索引"),
        Phase::Write => ("write", "写入"),
    };
    Text::new(en, zh)
}

/// The first line of a failed run's list of problems.
pub fn problems_heading(n: usize) -> Text {
    Text::new(format!("the site has {n} problem{}:", plural(n)), format!("网站有 {n} 个问题："))
}

/// Written before each warning.
pub fn warning_prefix() -> Text {
    Text::new("warning: ", "警告：")
}

/// Written before the error that ends a run.
pub fn error_prefix() -> Text {
    Text::new("Error: ", "错误：")
}

/// The warnings after the first ones shown.
pub fn more_warnings(n: usize) -> Text {
    Text::new(
        format!("… and {n} more warnings (`zhibu check` lists them all)"),
        format!("…… 另外还有 {n} 条警告（`zhibu check` 会全部列出）"),
    )
}

pub fn building(root: &str) -> Text {
    Text::new(format!("Building site in {root}"), format!("正在构建网站：{root}"))
}

/// The summary of `zhibu build`.
pub fn built(pages: usize, sections: usize, output: &str, took: &str) -> Text {
    Text::new(
        format!("Done: {pages} pages, {sections} sections into {output} in {took}"),
        format!("完成：{pages} 个页面、{sections} 个栏目，已写入 {output}，用时 {took}"),
    )
}

/// The summary of `zhibu check`.
pub fn site_is_fine(pages: usize, sections: usize, files: usize, warnings: usize) -> Text {
    Text::new(
        format!(
            "Site is fine: {pages} pages, {sections} sections, {files} files would be written ({warnings} warnings)"
        ),
        format!(
            "网站没有问题：{pages} 个页面、{sections} 个栏目，将写出 {files} 个文件（{warnings} 条警告）"
        ),
    )
}

/// `serve` rebuilt the site after a change.
pub fn rebuilt(took: &str) -> Text {
    Text::new(format!("Rebuilt in {took}"), format!("已重新构建，用时 {took}"))
}

/// The catalog (with the quiz answers) would be published.
pub fn catalog_in_output(catalog: &str, output: &str) -> Text {
    Text::new(
        format!(
            "the catalog {catalog} would be published inside the output folder {output}: it holds the quiz answer keys; choose another --catalog"
        ),
        format!(
            "目录文件 {catalog} 会被发布到输出文件夹 {output} 里：它含有测验的答案；请用 --catalog 换一个位置"
        ),
    )
}

pub fn cannot_write_output(output: &str) -> Text {
    Text::new(format!("cannot write the output folder {output}"), format!("无法写入输出文件夹 {output}"))
}

pub fn cannot_write_catalog(catalog: &str) -> Text {
    Text::new(format!("cannot write the catalog {catalog}"), format!("无法写入目录文件 {catalog}"))
}

// --- Progress details ------------------------------------------------------------------------

pub fn files_count(n: usize) -> Text {
    Text::new(format!("{n} files"), format!("{n} 个文件"))
}

pub fn templates_count(n: usize) -> Text {
    Text::new(format!("{n} templates"), format!("{n} 个模板"))
}

/// What the content phase loaded, and how many problems it found.
pub fn content_count(pages: usize, sections: usize, problems: usize) -> Text {
    if problems == 0 {
        Text::new(format!("{pages} pages, {sections} sections"), format!("{pages} 个页面，{sections} 个栏目"))
    } else {
        Text::new(
            format!("{pages} pages, {sections} sections, {problems} problems"),
            format!("{pages} 个页面，{sections} 个栏目，{problems} 个问题"),
        )
    }
}

pub fn phase_failed() -> Text {
    Text::new("failed", "失败")
}

pub fn problems_count(n: usize) -> Text {
    Text::new(format!("{n} problems"), format!("{n} 个问题"))
}

pub fn catalog_count(events: usize, campaigns: usize, note_pages: usize) -> Text {
    Text::new(
        format!("catalog: {events} events, {campaigns} campaigns, {note_pages} note pages"),
        format!("目录：{events} 个签到活动，{campaigns} 个打卡活动，{note_pages} 个笔记页面"),
    )
}

/// What the render phase made; `changed` counts the pages rendered again under `serve`.
pub fn rendered_count(files: usize, changed: Option<usize>) -> Text {
    match changed {
        Some(c) => Text::new(
            format!("{files} files ({c} pages changed)"),
            format!("{files} 个文件（{c} 个页面有改动）"),
        ),
        None => files_count(files),
    }
}

pub fn search_count(documents: usize, analysing_ms: u128, keys: usize, shards: u32) -> Text {
    Text::new(
        format!("{documents} documents ({analysing_ms} ms analysing), {keys} keys in {shards} shards"),
        format!("{documents} 篇文档（分析用时 {analysing_ms} ms），{keys} 个词，分成 {shards} 片"),
    )
}

pub fn written_count(written: usize, unchanged: usize, removed: usize) -> Text {
    Text::new(
        format!("{written} written, {unchanged} unchanged, {removed} removed"),
        format!("写入 {written} 个，未变 {unchanged} 个，删除 {removed} 个"),
    )
}
