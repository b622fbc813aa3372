//! The one codec for everything the engine puts on the wire or in the WAL.
//!
//! Format: one version byte ([`WIRE_VERSION`]) followed by the borsh
//! encoding of a mirror struct from [`wire`]. Borsh is deterministic and is
//! already the encoding of Fructus blocks; the mirror structs keep the format
//! independent of Malachite's in-memory types, so an engine upgrade cannot
//! silently change bytes on the wire or in the WAL. Covered: consensus
//! messages (votes, proposals), liveness messages (votes, polka and
//! round certificates), proposal parts and their stream envelopes, validator
//! proofs, sync status/request/response, and WAL entries (proposed values,
//! polka certificates).

use bytes::Bytes;
use malachitebft_app_channel::app::consensus::{LivenessMsg, ProposedValue, SignedConsensusMsg};
use malachitebft_app_channel::app::streaming::StreamContent;
use malachitebft_app_channel::app::types::PeerId;
use malachitebft_app_channel::app::types::codec::{Codec, HasEncodedLen};
use malachitebft_app_channel::app::types::core::{
    ExtendedCommitCertificate, PolkaCertificate, RoundCertificate, ValidatorProof,
};
use malachitebft_app_channel::app::types::streaming::StreamMessage;
use malachitebft_app_channel::app::types::sync::{Request, Response, Status};

use crate::context::{FructusContext, ProposalPart};
use crate::error::CodecError;

/// Leading byte of every encoded message.
pub const WIRE_VERSION: u8 = 1;

/// Borsh-based codec used for the network, sync and the WAL.
#[derive(Clone, Copy, Debug, Default)]
pub struct WireCodec;

fn enc<T: borsh::BorshSerialize>(value: &T) -> Result<Bytes, CodecError> {
    let mut out = vec![WIRE_VERSION];
    borsh::to_writer(&mut out, value)?;
    Ok(Bytes::from(out))
}

fn dec<T: borsh::BorshDeserialize>(bytes: &[u8], what: &'static str) -> Result<T, CodecError> {
    match bytes.split_first() {
        Some((&WIRE_VERSION, rest)) => Ok(borsh::from_slice(rest)?),
        Some((v, _)) => Err(CodecError::Invalid {
            what,
            reason: format!("unknown wire version {v}"),
        }),
        None => Err(CodecError::Invalid {
            what,
            reason: "empty message".into(),
        }),
    }
}

macro_rules! wire_codec {
    ($ty:ty, $wire:ty, $what:literal) => {
        impl Codec<$ty> for WireCodec {
            type Error = CodecError;

            fn decode(&self, bytes: Bytes) -> Result<$ty, CodecError> {
                let w: $wire = dec(&bytes, $what)?;
                w.into_native()
            }

            fn encode(&self, msg: &$ty) -> Result<Bytes, CodecError> {
                enc(&<$wire>::from_native(msg))
            }
        }
    };
}

wire_codec!(ProposalPart, wire::PartWire, "proposal part");
wire_codec!(
    SignedConsensusMsg<FructusContext>,
    wire::ConsensusMsgWire,
    "consensus message"
);
wire_codec!(
    LivenessMsg<FructusContext>,
    wire::LivenessWire,
    "liveness message"
);
wire_codec!(
    StreamMessage<ProposalPart>,
    wire::StreamMsgWire,
    "stream message"
);
wire_codec!(
    ValidatorProof<FructusContext>,
    wire::ProofWire,
    "validator proof"
);
wire_codec!(Status<FructusContext>, wire::StatusWire, "sync status");
wire_codec!(Request<FructusContext>, wire::RequestWire, "sync request");
wire_codec!(
    Response<FructusContext>,
    wire::ResponseWire,
    "sync response"
);
wire_codec!(
    ProposedValue<FructusContext>,
    wire::ProposedValueWire,
    "proposed value"
);
wire_codec!(
    PolkaCertificate<FructusContext>,
    wire::PolkaWire,
    "polka certificate"
);

impl HasEncodedLen<Response<FructusContext>> for WireCodec {
    fn encoded_len(&self, msg: &Response<FructusContext>) -> Result<usize, CodecError> {
        Ok(self.encode(msg)?.len())
    }
}

