//! Streaming a block as proposal parts, and reassembling received streams.
//!
//! A proposal for `(height, round)` is sent as one stream:
//! `Init { height, round, pol_round, proposer }`, then the block's borsh
//! bytes in [`CHUNK_SIZE`] `Data` chunks, then `Fin(signature)` where the
//! proposer signs [`parts_digest`] (SHA-256 over a domain tag, the chain id,
//! the init fields and every chunk, length-prefixed), then the stream-level
//! end marker. Receivers group parts by the *publisher* of the stream (not
//! the peer that relayed a given part) and its stream id, reorder them by
//! sequence number, and hand back a [`CompleteStream`] once every sequence
//! up to the end marker has arrived.
//!
//! What incomplete streams may buffer is bounded by [`StreamLimits`],
//! derived from the node's block size limit: every part (Init, Data, Fin
//! and the end marker) costs [`PART_OVERHEAD`] plus its data bytes; one
//! stream may cost at most a block's worth ([`StreamLimits::max_stream_bytes`]),
//! one publisher at most [`MAX_PUBLISHER_STREAMS`] streams and two blocks'
//! worth, and all publishers together [`MAX_OPEN_STREAMS`] streams and
//! [`TOTAL_STREAMS_IN_BLOCKS`] blocks' worth. Going over a bound drops the
//! offending stream or the oldest one (of the same publisher first), so a
//! peer can waste only its own share.

use std::collections::{BTreeMap, HashMap};

use borsh::BorshSerialize;
use bytes::Bytes;
use malachitebft_app_channel::app::streaming::StreamContent;
use malachitebft_app_channel::app::types::PeerId;
use malachitebft_app_channel::app::types::streaming::{StreamId, StreamMessage};
use malachitebft_signing_ed25519::Signature;
use sha2::{Digest, Sha256};

use crate::codec::wire::round_to_wire;
use crate::context::{PartInit, ProposalPart};

/// Size of one `Data` chunk of block bytes.
pub const CHUNK_SIZE: usize = 64 * 1024;
/// Most partially received streams kept at once; the oldest is dropped.
pub const MAX_OPEN_STREAMS: usize = 128;
/// Most partially received streams kept for one publisher (a proposer has
/// one stream per round; a few rounds may overlap).
pub const MAX_PUBLISHER_STREAMS: usize = 4;
/// What one part costs beyond its data bytes (its entry, sequence number,
/// and for Init/Fin their fields): a stream of empty parts is bounded too.
pub const PART_OVERHEAD: usize = 128;
/// All incomplete streams together may cost this many blocks' worth.
pub const TOTAL_STREAMS_IN_BLOCKS: usize = 8;
/// The node's default block size limit (bytes of transactions), used by
/// [`StreamLimits::default`].
pub const DEFAULT_MAX_BLOCK_BYTES: usize = 4 * 1024 * 1024;

/// Bounds on what incomplete proposal streams may buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    /// Most bytes (counted as the module docs say) one stream may cost.
    pub max_stream_bytes: usize,
    /// Most bytes one publisher's incomplete streams may cost together.
    pub max_publisher_bytes: usize,
    /// Most bytes all incomplete streams may cost together.
    pub max_total_bytes: usize,
}

impl StreamLimits {
    /// The bounds for a node whose blocks carry at most `max_block_bytes`
    /// bytes of transactions. A block's encoding adds to those bytes a
    /// header (< 1 KiB), a 4-byte length per transaction (a signed
    /// transaction is over 100 bytes, so < 4 %), the previous commit and
    /// evidence (< 64 KiB for hundreds of validators); its stream adds
    /// [`PART_OVERHEAD`] per 64 KiB chunk (< 0.2 %). A quarter of the limit
    /// plus 1 MiB covers all of that, so an honest block always fits.
    pub fn for_block_limit(max_block_bytes: usize) -> Self {
        let max_stream_bytes = max_block_bytes
            .saturating_add(max_block_bytes / 4)
            .saturating_add(1024 * 1024);
        StreamLimits {
            max_stream_bytes,
            max_publisher_bytes: max_stream_bytes.saturating_mul(2),
            max_total_bytes: max_stream_bytes.saturating_mul(TOTAL_STREAMS_IN_BLOCKS),
        }
    }
}

impl Default for StreamLimits {
    fn default() -> Self {
        Self::for_block_limit(DEFAULT_MAX_BLOCK_BYTES)
    }
}

const PARTS_TAG: &[u8] = b"fructus/consensus/proposal-parts/v1";

