//! The history API (`/v1/history/…`, served when the node runs its indexer):
//! the queries, the items and the pages. docs/indexer.md describes them.
//!
//! Every list is newest first and paginated: at most [`MAX_HISTORY_LIMIT`]
//! items per page ([`DEFAULT_HISTORY_LIMIT`] by default), continued with
//! `?before=<next>` until `next` is `null`.

/// Default page size of the history routes.
pub const DEFAULT_HISTORY_LIMIT: u32 = 100;
/// Largest page size of the history routes.
pub const MAX_HISTORY_LIMIT: u32 = 1000;

/// Where a page starts and how long it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Items per page, `1..=MAX_HISTORY_LIMIT`.
    pub limit: u32,
    /// The `next` cursor of the previous page (`None`: the newest items).
    pub before: Option<String>,
}

/// One history query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryQuery {
    /// The indexer's status.
    Status,
    /// Blocks.
    Blocks(PageRequest),
    /// Transactions, optionally of one signer.
    Txs {
        /// Only this signer's (bech32).
        signer: Option<String>,
        /// The page.
        page: PageRequest,
    },
    /// Readings of one device (bech32).
    DeviceUsage(String, PageRequest),
    /// Readings of one metered asset.
    AssetUsage(u64, PageRequest),
    /// Payment splits of one contract.
    ContractCharges(u64, PageRequest),
    /// Income of one account (bech32).
    AccountIncome(String, PageRequest),
    /// Swaps through one pool.
    PoolSwaps(u64, PageRequest),
    /// Certificate retirements.
    Retirements {
        /// Only those for this beneficiary.
        beneficiary: Option<String>,
        /// Only those from this batch.
        batch_id: Option<u64>,
        /// The page.
        page: PageRequest,
    },
    /// Signed/missed per height of one validator (bech32).
    ValidatorUptime(String, PageRequest),
}

/// `GET /v1/history/status`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct HistoryStatusView {
    /// Always `true` (a node without the indexer answers 404).
    pub enabled: bool,
    /// `sqlite` or `postgres`.
    pub db: String,
    /// The last height indexed (0: none yet).
    pub last_height: u64,
    /// The oldest height whose history is kept (0: none yet).
    pub first_height: u64,
    /// Heights of history kept (0: all).
    pub retention_blocks: u64,
}

/// A block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct HistoryBlock {
    /// Height.
    pub height: u64,
    /// Block time (ms since the Unix epoch).
    pub time_ms: u64,
    /// Block hash (hex).
    pub hash: String,
    /// Proposer's address.
    pub proposer: String,
    /// Transactions in the block.
    pub txs: u64,
    /// Of which failed.
    pub failed_txs: u64,
}

/// A committed transaction.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct HistoryTx {
    /// Hash (hex, upper case).
    pub hash: String,
    /// Height.
    pub height: u64,
    /// Position in the block.
    pub index: u64,
    /// Block time (ms).
    pub time_ms: u64,
    /// Signer's address (`""` if the result has no `tx.fee` event).
    pub signer: String,
    /// Kinds of the events it emitted, in order, without repeats or `tx.fee`.
    pub kinds: Vec<String>,
    /// 0 = success.
    pub code: u32,
    /// Module that refused it (empty on success).
    pub codespace: String,
}

/// A metered reading.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct HistoryUsage {
    /// Height.
    pub height: u64,
    /// Block time (ms).
    pub time_ms: u64,
    /// The device's address (`""` for an oracle reading).
    pub device: String,
    /// `device` or `oracle`.
    pub source: String,
    /// The metered asset.
    pub asset_id: u64,
    /// The contract billed.
    pub contract_id: u64,
    /// The reading's sequence (the period for an oracle reading).
    pub sequence: u64,
    /// Units billed.
    pub units: String,
    /// Charge, in the contract's price denom.
    pub charged: String,
    /// Of which collected now.
    pub collected: String,
}

