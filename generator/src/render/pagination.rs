//! Pagination of sections and taxonomy terms: how many pagers a list needs, where each lives
//! (`/notices/page/2/`) and Zola's `paginator` a pager's template sees.

use serde_json::{Value, json};

use crate::data::SiteData;
use crate::serialize::{self, Mode};

/// How many pagers a list of `items` needs at `by` a pager (at least one, even when empty).
pub(super) fn pager_count(items: usize, by: usize) -> usize {
    items.div_ceil(by).max(1)
}

/// Site path of pager `index` (0-based) of the list at `base`: the first is `base` itself.
pub(super) fn pager_path(base: &str, paginate_path: &str, index: usize) -> String {
    if index == 0 { base.to_string() } else { format!("{base}{paginate_path}/{}/", index + 1) }
}

/// Zola's `paginator` for pager `index` (0-based) of `items`.
pub(super) fn paginator(
    data: &SiteData,
    base: &str,
    paginate_path: &str,
    items: &[usize],
    by: usize,
    index: usize,
) -> Value {
    let count = pager_count(items.len(), by);
    let start = (index * by).min(items.len());
    let end = (start + by).min(items.len());
    let link = |i: usize| data.config.make_permalink(&pager_path(base, paginate_path, i));
    json!({
        "paginate_by": by,
        "base_url": data.config.make_permalink(&format!("{base}{paginate_path}/")),
        "number_pagers": count,
        "first": link(0),
        "last": link(count - 1),
        "previous": if index > 0 { Value::String(link(index - 1)) } else { Value::Null },
        "next": if index + 1 < count { Value::String(link(index + 1)) } else { Value::Null },
        "pages": items[start..end].iter().map(|p| serialize::page(data, *p, Mode::InList)).collect::<Vec<_>>(),
        "current_index": index + 1,
        "total_pages": items.len(),
    })
}
