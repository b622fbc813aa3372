//! The block life cycle over the authenticated store.

use fructus_auth::{Auth, AuthParams, AuthStateReadExt};
use fructus_bank::Bank;
use fructus_component::{BlockContext, Component, ErrorCode, Event, Evidence, LastCommit, TxError};
use fructus_storage::{
    RootHash, Snapshot, StagedVersion, StateDelta, StateRead, StateWrite, Storage,
};
use fructus_types::{BlockHeight, BlockTime, tx::TxHash};
use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use crate::{
    AppError, Genesis, ParsedTx, TxResult,
    pipeline::{
        execute,
        parallel::{self, Execution, ParallelStats},
        stateless, window,
    },
    state_key,
};

/// What the consensus layer tells the app about a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockInfo {
    /// The height (the first block after genesis is 1).
    pub height: BlockHeight,
    /// The proposer's timestamp.
    pub time: BlockTime,
    /// Who signed the previous height's commit, if the block carries it
    /// (downtime tracking skips blocks without it).
    pub last_commit: Option<LastCommit>,
    /// Verified double-sign evidence carried by the block.
    pub evidence: Vec<Evidence>,
}

impl BlockInfo {
    /// A block with neither commit signatures nor evidence.
    pub fn new(height: BlockHeight, time: BlockTime) -> Self {
        BlockInfo {
            height,
            time,
            last_commit: None,
            evidence: Vec::new(),
        }
    }
}

/// An ended block written into the store but not committed
/// ([`App::stage_commit`]); [`App::finish_commit`] commits it, dropping it
/// discards it.
#[must_use = "a staged block is discarded unless finished"]
#[derive(Debug)]
pub struct StagedBlock {
    version: StagedVersion,
    height: BlockHeight,
    included: Vec<TxHash>,
}

/// The result of executing and committing a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockOutcome {
    /// The Merkle root after the block.
    pub app_hash: RootHash,
    /// One result per transaction, in block order.
    pub results: Vec<TxResult>,
    /// What the modules' begin- and end-of-block hooks did (slashing,
    /// jailing, unbonding payouts, contract periods), in order.
    pub block_events: Vec<Event>,
}

struct InFlight {
    state: StateDelta,
    ctx: BlockContext,
    params: AuthParams,
    /// Events of the begin- and end-of-block hooks so far.
    events: Vec<Event>,
    /// Hashes charged in this block, in order (the window's list).
    included: Vec<TxHash>,
    /// The same hashes as a set, for the window's in-block check.
    charged: HashSet<TxHash>,
    /// Set when this block came from [`App::plan_block`]: `state` then
    /// already holds the ante pass of `planned.txs`, which the first
    /// [`App::deliver_txs`] uses if it gets exactly those transactions.
    planned: Option<Box<PlannedAnte>>,
}

/// The ante pass a plan ran, kept for delivering the same block.
struct PlannedAnte {
    /// The block the plan was for (to open it again without the plan).
    info: BlockInfo,
    /// The transactions planned, in order.
    txs: Vec<Vec<u8>>,
    /// What the message pass starts from, one per transaction.
    staged: Vec<parallel::Stage>,
    /// The hashes the ante charged, in block order.
    charged: Vec<TxHash>,
    /// How the plan's ante pass ran.
    stats: ParallelStats,
}

impl InFlight {
    /// Records a charged hash in the block's list and set.
    fn record_charged(&mut self, hash: TxHash) {
        self.included.push(hash);
        self.charged.insert(hash);
    }
}

/// The state machine. Version `h` of the store is the state after block `h`;
/// version 0 is genesis.
pub struct App {
    storage: Storage,
    chain_id: Option<String>,
    block: Option<InFlight>,
    /// The committed included-transaction window's lookup, rebuilt from
    /// the store's lists here and updated in [`App::commit`].
    window: window::Window,
    /// How blocks execute (the result is the same either way).
    execution: Execution,
    /// How the parallel message passes went (not state).
    stats: ParallelStats,
    /// The last plan's block after its ante pass, for a
    /// [`App::begin_block`] of the same block: validators plan the block
    /// they are asked to vote on, then deliver it, so the ante runs once.
    /// Dropped at every commit (its state would be stale).
    last_plan: Mutex<Option<InFlight>>,
}

