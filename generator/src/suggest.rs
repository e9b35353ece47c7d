//! "Did you mean": the closest of some names to a name that is not one of them, by edit distance
//! (the `strsim` crate's optimal string alignment: Levenshtein where swapping two neighbours is
//! one edit, `wieght` → `weight`; counted in characters, so a Chinese character is one). Pure; the messages that use it are in [`crate::messages`].

/// The candidate closest to `word`, when it is close enough to be what was meant: at most one
/// edit in a name of up to four characters, two up to eight, else a quarter of its length (at
/// most five). A candidate that differs only in case always is. Ties go to the first candidate.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    let allowed = match len {
        0 => return None,
        1..=4 => 1,
        5..=8 => 2,
        _ => (len / 4).min(5),
    };
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let distance = if candidate.to_lowercase() == lower {
            0
        } else if singular_and_plural(&lower, &candidate.to_lowercase()) {
            1
        } else {
            strsim::osa_distance(word, candidate)
        };
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `tag` and `tags`, `category` and `categories`: one is the other's English plural.
fn singular_and_plural(a: &str, b: &str) -> bool {
    let plural_of = |one: &str, many: &str| {
        many.strip_suffix('s') == Some(one)
            || many
                .strip_suffix("ies")
                .zip(one.strip_suffix('y'))
                .is_some_and(|(m, o)| m == o && !m.is_empty())
    };
    plural_of(a, b) || plural_of(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_the_name() {
        assert_eq!(closest("tittle", ["title", "date", "weight"]), Some("title"));
        assert_eq!(closest("sigin", ["note", "signin", "quiz"]), Some("signin"));
        assert_eq!(closest("guide/due.md", ["guide/dues.md", "guide/_index.md"]), Some("guide/dues.md"));
        assert_eq!(closest("Poster.PNG", ["poster.png"]), Some("poster.png"));
    }

    #[test]
    fn a_singular_finds_its_plural() {
        assert_eq!(closest("category", ["categories", "tags"]), Some("categories"));
        assert_eq!(closest("tag", ["categories", "tags"]), Some("tags"));
        assert_eq!(closest("titles", ["title"]), Some("title"));
    }

    #[test]
    fn nothing_close_is_no_suggestion() {
        assert_eq!(closest("colour", ["title", "date"]), None);
        assert_eq!(closest("ab", ["xy"]), None);
        assert_eq!(closest("", ["a"]), None);
        assert_eq!(closest("title", ["title"]), None, "the same name is not a suggestion");
    }

    #[test]
    fn the_closest_of_several_wins() {
        assert_eq!(closest("wieght", ["height", "weight"]), Some("weight"), "a swap is one edit");
        assert_eq!(closest("dat", ["data", "date"]), Some("data"), "a tie: the first");
    }

    #[test]
    fn chinese_counts_one_edit_a_character() {
        assert_eq!(closest("通知公高", ["通知公告", "党费"]), Some("通知公告"));
    }
}
