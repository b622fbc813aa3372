//! Every storage key of the staking module is built here and nowhere else.
//! Heights and ids are big-endian so that prefix scans run in order.

use fructus_types::{Address, BlockHeight};

const VALIDATOR: &[u8] = b"staking/val/";
const BY_CONSENSUS: &[u8] = b"staking/cons/";
const DELEGATION: &[u8] = b"staking/del/";
const UNBONDING: &[u8] = b"staking/ubd/";
const UNBONDING_QUEUE: &[u8] = b"staking/ubq/";
const UNBONDING_BY_DELEGATOR: &[u8] = b"staking/ubdd/";
const UNBONDING_BY_VALIDATOR: &[u8] = b"staking/ubdv/";
const UNBONDING_COUNT: &[u8] = b"staking/ubdn/";
const SIGNING: &[u8] = b"staking/sign/";
const REDELEGATION: &[u8] = b"staking/rd/";
const REDELEGATION_QUEUE: &[u8] = b"staking/rdq/";
const REDELEGATION_BY_SOURCE: &[u8] = b"staking/rdv/";
const REDELEGATION_COUNT: &[u8] = b"staking/rdn/";
const REDELEGATION_INTO: &[u8] = b"staking/rdin/";
const MISSED: &[u8] = b"staking/miss/";

/// `staking/params` → `StakingParams`.
pub fn params() -> Vec<u8> {
    b"staking/params".to_vec()
}

/// `staking/val/<operator>` → `Validator`.
pub fn validator(operator: &Address) -> Vec<u8> {
    [VALIDATOR, operator.as_bytes()].concat()
}

/// Prefix of every validator.
pub fn all_validators() -> Vec<u8> {
    VALIDATOR.to_vec()
}

/// `staking/cons/<consensus address>` → operator `Address`.
pub fn by_consensus(consensus: &Address) -> Vec<u8> {
    [BY_CONSENSUS, consensus.as_bytes()].concat()
}

/// `staking/del/<delegator><operator>` → `Delegation`.
pub fn delegation(delegator: &Address, operator: &Address) -> Vec<u8> {
    [DELEGATION, delegator.as_bytes(), operator.as_bytes()].concat()
}

/// Prefix of every delegation of `delegator`.
pub fn delegations_of(delegator: &Address) -> Vec<u8> {
    [DELEGATION, delegator.as_bytes()].concat()
}

/// `staking/ubd/<id>` → `UnbondingEntry`.
pub fn unbonding(id: u64) -> Vec<u8> {
    [UNBONDING, &id.to_be_bytes()].concat()
}

/// `staking/ubd_next` → `u64`: the next entry id.
pub fn next_unbonding_id() -> Vec<u8> {
    b"staking/ubd_next".to_vec()
}

/// `staking/ubq/<completion height><id>` → `u64` id: the maturity queue.
pub fn unbonding_queue(completion: BlockHeight, id: u64) -> Vec<u8> {
    [
        UNBONDING_QUEUE,
        &completion.to_be_bytes(),
        &id.to_be_bytes(),
    ]
    .concat()
}

/// Prefix of the maturity queue.
pub fn unbonding_queue_all() -> Vec<u8> {
    UNBONDING_QUEUE.to_vec()
}

/// `staking/ubdd/<delegator><id>` → `u64` id.
pub fn unbonding_by_delegator(delegator: &Address, id: u64) -> Vec<u8> {
    [
        UNBONDING_BY_DELEGATOR,
        delegator.as_bytes(),
        &id.to_be_bytes(),
    ]
    .concat()
}

/// Prefix of `delegator`'s entries.
pub fn unbondings_of(delegator: &Address) -> Vec<u8> {
    [UNBONDING_BY_DELEGATOR, delegator.as_bytes()].concat()
}

