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