macro_rules! each_component {
    ($hook:ident, $state:expr, $ctx:expr, $events:expr) => {{
        Auth::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
        Bank::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
        fructus_identity::Identity::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
        fructus_staking::Staking::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
        fructus_asset::component::Asset::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
        fructus_metering::Metering::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
        fructus_amm::Amm::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
        fructus_certificate::Certificate::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
        fructus_compute::Compute::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
        fructus_oracle::Oracle::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
        fructus_credit::Credit::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
        fructus_governance::Governance::<crate::params::AppParams>::$hook($state, $ctx, $events)
            .map_err(|e| internal(&e))?;
        fructus_lending::Lending::$hook($state, $ctx, $events).map_err(|e| internal(&e))?;
    }};
}

fn internal<E: ErrorCode>(e: &E) -> AppError {
    AppError::Internal {
        codespace: e.codespace().to_owned(),
        message: e.to_string(),
    }
}

fn internal_tx(e: TxError) -> AppError {
    AppError::Internal {
        codespace: e.codespace,
        message: e.message,
    }
}

impl App {
    /// Opens the app over a store (initialized or not, restored from a
    /// snapshot or not): refuses one whose stored params this binary cannot
    /// decode ([`AppError::IncompatibleState`]), and rebuilds the
    /// included-transaction window's lookup from the lists of the latest
    /// version. Every app is built here.
    pub fn new(storage: Storage) -> Result<Self, AppError> {
        let snapshot = storage.latest_snapshot()?;
        crate::params::check_stored(&snapshot)?;
        let chain_id = snapshot.get::<String>(&state_key::chain_id())?;
        let window = window::Window::load(&snapshot, snapshot.version())?;
        Ok(App {
            storage,
            chain_id,
            block: None,
            window,
            execution: Execution::default(),
            stats: ParallelStats::default(),
            last_plan: Mutex::new(None),
        })
    }

    /// Chooses how the next blocks execute: [`Execution::Parallel`] (the
    /// default) or the sequential reference. Both give the same state,
    /// results and app hash.
    pub fn set_execution(&mut self, execution: Execution) {
        self.execution = execution;
    }

    /// How blocks execute.
    pub fn execution(&self) -> Execution {
        self.execution
    }

    /// A handle on the committed included-transaction window, for
    /// [`check_admission`] and [`simulate`] (it follows every commit).
    pub fn window(&self) -> window::Window {
        self.window.clone()
    }

    /// Writes genesis as version 0 and returns its app hash.
    pub fn init_genesis(&mut self, genesis: &Genesis) -> Result<RootHash, AppError> {
        if let Some(version) = self.storage.latest_version() {
            return Err(AppError::AlreadyInitialized { version });
        }
        genesis.validate()?;
        let mut state = StateDelta::new(self.storage.latest_snapshot()?);
        state.put(state_key::chain_id(), &genesis.chain_id)?;
        let time = genesis.time()?;
        state.put(state_key::genesis_time(), &time)?;
        state.put(state_key::last_block(), &(0u64, time))?;
        Auth::init_genesis(&mut state, &genesis.app_state.auth).map_err(|e| internal(&e))?;
        Bank::init_genesis(&mut state, &genesis.app_state.bank).map_err(|e| internal(&e))?;
        fructus_identity::Identity::init_genesis(&mut state, &genesis.app_state.identity)
            .map_err(|e| internal(&e))?;
        fructus_staking::Staking::init_genesis(
            &mut state,
            &fructus_staking::StakingGenesisInput {
                section: genesis.app_state.staking.clone(),
                time,
            },
        )
        .map_err(|e| internal(&e))?;
        fructus_asset::component::Asset::init_genesis(&mut state, &genesis.app_state.asset)
            .map_err(|e| internal(&e))?;
        fructus_metering::Metering::init_genesis(&mut state, &genesis.app_state.metering)
            .map_err(|e| internal(&e))?;
        fructus_amm::Amm::init_genesis(&mut state, &genesis.app_state.amm)
            .map_err(|e| internal(&e))?;
        fructus_certificate::Certificate::init_genesis(&mut state, &genesis.app_state.certificate)
            .map_err(|e| internal(&e))?;
        fructus_compute::Compute::init_genesis(
            &mut state,
            &fructus_compute::ComputeGenesisInput {
                section: genesis.app_state.compute.clone(),
                time,
            },
        )
        .map_err(|e| internal(&e))?;
        fructus_oracle::Oracle::init_genesis(&mut state, &genesis.app_state.oracle)
            .map_err(|e| internal(&e))?;
        fructus_credit::Credit::init_genesis(&mut state, &genesis.app_state.credit)
            .map_err(|e| internal(&e))?;
        fructus_governance::Governance::<crate::params::AppParams>::init_genesis(
            &mut state,
            &genesis.app_state.governance,
        )
        .map_err(|e| internal(&e))?;
        fructus_lending::Lending::init_genesis(&mut state, &genesis.app_state.lending)
            .map_err(|e| internal(&e))?;
        let root = self.storage.commit(state.into_changes(), 0)?;
        self.chain_id = Some(genesis.chain_id.clone());
        Ok(root)
    }