/// The digest the proposer signs in the `Fin` part.
pub fn parts_digest<'a>(
    chain_id: &str,
    init: &PartInit,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(PARTS_TAG);
    let mut head = Vec::new();
    let fields = (
        chain_id,
        init.height.0,
        round_to_wire(init.round),
        round_to_wire(init.pol_round),
        *init.proposer.0.as_bytes(),
    );
    // Writing into a Vec cannot fail.
    let _ = fields.serialize(&mut head);
    h.update(&head);
    for c in chunks {
        h.update(u64::try_from(c.len()).unwrap_or(u64::MAX).to_le_bytes());
        h.update(c);
    }
    h.finalize().into()
}

/// Splits block bytes into chunks and returns the stream's parts (without
/// the signature, which the caller computes over [`parts_digest`]).
pub fn chunk(bytes: &[u8]) -> Vec<Bytes> {
    if bytes.is_empty() {
        return vec![Bytes::new()];
    }
    bytes
        .chunks(CHUNK_SIZE)
        .map(Bytes::copy_from_slice)
        .collect()
}

/// Builds the stream messages for `parts` (init, data…, fin) under `stream_id`.
pub fn to_stream_messages(
    stream_id: &StreamId,
    parts: &[ProposalPart],
) -> Vec<StreamMessage<ProposalPart>> {
    let mut out: Vec<StreamMessage<ProposalPart>> = parts
        .iter()
        .zip(0u64..)
        .map(|(p, seq)| StreamMessage::new(stream_id.clone(), seq, StreamContent::Data(p.clone())))
        .collect();
    let end = u64::try_from(parts.len()).unwrap_or(u64::MAX);
    out.push(StreamMessage::new(
        stream_id.clone(),
        end,
        StreamContent::Fin,
    ));
    out
}

/// A fully received, structurally well-formed proposal stream (the
/// signature is not yet checked).
#[derive(Debug, Clone)]
pub struct CompleteStream {
    /// The init part.
    pub init: PartInit,
    /// The data chunks in order.
    pub chunks: Vec<Bytes>,
    /// The proposer's signature from the `Fin` part.
    pub signature: Signature,
    /// All parts, in order (kept for restreaming).
    pub parts: Vec<ProposalPart>,
}

impl CompleteStream {
    /// The block bytes (chunks concatenated).
    pub fn block_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for c in &self.chunks {
            out.extend_from_slice(c);
        }
        out
    }
}

struct Partial {
    parts: BTreeMap<u64, ProposalPart>,
    end: Option<u64>,
    bytes: usize,
    /// Order of opening (smaller = older).
    opened: u64,
}

type Key = (PeerId, StreamId);

/// Reassembles streams, keyed by `(publisher, stream id)`, within
/// [`StreamLimits`].
#[derive(Default)]
pub struct PartStreams {
    open: HashMap<Key, Partial>,
    limits: StreamLimits,
    opened: u64,
    total_bytes: usize,
}

impl PartStreams {
    /// No streams yet; buffering bounded by `limits`.
    pub fn new(limits: StreamLimits) -> Self {
        PartStreams {
            limits,
            ..PartStreams::default()
        }
    }

    /// The oldest stream satisfying `pick`, other than `keep`.
    fn oldest(&self, keep: &Key, pick: impl Fn(&Key) -> bool) -> Option<Key> {
        self.open
            .iter()
            .filter(|(k, _)| *k != keep && pick(k))
            .min_by_key(|(_, p)| p.opened)
            .map(|(k, _)| k.clone())
    }

    fn remove(&mut self, key: &Key) -> Option<Partial> {
        let partial = self.open.remove(key)?;
        self.total_bytes = self.total_bytes.saturating_sub(partial.bytes);
        Some(partial)
    }

    /// Bytes buffered for `publisher`.
    fn publisher_bytes(&self, publisher: &PeerId) -> usize {
        self.open
            .iter()
            .filter(|((p, _), _)| p == publisher)
            .map(|(_, partial)| partial.bytes)
            .fold(0, usize::saturating_add)
    }

    /// Makes room for a new stream of `key`'s publisher.
    fn make_room_for_stream(&mut self, key: &Key) {
        let publisher = key.0;
        let of_publisher = self.open.keys().filter(|(p, _)| *p == publisher).count();
        if of_publisher >= MAX_PUBLISHER_STREAMS
            && let Some(k) = self.oldest(key, |(p, _)| *p == publisher)
        {
            self.remove(&k);
        }
        if self.open.len() >= MAX_OPEN_STREAMS
            && let Some(k) = self.oldest(key, |_| true)
        {
            self.remove(&k);
        }
    }