/// `staking/ubdv/<operator><creation height><id>` → `u64` id.
pub fn unbonding_by_validator(operator: &Address, creation: BlockHeight, id: u64) -> Vec<u8> {
    [
        UNBONDING_BY_VALIDATOR,
        operator.as_bytes(),
        &creation.to_be_bytes(),
        &id.to_be_bytes(),
    ]
    .concat()
}

/// Prefix of the entries unbonding from `operator`.
pub fn unbondings_from(operator: &Address) -> Vec<u8> {
    [UNBONDING_BY_VALIDATOR, operator.as_bytes()].concat()
}

/// `staking/ubdn/<delegator><operator>` → `u32` open entries.
pub fn unbonding_count(delegator: &Address, operator: &Address) -> Vec<u8> {
    [UNBONDING_COUNT, delegator.as_bytes(), operator.as_bytes()].concat()
}

/// `staking/active` → `Vec<ActiveValidator>`: the consensus set of the
/// next height.
pub fn active() -> Vec<u8> {
    b"staking/active".to_vec()
}

/// `staking/active_prev` → `Vec<ActiveValidator>`: the consensus set of
/// the current height (whose signatures the next block reports).
pub fn previous_active() -> Vec<u8> {
    b"staking/active_prev".to_vec()
}

/// `staking/sign/<operator>` → `SigningInfo`.
pub fn signing_info(operator: &Address) -> Vec<u8> {
    [SIGNING, operator.as_bytes()].concat()
}

/// `staking/miss/<operator><slot>` → `()`: present when the validator
/// missed the block recorded in that window slot.
pub fn missed(operator: &Address, slot: u64) -> Vec<u8> {
    [MISSED, operator.as_bytes(), &slot.to_be_bytes()].concat()
}

/// Prefix of `operator`'s missed-block bitmap.
pub fn missed_of(operator: &Address) -> Vec<u8> {
    [MISSED, operator.as_bytes()].concat()
}

/// `staking/rd/<id>` → `RedelegationEntry`.
pub fn redelegation(id: u64) -> Vec<u8> {
    [REDELEGATION, &id.to_be_bytes()].concat()
}

/// `staking/rd_next` → `u64`: the next redelegation id.
pub fn next_redelegation_id() -> Vec<u8> {
    b"staking/rd_next".to_vec()
}

/// `staking/rdq/<completion height><id>` → `u64` id: the maturity queue.
pub fn redelegation_queue(completion: BlockHeight, id: u64) -> Vec<u8> {
    [
        REDELEGATION_QUEUE,
        &completion.to_be_bytes(),
        &id.to_be_bytes(),
    ]
    .concat()
}

/// Prefix of the redelegation maturity queue.
pub fn redelegation_queue_all() -> Vec<u8> {
    REDELEGATION_QUEUE.to_vec()
}

/// `staking/rdv/<source operator><creation height><id>` → `u64` id.
pub fn redelegation_by_source(operator: &Address, creation: BlockHeight, id: u64) -> Vec<u8> {
    [
        REDELEGATION_BY_SOURCE,
        operator.as_bytes(),
        &creation.to_be_bytes(),
        &id.to_be_bytes(),
    ]
    .concat()
}

/// Prefix of the redelegations that left `operator`.
pub fn redelegations_from(operator: &Address) -> Vec<u8> {
    [REDELEGATION_BY_SOURCE, operator.as_bytes()].concat()
}

/// `staking/rdn/<delegator><source operator>` → `u32` open redelegations.
pub fn redelegation_count(delegator: &Address, operator: &Address) -> Vec<u8> {
    [
        REDELEGATION_COUNT,
        delegator.as_bytes(),
        operator.as_bytes(),
    ]
    .concat()
}

/// `staking/rdin/<delegator><destination operator>` → `BlockHeight`: the
/// latest completion height of the delegator's redelegations into it.
pub fn redelegated_into(delegator: &Address, operator: &Address) -> Vec<u8> {
    [REDELEGATION_INTO, delegator.as_bytes(), operator.as_bytes()].concat()
}
