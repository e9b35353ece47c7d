//! The library: every page, section and taxonomy of the site, loaded once and then immutable.
//! Sorted and indexed here so rendering only reads.

use std::collections::{BTreeMap, HashMap};

use super::front_matter::SortBy;
use super::page::Page;
use super::section::Section;
use crate::config::{Config, TaxonomyConfig};
use crate::messages::UrlOwner;
use crate::problems::{Problem, Problems};
use crate::slug::term_slug_by;

/// A page or a section, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Page(usize),
    Section(usize),
}

#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub path: String,
    /// Pages with this term, newest first.
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub config: TaxonomyConfig,
    pub slug: String,
    pub path: String,
    /// Terms sorted by name.
    pub terms: Vec<Term>,
    /// The language of its pages.
    pub lang: String,
}

#[derive(Debug, Default)]
pub struct Library {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub by_content_path: HashMap<String, Item>,
    pub taxonomies: Vec<Taxonomy>,
    /// Content paths of files that could not be read as pages or sections (no front matter):
    /// already a problem, so links to them are not reported too.
    pub unreadable: std::collections::HashSet<String>,
    /// Content path without the language (`blog/a.md`) → the page or section in every language
    /// it is written in; empty when the site has one language.
    pub translations: HashMap<String, Vec<Item>>,
}

