//! A map from tokens to ids, shaped for the tokeniser's output.
//!
//! Nearly every token is short (4.5 bytes on average in 20 Newsgroups), so a token of up
//! to 15 bytes is stored inline in the table as two words, with its length in the last
//! byte: a lookup hashes and compares two integers, and touches no other memory.
//! Longer tokens go to an ordinary map. Each token is stemmed and looked up in the
//! vocabulary once per map, and found through it every other time.

use hashbrown::HashTable;
use rustc_hash::FxHashMap;

/// A token of up to 15 bytes, zero-padded, with its length in the last byte.
type Inline = (u64, u64);

fn inline(token: &str) -> Option<Inline> {
    let b = token.as_bytes();
    if b.len() > 15 {
        return None;
    }
    // Built by shifts rather than through a byte buffer: reading a word just written
    // byte by byte stalls the processor, and tokens are a few bytes long.
    let (mut lo, mut hi) = (0u64, (b.len() as u64) << 56);
    for (i, &byte) in b.iter().enumerate() {
        if i < 8 {
            lo |= u64::from(byte) << (8 * i);
        } else {
            hi |= u64::from(byte) << (8 * (i - 8));
        }
    }
    Some((lo, hi))
}

/// The high and low halves of a 128-bit product, folded together (as in foldhash).
fn fold(a: u64, b: u64) -> u64 {
    let x = u128::from(a) * u128::from(b);
    (x as u64) ^ ((x >> 64) as u64)
}

fn hash((lo, hi): Inline) -> u64 {
    fold(fold(lo ^ 0x243f_6a88_85a3_08d3, 0x1319_8a2e_0370_7344) ^ hi, 0xa409_3822_299f_31d0)
}

/// Token to id.
#[derive(Debug, Default)]
pub(crate) struct TokenMap {
    short: HashTable<(u64, u64, u32)>,
    long: FxHashMap<Box<str>, u32>,
}

impl TokenMap {
    /// The id of `token`, if it is in the map.
    #[inline]
    pub(crate) fn get(&self, token: &str) -> Option<u32> {
        match inline(token) {
            Some(k) => self.short.find(hash(k), |e| (e.0, e.1) == k).map(|e| e.2),
            None => self.long.get(token).copied(),
        }
    }

    /// Adds `token`, which is not in the map, with `id`.
    pub(crate) fn insert(&mut self, token: &str, id: u32) {
        debug_assert!(self.get(token).is_none());
        match inline(token) {
            Some(k) => {
                self.short.insert_unique(hash(k), (k.0, k.1, id), |e| hash((e.0, e.1)));
            }
            None => {
                self.long.insert(token.into(), id);
            }
        }
    }

    /// The id of `token`, added with `make()` if it is not in the map.
    #[inline]
    pub(crate) fn get_or_insert_with(&mut self, token: &str, make: impl FnOnce() -> u32) -> u32 {
        match self.get(token) {
            Some(id) => id,
            None => {
                let id = make();
                self.insert(token, id);
                id
            }
        }
    }

    /// Number of tokens in the map.
    pub(crate) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    /// Empties the map.
    pub(crate) fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_it_holds_and_nothing_else() {
        // Short and long tokens; tokens that differ only by length, by trailing zero
        // bytes, or at the 15/16-byte boundary; non-ASCII.
        let tokens = [
            "",
            "a",
            "a\0",
            "ab",
            "b",
            "<num>",
            "kassym-jomart",
            "қазақстан",
            "123456789012345",
            "1234567890123456",
            "12345678901234567890",
            "1234567890123456x",
            "école",
        ];
        let mut map = TokenMap::default();
        for (i, t) in tokens.iter().enumerate() {
            assert_eq!(map.get(t), None, "{t:?} before it was added");
            assert_eq!(map.get_or_insert_with(t, || i as u32), i as u32);
        }
        assert_eq!(map.len(), tokens.len());
        for (i, t) in tokens.iter().enumerate() {
            assert_eq!(map.get(t), Some(i as u32), "{t:?}");
            assert_eq!(map.get_or_insert_with(t, || unreachable!("{t:?} is in the map")), i as u32);
        }
        for absent in ["a\0\0", "ba", "123456789012346", "12345678901234567891", "ecole"] {
            assert_eq!(map.get(absent), None, "{absent:?}");
        }
        // Many tokens that share their first eight bytes in groups of a thousand, and
        // long ones: no two are taken for each other, even where their hashes meet.
        let name = |i: u32| if i % 2 == 0 { format!("token-{i:05}") } else { format!("a-much-longer-token-{i:05}") };
        let mut big = TokenMap::default();
        for i in 0..50_000u32 {
            big.insert(&name(i), i);
        }
        assert!((0..50_000u32).all(|i| big.get(&name(i)) == Some(i)));
        big.clear();
        assert_eq!((big.len(), big.get(&name(1))), (0, None));
    }
}
