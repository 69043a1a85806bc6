//! Cursor-based pagination of `tools/list`, with opaque string cursors.

use std::ops::Range;

use crate::protocol::RpcError;

/// Prefix that makes our cursors recognisable; the rest is the offset in hex.
const CURSOR_PREFIX: &str = "tools-after-";

/// One page: the slice of the list to return and the cursor of the next page, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub range: Range<usize>,
    pub next_cursor: Option<String>,
}

/// Chooses the page of a `total`-long list that `cursor` designates; `page_size` 0 means no paging.
pub fn page(total: usize, cursor: Option<&str>, page_size: usize) -> Result<Page, RpcError> {
    let start = match cursor {
        None => 0,
        Some(cursor) => decode_cursor(cursor)
            .filter(|offset| *offset <= total)
            .ok_or_else(|| RpcError::invalid_params(format!("Invalid cursor: {cursor}")))?,
    };
    if page_size == 0 {
        return Ok(Page {
            range: start..total,
            next_cursor: None,
        });
    }
    let end = start.saturating_add(page_size).min(total);
    let next_cursor = (end < total).then(|| encode_cursor(end));
    Ok(Page {
        range: start..end,
        next_cursor,
    })
}

fn encode_cursor(offset: usize) -> String {
    format!("{CURSOR_PREFIX}{offset:x}")
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let hex = cursor.strip_prefix(CURSOR_PREFIX)?;
    usize::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpaged_lists_come_whole() {
        assert_eq!(
            page(7, None, 0),
            Ok(Page {
                range: 0..7,
                next_cursor: None
            })
        );
    }

    #[test]
    fn pages_chain_through_cursors_to_the_end() {
        let mut cursor = None;
        let mut seen = Vec::new();
        loop {
            let p = page(23, cursor.as_deref(), 10).unwrap();
            seen.extend(p.range.clone());
            match p.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, (0..23).collect::<Vec<_>>());
    }

    #[test]
    fn exact_multiple_has_no_trailing_empty_page() {
        let first = page(20, None, 10).unwrap();
        let second = page(20, first.next_cursor.as_deref(), 10).unwrap();
        assert_eq!(second.range, 10..20);
        assert_eq!(second.next_cursor, None);
    }

    #[test]
    fn bad_cursors_are_invalid_params() {
        for bad in ["nonsense", "tools-after-zz", "tools-after-ff"] {
            let err = page(20, Some(bad), 10).unwrap_err();
            assert_eq!(err.code, crate::protocol::INVALID_PARAMS, "{bad}");
        }
    }
}