impl Library {
    /// Assembles parsed pages and sections: tree, sorting, neighbours, taxonomies and the checks
    /// that need the whole site (two things on one path, unknown taxonomies).
    pub fn assemble(
        config: &Config,
        mut sections: Vec<Section>,
        mut pages: Vec<Page>,
    ) -> (Library, Problems) {
        let mut problems = Problems::default();
        let default = config.default_language.as_str();
        for s in sections.iter_mut().filter(|s| s.lang.is_empty()) {
            s.lang = default.to_string();
        }
        for p in pages.iter_mut().filter(|p| p.lang.is_empty()) {
            p.lang = default.to_string();
        }
        // The default language's sections first (its home at 0), then each other language's.
        sections
            .sort_by(|a, b| (a.lang != default, &a.lang, &a.dir).cmp(&(b.lang != default, &b.lang, &b.dir)));
        if sections.first().is_none_or(|s| !s.is_root() || s.lang != default) {
            sections.insert(0, Section::default_root(None));
            sections[0].lang = default.to_string();
        }
        // Every other language has a home (`/fr/`), written or stood in for, as in Zola.
        for code in config.other_languages() {
            if !sections.iter().any(|s| s.is_root() && s.lang == code) {
                sections.push(Section::default_root(Some(code)));
            }
        }
        pages.sort_by(|a, b| a.content_path.cmp(&b.content_path));

        let by_dir: HashMap<(&str, &str), usize> =
            sections.iter().enumerate().map(|(i, s)| ((s.dir.as_str(), s.lang.as_str()), i)).collect();
        let nearest = |dir: &str, lang: &str| -> usize {
            let mut d = dir;
            loop {
                if let Some(i) = by_dir.get(&(d, lang)) {
                    return *i;
                }
                match d.rfind('/') {
                    Some(cut) => d = &d[..cut],
                    None if !d.is_empty() => d = "",
                    None => return 0,
                }
            }
        };
        let mut parents = Vec::new();
        for (i, section) in sections.iter().enumerate().filter(|(_, s)| !s.is_root()) {
            let parent_dir = match section.dir.rfind('/') {
                Some(cut) => &section.dir[..cut],
                None => "",
            };
            parents.push((i, nearest(parent_dir, &section.lang)));
        }
        let mut homes = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            homes.push((i, nearest(&page.section_dir, &page.lang)));
        }
        drop(by_dir);
        for (i, parent) in parents {
            sections[i].parent = Some(parent);
            sections[parent].subsections.push(i);
        }
        // A page in a folder without `_index.md` (in its language) is built but listed in no
        // section, as in Zola; it keeps the nearest section above for its ancestors and template.
        // A page with `render = false` is in no section's list either, as in Zola.
        for (i, s) in homes {
            pages[i].section = s;
            if sections[s].dir == pages[i].section_dir && pages[i].meta.render {
                sections[s].pages.push(i);
            }
        }
        // Ancestors: root first.
        for page in pages.iter_mut() {
            let mut chain = vec![page.section];
            let mut cur = sections[page.section].parent;
            while let Some(p) = cur {
                chain.push(p);
                cur = sections[p].parent;
            }
            chain.reverse();
            page.ancestors = chain;
        }
        // Transparent sections lend their pages to their parent.
        let transparent: Vec<(usize, Vec<usize>)> = sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.meta.transparent)
            .filter_map(|(i, s)| s.parent.map(|p| (p, sections[i].pages.clone())))
            .collect();
        for (parent, extra) in transparent {
            sections[parent].pages.extend(extra);
        }
        for s in 0..sections.len() {
            let sort_by = sections[s].meta.sort_by;
            let mut list = std::mem::take(&mut sections[s].pages);
            sort_pages(&mut list, &pages, sort_by);
            sections[s].pages = list;
            let subs = std::mem::take(&mut sections[s].subsections);
            let mut subs = subs;
            subs.sort_by(|a, b| {
                sections[*a]
                    .meta
                    .weight
                    .cmp(&sections[*b].meta.weight)
                    .then(sections[*a].dir.cmp(&sections[*b].dir))
            });
            sections[s].subsections = subs;
        }
        // Neighbours within the page's own section, Zola's convention: `lower` is the previous
        // page of the sorted list, `higher` the next.
        for s in &sections {
            if s.meta.sort_by == SortBy::None {
                continue;
            }
            let own: Vec<usize> =
                s.pages.iter().copied().filter(|p| sections[pages[*p].section].dir == s.dir).collect();
            for (k, p) in own.iter().enumerate() {
                pages[*p].lower = k.checked_sub(1).map(|j| own[j]);
                pages[*p].higher = own.get(k + 1).copied();
            }
        }

        let mut by_content_path = HashMap::new();
        let mut by_url: BTreeMap<String, Vec<UrlOwner>> = BTreeMap::new();
        for (i, s) in sections.iter().enumerate() {
            by_content_path.insert(s.content_path.clone(), Item::Section(i));
            if s.meta.render {
                by_url.entry(s.path.clone()).or_default().push(UrlOwner::File(s.file.display().to_string()));
            }
            for a in &s.meta.aliases {
                by_url
                    .entry(crate::content::page::normalize_path(a))
                    .or_default()
                    .push(UrlOwner::Alias(s.file.display().to_string()));
            }
        }
        for (i, p) in pages.iter().enumerate() {
            by_content_path.insert(p.content_path.clone(), Item::Page(i));
            by_url.entry(p.path.clone()).or_default().push(UrlOwner::File(p.file.display().to_string()));
            for a in &p.meta.aliases {
                by_url
                    .entry(crate::content::page::normalize_path(a))
                    .or_default()
                    .push(UrlOwner::Alias(p.file.display().to_string()));
            }
        }

        // Translations: the pages (and sections) whose file names differ only in the language.
        let mut translations: HashMap<String, Vec<Item>> = HashMap::new();
        if config.other_languages().next().is_some() {
            for (i, s) in sections.iter().enumerate() {
                let canonical = super::page::without_language(&s.content_path, &s.lang);
                translations.entry(canonical).or_default().push(Item::Section(i));
            }
            for (i, p) in pages.iter().enumerate() {
                translations.entry(p.canonical.clone()).or_default().push(Item::Page(i));
            }
        }

        let mut taxonomies = build_taxonomies(config, default, &pages, &mut problems);
        for code in config.other_languages() {
            taxonomies.extend(build_taxonomies(config, code, &pages, &mut problems));
        }
        for t in &taxonomies {
            if t.config.render {
                by_url.entry(t.path.clone()).or_default().push(UrlOwner::Taxonomy(t.config.name.clone()));
                for term in &t.terms {
                    by_url
                        .entry(term.path.clone())
                        .or_default()
                        .push(UrlOwner::Term(t.config.name.clone(), term.name.clone()));
                }
            }
        }
        for (url, owners) in &by_url {
            if owners.len() > 1 {
                problems.push(Problem::new(crate::messages::url_taken(owners, url)));
            }
        }

        let library = Library {
            pages,
            sections,
            by_content_path,
            taxonomies,
            unreadable: Default::default(),
            translations,
        };
        (library, problems)
    }

    pub fn get(&self, content_path: &str) -> Option<Item> {
        self.by_content_path.get(content_path.trim_start_matches("@/").trim_start_matches('/')).copied()
    }

    /// The page or section in every language it is written in, itself included (empty when the
    /// site has one language).
    pub fn translations_of(&self, item: Item) -> &[Item] {
        // Every page is serialized many times (in each list holding it): a one-language site
        // answers at once, and a page's key is borrowed, not copied.
        if self.translations.is_empty() {
            return &[];
        }
        let found = match item {
            Item::Page(i) => self.translations.get(&self.pages[i].canonical),
            Item::Section(i) => {
                let s = &self.sections[i];
                self.translations.get(&super::page::without_language(&s.content_path, &s.lang))
            }
        };
        found.map_or(&[], Vec::as_slice)
    }

    /// The taxonomy `name` of the language `lang`.
    pub fn taxonomy(&self, name: &str, lang: &str) -> Option<usize> {
        self.taxonomies.iter().position(|t| t.config.name == name && t.lang == lang)
    }

    pub fn path_of(&self, item: Item) -> &str {
        match item {
            Item::Page(i) => &self.pages[i].path,
            Item::Section(i) => &self.sections[i].path,
        }
    }
}