/// Encodes an extended commit certificate the way sync carries it (used by
/// tests and by [`crate::app`] to turn stored certificate bytes back into
/// the engine's type).
pub(crate) fn certificate_from_stored(
    bytes: &[u8],
) -> Result<ExtendedCommitCertificate<FructusContext>, CodecError> {
    let w: crate::validators::CertificateWire = borsh::from_slice(bytes)?;
    wire::ExtCertWire {
        height: w.height,
        round: Some(w.round),
        value: w.block_hash,
        sigs: w
            .signatures
            .into_iter()
            .map(|s| wire::ExtCommitSigWire {
                address: s.address,
                signature: s.signature,
                extension: None,
            })
            .collect(),
    }
    .into_native()
}

/// The mirror types and their conversions.
pub(crate) mod wire {
    use borsh::{BorshDeserialize, BorshSerialize};
    use fructus_crypto::Address;
    use malachitebft_app_channel::app::types::core::{
        ExtendedCommitSignature, NilOrVal, PolkaSignature, RoundCertificateType, RoundSignature,
        SignedMessage, Validity, VoteType,
    };
    use malachitebft_app_channel::app::types::streaming::StreamId;
    use malachitebft_app_channel::app::types::sync::RawDecidedValue;
    use malachitebft_signing_ed25519::Signature;
    use malachitebft_sync::{ValueRequest, ValueResponse};

    use super::*;
    use crate::context::{BlockId, Height, PartInit, Proposal, ValidatorAddress, Vote};
    use malachitebft_app_channel::app::types::core::Round;

    type R<T> = Result<T, CodecError>;

    pub(crate) fn round_to_wire(r: Round) -> Option<u32> {
        r.as_u32()
    }

    pub(crate) fn round_from_wire(r: Option<u32>) -> Round {
        r.map_or(Round::Nil, Round::new)
    }

    fn vote_type_to_wire(t: VoteType) -> u8 {
        match t {
            VoteType::Prevote => 0,
            VoteType::Precommit => 1,
        }
    }

    fn vote_type_from_wire(t: u8) -> R<VoteType> {
        match t {
            0 => Ok(VoteType::Prevote),
            1 => Ok(VoteType::Precommit),
            other => Err(CodecError::Invalid {
                what: "vote type",
                reason: format!("unknown tag {other}"),
            }),
        }
    }

    fn addr(a: [u8; 20]) -> ValidatorAddress {
        ValidatorAddress(Address::from_bytes(a))
    }

    fn sig(s: [u8; 64]) -> Signature {
        Signature::from_bytes(s)
    }

    fn nil_or_val(v: Option<[u8; 32]>) -> NilOrVal<BlockId> {
        v.map_or(NilOrVal::Nil, |h| NilOrVal::Val(BlockId(h)))
    }

    fn opt_val(v: &NilOrVal<BlockId>) -> Option<[u8; 32]> {
        match v {
            NilOrVal::Nil => None,
            NilOrVal::Val(id) => Some(id.0),
        }
    }

    /// The signed part of a vote.
    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct VoteBody {
        vote_type: u8,
        height: u64,
        round: Option<u32>,
        value: Option<[u8; 32]>,
        validator: [u8; 20],
    }

    impl VoteBody {
        pub(crate) fn from_vote(v: &Vote) -> Self {
            Self {
                vote_type: vote_type_to_wire(v.vote_type),
                height: v.height.0,
                round: round_to_wire(v.round),
                value: opt_val(&v.value),
                validator: *v.validator.0.as_bytes(),
            }
        }
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct SignedVoteWire {
        body: VoteBody,
        extension_signature: Option<[u8; 64]>,
        signature: [u8; 64],
    }

    impl SignedVoteWire {
        fn from_native(v: &SignedMessage<FructusContext, Vote>) -> Self {
            Self {
                body: VoteBody::from_vote(&v.message),
                extension_signature: v.message.extension.as_ref().map(|e| e.signature.to_bytes()),
                signature: v.signature.to_bytes(),
            }
        }