    /// The chain id (after genesis).
    pub fn chain_id(&self) -> Result<&str, AppError> {
        self.chain_id.as_deref().ok_or(AppError::NotInitialized)
    }

    /// Height of the last committed block (0 = genesis only).
    pub fn height(&self) -> Result<BlockHeight, AppError> {
        self.storage
            .latest_version()
            .ok_or(AppError::NotInitialized)
    }

    /// App hash of the last committed version.
    pub fn app_hash(&self) -> Result<RootHash, AppError> {
        Ok(self.storage.root_hash(self.height()?)?)
    }

    /// A consistent read-only view of the last committed state.
    pub fn snapshot(&self) -> Result<Snapshot, AppError> {
        Ok(self.storage.latest_snapshot()?)
    }

    /// The underlying store (proofs, roots by version).
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// Starts a block: height must follow the last committed one and time
    /// may not go backwards. If the last [`App::plan_block`] was for this
    /// very block (same [`BlockInfo`], no commit since), its state after
    /// the begin-of-block hooks and the ante pass is taken over.
    pub fn begin_block(&mut self, info: BlockInfo) -> Result<(), AppError> {
        if self.block.is_some() {
            return Err(AppError::Lifecycle(
                "begin_block called twice without commit",
            ));
        }
        let plan = self.take_plan();
        let block = match plan {
            Some(block) if block.planned.as_ref().is_some_and(|p| p.info == info) => block,
            _ => self.open_block(info)?,
        };
        self.block = Some(block);
        Ok(())
    }

    /// The last plan's block, if any (a poisoned lock only means a plan
    /// panicked: its block is dropped).
    fn take_plan(&self) -> Option<InFlight> {
        match self.last_plan.lock() {
            Ok(mut plan) => plan.take(),
            Err(poisoned) => {
                poisoned.into_inner().take();
                None
            }
        }
    }

    /// The state at the start of the block `info` describes, on an overlay
    /// of the last committed state: checks, the window's expiry and the
    /// modules' begin-of-block hooks. Writes nothing to the store.
    fn open_block(&self, info: BlockInfo) -> Result<InFlight, AppError> {
        let chain_id = self.chain_id()?.to_owned();
        let expected = self.height()?.saturating_add(1);
        if info.height != expected {
            return Err(AppError::UnexpectedHeight {
                expected,
                got: info.height,
            });
        }
        let mut state = StateDelta::new(self.storage.latest_snapshot()?);
        let (_, previous) = state
            .get::<(u64, BlockTime)>(&state_key::last_block())?
            .ok_or(AppError::NotInitialized)?;
        if info.time < previous {
            return Err(AppError::TimeRegressed {
                previous,
                got: info.time,
            });
        }
        state.put(state_key::last_block(), &(info.height, info.time))?;
        window::expire(&mut state, info.height)?;
        let ctx = BlockContext {
            chain_id,
            height: info.height,
            time: info.time,
            last_commit: info.last_commit,
            evidence: info.evidence,
        };
        let mut events = Vec::new();
        each_component!(begin_block, &mut state, &ctx, &mut events);
        let params = state.auth_params().map_err(|e| internal(&e))?;
        Ok(InFlight {
            state,
            ctx,
            params,
            events,
            included: Vec::new(),
            charged: HashSet::new(),
            planned: None,
        })
    }

