//! Every storage key of the oracle module is built here and nowhere else.

use fructus_types::{Address, Denom};

const PARAMS: &[u8] = b"oracle/params";
const FEEDER: &[u8] = b"oracle/feeder/";
const PENDING: &[u8] = b"oracle/pending/";
const PENDING_BY_TIME: &[u8] = b"oracle/pending_time/";
const PAIR: &[u8] = b"oracle/pair/";
const PAIR_COUNT: &[u8] = b"oracle/pair_count";
const SUBMISSION: &[u8] = b"oracle/sub/";

/// `oracle/params` → `OracleParams`.
pub fn params() -> Vec<u8> {
    PARAMS.to_vec()
}

/// `oracle/feeder/<addr>` → `FeederRecord` (active feeders only).
pub fn feeder(feeder: &Address) -> Vec<u8> {
    [FEEDER, feeder.as_bytes().as_slice()].concat()
}

/// Prefix of every active feeder.
pub fn all_feeders() -> Vec<u8> {
    FEEDER.to_vec()
}

/// `oracle/pending/<addr>` → `PendingChange` (at most one per feeder).
pub fn pending(feeder: &Address) -> Vec<u8> {
    [PENDING, feeder.as_bytes().as_slice()].concat()
}

/// Prefix of every pending change by feeder.
pub fn all_pending() -> Vec<u8> {
    PENDING.to_vec()
}

/// `oracle/pending_time/<effective ms><addr>` → `()`: the queue
/// `end_block` applies, earliest first.
pub fn pending_by_time(effective_ms: u64, feeder: &Address) -> Vec<u8> {
    [
        PENDING_BY_TIME,
        &effective_ms.to_be_bytes(),
        feeder.as_bytes().as_slice(),
    ]
    .concat()
}

/// Prefix of the queue.
pub fn pending_queue() -> Vec<u8> {
    PENDING_BY_TIME.to_vec()
}

fn pair_id(base: &Denom, quote: &Denom) -> Vec<u8> {
    // A one-byte length keeps (ab, c) and (a, bc) apart; denoms are at
    // most 128 bytes.
    let len = u8::try_from(base.as_str().len()).unwrap_or(u8::MAX);
    [
        &[len][..],
        base.as_str().as_bytes(),
        quote.as_str().as_bytes(),
    ]
    .concat()
}

/// `oracle/pair/<len base><base><quote>` → `PairState`.
pub fn pair(base: &Denom, quote: &Denom) -> Vec<u8> {
    [PAIR, &pair_id(base, quote)].concat()
}

/// Prefix of every pair.
pub fn all_pairs() -> Vec<u8> {
    PAIR.to_vec()
}

/// `oracle/pair_count` → `u64`.
pub fn pair_count() -> Vec<u8> {
    PAIR_COUNT.to_vec()
}

/// `oracle/sub/<pair id>/<feeder>` → `Submission` (a feeder's latest post).
pub fn submission(base: &Denom, quote: &Denom, feeder: &Address) -> Vec<u8> {
    [
        SUBMISSION,
        &pair_id(base, quote),
        b"/",
        feeder.as_bytes().as_slice(),
    ]
    .concat()
}

/// Prefix of a pair's posts.
pub fn submissions(base: &Denom, quote: &Denom) -> Vec<u8> {
    [SUBMISSION, &pair_id(base, quote), b"/"].concat()
}
