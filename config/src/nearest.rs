//! "Did you mean …?": the configured name closest to a mistyped one (Levenshtein distance).

/// The candidate closest to `name`, compared case-insensitively, if its edit distance is at most
/// `max(2, len/3)` where `len` is the length of `name` in characters. Ties go to the earlier
/// candidate.
pub fn nearest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted: Vec<char> = name.to_lowercase().chars().collect();
    let limit = (name.chars().count() / 3).max(2);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let other: Vec<char> = candidate.to_lowercase().chars().collect();
        let distance = levenshtein(&wanted, &other);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Edit distance (insertions, deletions, substitutions) between two character sequences.
pub fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        levenshtein(&a, &b)
    }

    #[test]
    fn distances() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("gihub", "github"), 1);
        assert_eq!(distance("flaw", "lawn"), 2);
        assert_eq!(distance("héllo", "hello"), 1);
    }

    #[test]
    fn suggests_a_close_name() {
        let names = ["github", "time"];
        assert_eq!(nearest("gihub", names), Some("github"));
        assert_eq!(nearest("tiem", names), Some("time"));
    }

    #[test]
    fn ignores_case() {
        assert_eq!(nearest("GitHub", ["github", "time"]), Some("github"));
    }

    #[test]
    fn nothing_when_too_far() {
        assert_eq!(nearest("postgres", ["github", "time"]), None);
        assert_eq!(nearest("x", std::iter::empty()), None);
    }

    #[test]
    fn limit_grows_with_length() {
        // 12 characters allow a distance of 4; 6 characters only 2.
        assert_eq!(nearest("filesystemxx", ["filesys"]), None);
        assert_eq!(nearest("filesystemxx", ["filesyst"]), Some("filesyst"));
        assert_eq!(nearest("abcdef", ["abcxyz"]), None);
        assert_eq!(nearest("abcdef", ["abcdxy"]), Some("abcdxy"));
    }

    #[test]
    fn closest_wins_then_first() {
        assert_eq!(nearest("time", ["tame", "times", "time2"]), Some("tame"));
        assert_eq!(nearest("abcd", ["abce", "abcf"]), Some("abce"));
    }
}
