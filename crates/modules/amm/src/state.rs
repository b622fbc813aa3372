//! The only way anything reads or writes AMM state.

use fructus_bank::BankStateReadExt;
use fructus_component::ParamsRead;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Amount, BlockHeight, BlockTime, Denom};

use crate::{
    AmmError, AmmParams, lp_denom,
    math::{Cumulative, price_q64},
    pool_account, state_key,
};

/// A pool's price accumulators and observation ring.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    serde::Serialize,
)]
pub struct Twap {
    /// Σ price of one `denom_a` in `denom_b` (Q64.64) × ms, wrapping.
    pub cumulative_a: Cumulative,
    /// Σ price of one `denom_b` in `denom_a` (Q64.64) × ms, wrapping.
    pub cumulative_b: Cumulative,
    /// Block time the accumulators were last brought up to.
    pub updated_ms: u64,
    /// Height they were last brought up to (the first touch of a block
    /// updates them; later touches in the block do not).
    pub updated_height: BlockHeight,
    /// Sequence number of the oldest observation kept.
    pub first_seq: u64,
    /// Sequence number the next observation gets.
    pub next_seq: u64,
    /// Block time of the newest observation.
    pub last_observation_ms: u64,
}

/// One stored reading of a pool's accumulators.
#[derive(
    Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize, serde::Serialize,
)]
pub struct Observation {
    /// Block time of the reading.
    pub time_ms: u64,
    /// `cumulative_a` then.
    pub cumulative_a: Cumulative,
    /// `cumulative_b` then.
    pub cumulative_b: Cumulative,
}

/// A constant-product pool.
///
/// Invariants: `denom_a < denom_b`; the pool account holds exactly
/// `reserve_a` and `reserve_b` (and the locked minimum of its LP denom);
/// the bank supply of `lp/<id>` equals `liquidity`; reserves and liquidity
/// stay within `math::MAX_AMOUNT` and, after creation, positive.
#[derive(
    Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize, serde::Serialize,
)]
pub struct Pool {
    /// Sequential id (from 1).
    pub id: u64,
    /// The lesser denom of the pair.
    pub denom_a: Denom,
    /// The greater denom of the pair.
    pub denom_b: Denom,
    /// Held of `denom_a`.
    pub reserve_a: Amount,
    /// Held of `denom_b`.
    pub reserve_b: Amount,
    /// LP units outstanding, the locked minimum included.
    pub liquidity: Amount,
    /// Swap fee, basis points.
    pub fee_bps: u16,
    /// Who created it.
    pub creator: Address,
    /// Height it was created at.
    pub created_height: BlockHeight,
    /// Price accumulators and observations.
    pub twap: Twap,
}

impl Pool {
    /// The LP denom.
    pub fn lp_denom(&self) -> Denom {
        lp_denom(self.id)
    }

    /// The account holding the reserves.
    pub fn account(&self) -> Address {
        pool_account(self.id)
    }

    /// `(reserve of denom, reserve of the other, the other denom)`, or
    /// `None` if the pool does not hold `denom`.
    pub fn side(&self, denom: &Denom) -> Option<(u128, u128, &Denom)> {
        if *denom == self.denom_a {
            Some((
                self.reserve_a.value(),
                self.reserve_b.value(),
                &self.denom_b,
            ))
        } else if *denom == self.denom_b {
            Some((
                self.reserve_b.value(),
                self.reserve_a.value(),
                &self.denom_a,
            ))
        } else {
            None
        }
    }

    /// Sets the reserve of `denom` (one of the pool's).
    pub(crate) fn set_reserve(&mut self, denom: &Denom, amount: u128) {
        if *denom == self.denom_a {
            self.reserve_a = Amount::new(amount);
        } else {
            self.reserve_b = Amount::new(amount);
        }
    }

    /// The accumulators brought up to `now_ms` with the current reserves
    /// (without writing: for queries between touches).
    pub fn cumulative_at(&self, now_ms: u64) -> (Cumulative, Cumulative) {
        let dt = now_ms.saturating_sub(self.twap.updated_ms);
        (
            self.twap.cumulative_a.accumulate(
                price_q64(self.reserve_a.value(), self.reserve_b.value()),
                dt,
            ),
            self.twap.cumulative_b.accumulate(
                price_q64(self.reserve_b.value(), self.reserve_a.value()),
                dt,
            ),
        )
    }
}