    /// Which of `txs` a block described by `info` may carry, in order,
    /// judged exactly as [`App::deliver_txs`] would charge them: stateless
    /// checks and signatures, then every ante in block order on the state
    /// after the begin-of-block hooks. `None` = the transaction is charged
    /// its fee; `Some(error)` = it would be refused without paying. A
    /// proposer keeps the `None`s (dropping a refused one changes nothing
    /// for the others, since a refused ante writes nothing); a validator
    /// refuses a block with any `Some`. Nothing is written to the store;
    /// the block's state after the ante pass is kept in memory for a
    /// [`App::begin_block`] and [`App::deliver_txs`] of exactly this block,
    /// which then run only its messages (results are the same either way).
    /// `Err` only for internal failures.
    pub fn plan_block(
        &self,
        info: BlockInfo,
        txs: &[Vec<u8>],
    ) -> Result<Vec<Option<TxError>>, AppError> {
        let mut block = self.open_block(info.clone())?;
        let checked = stateless::check_batch(txs, &block.ctx.chain_id, &block.params);
        let stateless: Vec<Option<TxError>> =
            checked.iter().map(|c| c.as_ref().err().cloned()).collect();
        let committed = self.window.read();
        let seen = parallel::Window {
            committed: &committed,
            charged: &block.charged,
        };
        // The stats count delivered blocks only: a plan is thrown away.
        let mut scratch = ParallelStats::default();
        let stats = (self.execution == Execution::Parallel).then_some(&mut scratch);
        let (staged, charged) =
            parallel::charge(&mut block.state, &block.ctx, &seen, txs, checked, stats)?;
        drop(committed);
        let verdicts = staged
            .iter()
            .zip(stateless)
            .map(|(stage, stateless)| match (stateless, stage) {
                (Some(e), _) => Some(e),
                (None, Ok(_)) => None,
                (None, Err(refused)) => Some(refused.error().unwrap_or_else(refusal_without_error)),
            })
            .collect();
        block.planned = Some(Box::new(PlannedAnte {
            info,
            txs: txs.to_vec(),
            staged,
            charged,
            stats: scratch,
        }));
        *self
            .last_plan
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(block);
        Ok(verdicts)
    }

    fn in_flight(&mut self) -> Result<&mut InFlight, AppError> {
        in_flight(&mut self.block)
    }

    /// Takes the plan off the block in flight, if it came from one: kept
    /// if it planned exactly `txs`, else dropped and the block opened
    /// again without the plan's ante writes.
    fn take_planned(&mut self, txs: &[Vec<u8>]) -> Result<Option<PlannedAnte>, AppError> {
        let Some(planned) = in_flight(&mut self.block)?.planned.take() else {
            return Ok(None);
        };
        if planned.txs == txs {
            return Ok(Some(*planned));
        }
        self.block = Some(self.open_block(planned.info)?);
        Ok(None)
    }

    /// Executes a batch of transactions in order: stateless checks and
    /// signatures in parallel first, then the ante (fee) of every one in
    /// order, then the messages of every charged one in order. A block's
    /// transactions are delivered in one call; if the block's plan
    /// ([`App::plan_block`]) was for exactly these, its ante pass is used.
    pub fn deliver_txs(&mut self, txs: &[Vec<u8>]) -> Result<Vec<TxResult>, AppError> {
        let parallel = self.execution == Execution::Parallel;
        let (staged, charged) = match self.take_planned(txs)? {
            Some(planned) => {
                self.stats.absorb(planned.stats);
                self.stats.plans_reused = self.stats.plans_reused.saturating_add(1);
                (planned.staged, planned.charged)
            }
            None => {
                let block = in_flight(&mut self.block)?;
                let checked = stateless::check_batch(txs, &block.ctx.chain_id, &block.params);
                let committed = self.window.read();
                let seen = parallel::Window {
                    committed: &committed,
                    charged: &block.charged,
                };
                let stats = parallel.then_some(&mut self.stats);
                parallel::charge(&mut block.state, &block.ctx, &seen, txs, checked, stats)?
            }
        };
        let block = in_flight(&mut self.block)?;
        for hash in charged {
            block.record_charged(hash);
        }
        if parallel {
            parallel::run_messages(&mut block.state, &block.ctx, staged, &mut self.stats)
        } else {
            parallel::sequential(&mut block.state, &block.ctx, staged)
        }
    }

    /// How the parallel passes went since this app started.
    pub fn parallel_stats(&self) -> ParallelStats {
        self.stats
    }

    /// Executes one transaction.
    pub fn deliver_tx(&mut self, tx: &[u8]) -> Result<TxResult, AppError> {
        let mut results = self.deliver_txs(&[tx.to_vec()])?;
        results.pop().ok_or(AppError::Lifecycle("no result"))
    }

