//! Finding the next line end (LF or CR) eight bytes at a time.
//!
//! Event lines are long (a `data:` line of JSON is most of an event), so the line
//! search is the decoder's inner loop: this compares a whole word with both bytes at
//! once (the classic "has a zero byte" test), instead of one byte per step.

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
const LFS: u64 = u64::from_ne_bytes([b'\n'; 8]);
const CRS: u64 = u64::from_ne_bytes([b'\r'; 8]);

/// The high bit of each byte of `word` that is zero, and maybe of bytes after the first
/// such byte (the borrow of the subtraction runs upward), never of bytes before it.
#[inline]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// The index of the first `\n` or `\r` in `bytes`.
#[inline]
pub(crate) fn find_eol(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        // Little-endian: the lowest set bit is the first byte in memory.
        let word = u64::from_le_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]);
        let hits = zero_bytes(word ^ LFS) | zero_bytes(word ^ CRS);
        if hits != 0 {
            return Some(offset + (hits.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map(|i| offset + i)
}

#[cfg(test)]
mod tests {
    use super::find_eol;

    fn naive(bytes: &[u8]) -> Option<usize> {
        bytes.iter().position(|&b| b == b'\n' || b == b'\r')
    }

    #[test]
    fn agrees_with_a_byte_by_byte_search() {
        // Every position and neighbour that could fool a word-wise test: the line ends
        // themselves, bytes one off (0x09, 0x0B, 0x0C, 0x0E), 0x00, 0x80, 0xFF, UTF-8.
        let fillers: [u8; 9] = [b'a', 0x00, 0x09, 0x0B, 0x0C, 0x0E, 0x80, 0xFF, 0xC3];
        for len in 0..40 {
            for filler in fillers {
                let base = vec![filler; len];
                assert_eq!(find_eol(&base), None, "len {len} filler {filler:#x}");
                for at in 0..len {
                    for end in [b'\n', b'\r'] {
                        let mut bytes = base.clone();
                        bytes[at] = end;
                        if at + 1 < len {
                            bytes[at + 1] = b'\n';
                        }
                        assert_eq!(find_eol(&bytes), Some(at), "{bytes:?}");
                        assert_eq!(find_eol(&bytes), naive(&bytes));
                    }
                }
            }
        }
    }

    #[test]
    fn the_first_of_several_wins() {
        let text = b"data: {\"x\":\"caf\xC3\xA9\"}\r\n\n";
        assert_eq!(find_eol(text), naive(text));
        assert_eq!(find_eol(&text[..19]), None);
    }
}
