//! The application side of the engine: answers every [`AppMsg`].

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use bytes::Bytes;
use fructus_crypto::Address;
use fructus_types::block::Block;
use malachitebft_app_channel::app::consensus::ProposedValue;
use malachitebft_app_channel::app::engine::host::{HeightParams, Next, SyncedValueOutcome};
use malachitebft_app_channel::app::types::LocallyProposedValue;
use malachitebft_app_channel::app::types::core::{CommitCertificate, Round, Validity};
use malachitebft_app_channel::app::types::streaming::StreamId;
use malachitebft_app_channel::app::types::sync::RawDecidedValue;
use malachitebft_app_channel::{AppMsg, Channels, NetworkMsg, Reply};
use tokio::time::Instant;
use tracing::{debug, info, warn};

use crate::codec::certificate_from_stored;
use crate::context::{
    BlockId, FructusContext, Height, PartInit, ProposalPart, ValidatorAddress, ValidatorSet,
};
use crate::error::ConsensusError;
use crate::signing::FructusSigner;
use crate::streaming::{self, CompleteStream, PartStreams};
use crate::{ConsensusHost, HostError};

/// How often a waiting proposer re-checks the mempool.
const IDLE_POLL: Duration = Duration::from_millis(20);
/// Most complete streams for future heights kept until their height starts.
const MAX_FUTURE_STREAMS: usize = 64;
/// Most decided values served in one sync response.
const MAX_SYNC_BATCH: u64 = 64;

/// Settings of the loop.
pub(crate) struct AppSettings {
    pub(crate) target_block_time: Duration,
    pub(crate) max_idle_interval: Duration,
    pub(crate) timeouts: crate::config::Timeouts,
    pub(crate) stream_limits: streaming::StreamLimits,
}

struct KnownBlock {
    block: Block,
    /// The parts as first seen (for restreaming), if it came by stream.
    parts: Option<Vec<ProposalPart>>,
}

struct PendingGetValue {
    height: u64,
    round: Round,
    deadline: Instant,
    reply: Reply<LocallyProposedValue<FructusContext>>,
}

/// What the loop should do after handling a message.
enum Flow {
    Continue,
}

pub(crate) struct App<H: ConsensusHost> {
    host: H,
    ctx: FructusContext,
    signer: FructusSigner,
    me: Address,
    settings: AppSettings,
    height: u64,
    round: Round,
    vset: Option<(u64, ValidatorSet)>,
    blocks: BTreeMap<(u64, BlockId), KnownBlock>,
    seen_values: BTreeMap<(u64, i64), Vec<ProposedValue<FructusContext>>>,
    my_values: BTreeMap<(u64, i64), BlockId>,
    future_streams: VecDeque<CompleteStream>,
    streams: PartStreams,
    pending: Option<PendingGetValue>,
    committed: Option<u64>,
    nonce: u64,
}

impl<H: ConsensusHost> App<H> {
    pub(crate) fn new(
        host: H,
        ctx: FructusContext,
        signer: FructusSigner,
        me: Address,
        settings: AppSettings,
    ) -> Self {
        let streams = PartStreams::new(settings.stream_limits);
        Self {
            host,
            ctx,
            signer,
            me,
            settings,
            height: 0,
            round: Round::Nil,
            vset: None,
            blocks: BTreeMap::new(),
            seen_values: BTreeMap::new(),
            my_values: BTreeMap::new(),
            future_streams: VecDeque::new(),
            streams,
            pending: None,
            committed: None,
            nonce: 0,
        }
    }

    /// Runs until shutdown or a fatal error.
    pub(crate) async fn run(
        &mut self,
        channels: &mut Channels<FructusContext>,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), ConsensusError> {
        tokio::pin!(shutdown);
        loop {
            let wake = self
                .pending
                .as_ref()
                .map(|p| p.deadline.min(later(IDLE_POLL)));
            let timer = async move {
                match wake {
                    Some(w) => tokio::time::sleep_until(w).await,
                    None => std::future::pending::<()>().await,
                }
            };
            let msg = tokio::select! {
                () = &mut shutdown => return Ok(()),
                msg = channels.consensus.recv() => match msg {
                    Some(m) => Some(m),
                    None => return Err(ConsensusError::EngineStopped),
                },
                () = timer => None,
            };
            match msg {
                Some(m) => {
                    let Flow::Continue = self.handle(m, channels).await?;
                }
                None => self.poll_pending(channels).await?,
            }
        }
    }