        fn into_native(self) -> R<SignedMessage<FructusContext, Vote>> {
            let b = self.body;
            let vote = Vote {
                vote_type: vote_type_from_wire(b.vote_type)?,
                height: Height(b.height),
                round: round_from_wire(b.round),
                value: nil_or_val(b.value),
                validator: addr(b.validator),
                extension: self
                    .extension_signature
                    .map(|s| SignedMessage::new((), sig(s))),
            };
            Ok(SignedMessage::new(vote, sig(self.signature)))
        }
    }

    /// The signed part of a proposal.
    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct ProposalBody {
        height: u64,
        round: Option<u32>,
        value: [u8; 32],
        pol_round: Option<u32>,
        proposer: [u8; 20],
    }

    impl ProposalBody {
        pub(crate) fn from_proposal(p: &Proposal) -> Self {
            Self {
                height: p.height.0,
                round: round_to_wire(p.round),
                value: p.value.0,
                pol_round: round_to_wire(p.pol_round),
                proposer: *p.proposer.0.as_bytes(),
            }
        }
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) enum ConsensusMsgWire {
        Vote(SignedVoteWire),
        Proposal {
            body: ProposalBody,
            signature: [u8; 64],
        },
    }

    impl ConsensusMsgWire {
        pub(crate) fn from_native(m: &SignedConsensusMsg<FructusContext>) -> Self {
            match m {
                SignedConsensusMsg::Vote(v) => Self::Vote(SignedVoteWire::from_native(v)),
                SignedConsensusMsg::Proposal(p) => Self::Proposal {
                    body: ProposalBody::from_proposal(&p.message),
                    signature: p.signature.to_bytes(),
                },
            }
        }

        pub(crate) fn into_native(self) -> R<SignedConsensusMsg<FructusContext>> {
            Ok(match self {
                Self::Vote(v) => SignedConsensusMsg::Vote(v.into_native()?),
                Self::Proposal { body, signature } => {
                    let p = Proposal {
                        height: Height(body.height),
                        round: round_from_wire(body.round),
                        value: BlockId(body.value),
                        pol_round: round_from_wire(body.pol_round),
                        proposer: addr(body.proposer),
                    };
                    SignedConsensusMsg::Proposal(SignedMessage::new(p, sig(signature)))
                }
            })
        }
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct PolkaWire {
        height: u64,
        round: Option<u32>,
        value: [u8; 32],
        sigs: Vec<([u8; 20], [u8; 64])>,
    }

    impl PolkaWire {
        pub(crate) fn from_native(c: &PolkaCertificate<FructusContext>) -> Self {
            Self {
                height: c.height.0,
                round: round_to_wire(c.round),
                value: c.value_id.0,
                sigs: c
                    .polka_signatures
                    .iter()
                    .map(|s| (*s.address.0.as_bytes(), s.signature.to_bytes()))
                    .collect(),
            }
        }

