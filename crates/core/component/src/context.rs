use fructus_types::{Address, BlockHeight, BlockTime, PublicKey, tx::TxHash};

use crate::{Event, GasMeter, OutOfGas};

/// What a block hook knows about the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockContext {
    /// The chain id.
    pub chain_id: String,
    /// The block's height.
    pub height: BlockHeight,
    /// The block's timestamp (the only clock the state machine has).
    pub time: BlockTime,
    /// Who signed the previous block's commit, when the block carries it
    /// (staking's downtime tracking skips blocks without it).
    pub last_commit: Option<LastCommit>,
    /// Double-sign evidence the block carries (already verified by the node
    /// against the offender's consensus key).
    pub evidence: Vec<Evidence>,
}

impl BlockContext {
    /// A context with no commit information and no evidence.
    pub fn new(chain_id: String, height: BlockHeight, time: BlockTime) -> Self {
        BlockContext {
            chain_id,
            height,
            time,
            last_commit: None,
            evidence: Vec::new(),
        }
    }
}

/// The signers of a block's commit certificate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LastCommit {
    /// The committed block's height.
    pub height: BlockHeight,
    /// Consensus addresses of the validators whose votes the certificate
    /// holds.
    pub signers: Vec<Address>,
}

/// Proof-checked double signing: a validator signed two different values
/// for the same height and round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evidence {
    /// The offender's consensus address.
    pub validator: Address,
    /// Height of the conflicting votes.
    pub height: BlockHeight,
}

/// What a stateless check knows: the transaction, not the chain state.
#[derive(Debug, Clone, Copy)]
pub struct StatelessContext<'a> {
    /// The chain id the transaction was signed for (already checked equal to
    /// the node's).
    pub chain_id: &'a str,
    /// The key that signed the transaction.
    pub signer_key: &'a PublicKey,
}

/// What a message handler knows while checking and executing.
#[derive(Debug)]
pub struct TxContext<'a> {
    /// The block being built.
    pub block: &'a BlockContext,
    /// The signer's account (resolved through the key index, so it survives
    /// key rotation).
    pub signer: Address,
    /// The key that signed.
    pub signer_key: &'a PublicKey,
    /// The transaction's nonce (the account's nonce before this transaction).
    pub nonce: u64,
    /// The transaction's hash.
    pub tx_hash: TxHash,
    gas: GasMeter,
    events: Vec<Event>,
}

impl<'a> TxContext<'a> {
    /// A context for one transaction.
    pub fn new(
        block: &'a BlockContext,
        signer: Address,
        signer_key: &'a PublicKey,
        nonce: u64,
        tx_hash: TxHash,
        gas: GasMeter,
    ) -> Self {
        TxContext {
            block,
            signer,
            signer_key,
            nonce,
            tx_hash,
            gas,
            events: Vec::new(),
        }
    }

    /// Records an event. Events of a transaction that fails are dropped with
    /// its writes.
    pub fn emit(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Charges gas; fails the transaction when the limit is passed.
    pub fn consume_gas(&mut self, amount: u64) -> Result<(), OutOfGas> {
        self.gas.consume(amount)
    }

    /// The gas meter.
    pub fn gas(&self) -> &GasMeter {
        &self.gas
    }

    /// Number of events so far (a rollback mark).
    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    /// Drops events recorded after `mark`.
    pub fn truncate_events(&mut self, mark: usize) {
        self.events.truncate(mark);
    }

    /// Takes the recorded events.
    pub fn into_events(self) -> (Vec<Event>, GasMeter) {
        (self.events, self.gas)
    }
}
