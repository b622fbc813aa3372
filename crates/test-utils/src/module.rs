//! One module's state on temporary storage, without the app: for a module
//! crate's own tests of its handlers and state functions, where
//! [`crate::TestChain`] (the whole app, with fees and nonces) would hide
//! what is being tested.

use fructus_component::{
    ActionHandler, BlockContext, Event, GasMeter, StatelessContext, TxContext,
};
use fructus_crypto::{Address, KeyAlgo, PublicKey};
use fructus_storage::{StateDelta, Storage};
use fructus_types::{BlockTime, tx::TxHash};
use tempfile::TempDir;

use crate::{CHAIN_ID, key_for};

/// Gas every message run by [`ModuleChain::run`] may use.
pub const MODULE_GAS: u64 = 10_000_000;

/// A state overlay on temporary storage and a block the test moves by hand
/// (`chain.block.height += 1`). Nothing is committed: the overlay is the
/// state.
pub struct ModuleChain {
    _dir: TempDir,
    /// The state the module reads and writes.
    pub state: StateDelta,
    /// The current block (height 10, time 1,000,000 ms at the start).
    pub block: BlockContext,
}

impl ModuleChain {
    /// Empty storage; `init` writes the module's genesis (e.g.
    /// `|s| Identity::init_genesis(s, &genesis)`).
    pub fn new<E: std::fmt::Debug>(init: impl FnOnce(&mut StateDelta) -> Result<(), E>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        let mut state = StateDelta::new(storage.latest_snapshot().unwrap());
        init(&mut state).unwrap();
        ModuleChain {
            _dir: dir,
            state,
            block: BlockContext::new(CHAIN_ID.into(), 10, BlockTime(1_000_000)),
        }
    }

    /// The current block height.
    pub fn height(&self) -> u64 {
        self.block.height
    }

    /// The current block time.
    pub fn time(&self) -> BlockTime {
        self.block.time
    }

    /// Delivers `msg` from `signer` as one transaction, through every
    /// phase of [`ActionHandler`] in order; on failure its writes are
    /// discarded (as the app does). Returns the events it emitted.
    pub fn run<H: ActionHandler>(
        &mut self,
        signer: Address,
        msg: &H,
    ) -> Result<Vec<Event>, H::Error> {
        let key: PublicKey = key_for("module-chain-signer", KeyAlgo::Ed25519).public_key();
        msg.check_stateless(&StatelessContext {
            chain_id: CHAIN_ID,
            signer_key: &key,
        })?;
        self.state.checkpoint();
        let mut ctx = TxContext::new(
            &self.block,
            signer,
            &key,
            0,
            TxHash([7; 32]),
            GasMeter::new(MODULE_GAS),
        );
        let result = msg
            .check_stateful(&self.state, &ctx)
            .and_then(|checked| msg.execute(checked, &mut self.state, &mut ctx));
        match result {
            Ok(()) => {
                self.state.apply_checkpoint();
                Ok(ctx.into_events().0)
            }
            Err(e) => {
                self.state.discard_checkpoint();
                Err(e)
            }
        }
    }
}