    fn last_height(&self) -> Result<u64, ConsensusError> {
        self.host
            .last_height()
            .map_err(|source| ConsensusError::HostFault {
                height: self.height,
                source,
            })
    }

    fn params(&mut self, height: u64) -> Result<HeightParams<FructusContext>, ConsensusError> {
        let info = self
            .host
            .validator_set(height)
            .map_err(|source| ConsensusError::HostFault { height, source })?;
        let vs = ValidatorSet::from_info(&info, height)?;
        self.vset = Some((height, vs.clone()));
        let target = Some(self.settings.target_block_time).filter(|d| !d.is_zero());
        Ok(HeightParams::new(
            vs,
            self.settings.timeouts.linear(),
            target,
        ))
    }

    fn current_vset(&mut self) -> Result<ValidatorSet, ConsensusError> {
        match &self.vset {
            Some((h, vs)) if *h == self.height => Ok(vs.clone()),
            _ => {
                let height = self.height;
                let info = self
                    .host
                    .validator_set(height)
                    .map_err(|source| ConsensusError::HostFault { height, source })?;
                let vs = ValidatorSet::from_info(&info, height)?;
                self.vset = Some((self.height, vs.clone()));
                Ok(vs)
            }
        }
    }

    async fn handle(
        &mut self,
        msg: AppMsg<FructusContext>,
        channels: &mut Channels<FructusContext>,
    ) -> Result<Flow, ConsensusError> {
        match msg {
            AppMsg::ConsensusReady { reply } => {
                let start = self.last_height()?.saturating_add(1);
                self.height = start;
                let params = self.params(start)?;
                info!(height = start, "consensus ready");
                send(reply, (Height(start), params));
            }
            AppMsg::StartedRound {
                height,
                round,
                proposer,
                role,
                reply_value,
            } => {
                debug!(%height, %round, %proposer, ?role, "started round");
                if height.0 != self.height {
                    self.pending = None;
                }
                self.height = height.0;
                self.round = round;
                self.drain_future_streams()?;
                let values = self
                    .seen_values
                    .get(&(height.0, round.as_i64()))
                    .cloned()
                    .unwrap_or_default();
                send(reply_value, values);
            }
            AppMsg::GetValue {
                height,
                round,
                timeout,
                reply,
            } => {
                if let Some(id) = self.my_values.get(&(height.0, round.as_i64())).copied() {
                    send(reply, LocallyProposedValue::new(height, round, id));
                    if let Some(parts) = self
                        .blocks
                        .get(&(height.0, id))
                        .and_then(|b| b.parts.clone())
                    {
                        self.publish(channels, height.0, round, &parts).await?;
                    }
                } else {
                    let idle = self
                        .settings
                        .max_idle_interval
                        .min(timeout.saturating_sub(timeout.checked_div(4).unwrap_or_default()));
                    self.pending = Some(PendingGetValue {
                        height: height.0,
                        round,
                        deadline: later(idle),
                        reply,
                    });
                    self.poll_pending(channels).await?;
                }
            }
            AppMsg::ReceivedProposalPart {
                from,
                published_by,
                part,
                reply,
            } => {
                let publisher = published_by.unwrap_or(from);
                let value = match self.streams.insert(publisher, part) {
                    Some(stream) => self.on_complete_stream(stream)?,
                    None => None,
                };
                send(reply, value);
            }
            AppMsg::Decided {
                certificate,
                extensions: _,
                reply,
            } => {
                self.on_decided(&certificate)?;
                send(reply, ());
            }
            AppMsg::Finalized {
                certificate,
                extensions: _,
                evidence,
                reply,
            } => {
                let h = certificate.height.0;
                let found: Vec<crate::DoubleSignEvidence> = evidence
                    .votes
                    .iter()
                    .flat_map(|(_, pairs)| pairs.iter())
                    .filter_map(crate::DoubleSignEvidence::from_double_vote)
                    .collect();
                if !found.is_empty() {
                    warn!(height = h, count = found.len(), "double signing observed");
                    self.host.report_evidence(found);
                }
                let next = if self.committed == Some(h) {
                    let next_h = h.saturating_add(1);
                    self.height = next_h;
                    Next::Start(Height(next_h), self.params(next_h)?)
                } else {
                    warn!(
                        height = h,
                        "decided block was not committed; restarting height"
                    );
                    Next::Restart(Height(h), self.params(h)?)
                };
                send(reply, next);
            }
            AppMsg::GetDecidedValues { range, reply } => {
                let start = range.start().0;
                let end = range
                    .end()
                    .0
                    .min(start.saturating_add(MAX_SYNC_BATCH.saturating_sub(1)));
                let mut values = Vec::new();
                let mut h = start;
                while h <= end {
                    let Some((block, cert)) = self.host.decided(h) else {
                        break;
                    };
                    match certificate_from_stored(&cert) {
                        Ok(c) => {
                            values.push(RawDecidedValue::new(Bytes::from(block.to_bytes()), c))
                        }
                        Err(e) => {
                            warn!(height = h, error = %e, "stored certificate does not decode");
                            break;
                        }
                    }
                    h = h.saturating_add(1);
                }
                send(reply, values);
            }
            AppMsg::GetHistoryMinHeight { reply } => {
                send(reply, Height(self.host.history_min_height()));
            }
            AppMsg::ProcessSyncedValue {
                height,
                round,
                proposer,
                value_bytes,
                reply,
            } => {
                let outcome = match Block::from_bytes(&value_bytes) {
                    Ok(block) if block.header.height == height.0 => {
                        let validity = match self.host.validate(&block) {
                            Ok(()) => Validity::Valid,
                            Err(HostError::InvalidBlock { reason }) => {
                                warn!(%height, %reason, "synced block rejected by host");
                                Validity::Invalid
                            }
                            Err(source) => {
                                return Err(ConsensusError::HostFault {
                                    height: height.0,
                                    source,
                                });
                            }
                        };
                        let id = BlockId(block.hash());
                        self.blocks
                            .entry((height.0, id))
                            .or_insert(KnownBlock { block, parts: None });
                        SyncedValueOutcome::Verdict(ProposedValue {
                            height,
                            round,
                            valid_round: Round::Nil,
                            proposer,
                            value: id,
                            validity,
                        })
                    }
                    _ => SyncedValueOutcome::PeerFault,
                };
                send(reply, outcome);
            }
            AppMsg::RestreamProposal {
                height,
                round,
                valid_round,
                address,
                value_id,
            } => {
                self.restream(channels, height.0, round, valid_round, address, value_id)
                    .await?;
            }
            AppMsg::ExtendVote { reply, .. } => send(reply, None),
            AppMsg::VerifyVoteExtensions {
                extensions, reply, ..
            } => {
                let verdicts = extensions.into_iter().map(|(a, _)| (a, Ok(()))).collect();
                send(reply, verdicts);
            }
        }
        Ok(Flow::Continue)
    }

