//! How the block store writes a block's transaction results and hook
//! events: borsh, then LZ4 block compression behind a four-byte tag.
//!
//! Why: results are most of what a block stores (about 800 bytes per
//! device reading, mostly bech32 addresses and attribute names repeated
//! in every event), and writing them — copying them into pages, then
//! syncing them to disk — was the largest part of the store's time on a
//! busy node. They compress several times over at a cost below that.
//!
//! Layout: [`TAG`] ‖ decompressed length (u32, little-endian) ‖ LZ4 block.
//! Values written before the tag existed are plain borsh and are still
//! read: a plain borsh `Vec` starts with its element count, which would
//! equal the tag only for a vector of 0x317A5846 (about 830 million)
//! elements, far beyond any block.
//!
//! Never trusts a stored length: a value that claims to decompress to
//! more than [`MAX_DECODED`] bytes, or to a length other than the one it
//! yields, is refused as corrupt instead of allocated.

use borsh::{BorshDeserialize, BorshSerialize};

/// Marks a compressed value.
const TAG: [u8; 4] = *b"FXz1";

/// The tag and the decompressed length.
const HEADER_LEN: usize = 8;

/// The most bytes one stored value may decompress to (a block's results
/// are far below it: blocks are bounded in bytes, and a transaction's
/// events by its gas).
pub(super) const MAX_DECODED: usize = 1 << 30;

/// Why a stored value could not be read.
#[derive(Debug, thiserror::Error)]
pub(super) enum CodecError {
    /// It could not be encoded (too large for the length field).
    #[error("a value of {0} bytes is too large to store")]
    TooLarge(usize),
    /// Its borsh bytes could not be written or read.
    #[error("borsh: {0}")]
    Borsh(#[from] std::io::Error),
    /// The tag is there but the rest does not decompress.
    #[error("corrupt compressed value: {0}")]
    Corrupt(String),
}

/// The most capacity an [`Encoder`] keeps between blocks: a buffer grown
/// beyond it (by an unusually large block) is freed after use.
const KEEP_CAPACITY: usize = 64 << 20;

/// Encodes values as borsh and compresses them, into buffers it keeps: a
/// block's results are megabytes, and fresh buffers of that size every
/// block cost a page fault and a zeroed page per 4 KiB.
#[derive(Debug, Default)]
pub(super) struct Encoder {
    raw: Vec<u8>,
    out: Vec<u8>,
}

impl Encoder {
    /// `value` as stored: the tag, the borsh length, the LZ4 block. Valid
    /// until the next call.
    pub(super) fn encode<T: BorshSerialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<&[u8], CodecError> {
        self.raw.clear();
        value.serialize(&mut self.raw)?;
        let raw_len = self.raw.len();
        let len = u32::try_from(raw_len)
            .ok()
            .filter(|_| raw_len <= MAX_DECODED)
            .ok_or(CodecError::TooLarge(raw_len))?;
        // Bounded by MAX_DECODED above, so the worst case cannot overflow.
        // The buffer keeps its length between calls: only growth zeroes.
        let needed = HEADER_LEN.saturating_add(lz4_flex::block::get_maximum_output_size(raw_len));
        if self.out.len() < needed {
            self.out.resize(needed, 0);
        }
        let (header, body) = self
            .out
            .split_at_mut_checked(HEADER_LEN)
            .ok_or(CodecError::TooLarge(raw_len))?;
        let [l0, l1, l2, l3] = len.to_le_bytes();
        let [t0, t1, t2, t3] = TAG;
        header.copy_from_slice(&[t0, t1, t2, t3, l0, l1, l2, l3]);
        let written = lz4_flex::block::compress_into(&self.raw, body)
            .map_err(|e| CodecError::Corrupt(e.to_string()))?;
        self.out
            .get(..HEADER_LEN.saturating_add(written))
            .ok_or(CodecError::TooLarge(raw_len))
    }

