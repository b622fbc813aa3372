//! The records governance stores: proposals with their content, dry run,
//! tally and execution, votes, and the upgrade plan. Plain data with serde
//! both ways (what the API returns and the client reads).

use fructus_component::{Event, schema::CoinSchema};
use fructus_types::{Address, BlockHeight, Coin};

/// What a proposal does when it passes.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Content {
    /// Nothing on chain: the text is the proposal.
    Text,
    /// Replaces every param of `module` with `params_json` (the module's
    /// serde form, every field stated), through the app's params dispatch.
    ParamChange {
        /// The module's governance name (`"amm"`).
        module: String,
        /// Its new params as JSON.
        params_json: String,
    },
    /// Pays `amount` from the community pool to `recipient` through bank's
    /// compliance gate.
    TreasurySpend {
        /// Who is paid.
        #[schema(value_type = String)]
        recipient: Address,
        /// What is paid.
        #[schema(value_type = CoinSchema)]
        amount: Coin,
    },
    /// Adds, then removes, tier-1 regulators (identity's rules: no
    /// duplicate, at most `fructus_identity::MAX_REGULATORS`, never the
    /// last one).
    RegulatorChange {
        /// New regulators.
        #[schema(value_type = Vec<String>)]
        add: Vec<Address>,
        /// Regulators to remove.
        #[schema(value_type = Vec<String>)]
        remove: Vec<Address>,
    },
    /// Plans a halt at `height`: every node stops before executing it.
    SoftwareUpgrade {
        /// The upgrade's name (the new binary recognises it).
        name: String,
        /// The first height the old binary must not execute.
        #[schema(value_type = u64)]
        height: BlockHeight,
        /// Where to find the binary, notes.
        info: String,
    },
}

impl Content {
    /// The kind's name, as in events.
    pub fn kind(&self) -> &'static str {
        match self {
            Content::Text => "text",
            Content::ParamChange { .. } => "param_change",
            Content::TreasurySpend { .. } => "treasury_spend",
            Content::RegulatorChange { .. } => "regulator_change",
            Content::SoftwareUpgrade { .. } => "software_upgrade",
        }
    }
}

/// A vote.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum VoteOption {
    /// For (wire 1).
    Yes,
    /// Against (wire 2).
    No,
    /// Counts for the quorum only (wire 3).
    Abstain,
    /// Against, and the deposit should burn (wire 4).
    NoWithVeto,
}

impl VoteOption {
    /// The wire number.
    pub fn to_wire(self) -> u32 {
        match self {
            VoteOption::Yes => 1,
            VoteOption::No => 2,
            VoteOption::Abstain => 3,
            VoteOption::NoWithVeto => 4,
        }
    }

    /// From the wire number (1 … 4).
    pub fn from_wire(n: u32) -> Option<Self> {
        match n {
            1 => Some(VoteOption::Yes),
            2 => Some(VoteOption::No),
            3 => Some(VoteOption::Abstain),
            4 => Some(VoteOption::NoWithVeto),
            _ => None,
        }
    }
}

impl std::str::FromStr for VoteOption {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "yes" => Ok(VoteOption::Yes),
            "no" => Ok(VoteOption::No),
            "abstain" => Ok(VoteOption::Abstain),
            "no_with_veto" | "veto" => Ok(VoteOption::NoWithVeto),
            other => Err(format!(
                "unknown vote {other:?}: use yes, no, abstain or no_with_veto"
            )),
        }
    }
}

/// Where a proposal is in its life.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    /// Waiting for its deposit to reach the minimum.
    DepositPeriod,
    /// Open for votes.
    VotingPeriod,
    /// Passed and executed.
    Passed,
    /// Voted down (deposits returned).
    Rejected,
    /// Vetoed by stake or by the regulators (deposits burned).
    Vetoed,
    /// Passed, but its execution failed (recorded in `execution`; nothing
    /// it would have written was kept; deposits returned).
    Failed,
    /// The deposit period ended below the minimum (deposits returned).
    DepositExpired,
}