        pub(crate) fn into_native(self) -> R<PolkaCertificate<FructusContext>> {
            Ok(PolkaCertificate {
                height: Height(self.height),
                round: round_from_wire(self.round),
                value_id: BlockId(self.value),
                polka_signatures: self
                    .sigs
                    .into_iter()
                    .map(|(a, s)| PolkaSignature::new(addr(a), sig(s)))
                    .collect(),
            })
        }
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct RoundSigWire {
        vote_type: u8,
        value: Option<[u8; 32]>,
        address: [u8; 20],
        signature: [u8; 64],
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct RoundCertWire {
        height: u64,
        round: Option<u32>,
        precommit: bool,
        sigs: Vec<RoundSigWire>,
    }

    impl RoundCertWire {
        fn from_native(c: &RoundCertificate<FructusContext>) -> Self {
            Self {
                height: c.height.0,
                round: round_to_wire(c.round),
                precommit: matches!(c.cert_type, RoundCertificateType::Precommit),
                sigs: c
                    .round_signatures
                    .iter()
                    .map(|s| RoundSigWire {
                        vote_type: vote_type_to_wire(s.vote_type),
                        value: opt_val(&s.value_id),
                        address: *s.address.0.as_bytes(),
                        signature: s.signature.to_bytes(),
                    })
                    .collect(),
            }
        }

        fn into_native(self) -> R<RoundCertificate<FructusContext>> {
            let mut round_signatures = Vec::with_capacity(self.sigs.len());
            for s in self.sigs {
                round_signatures.push(RoundSignature::new(
                    vote_type_from_wire(s.vote_type)?,
                    nil_or_val(s.value),
                    addr(s.address),
                    sig(s.signature),
                ));
            }
            Ok(RoundCertificate {
                height: Height(self.height),
                round: round_from_wire(self.round),
                cert_type: if self.precommit {
                    RoundCertificateType::Precommit
                } else {
                    RoundCertificateType::Skip
                },
                round_signatures,
            })
        }
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) enum LivenessWire {
        Vote(SignedVoteWire),
        Polka(PolkaWire),
        Skip(RoundCertWire),
    }

    impl LivenessWire {
        pub(crate) fn from_native(m: &LivenessMsg<FructusContext>) -> Self {
            match m {
                LivenessMsg::Vote(v) => Self::Vote(SignedVoteWire::from_native(v)),
                LivenessMsg::PolkaCertificate(c) => Self::Polka(PolkaWire::from_native(c)),
                LivenessMsg::SkipRoundCertificate(c) => Self::Skip(RoundCertWire::from_native(c)),
            }
        }

        pub(crate) fn into_native(self) -> R<LivenessMsg<FructusContext>> {
            Ok(match self {
                Self::Vote(v) => LivenessMsg::Vote(v.into_native()?),
                Self::Polka(c) => LivenessMsg::PolkaCertificate(c.into_native()?),
                Self::Skip(c) => LivenessMsg::SkipRoundCertificate(c.into_native()?),
            })
        }
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) enum PartWire {
        Init {
            height: u64,
            round: Option<u32>,
            pol_round: Option<u32>,
            proposer: [u8; 20],
        },
        Data(Vec<u8>),
        Fin([u8; 64]),
    }

    impl PartWire {
        pub(crate) fn from_native(p: &ProposalPart) -> Self {
            match p {
                ProposalPart::Init(i) => Self::Init {
                    height: i.height.0,
                    round: round_to_wire(i.round),
                    pol_round: round_to_wire(i.pol_round),
                    proposer: *i.proposer.0.as_bytes(),
                },
                ProposalPart::Data(d) => Self::Data(d.to_vec()),
                ProposalPart::Fin(s) => Self::Fin(s.to_bytes()),
            }
        }

        pub(crate) fn into_native(self) -> R<ProposalPart> {
            Ok(match self {
                Self::Init {
                    height,
                    round,
                    pol_round,
                    proposer,
                } => ProposalPart::Init(PartInit {
                    height: Height(height),
                    round: round_from_wire(round),
                    pol_round: round_from_wire(pol_round),
                    proposer: addr(proposer),
                }),
                Self::Data(d) => ProposalPart::Data(Bytes::from(d)),
                Self::Fin(s) => ProposalPart::Fin(sig(s)),
            })
        }
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct StreamMsgWire {
        stream_id: Vec<u8>,
        sequence: u64,
        content: Option<PartWire>,
    }

    impl StreamMsgWire {
        pub(crate) fn from_native(m: &StreamMessage<ProposalPart>) -> Self {
            Self {
                stream_id: m.stream_id.to_bytes().to_vec(),
                sequence: m.sequence,
                content: match &m.content {
                    StreamContent::Data(p) => Some(PartWire::from_native(p)),
                    StreamContent::Fin => None,
                },
            }
        }

        pub(crate) fn into_native(self) -> R<StreamMessage<ProposalPart>> {
            let content = match self.content {
                Some(p) => StreamContent::Data(p.into_native()?),
                None => StreamContent::Fin,
            };
            Ok(StreamMessage::new(
                StreamId::new(Bytes::from(self.stream_id)),
                self.sequence,
                content,
            ))
        }
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct ProofWire {
        public_key: Vec<u8>,
        peer_id: Vec<u8>,
        signature: [u8; 64],
    }

    impl ProofWire {
        pub(crate) fn from_native(p: &ValidatorProof<FructusContext>) -> Self {
            Self {
                public_key: p.public_key.clone(),
                peer_id: p.peer_id.clone(),
                signature: p.signature.to_bytes(),
            }
        }

        pub(crate) fn into_native(self) -> R<ValidatorProof<FructusContext>> {
            Ok(ValidatorProof::new(
                self.public_key,
                self.peer_id,
                sig(self.signature),
            ))
        }
    }

    fn peer_id(bytes: &[u8]) -> R<PeerId> {
        PeerId::from_bytes(bytes).map_err(|e| CodecError::Invalid {
            what: "peer id",
            reason: e.to_string(),
        })
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct StatusWire {
        peer_id: Vec<u8>,
        tip_height: u64,
        history_min_height: u64,
    }

    impl StatusWire {
        pub(crate) fn from_native(s: &Status<FructusContext>) -> Self {
            Self {
                peer_id: s.peer_id.to_bytes(),
                tip_height: s.tip_height.0,
                history_min_height: s.history_min_height.0,
            }
        }

        pub(crate) fn into_native(self) -> R<Status<FructusContext>> {
            Ok(Status {
                peer_id: peer_id(&self.peer_id)?,
                tip_height: Height(self.tip_height),
                history_min_height: Height(self.history_min_height),
            })
        }
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) enum RequestWire {
        Values { start: u64, end: u64 },
    }

    impl RequestWire {
        pub(crate) fn from_native(r: &Request<FructusContext>) -> Self {
            match r {
                Request::ValueRequest(v) => Self::Values {
                    start: v.range.start().0,
                    end: v.range.end().0,
                },
            }
        }

        pub(crate) fn into_native(self) -> R<Request<FructusContext>> {
            match self {
                Self::Values { start, end } => Ok(Request::ValueRequest(ValueRequest::new(
                    Height(start)..=Height(end),
                ))),
            }
        }
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct ExtCommitSigWire {
        pub(crate) address: [u8; 20],
        pub(crate) signature: [u8; 64],
        pub(crate) extension: Option<[u8; 64]>,
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct ExtCertWire {
        pub(crate) height: u64,
        pub(crate) round: Option<u32>,
        pub(crate) value: [u8; 32],
        pub(crate) sigs: Vec<ExtCommitSigWire>,
    }

    impl ExtCertWire {
        pub(crate) fn from_native(c: &ExtendedCommitCertificate<FructusContext>) -> Self {
            Self {
                height: c.height.0,
                round: round_to_wire(c.round),
                value: c.value_id.0,
                sigs: c
                    .commit_signatures
                    .iter()
                    .map(|s| ExtCommitSigWire {
                        address: *s.address.0.as_bytes(),
                        signature: s.signature.to_bytes(),
                        extension: s.extension.as_ref().map(|e| e.signature.to_bytes()),
                    })
                    .collect(),
            }
        }

        pub(crate) fn into_native(self) -> R<ExtendedCommitCertificate<FructusContext>> {
            Ok(ExtendedCommitCertificate {
                height: Height(self.height),
                round: round_from_wire(self.round),
                value_id: BlockId(self.value),
                commit_signatures: self
                    .sigs
                    .into_iter()
                    .map(|s| {
                        ExtendedCommitSignature::new(
                            addr(s.address),
                            sig(s.signature),
                            s.extension.map(|e| SignedMessage::new((), sig(e))),
                        )
                    })
                    .collect(),
            })
        }
    }

    /// Converts an engine commit certificate to its stored form.
    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct RawDecidedWire {
        value_bytes: Vec<u8>,
        certificate: ExtCertWire,
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct ResponseWire {
        start_height: u64,
        values: Vec<RawDecidedWire>,
    }

    impl ResponseWire {
        pub(crate) fn from_native(r: &Response<FructusContext>) -> Self {
            match r {
                Response::ValueResponse(v) => Self {
                    start_height: v.start_height.0,
                    values: v
                        .values
                        .iter()
                        .map(|d| RawDecidedWire {
                            value_bytes: d.value_bytes.to_vec(),
                            certificate: ExtCertWire::from_native(&d.certificate),
                        })
                        .collect(),
                },
            }
        }

        pub(crate) fn into_native(self) -> R<Response<FructusContext>> {
            let mut values = Vec::with_capacity(self.values.len());
            for d in self.values {
                values.push(RawDecidedValue::new(
                    Bytes::from(d.value_bytes),
                    d.certificate.into_native()?,
                ));
            }
            Ok(Response::ValueResponse(ValueResponse::new(
                Height(self.start_height),
                values,
            )))
        }
    }

    #[derive(BorshSerialize, BorshDeserialize)]
    pub(crate) struct ProposedValueWire {
        height: u64,
        round: Option<u32>,
        valid_round: Option<u32>,
        proposer: [u8; 20],
        value: [u8; 32],
        valid: bool,
    }

    impl ProposedValueWire {
        pub(crate) fn from_native(v: &ProposedValue<FructusContext>) -> Self {
            Self {
                height: v.height.0,
                round: round_to_wire(v.round),
                valid_round: round_to_wire(v.valid_round),
                proposer: *v.proposer.0.as_bytes(),
                value: v.value.0,
                valid: v.validity.is_valid(),
            }
        }

        pub(crate) fn into_native(self) -> R<ProposedValue<FructusContext>> {
            Ok(ProposedValue {
                height: Height(self.height),
                round: round_from_wire(self.round),
                valid_round: round_from_wire(self.valid_round),
                proposer: addr(self.proposer),
                value: BlockId(self.value),
                validity: Validity::from_bool(self.valid),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{BlockId, Height, ValidatorAddress, Vote};
    use fructus_crypto::Address;
    use malachitebft_app_channel::app::types::core::{
        NilOrVal, Round, SignedMessage, Validity, VoteType,
    };
    use malachitebft_signing_ed25519::Signature;

    fn vote() -> SignedConsensusMsg<FructusContext> {
        SignedConsensusMsg::Vote(SignedMessage::new(
            Vote {
                vote_type: VoteType::Precommit,
                height: Height(4),
                round: Round::new(1),
                value: NilOrVal::Val(BlockId([5; 32])),
                validator: ValidatorAddress(Address::from_bytes([6; 20])),
                extension: None,
            },
            Signature::from_bytes([7; 64]),
        ))
    }

    #[test]
    fn consensus_and_wal_messages_roundtrip() {
        let c = WireCodec;
        let v = vote();
        let bytes = Codec::<SignedConsensusMsg<FructusContext>>::encode(&c, &v).unwrap();
        assert_eq!(bytes[0], WIRE_VERSION);
        let back: SignedConsensusMsg<FructusContext> = c.decode(bytes.clone()).unwrap();
        assert_eq!(back, v);
        let pv = ProposedValue::<FructusContext> {
            height: Height(2),
            round: Round::new(0),
            valid_round: Round::Nil,
            proposer: ValidatorAddress(Address::from_bytes([1; 20])),
            value: BlockId([2; 32]),
            validity: Validity::Invalid,
        };
        let b = Codec::<ProposedValue<FructusContext>>::encode(&c, &pv).unwrap();
        let back: ProposedValue<FructusContext> = c.decode(b).unwrap();
        assert_eq!(back, pv);
    }

    #[test]
    fn bad_version_and_garbage_are_errors() {
        let c = WireCodec;
        let mut bytes = Codec::<SignedConsensusMsg<FructusContext>>::encode(&c, &vote())
            .unwrap()
            .to_vec();
        bytes[0] = 99;
        let r: Result<SignedConsensusMsg<FructusContext>, _> = c.decode(Bytes::from(bytes));
        assert!(r.is_err());
        let r: Result<SignedConsensusMsg<FructusContext>, _> =
            c.decode(Bytes::from_static(&[1, 200, 3]));
        assert!(r.is_err());
        let r: Result<ProposalPart, _> = c.decode(Bytes::new());
        assert!(r.is_err());
    }
}
