//! Splitting work into bulk requests: at most `max_items` per request and, when item sizes
//! are known, at most `max_bytes` of payload (an item larger than that goes alone).

use std::ops::Range;

/// The spec's and carriers' limit of references per bulk request (../shared/docs/nms-protocol.md §3.9).
pub const MAX_BULK: usize = 100;

/// Payload bytes per bulkCreation request; well below the server's default 64 MiB body cap.
pub const MAX_BULK_BYTES: u64 = 16 * 1024 * 1024;

/// Consecutive index ranges over `sizes`, each within both limits.
pub fn plan(sizes: &[u64], max_items: usize, max_bytes: u64) -> Vec<Range<usize>> {
    let max_items = max_items.max(1);
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0u64;
    for (i, &s) in sizes.iter().enumerate() {
        let full = i - start >= max_items || (i > start && bytes.saturating_add(s) > max_bytes);
        if full {
            out.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes = bytes.saturating_add(s);
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_count_and_bytes() {
        assert_eq!(plan(&[1; 250], 100, u64::MAX), vec![0..100, 100..200, 200..250]);
        assert_eq!(plan(&[], 100, 10), Vec::<Range<usize>>::new());
        assert_eq!(plan(&[4, 4, 4, 20, 1], 100, 10), vec![0..2, 2..3, 3..4, 4..5]);
        assert_eq!(plan(&[5, 5, 5], 2, 100), vec![0..2, 2..3]);
    }
}