    /// Frees a buffer an unusually large value grew beyond
    /// [`KEEP_CAPACITY`].
    pub(super) fn trim(&mut self) {
        for buffer in [&mut self.raw, &mut self.out] {
            if buffer.capacity() > KEEP_CAPACITY {
                *buffer = Vec::new();
            }
        }
    }
}

/// Decodes what [`Encoder::encode`] wrote, or a plain borsh value written before
/// compression.
pub(super) fn decode<T: BorshDeserialize>(bytes: &[u8]) -> Result<T, CodecError> {
    let Some(rest) = bytes.strip_prefix(&TAG) else {
        return Ok(borsh::from_slice(bytes)?);
    };
    let (len, body) = rest
        .split_first_chunk::<4>()
        .ok_or_else(|| CodecError::Corrupt("no length after the tag".into()))?;
    let len = usize::try_from(u32::from_le_bytes(*len))
        .ok()
        .filter(|len| *len <= MAX_DECODED)
        .ok_or_else(|| CodecError::Corrupt("its length is beyond the bound".into()))?;
    let raw =
        lz4_flex::block::decompress(body, len).map_err(|e| CodecError::Corrupt(e.to_string()))?;
    if raw.len() != len {
        return Err(CodecError::Corrupt(format!(
            "it decompressed to {} bytes, not the {len} it states",
            raw.len()
        )));
    }
    Ok(borsh::from_slice(&raw)?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

    use super::*;

    fn encode<T: BorshSerialize + ?Sized>(value: &T) -> Result<Vec<u8>, CodecError> {
        Encoder::default().encode(value).map(<[u8]>::to_vec)
    }

    fn sample() -> Vec<(String, u64)> {
        (0..500u64)
            .map(|i| (format!("fx1qqqqexampleaddress{:04}", i % 7), i))
            .collect()
    }

    #[test]
    fn a_value_round_trips_and_repetitive_text_shrinks() {
        let value = sample();
        let stored = encode(&value).unwrap();
        assert!(stored.starts_with(&TAG));
        let plain = borsh::to_vec(&value).unwrap();
        assert!(
            stored.len() * 3 < plain.len(),
            "{} compressed vs {} plain",
            stored.len(),
            plain.len()
        );
        assert_eq!(decode::<Vec<(String, u64)>>(&stored).unwrap(), value);
        let empty: Vec<u64> = Vec::new();
        assert_eq!(decode::<Vec<u64>>(&encode(&empty).unwrap()).unwrap(), empty);
    }

    #[test]
    fn a_reused_encoder_writes_each_value_alone() {
        // The buffers keep their length between calls: a smaller value
        // after a larger one must not carry the larger one's tail.
        let mut encoder = Encoder::default();
        let large = sample();
        let small: Vec<(String, u64)> = vec![("fx1short".into(), 7)];
        for _ in 0..2 {
            let stored = encoder.encode(&large).unwrap().to_vec();
            assert_eq!(decode::<Vec<(String, u64)>>(&stored).unwrap(), large);
            let stored = encoder.encode(&small).unwrap().to_vec();
            assert_eq!(stored, encode(&small).unwrap());
            assert_eq!(decode::<Vec<(String, u64)>>(&stored).unwrap(), small);
        }
    }

    #[test]
    fn plain_borsh_written_before_compression_is_still_read() {
        let value = sample();
        let plain = borsh::to_vec(&value).unwrap();
        assert_eq!(decode::<Vec<(String, u64)>>(&plain).unwrap(), value);
    }

    #[test]
    fn corrupt_compressed_values_are_refused_not_allocated() {
        let stored = encode(&sample()).unwrap();
        // A length beyond the bound.
        let mut huge = stored.clone();
        huge[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            decode::<Vec<(String, u64)>>(&huge),
            Err(CodecError::Corrupt(_))
        ));
        // A length that is not the one the block yields.
        let mut short = stored.clone();
        let len = u32::from_le_bytes(short[4..8].try_into().unwrap());
        short[4..8].copy_from_slice(&(len - 1).to_le_bytes());
        assert!(decode::<Vec<(String, u64)>>(&short).is_err());
        // Cut off, or only the tag.
        assert!(decode::<Vec<(String, u64)>>(&stored[..stored.len() / 2]).is_err());
        assert!(matches!(
            decode::<Vec<(String, u64)>>(&TAG),
            Err(CodecError::Corrupt(_))
        ));
    }
}