impl ProposalStatus {
    /// Still in its deposit or voting period.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ProposalStatus::DepositPeriod | ProposalStatus::VotingPeriod
        )
    }

    /// The snake-case name.
    pub fn name(self) -> &'static str {
        match self {
            ProposalStatus::DepositPeriod => "deposit_period",
            ProposalStatus::VotingPeriod => "voting_period",
            ProposalStatus::Passed => "passed",
            ProposalStatus::Rejected => "rejected",
            ProposalStatus::Vetoed => "vetoed",
            ProposalStatus::Failed => "failed",
            ProposalStatus::DepositExpired => "deposit_expired",
        }
    }
}

/// The result of running a proposal's content (for real or as a dry run).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Execution {
    /// The height it ran at.
    #[schema(value_type = u64)]
    pub height: BlockHeight,
    /// `None` when it succeeded.
    pub error: Option<ExecutionError>,
    /// The events it produced (kept even for a dry run, so readers see
    /// what the proposal would do).
    pub events: Vec<Event>,
}

/// Why a proposal's content failed: the refusing module's code.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct ExecutionError {
    /// Codespace of the refusal.
    pub codespace: String,
    /// Its code.
    pub code: u32,
    /// Its message.
    pub message: String,
}

/// Stake (ufrx) per option, and the regulators' votes.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Tally {
    /// Stake voting yes.
    pub yes: u128,
    /// Stake voting no.
    pub no: u128,
    /// Stake abstaining.
    pub abstain: u128,
    /// Stake voting no with veto.
    pub no_with_veto: u128,
    /// All stake bonded to the active set when tallied.
    pub total_bonded: u128,
    /// Regulators in the set when tallied.
    pub regulators: u32,
    /// Regulators voting yes.
    pub regulators_yes: u32,
    /// Regulators voting no with veto.
    pub regulators_veto: u32,
}

/// A proposal and everything that happened to it.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Proposal {
    /// Sequential id (from 1).
    pub id: u64,
    /// Who submitted it.
    #[schema(value_type = String)]
    pub proposer: Address,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// What it does.
    pub content: Content,
    /// Touches regulation (regulators, identity, KYC-only settings, the
    /// super-node share): also needs a majority of regulators voting yes,
    /// and a majority of regulators voting no with veto vetoes it.
    pub regulatory: bool,
    /// Short voting period and higher threshold; falls back to a regular
    /// proposal when it does not pass in time.
    pub expedited: bool,
    /// Where it is.
    pub status: ProposalStatus,
    /// Height submitted.
    #[schema(value_type = u64)]
    pub submit_height: BlockHeight,
    /// Last height of the deposit period.
    #[schema(value_type = u64)]
    pub deposit_end_height: BlockHeight,
    /// Height voting opened.
    #[schema(value_type = Option<u64>)]
    pub voting_start_height: Option<BlockHeight>,
    /// Height voting closes (tallied in that block's end-block).
    #[schema(value_type = Option<u64>)]
    pub voting_end_height: Option<BlockHeight>,
    /// ufrx deposited in total.
    pub total_deposit: u128,
    /// Distinct depositors (at most [`crate::MAX_DEPOSITORS`]).
    pub depositors: u32,
    /// The content run at submission on a copy of the state.
    pub dry_run: Execution,
    /// The final tally.
    pub tally: Option<Tally>,
    /// The real execution, when it passed.
    pub execution: Option<Execution>,
}

/// A halt height that every node honours.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct UpgradePlan {
    /// The upgrade's name.
    pub name: String,
    /// Nodes stop before executing this height.
    #[schema(value_type = u64)]
    pub height: BlockHeight,
    /// Notes (where the new binary is).
    pub info: String,
    /// The proposal that planned it.
    pub proposal_id: u64,
}
