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

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

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
/// Largest block (in bytes) a stream may carry.
pub const MAX_STREAM_BYTES: usize = 32 * 1024 * 1024;
/// Most partially received streams kept at once; the oldest is dropped.
pub const MAX_OPEN_STREAMS: usize = 128;

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
    opened: Instant,
}

/// Reassembles streams, keyed by `(publisher, stream id)`.
#[derive(Default)]
pub struct PartStreams {
    open: HashMap<(PeerId, StreamId), Partial>,
}

impl PartStreams {
    /// Adds one message; returns the stream if it is now complete. Malformed
    /// or oversized streams are dropped.
    pub fn insert(
        &mut self,
        publisher: PeerId,
        msg: StreamMessage<ProposalPart>,
    ) -> Option<CompleteStream> {
        let key = (publisher, msg.stream_id.clone());
        if !self.open.contains_key(&key) && self.open.len() >= MAX_OPEN_STREAMS {
            let oldest = self
                .open
                .iter()
                .min_by_key(|(_, p)| p.opened)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                self.open.remove(&k);
            }
        }
        let partial = self.open.entry(key.clone()).or_insert_with(|| Partial {
            parts: BTreeMap::new(),
            end: None,
            bytes: 0,
            opened: Instant::now(),
        });
        match msg.content {
            StreamContent::Fin => partial.end = Some(msg.sequence),
            StreamContent::Data(part) => {
                let size = match &part {
                    ProposalPart::Data(d) => d.len(),
                    _ => 0,
                };
                partial.bytes = partial.bytes.saturating_add(size);
                if partial.bytes > MAX_STREAM_BYTES {
                    self.open.remove(&key);
                    return None;
                }
                partial.parts.insert(msg.sequence, part);
            }
        }
        let end = partial.end?;
        let have = u64::try_from(partial.parts.len()).unwrap_or(u64::MAX);
        if have < end {
            return None;
        }
        let partial = self.open.remove(&key)?;
        assemble(partial, end)
    }

    /// Number of streams still incomplete.
    pub fn open_count(&self) -> usize {
        self.open.len()
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
        let kp =
            malachitebft_app_channel::app::types::Keypair::ed25519_from_bytes([7u8; 32]).unwrap();
        PeerId::from_bytes(&kp.public().to_peer_id().to_bytes()).unwrap()
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