fn sort_pages(list: &mut [usize], pages: &[Page], sort_by: SortBy) {
    use std::cmp::Ordering;
    // Ties are broken by the address, as Zola breaks them by permalink.
    let by_path = |a: &usize, b: &usize| {
        pages[*a].path.cmp(&pages[*b].path).then(pages[*a].content_path.cmp(&pages[*b].content_path))
    };
    match sort_by {
        SortBy::None | SortBy::Slug => {
            list.sort_by(|a, b| pages[*a].slug.cmp(&pages[*b].slug).then(by_path(a, b)))
        }
        SortBy::Date | SortBy::UpdateDate => list.sort_by(|a, b| {
            let key = |p: &Page| {
                if sort_by == SortBy::UpdateDate {
                    // The later of the two, as Zola.
                    p.meta.updated.as_ref().max(p.meta.date.as_ref())
                } else {
                    p.meta.date.as_ref()
                }
                .map(|d| d.instant)
            };
            match (key(&pages[*a]), key(&pages[*b])) {
                (Some(x), Some(y)) => y.cmp(&x).then(by_path(a, b)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => by_path(a, b),
            }
        }),
        SortBy::Weight => list.sort_by(|a, b| match (pages[*a].meta.weight, pages[*b].meta.weight) {
            (Some(x), Some(y)) => x.cmp(&y).then(by_path(a, b)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => by_path(a, b),
        }),
        SortBy::Title => list.sort_by(|a, b| pages[*a].title().cmp(pages[*b].title()).then(by_path(a, b))),
    }
}

/// The taxonomies of the language `lang`, with the terms of its pages.
fn build_taxonomies(config: &Config, lang: &str, pages: &[Page], problems: &mut Problems) -> Vec<Taxonomy> {
    let declared = config.taxonomies_of(lang);
    let mut found: BTreeMap<&str, BTreeMap<String, (String, Vec<usize>)>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate().filter(|(_, p)| p.lang == lang) {
        for (name, terms) in &p.meta.taxonomies {
            if !declared.iter().any(|t| t.name == *name) {
                let known: Vec<&str> = declared.iter().map(|t| t.name.as_str()).collect();
                let suggestion = crate::suggest::closest(name, known.iter().copied());
                let line = crate::strict_toml::find_key_line(&p.front_matter, name)
                    .map_or(p.front_matter_line, |l| p.front_matter_line + l - 1);
                problems.push(Problem::at(
                    &p.file,
                    line,
                    crate::messages::taxonomy_not_declared(name, &known, suggestion),
                ));
                continue;
            }
            for term in terms {
                let slug = term_slug_by(term, config.slugify.taxonomies);
                let entry =
                    found.entry(name).or_default().entry(slug).or_insert_with(|| (term.clone(), Vec::new()));
                // Names with one slug (`Blog`, `blog`) are one term, named as Zola names it: the
                // first of them in byte order.
                if *term < entry.0 {
                    entry.0 = term.clone();
                }
                if !entry.1.contains(&i) {
                    entry.1.push(i);
                }
            }
        }
    }
    let language = if lang == config.default_language { String::new() } else { format!("/{lang}") };
    declared
        .iter()
        .map(|tc| {
            let slug = term_slug_by(&tc.name, config.slugify.taxonomies);
            // Zola's `taxonomy_root = "blog"` puts the taxonomies under /blog/.
            let path = match config.taxonomy_root.as_deref().map(|r| r.trim_matches('/')) {
                Some(root) if !root.is_empty() => format!("{language}/{root}/{slug}/"),
                _ => format!("{language}/{slug}/"),
            };
            let terms = found
                .remove(tc.name.as_str())
                .unwrap_or_default()
                .into_iter()
                .map(|(term_slug, (name, mut list))| {
                    sort_pages(&mut list, pages, SortBy::Date);
                    Term { path: format!("{path}{term_slug}/"), name, slug: term_slug, pages: list }
                })
                .collect();
            Taxonomy { config: tc.clone(), slug, path, terms, lang: lang.to_string() }
        })
        .collect()
}