    /// Charges `cost` bytes to `key`'s stream, dropping streams until every
    /// bound holds; false if `key`'s stream itself had to go.
    fn charge(&mut self, key: &Key, cost: usize) -> bool {
        let Some(partial) = self.open.get_mut(key) else {
            return false;
        };
        partial.bytes = partial.bytes.saturating_add(cost);
        let stream_bytes = partial.bytes;
        self.total_bytes = self.total_bytes.saturating_add(cost);
        if stream_bytes > self.limits.max_stream_bytes {
            self.remove(key);
            return false;
        }
        let publisher = key.0;
        while self.publisher_bytes(&publisher) > self.limits.max_publisher_bytes {
            let Some(k) = self.oldest(key, |(p, _)| *p == publisher) else {
                self.remove(key);
                return false;
            };
            self.remove(&k);
        }
        while self.total_bytes > self.limits.max_total_bytes {
            let Some(k) = self.oldest(key, |_| true) else {
                self.remove(key);
                return false;
            };
            self.remove(&k);
        }
        true
    }

    /// Adds one message; returns the stream if it is now complete. Malformed
    /// streams, and streams over a bound, are dropped.
    pub fn insert(
        &mut self,
        publisher: PeerId,
        msg: StreamMessage<ProposalPart>,
    ) -> Option<CompleteStream> {
        let key = (publisher, msg.stream_id.clone());
        if !self.open.contains_key(&key) {
            self.make_room_for_stream(&key);
            self.opened = self.opened.saturating_add(1);
            self.open.insert(
                key.clone(),
                Partial {
                    parts: BTreeMap::new(),
                    end: None,
                    bytes: 0,
                    opened: self.opened,
                },
            );
        }
        let cost = match &msg.content {
            StreamContent::Data(ProposalPart::Data(d)) => PART_OVERHEAD.saturating_add(d.len()),
            _ => PART_OVERHEAD,
        };
        if !self.charge(&key, cost) {
            return None;
        }
        let partial = self.open.get_mut(&key)?;
        match msg.content {
            StreamContent::Fin => partial.end = Some(msg.sequence),
            StreamContent::Data(part) => {
                partial.parts.insert(msg.sequence, part);
            }
        }
        let end = partial.end?;
        let have = u64::try_from(partial.parts.len()).unwrap_or(u64::MAX);
        if have < end {
            return None;
        }
        let partial = self.remove(&key)?;
        assemble(partial, end)
    }

    /// Number of streams still incomplete.
    pub fn open_count(&self) -> usize {
        self.open.len()
    }

    /// Bytes (as counted against the limits) buffered in incomplete streams.
    pub fn buffered_bytes(&self) -> usize {
        self.total_bytes
    }
}