    /// Runs the modules' end-of-block hooks and records the block's charged
    /// hashes in the included-transaction window; returns the block's
    /// events (those of the begin-of-block hooks, then the end-of-block
    /// ones).
    pub fn end_block(&mut self) -> Result<Vec<Event>, AppError> {
        // A planned block nothing was delivered to carries no transaction.
        self.take_planned(&[])?;
        let block = self.in_flight()?;
        each_component!(end_block, &mut block.state, &block.ctx, &mut block.events);
        window::close_block(&mut block.state, block.ctx.height, &block.included)?;
        Ok(block.events.clone())
    }

    /// Persists the block's state atomically and returns the new app hash;
    /// then moves the window's in-memory lookup to the new version (under
    /// its write lock, taken before the store's commit: see
    /// [`window::Window`]).
    pub fn commit(&mut self) -> Result<RootHash, AppError> {
        let staged = self.stage_commit()?;
        self.finish_commit(staged)
    }

    /// The first half of [`App::commit`]: writes the ended block's state
    /// as the next version (its tree and root computed) without making it
    /// durable or visible — readers, the mempool and [`App::window`] still
    /// see the previous block. A node stages while it stores the block, and
    /// commits once the block is stored ([`App::finish_commit`]), so the
    /// state never gets ahead of the block store. Dropping the result
    /// discards the block. The staged version holds the store's writer
    /// slot: nothing else may commit until it is finished or dropped.
    pub fn stage_commit(&mut self) -> Result<StagedBlock, AppError> {
        let block = self
            .block
            .take()
            .ok_or(AppError::Lifecycle("commit without begin_block"))?;
        self.take_plan();
        let version = self
            .storage
            .stage(block.state.into_changes(), block.ctx.height)?;
        Ok(StagedBlock {
            version,
            height: block.ctx.height,
            included: block.included,
        })
    }

    /// The second half of [`App::commit`]: makes a staged block durable
    /// and the latest state, and adds its transactions to the window, at
    /// once for every reader of [`App::window`].
    pub fn finish_commit(&mut self, staged: StagedBlock) -> Result<RootHash, AppError> {
        let mut committed = self.window.write();
        let root = staged.version.commit()?;
        committed.commit(staged.height, &staged.included);
        Ok(root)
    }

    /// Drops a block in progress without committing anything.
    pub fn abort_block(&mut self) {
        self.block = None;
    }

    /// begin → deliver → end → commit in one call.
    pub fn execute_block(
        &mut self,
        info: BlockInfo,
        txs: &[Vec<u8>],
    ) -> Result<BlockOutcome, AppError> {
        self.begin_block(info)?;
        let (results, block_events) = match self
            .deliver_txs(txs)
            .and_then(|r| self.end_block().map(|events| (r, events)))
        {
            Ok(r) => r,
            Err(e) => {
                self.abort_block();
                return Err(e);
            }
        };
        let app_hash = self.commit()?;
        Ok(BlockOutcome {
            app_hash,
            results,
            block_events,
        })
    }

    /// Mempool admission against the last committed state: stateless
    /// checks, signature, and the ante checks (nothing is written).
    pub fn check_tx(&self, tx: &[u8]) -> Result<ParsedTx, TxError> {
        let chain_id = self.chain_id().map_err(fatal)?;
        let snapshot = self.snapshot().map_err(fatal)?;
        let params = snapshot.auth_params().map_err(|e| TxError::from_code(&e))?;
        let parsed = stateless::check(tx, chain_id, &params)?;
        let parsed = stateless::verify_signatures(vec![Ok(parsed)], chain_id)
            .pop()
            .unwrap_or_else(|| Err(fatal(AppError::Lifecycle("no verdict"))))?;
        check_admission(snapshot, &self.window, chain_id, &parsed, 0)?;
        Ok(parsed)
    }
}

fn in_flight(block: &mut Option<InFlight>) -> Result<&mut InFlight, AppError> {
    block.as_mut().ok_or(AppError::Lifecycle(
        "no block in progress: call begin_block",
    ))
}

