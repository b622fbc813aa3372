//! Every storage key of the governance module is built here and nowhere
//! else. Ids are 8-byte big-endian so prefix scans return them in numeric
//! order; addresses are their fixed-length bytes.

use fructus_types::Address;

const PARAMS: &[u8] = b"gov/params";
const NEXT_PROPOSAL: &[u8] = b"gov/next_proposal";
const PROPOSAL: &[u8] = b"gov/proposal/";
const ACTIVE: &[u8] = b"gov/active/";
const DEPOSIT: &[u8] = b"gov/deposit/";
const VOTE: &[u8] = b"gov/vote/";
const UPGRADE: &[u8] = b"gov/upgrade_plan";

fn join(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// `gov/params` → `GovernanceParams`.
pub fn params() -> Vec<u8> {
    PARAMS.to_vec()
}

/// `gov/next_proposal` → `u64`, the next id (from 1).
pub fn next_proposal() -> Vec<u8> {
    NEXT_PROPOSAL.to_vec()
}

/// `gov/proposal/<id>` → `Proposal`.
pub fn proposal(id: u64) -> Vec<u8> {
    join(&[PROPOSAL, &id.to_be_bytes()])
}

/// Prefix of every proposal.
pub fn all_proposals() -> Vec<u8> {
    PROPOSAL.to_vec()
}

/// `gov/active/<id>` → `()`: the proposal is in its deposit or voting
/// period (what end-block looks at).
pub fn active(id: u64) -> Vec<u8> {
    join(&[ACTIVE, &id.to_be_bytes()])
}

/// Prefix of the open proposals.
pub fn all_active() -> Vec<u8> {
    ACTIVE.to_vec()
}

/// `gov/deposit/<id><depositor>` → `u128` ufrx.
pub fn deposit(id: u64, depositor: &Address) -> Vec<u8> {
    join(&[DEPOSIT, &id.to_be_bytes(), depositor.as_bytes()])
}

/// Prefix of one proposal's deposits.
pub fn deposits(id: u64) -> Vec<u8> {
    join(&[DEPOSIT, &id.to_be_bytes()])
}

/// `gov/vote/<id><voter>` → `VoteOption`.
pub fn vote(id: u64, voter: &Address) -> Vec<u8> {
    join(&[VOTE, &id.to_be_bytes(), voter.as_bytes()])
}

/// Prefix of one proposal's votes.
pub fn votes(id: u64) -> Vec<u8> {
    join(&[VOTE, &id.to_be_bytes()])
}

/// `gov/upgrade_plan` → `UpgradePlan`.
pub fn upgrade_plan() -> Vec<u8> {
    UPGRADE.to_vec()
}