fn assemble(partial: Partial, end: u64) -> Option<CompleteStream> {
    // Sequences must be exactly 0..end.
    if partial.parts.keys().copied().ne(0..end) {
        return None;
    }
    let parts: Vec<ProposalPart> = partial.parts.into_values().collect();
    let (first, rest) = parts.split_first()?;
    let (last, middle) = rest.split_last()?;
    let ProposalPart::Init(init) = first else {
        return None;
    };
    let ProposalPart::Fin(signature) = last else {
        return None;
    };
    let mut chunks = Vec::with_capacity(middle.len());
    for p in middle {
        match p {
            ProposalPart::Data(d) => chunks.push(d.clone()),
            _ => return None,
        }
    }
    Some(CompleteStream {
        init: init.clone(),
        chunks,
        signature: *signature,
        parts,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;
    use crate::context::{Height, ValidatorAddress};
    use fructus_crypto::Address;
    use malachitebft_app_channel::app::types::core::Round;

    fn init() -> PartInit {
        PartInit {
            height: Height(3),
            round: Round::new(0),
            pol_round: Round::Nil,
            proposer: ValidatorAddress(Address::from_bytes([1; 20])),
        }
    }

    fn test_peer() -> PeerId {
        peer(7)
    }

    fn peer(seed: u8) -> PeerId {
        let kp =
            malachitebft_app_channel::app::types::Keypair::ed25519_from_bytes([seed; 32]).unwrap();
        PeerId::from_bytes(&kp.public().to_peer_id().to_bytes()).unwrap()
    }

    const SMALL: StreamLimits = StreamLimits {
        max_stream_bytes: 10_000,
        max_publisher_bytes: 20_000,
        max_total_bytes: 50_000,
    };

    fn data(id: &[u8], sequence: u64, len: usize) -> StreamMessage<ProposalPart> {
        StreamMessage::new(
            StreamId::new(Bytes::copy_from_slice(id)),
            sequence,
            StreamContent::Data(ProposalPart::Data(Bytes::from(vec![1u8; len]))),
        )
    }

    #[test]
    fn a_stream_larger_than_a_block_is_dropped() {
        let mut streams = PartStreams::new(SMALL);
        for seq in 1..=2 {
            assert!(
                streams
                    .insert(test_peer(), data(b"big", seq, 4_000))
                    .is_none()
            );
        }
        assert_eq!(streams.open_count(), 1);
        assert!(
            streams
                .insert(test_peer(), data(b"big", 3, 4_000))
                .is_none()
        );
        assert_eq!(streams.open_count(), 0);
        assert_eq!(streams.buffered_bytes(), 0);
    }

    #[test]
    fn init_and_fin_parts_count_against_the_stream_bound() {
        let mut streams = PartStreams::new(SMALL);
        let id = StreamId::new(Bytes::from_static(b"empty-parts"));
        let most = SMALL.max_stream_bytes / PART_OVERHEAD;
        for seq in 0..u64::try_from(most).unwrap() {
            let part = StreamMessage::new(
                id.clone(),
                seq,
                StreamContent::Data(ProposalPart::Init(init())),
            );
            streams.insert(test_peer(), part);
        }
        assert_eq!(streams.open_count(), 1);
        assert!(streams.buffered_bytes() <= SMALL.max_stream_bytes);
        streams.insert(
            test_peer(),
            StreamMessage::new(id, 1 << 40, StreamContent::Fin),
        );
        assert_eq!(
            streams.open_count(),
            0,
            "the Fin marker tipped it over the bound"
        );
        assert_eq!(streams.buffered_bytes(), 0);
    }

    #[test]
    fn one_publisher_cannot_buffer_more_than_its_share() {
        let mut streams = PartStreams::new(SMALL);
        streams.insert(peer(1), data(b"honest", 1, 5_000));
        for i in 0..20u8 {
            streams.insert(peer(2), data(&[b's', i], 1, 6_000));
            let of_two = streams.open.keys().filter(|(p, _)| *p == peer(2)).count();
            assert!(of_two <= MAX_PUBLISHER_STREAMS);
            assert!(streams.publisher_bytes(&peer(2)) <= SMALL.max_publisher_bytes);
        }
        assert_eq!(streams.publisher_bytes(&peer(1)), 5_000 + PART_OVERHEAD);
        assert_eq!(streams.open_count(), 1 + 3);
    }

    #[test]
    fn all_publishers_together_stay_within_the_total_bound() {
        let mut streams = PartStreams::new(SMALL);
        for seed in 0..40u8 {
            for seq in 1..=3 {
                streams.insert(peer(seed), data(b"s", seq, 3_000));
                assert!(streams.buffered_bytes() <= SMALL.max_total_bytes);
                assert!(streams.open_count() <= MAX_OPEN_STREAMS);
            }
        }
        let counted: usize = streams.open.values().map(|p| p.bytes).sum();
        assert_eq!(counted, streams.buffered_bytes());
    }

    #[test]
    fn a_full_block_fits_the_default_stream_bound() {
        let limits = StreamLimits::default();
        let block = DEFAULT_MAX_BLOCK_BYTES;
        let parts = block / CHUNK_SIZE + 3;
        // Transactions, 4-byte lengths of 100-byte transactions, header,
        // commit and evidence allowance, and per-part overhead.
        let worst = block + block / 25 + 64 * 1024 + 1024 + parts * PART_OVERHEAD;
        assert!(worst <= limits.max_stream_bytes, "{worst} > {limits:?}");
        assert!(limits.max_total_bytes <= 64 * 1024 * 1024, "{limits:?}");
    }

    #[test]
    fn out_of_order_stream_reassembles() {
        let data = vec![7u8; CHUNK_SIZE * 2 + 5];
        let chunks = chunk(&data);
        assert_eq!(chunks.len(), 3);
        let mut parts = vec![ProposalPart::Init(init())];
        parts.extend(chunks.iter().cloned().map(ProposalPart::Data));
        parts.push(ProposalPart::Fin(Signature::from_bytes([0; 64])));
        let id = StreamId::new(Bytes::from_static(b"s1"));
        let mut msgs = to_stream_messages(&id, &parts);
        msgs.reverse();
        let peer = test_peer();
        let mut streams = PartStreams::default();
        let mut done = None;
        for m in msgs {
            assert!(done.is_none());
            done = streams.insert(peer, m);
        }
        let done = done.unwrap();
        assert_eq!(done.block_bytes(), data);
        assert_eq!(done.init, init());
        assert_eq!(streams.open_count(), 0);
        let d1 = parts_digest("c", &done.init, done.chunks.iter().map(|c| c.as_ref()));
        let d2 = parts_digest("c", &init(), chunks.iter().map(|c| c.as_ref()));
        assert_eq!(d1, d2);
        assert_ne!(
            d1,
            parts_digest("other", &init(), chunks.iter().map(|c| c.as_ref()))
        );
    }

    #[test]
    fn malformed_stream_is_dropped() {
        let id = StreamId::new(Bytes::from_static(b"s2"));
        let parts = vec![ProposalPart::Data(Bytes::from_static(b"x"))];
        let mut streams = PartStreams::default();
        let peer = test_peer();
        let mut out = None;
        for m in to_stream_messages(&id, &parts) {
            out = streams.insert(peer, m);
        }
        assert!(out.is_none());
    }
}