/// AMM reads, available on any state.
pub trait AmmStateReadExt: StateRead {
    /// The parameters (defaults until genesis writes them).
    fn amm_params(&self) -> Result<AmmParams, AmmError> {
        self.params::<AmmParams>()
    }

    /// A pool, if it exists.
    fn pool(&self, id: u64) -> Result<Option<Pool>, AmmError> {
        Ok(self.get(&state_key::pool(id))?)
    }

    /// A pool, or [`AmmError::PoolNotFound`].
    fn require_pool(&self, id: u64) -> Result<Pool, AmmError> {
        self.pool(id)?.ok_or(AmmError::PoolNotFound { pool_id: id })
    }

    /// The pool of an unordered pair, if any.
    fn pool_of_pair(&self, a: &Denom, b: &Denom) -> Result<Option<u64>, AmmError> {
        let (a, b) = ordered(a, b);
        Ok(self.get(&state_key::pair(a, b))?)
    }

    /// Pools in id order after `start_after`, at most `limit`.
    fn pools(&self, start_after: Option<u64>, limit: usize) -> Result<Vec<Pool>, AmmError> {
        let start = start_after.map(state_key::pool);
        Ok(self
            .prefix::<Pool>(&state_key::all_pools(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, p)| p)
            .collect())
    }

    /// One observation of a pool.
    fn observation(&self, pool_id: u64, seq: u64) -> Result<Option<Observation>, AmmError> {
        Ok(self.get(&state_key::observation(pool_id, seq))?)
    }

    /// The newest observation of `pool` taken at or before `time_ms`, or
    /// else its oldest (binary search over the ring: observations are in
    /// time order).
    fn observation_at_or_before(
        &self,
        pool: &Pool,
        time_ms: u64,
    ) -> Result<Option<Observation>, AmmError> {
        let (mut lo, mut hi) = (pool.twap.first_seq, pool.twap.next_seq);
        if lo >= hi {
            return Ok(None);
        }
        // Invariant: every seq below `lo` (within the ring) is at or before
        // `time_ms`, every seq at or above `hi` after it.
        while lo < hi {
            let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
            let obs = self
                .observation(pool.id, mid)?
                .ok_or_else(|| missing(pool.id, mid))?;
            if obs.time_ms <= time_ms {
                lo = mid.saturating_add(1);
            } else {
                hi = mid;
            }
        }
        let seq = if lo > pool.twap.first_seq {
            lo.saturating_sub(1)
        } else {
            pool.twap.first_seq
        };
        Ok(Some(
            self.observation(pool.id, seq)?
                .ok_or_else(|| missing(pool.id, seq))?,
        ))
    }

    /// Height and time of the block being executed (or the last one, in a
    /// snapshot), from bank's clock.
    fn amm_clock(&self) -> Result<(BlockHeight, BlockTime), AmmError> {
        Ok(self.block_clock()?)
    }
}

fn missing(pool_id: u64, seq: u64) -> AmmError {
    AmmError::Corrupt {
        reason: format!("observation {seq} of pool {pool_id} is in its ring but not stored"),
    }
}

impl<T: StateRead + ?Sized> AmmStateReadExt for T {}

/// AMM writes.
pub trait AmmStateWriteExt: StateWrite {
    /// Takes the next pool id.
    fn next_pool_id(&mut self) -> Result<u64, AmmError> {
        let id: u64 = self.get(&state_key::next_pool())?.unwrap_or(1);
        let next = id
            .checked_add(1)
            .ok_or(AmmError::Overflow { what: "pool id" })?;
        self.put(state_key::next_pool(), &next)?;
        Ok(id)
    }

    /// Stores a pool (and its pair index).
    fn put_pool(&mut self, pool: &Pool) -> Result<(), AmmError> {
        self.put(state_key::pair(&pool.denom_a, &pool.denom_b), &pool.id)?;
        Ok(self.put(state_key::pool(pool.id), pool)?)
    }

