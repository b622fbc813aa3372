//! Every storage key of the AMM module is built here and nowhere else.
//! Ids and times are 8-byte big-endian so prefix scans return them in
//! numeric order.

use fructus_types::Denom;

const NEXT_POOL: &[u8] = b"amm/next_pool";
const POOL: &[u8] = b"amm/pool/";
const PAIR: &[u8] = b"amm/pair/";
const OBSERVATION: &[u8] = b"amm/obs/";
const OBSERVATION_BY_TIME: &[u8] = b"amm/obs_time/";
const PARAMS: &[u8] = b"amm/params";

fn join(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// `amm/next_pool` → `u64`, the next pool id to assign (from 1).
pub fn next_pool() -> Vec<u8> {
    NEXT_POOL.to_vec()
}

/// `amm/pool/<id>` → `Pool`.
pub fn pool(id: u64) -> Vec<u8> {
    join(&[POOL, &id.to_be_bytes()])
}

/// Prefix of every pool.
pub fn all_pools() -> Vec<u8> {
    POOL.to_vec()
}

/// `amm/pair/<len a><a><b>` → pool id, for the denoms in ascending order
/// (a one-byte length keeps `(ab, c)` and `(a, bc)` apart; denoms are at
/// most 128 bytes).
pub fn pair(a: &Denom, b: &Denom) -> Vec<u8> {
    let len = u8::try_from(a.as_str().len()).unwrap_or(u8::MAX);
    join(&[PAIR, &[len], a.as_str().as_bytes(), b.as_str().as_bytes()])
}

/// `amm/obs/<pool id><seq>` → `Observation`.
pub fn observation(pool_id: u64, seq: u64) -> Vec<u8> {
    join(&[OBSERVATION, &pool_id.to_be_bytes(), &seq.to_be_bytes()])
}

/// `amm/obs_time/<time ms><pool id><seq>` → `()`: the pruning queue,
/// oldest first.
pub fn observation_by_time(time_ms: u64, pool_id: u64, seq: u64) -> Vec<u8> {
    join(&[
        OBSERVATION_BY_TIME,
        &time_ms.to_be_bytes(),
        &pool_id.to_be_bytes(),
        &seq.to_be_bytes(),
    ])
}

/// Prefix of the pruning queue.
pub fn observations_by_time() -> Vec<u8> {
    OBSERVATION_BY_TIME.to_vec()
}

/// Splits a pruning-queue key into (time ms, pool id, seq).
pub fn parse_observation_by_time(key: &[u8]) -> Option<(u64, u64, u64)> {
    let rest = key.strip_prefix(OBSERVATION_BY_TIME)?;
    let (time, rest) = rest.split_at_checked(8)?;
    let (pool, seq) = rest.split_at_checked(8)?;
    Some((
        u64::from_be_bytes(time.try_into().ok()?),
        u64::from_be_bytes(pool.try_into().ok()?),
        u64::from_be_bytes(seq.try_into().ok()?),
    ))
}

/// `amm/params` → `AmmParams`.
pub fn params() -> Vec<u8> {
    PARAMS.to_vec()
}