/// How one payment of a contract was split.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct HistoryCharge {
    /// Height.
    pub height: u64,
    /// Block time (ms).
    pub time_ms: u64,
    /// The contract.
    pub contract_id: u64,
    /// The metered asset.
    pub asset_id: u64,
    /// Who paid.
    pub from: String,
    /// The payment's denom.
    pub denom: String,
    /// To the maintainer.
    pub maintainer: String,
    /// To the platform.
    pub platform: String,
    /// Refunded as an SLA penalty.
    pub sla_penalty: String,
    /// To the asset's shareholders.
    pub shareholders: String,
}

/// Income that reached (or was withheld from) an account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct HistoryIncome {
    /// Height.
    pub height: u64,
    /// Block time (ms).
    pub time_ms: u64,
    /// The account.
    pub account: String,
    /// The asset it is income of.
    pub asset_id: u64,
    /// `claimed`, `withheld` or `credited`.
    pub kind: String,
    /// Coins (`352uusd`, several joined with `,`).
    pub amount: String,
}

/// One pool hop of a swap.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct HistorySwap {
    /// Height.
    pub height: u64,
    /// Block time (ms).
    pub time_ms: u64,
    /// The pool.
    pub pool_id: u64,
    /// The trader.
    pub trader: String,
    /// Paid into the pool.
    pub amount_in: String,
    /// Its denom.
    pub denom_in: String,
    /// Paid out of the pool.
    pub amount_out: String,
    /// Its denom.
    pub denom_out: String,
    /// Reserve of `denom_a` after the swap.
    pub reserve_a: String,
    /// The pool's first denom.
    pub denom_a: String,
    /// Reserve of `denom_b` after the swap.
    pub reserve_b: String,
    /// The pool's second denom.
    pub denom_b: String,
    /// `reserve_b / reserve_a` after the swap, at most 18 fractional digits
    /// (truncated).
    pub price: String,
}

/// A certificate retirement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct HistoryRetirement {
    /// Height.
    pub height: u64,
    /// Block time (ms).
    pub time_ms: u64,
    /// The retirement's id.
    pub retirement_id: u64,
    /// The batch retired from.
    pub batch_id: u64,
    /// The batch's denom.
    pub denom: String,
    /// Units retired.
    pub amount: String,
    /// Who retired them.
    pub holder: String,
    /// On whose behalf.
    pub beneficiary: String,
    /// Where the claim is made.
    pub jurisdiction: String,
}

/// Whether a validator signed one height.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct HistoryUptime {
    /// Height.
    pub height: u64,
    /// Its signature is in the height's commit certificate.
    pub signed: bool,
}

macro_rules! page {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(
            Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        pub struct $name {
            /// Newest first.
            pub items: Vec<$item>,
            /// `?before=` for the next page; `null` when there is none.
            pub next: Option<String>,
        }
    };
}

page!(HistoryBlockPage, HistoryBlock, "A page of blocks.");
page!(HistoryTxPage, HistoryTx, "A page of transactions.");
page!(HistoryUsagePage, HistoryUsage, "A page of readings.");
page!(
    HistoryChargePage,
    HistoryCharge,
    "A page of payment splits."
);
page!(HistoryIncomePage, HistoryIncome, "A page of income.");
page!(HistorySwapPage, HistorySwap, "A page of swaps.");
page!(
    HistoryRetirementPage,
    HistoryRetirement,
    "A page of retirements."
);
page!(HistoryUptimePage, HistoryUptime, "A page of uptime.");

/// The answer to a [`HistoryQuery`] (serialized as the inner value).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum HistoryAnswer {
    /// To [`HistoryQuery::Status`].
    Status(HistoryStatusView),
    /// To [`HistoryQuery::Blocks`].
    Blocks(HistoryBlockPage),
    /// To [`HistoryQuery::Txs`].
    Txs(HistoryTxPage),
    /// To the usage queries.
    Usage(HistoryUsagePage),
    /// To [`HistoryQuery::ContractCharges`].
    Charges(HistoryChargePage),
    /// To [`HistoryQuery::AccountIncome`].
    Income(HistoryIncomePage),
    /// To [`HistoryQuery::PoolSwaps`].
    Swaps(HistorySwapPage),
    /// To [`HistoryQuery::Retirements`].
    Retirements(HistoryRetirementPage),
    /// To [`HistoryQuery::ValidatorUptime`].
    Uptime(HistoryUptimePage),
}