    /// Proposes if the mempool has work or the idle deadline passed.
    async fn poll_pending(
        &mut self,
        channels: &mut Channels<FructusContext>,
    ) -> Result<(), ConsensusError> {
        let ready = match &self.pending {
            None => false,
            Some(p) => Instant::now() >= p.deadline || self.host.has_pending_txs(),
        };
        if !ready {
            return Ok(());
        }
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        let round_u32 = p.round.as_u32().unwrap_or(0);
        let block = self
            .host
            .propose(p.height, round_u32, self.me)
            .map_err(|source| ConsensusError::HostFault {
                height: p.height,
                source,
            })?;
        let id = BlockId(block.hash());
        let init = PartInit {
            height: Height(p.height),
            round: p.round,
            pol_round: Round::Nil,
            proposer: ValidatorAddress(self.me),
        };
        let parts = self.sign_parts(init, &block);
        debug!(height = p.height, round = %p.round, txs = block.txs.len(), block = %id, "proposing");
        self.my_values.insert((p.height, p.round.as_i64()), id);
        self.blocks.insert(
            (p.height, id),
            KnownBlock {
                block,
                parts: Some(parts.clone()),
            },
        );
        send(
            p.reply,
            LocallyProposedValue::new(Height(p.height), p.round, id),
        );
        self.publish(channels, p.height, p.round, &parts).await
    }