    /// Brings `pool`'s accumulators up to the block's time with its
    /// reserves *before* this block changes them, once per block (the
    /// first touch), and records an observation if the last one is at
    /// least `observation_interval_ms` old. Never fails on pool data: the
    /// accumulators wrap by design and times only grow. Writes the
    /// observation; the caller stores the pool.
    fn touch_pool(
        &mut self,
        pool: &mut Pool,
        params: &AmmParams,
        height: BlockHeight,
        now: BlockTime,
    ) -> Result<(), AmmError> {
        if pool.twap.updated_height == height {
            return Ok(());
        }
        let (a, b) = pool.cumulative_at(now.0);
        pool.twap.cumulative_a = a;
        pool.twap.cumulative_b = b;
        pool.twap.updated_ms = now.0.max(pool.twap.updated_ms);
        pool.twap.updated_height = height;
        let due = pool.twap.next_seq == pool.twap.first_seq
            || now.0.saturating_sub(pool.twap.last_observation_ms)
                >= params.observation_interval_ms;
        if due {
            self.record_observation(pool, params, now.0)?;
        }
        Ok(())
    }

    /// Appends an observation of the pool's accumulators to its ring,
    /// dropping the oldest when the ring is full.
    fn record_observation(
        &mut self,
        pool: &mut Pool,
        params: &AmmParams,
        now_ms: u64,
    ) -> Result<(), AmmError> {
        let seq = pool.twap.next_seq;
        let obs = Observation {
            time_ms: now_ms,
            cumulative_a: pool.twap.cumulative_a,
            cumulative_b: pool.twap.cumulative_b,
        };
        self.put(state_key::observation(pool.id, seq), &obs)?;
        self.put(state_key::observation_by_time(now_ms, pool.id, seq), &())?;
        pool.twap.next_seq = seq.saturating_add(1);
        pool.twap.last_observation_ms = now_ms;
        // Two drops per observation: a full ring stays full, and a ring a
        // parameter change shrank converges without unbounded work.
        for _ in 0..2 {
            if pool.twap.next_seq.saturating_sub(pool.twap.first_seq) > params.ring_capacity() {
                self.drop_oldest_observation(pool)?;
            }
        }
        Ok(())
    }

    /// Deletes a pool's oldest observation and its queue entry.
    fn drop_oldest_observation(&mut self, pool: &mut Pool) -> Result<(), AmmError> {
        let seq = pool.twap.first_seq;
        if let Some(obs) = self.observation(pool.id, seq)? {
            self.delete(state_key::observation_by_time(obs.time_ms, pool.id, seq));
        }
        self.delete(state_key::observation(pool.id, seq));
        pool.twap.first_seq = seq.saturating_add(1);
        Ok(())
    }

    /// Deletes observations older than the retention window, oldest first,
    /// at most `max_prune_per_block` per call (the end-of-block hook). A
    /// pool's newest observation is never deleted — it is the start of
    /// every window of an idle pool — only taken out of the queue, so an
    /// idle pool costs the queue nothing. Returns how many entries were
    /// handled. Fails only on a storage fault or inconsistent state.
    fn prune_observations(&mut self, now: BlockTime) -> Result<u32, AmmError> {
        let params = self.amm_params()?;
        let cutoff = now.0.saturating_sub(params.twap_retention_ms);
        let limit = usize::try_from(params.max_prune_per_block).unwrap_or(usize::MAX);
        let due = self.prefix_raw(&state_key::observations_by_time(), None, limit)?;
        let mut handled = 0u32;
        for (key, _) in due {
            let (time_ms, pool_id, seq) =
                state_key::parse_observation_by_time(&key).ok_or_else(|| AmmError::Corrupt {
                    reason: "malformed observation queue key".into(),
                })?;
            if time_ms >= cutoff {
                break;
            }
            self.delete(key);
            handled = handled.saturating_add(1);
            let Some(mut pool) = self.pool(pool_id)? else {
                continue;
            };
            // Older observations of this pool left the queue while each
            // was its newest; at most one such is left (the one before this).
            let newest = seq.saturating_add(1) >= pool.twap.next_seq;
            while pool.twap.first_seq < seq {
                self.drop_oldest_observation(&mut pool)?;
            }
            if !newest && pool.twap.first_seq == seq {
                self.drop_oldest_observation(&mut pool)?;
            }
            self.put_pool(&pool)?;
        }
        Ok(handled)
    }
}

impl<T: StateWrite + ?Sized> AmmStateWriteExt for T {}

/// The denoms of a pair in the pool's order (ascending).
fn ordered<'a>(a: &'a Denom, b: &'a Denom) -> (&'a Denom, &'a Denom) {
    if a <= b { (a, b) } else { (b, a) }
}