/// The window as the block after `height` sees it from outside a block
/// (mempool admission, simulation): the committed lookup, no block set.
fn next_block_window<R>(
    window: &window::Window,
    height: u64,
    f: impl FnOnce(&window::Seen<'_>) -> R,
) -> R {
    let committed = window.read();
    let empty = HashSet::new();
    f(&window::Seen {
        committed: &committed,
        block: &empty,
        height,
    })
}

/// A refused result always carries its error; this stands in if not.
fn refusal_without_error() -> TxError {
    TxError {
        codespace: "app".into(),
        code: 1,
        message: "transaction refused without an error".into(),
    }
}

fn fatal(e: AppError) -> TxError {
    TxError {
        codespace: "app".into(),
        code: 1,
        message: e.to_string(),
    }
}

/// The ante checks of a stateless-checked, signature-verified transaction
/// against `snapshot` and the committed included-transaction `window`
/// ([`App::window`]), as if `pending` earlier transactions of the same
/// signer (waiting in the mempool) had already been included: its nonce
/// must be the account's next nonce plus `pending`. The fee is checked
/// against the current balance only. Nothing is written.
pub fn check_admission(
    snapshot: Snapshot,
    window: &window::Window,
    chain_id: &str,
    parsed: &ParsedTx,
    pending: u64,
) -> Result<(), TxError> {
    let (height, time) = snapshot
        .get::<(u64, BlockTime)>(&state_key::last_block())
        .map_err(|e| fatal(e.into()))?
        .unwrap_or_default();
    let ctx = BlockContext::new(chain_id.to_owned(), height.saturating_add(1), time);
    let mut scratch = StateDelta::new(snapshot);
    if pending > 0 {
        // Pretend the pending transactions advanced the nonce.
        if let Ok(mut account) = scratch.resolve_signer(&parsed.tx.signer) {
            account.nonce = account.nonce.saturating_add(pending);
            fructus_auth::AuthStateWriteExt::put_account(&mut scratch, &account)
                .map_err(|e| TxError::from_code(&e))?;
            if account.public_key.is_none() {
                fructus_auth::AuthStateWriteExt::bind_key(
                    &mut scratch,
                    &parsed.tx.signer,
                    &account.address,
                )
                .map_err(|e| TxError::from_code(&e))?;
            }
        }
    }
    next_block_window(window, ctx.height, |seen| {
        crate::pipeline::ante::run(&mut scratch, parsed, &ctx, seen)
    })
    .map(|_| ())
    .map_err(|f| match f {
        crate::pipeline::Failure::Tx(e) | crate::pipeline::Failure::Internal(e) => e,
    })
}

/// Runs a stateless-checked transaction against `snapshot` and the
/// committed included-transaction `window` ([`App::window`]) the way the
/// next block would — its ante (window, nonce, fee) then its messages — on a
/// scratch overlay that is dropped: nothing is ever written. The result is
/// what inclusion would record (code, events, gas used); a refusal at the
/// ante is a result too. Signatures are not checked here: the caller
/// decides (the API simulates unsigned transactions, so a client can learn
/// the gas before signing). Block height and time are those of the block
/// after the snapshot's, with the snapshot's time (the next block's time is
/// not known yet). `Err` only for a storage fault.
pub fn simulate(
    snapshot: Snapshot,
    window: &window::Window,
    chain_id: &str,
    parsed: &ParsedTx,
) -> Result<TxResult, AppError> {
    let (height, time) = snapshot
        .get::<(u64, BlockTime)>(&state_key::last_block())?
        .unwrap_or_default();
    let ctx = BlockContext::new(chain_id.to_owned(), height.saturating_add(1), time);
    let mut scratch = StateDelta::new(snapshot);
    let charged = next_block_window(window, ctx.height, |seen| {
        execute::charge(&mut scratch, parsed, &ctx, seen)
    });
    match charged.map_err(internal_tx)? {
        Ok(charged) => {
            execute::run_messages(&mut scratch, parsed, &ctx, charged).map_err(internal_tx)
        }
        Err(refused) => Ok(refused),
    }
}

/// The consensus validator set of the height after the one `state` was
/// committed at: staking's active set, computed in `end_block` of height H
/// and used by consensus from height H + 1 (genesis state gives the set of
/// height 1).
pub fn validator_set<S: StateRead>(state: &S) -> Result<Vec<crate::ConsensusValidator>, AppError> {
    use fructus_staking::StakingStateReadExt;
    Ok(state
        .active_set()
        .map_err(|e| internal(&e))?
        .iter()
        .map(crate::ConsensusValidator::from)
        .collect())
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("chain_id", &self.chain_id)
            .field("height", &self.storage.latest_version())
            .field("in_block", &self.block.is_some())
            .finish()
    }
}