    fn sign_parts(&self, init: PartInit, block: &Block) -> Vec<ProposalPart> {
        let chunks = streaming::chunk(&block.to_bytes());
        let digest = streaming::parts_digest(
            self.ctx.chain_id(),
            &init,
            chunks.iter().map(|c| c.as_ref()),
        );
        let signature = self.signer.sign_bytes(&digest);
        let mut parts = Vec::with_capacity(chunks.len().saturating_add(2));
        parts.push(ProposalPart::Init(init));
        parts.extend(chunks.into_iter().map(ProposalPart::Data));
        parts.push(ProposalPart::Fin(signature));
        parts
    }

    async fn publish(
        &mut self,
        channels: &mut Channels<FructusContext>,
        height: u64,
        round: Round,
        parts: &[ProposalPart],
    ) -> Result<(), ConsensusError> {
        self.nonce = self.nonce.wrapping_add(1);
        let mut id = Vec::with_capacity(24);
        id.extend_from_slice(&height.to_be_bytes());
        id.extend_from_slice(&round.as_i64().to_be_bytes());
        id.extend_from_slice(&self.nonce.to_be_bytes());
        let stream_id = StreamId::new(Bytes::from(id));
        for msg in streaming::to_stream_messages(&stream_id, parts) {
            channels
                .network
                .send(NetworkMsg::PublishProposalPart(msg))
                .await
                .map_err(|_| ConsensusError::EngineStopped)?;
        }
        Ok(())
    }

    async fn restream(
        &mut self,
        channels: &mut Channels<FructusContext>,
        height: u64,
        round: Round,
        valid_round: Round,
        address: ValidatorAddress,
        value_id: BlockId,
    ) -> Result<(), ConsensusError> {
        let Some(known) = self.blocks.get(&(height, value_id)) else {
            debug!(height, %round, "restream: block unknown");
            return Ok(());
        };
        let parts = if address.0 == self.me {
            let init = PartInit {
                height: Height(height),
                round,
                pol_round: valid_round,
                proposer: address,
            };
            let block = known.block.clone();
            self.sign_parts(init, &block)
        } else if let Some(parts) = known.parts.clone() {
            parts
        } else {
            return Ok(());
        };
        self.publish(channels, height, round, &parts).await
    }

    /// Validates a complete stream for the current height; buffers streams
    /// of future heights; drops stale ones.
    fn on_complete_stream(
        &mut self,
        stream: CompleteStream,
    ) -> Result<Option<ProposedValue<FructusContext>>, ConsensusError> {
        let h = stream.init.height.0;
        if h < self.height || self.committed.is_some_and(|c| h <= c) {
            return Ok(None);
        }
        if h > self.height {
            if self.future_streams.len() >= MAX_FUTURE_STREAMS {
                self.future_streams.pop_front();
            }
            self.future_streams.push_back(stream);
            return Ok(None);
        }
        self.accept_stream(stream)
    }

    fn drain_future_streams(&mut self) -> Result<(), ConsensusError> {
        let streams: Vec<CompleteStream> = self.future_streams.drain(..).collect();
        for s in streams {
            if s.init.height.0 == self.height {
                self.accept_stream(s)?;
            } else if s.init.height.0 > self.height {
                self.future_streams.push_back(s);
            }
        }
        Ok(())
    }

    fn accept_stream(
        &mut self,
        stream: CompleteStream,
    ) -> Result<Option<ProposedValue<FructusContext>>, ConsensusError> {
        let vs = self.current_vset()?;
        let init = stream.init.clone();
        let expected = vs.proposer(init.height, init.round);
        if expected.address != init.proposer {
            warn!(height = init.height.0, round = %init.round, from = %init.proposer, "proposal stream from a non-proposer");
            return Ok(None);
        }
        let digest = streaming::parts_digest(
            self.ctx.chain_id(),
            &init,
            stream.chunks.iter().map(|c| c.as_ref()),
        );
        if expected
            .public_key
            .verify(&digest, &stream.signature)
            .is_err()
        {
            warn!(height = init.height.0, round = %init.round, "proposal stream with a bad signature");
            return Ok(None);
        }
        let block = match Block::from_bytes(&stream.block_bytes()) {
            Ok(b) => b,
            Err(e) => {
                warn!(error = %e, "proposal stream does not decode to a block");
                return Ok(None);
            }
        };
        let id = BlockId(block.hash());
        let mut validity = Validity::Valid;
        if block.header.height != init.height.0 || block.header.proposer != init.proposer.0 {
            warn!(
                height = init.height.0,
                "proposed block header disagrees with its stream"
            );
            validity = Validity::Invalid;
        } else {
            match self.host.validate(&block) {
                Ok(()) => {}
                Err(HostError::InvalidBlock { reason }) => {
                    warn!(height = init.height.0, round = %init.round, %reason, "proposed block rejected");
                    validity = Validity::Invalid;
                }
                Err(source) => {
                    return Err(ConsensusError::HostFault {
                        height: init.height.0,
                        source,
                    });
                }
            }
        }
        let value = ProposedValue {
            height: init.height,
            round: init.round,
            valid_round: init.pol_round,
            proposer: init.proposer,
            value: id,
            validity,
        };
        if validity.is_valid() {
            self.blocks
                .entry((init.height.0, id))
                .or_insert(KnownBlock {
                    block,
                    parts: Some(stream.parts),
                });
        }
        let seen = self
            .seen_values
            .entry((init.height.0, init.round.as_i64()))
            .or_default();
        if !seen.contains(&value) {
            seen.push(value.clone());
        }
        Ok(Some(value))
    }

    fn on_decided(
        &mut self,
        certificate: &CommitCertificate<FructusContext>,
    ) -> Result<(), ConsensusError> {
        let h = certificate.height.0;
        if self.committed.is_some_and(|c| c >= h) || self.last_height()? >= h {
            self.committed = Some(h);
            return Ok(());
        }
        let Some(known) = self.blocks.remove(&(h, certificate.value_id)) else {
            warn!(height = h, block = %certificate.value_id, "decided block is unknown locally");
            return Ok(());
        };
        let signatures: Vec<(fructus_crypto::Address, [u8; 64])> = certificate
            .commit_signatures
            .iter()
            .map(|s| (s.address.0, s.signature.to_bytes()))
            .collect();
        let cert_bytes = crate::encode_certificate(
            h,
            certificate.round.as_u32().unwrap_or(0),
            certificate.value_id.0,
            &signatures,
        );
        debug!(height = h, round = %certificate.round, block = %certificate.value_id, txs = known.block.txs.len(), signatures = certificate.commit_signatures.len(), "decided");
        self.host
            .commit(known.block, cert_bytes)
            .map_err(|e| ConsensusError::CommitFailed {
                height: h,
                reason: e.to_string(),
            })?;
        self.committed = Some(h);
        self.prune(h);
        Ok(())
    }

    fn prune(&mut self, committed: u64) {
        self.blocks = self
            .blocks
            .split_off(&(committed.saturating_add(1), BlockId([0; 32])));
        self.seen_values = self
            .seen_values
            .split_off(&(committed.saturating_add(1), i64::MIN));
        self.my_values = self
            .my_values
            .split_off(&(committed.saturating_add(1), i64::MIN));
        self.future_streams.retain(|s| s.init.height.0 > committed);
        if self.pending.as_ref().is_some_and(|p| p.height <= committed) {
            self.pending = None;
        }
    }
}

/// `now + d`, saturating far in the future.
fn later(d: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(d).unwrap_or(now)
}

fn send<T>(reply: Reply<T>, value: T) {
    if reply.send(value).is_err() {
        debug!("the engine dropped a reply channel");
    }
}
