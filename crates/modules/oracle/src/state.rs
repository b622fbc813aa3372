//! The only way anything reads or writes oracle state.

use fructus_amm::AmmStateReadExt;
use fructus_bank::BankStateReadExt;
use fructus_component::ParamsRead;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, BlockTime, Denom};

use crate::{
    FeederRecord, OracleError, OracleParams, Pair, PairState, PendingChange, PriceGuard,
    PriceRefusal, PriceSource, PriceView, Submission,
    params::{MAX_FEEDERS, MAX_PAIRS},
    price, state_key,
};

/// Oracle reads, available on any state.
pub trait OracleStateReadExt: StateRead {
    /// The parameters (defaults until genesis writes them).
    fn oracle_params(&self) -> Result<OracleParams, OracleError> {
        self.params::<OracleParams>()
    }

    /// An active feeder's record.
    fn feeder(&self, feeder: &Address) -> Result<Option<FeederRecord>, OracleError> {
        Ok(self.get(&state_key::feeder(feeder))?)
    }

    /// Active feeders, in address order.
    fn feeders(&self) -> Result<Vec<FeederRecord>, OracleError> {
        Ok(self
            .prefix::<FeederRecord>(&state_key::all_feeders(), None, MAX_FEEDERS)?
            .into_iter()
            .map(|(_, f)| f)
            .collect())
    }

    /// The change pending for `feeder`, if any.
    fn pending_change(&self, feeder: &Address) -> Result<Option<PendingChange>, OracleError> {
        Ok(self.get(&state_key::pending(feeder))?)
    }

    /// Every pending change, in feeder order.
    fn pending_changes(&self) -> Result<Vec<PendingChange>, OracleError> {
        Ok(self
            .prefix::<PendingChange>(&state_key::all_pending(), None, MAX_FEEDERS)?
            .into_iter()
            .map(|(_, c)| c)
            .collect())
    }

    /// A pair's aggregate, if any feeder ever posted for it.
    fn pair_state(&self, base: &Denom, quote: &Denom) -> Result<Option<PairState>, OracleError> {
        Ok(self.get(&state_key::pair(base, quote))?)
    }

    /// Pairs in key order, after `start_after`, at most `limit`.
    fn pairs(
        &self,
        start_after: Option<&Pair>,
        limit: usize,
    ) -> Result<Vec<PairState>, OracleError> {
        let start = start_after.map(|p| state_key::pair(&p.base, &p.quote));
        Ok(self
            .prefix::<PairState>(&state_key::all_pairs(), start.as_deref(), limit)?
            .into_iter()
            .map(|(_, p)| p)
            .collect())
    }

    /// How many pairs exist.
    fn pair_count(&self) -> Result<u64, OracleError> {
        Ok(self.get(&state_key::pair_count())?.unwrap_or(0))
    }

    /// The latest posts for a pair (one per feeder that posted and was
    /// active when it did; a revoked feeder's post is deleted at the next
    /// post for the pair).
    fn submissions(&self, base: &Denom, quote: &Denom) -> Result<Vec<Submission>, OracleError> {
        // Bound: one entry per feeder; active feeders are at most
        // MAX_FEEDERS, and every post deletes the entries of feeders no
        // longer active, so more than twice that never accumulate unless
        // regulators cycle more feeders than that between two posts.
        Ok(self
            .prefix::<Submission>(
                &state_key::submissions(base, quote),
                None,
                MAX_FEEDERS.saturating_mul(4),
            )?
            .into_iter()
            .map(|(_, s)| s)
            .collect())
    }

    /// The price of `base` in `quote` at `now`: the feeders' median when
    /// fresh, else the pair's AMM fallback when it is usable, else the
    /// stale median (or nothing) flagged `stale`. `quote` priced in itself
    /// is exactly 1.
    fn price_view(
        &self,
        base: &Denom,
        quote: &Denom,
        now: BlockTime,
    ) -> Result<PriceView, OracleError> {
        self.price_view_under(&self.oracle_params()?, base, quote, now)
    }

    /// [`Self::price_view`] under `params` already read.
    fn price_view_under(
        &self,
        params: &OracleParams,
        base: &Denom,
        quote: &Denom,
        now: BlockTime,
    ) -> Result<PriceView, OracleError> {
        let pair = Pair {
            base: base.clone(),
            quote: quote.clone(),
        };
        if base == quote {
            return Ok(PriceView {
                pair,
                price: price::PRICE_SCALE,
                twap: price::PRICE_SCALE,
                twap_coverage_bps: price::FULL_COVERAGE_BPS,
                updated_ms: now.0,
                reporters: 0,
                source: PriceSource::Feeders,
                stale: false,
            });
        }
        let stored = self.pair_state(base, quote)?;
        if let Some(s) = &stored {
            let fresh = s.updated_ms > 0 && now.0.saturating_sub(s.updated_ms) <= params.max_age_ms;
            if fresh {
                let twap = price::twap(&s.points, now.0, params.twap_window_ms).unwrap_or(s.price);
                return Ok(PriceView {
                    pair,
                    price: s.price,
                    twap,
                    twap_coverage_bps: price::twap_coverage_bps(
                        &s.points,
                        now.0,
                        params.twap_window_ms,
                    ),
                    updated_ms: s.updated_ms,
                    reporters: s.reporters,
                    source: PriceSource::Feeders,
                    stale: false,
                });
            }
        }
        if let Some(p) = self.amm_fallback_price(params, base, quote, now)? {
            return Ok(PriceView {
                pair,
                price: p,
                twap: p,
                twap_coverage_bps: price::FULL_COVERAGE_BPS,
                updated_ms: now.0,
                reporters: 0,
                source: PriceSource::Amm,
                stale: false,
            });
        }
        Ok(match stored.filter(|s| s.updated_ms > 0) {
            Some(s) => PriceView {
                twap: price::twap(&s.points, now.0, params.twap_window_ms).unwrap_or(s.price),
                twap_coverage_bps: price::twap_coverage_bps(
                    &s.points,
                    now.0,
                    params.twap_window_ms,
                ),
                pair,
                price: s.price,
                updated_ms: s.updated_ms,
                reporters: s.reporters,
                source: PriceSource::Feeders,
                stale: true,
            },
            None => PriceView {
                pair,
                price: 0,
                twap: 0,
                twap_coverage_bps: 0,
                updated_ms: 0,
                reporters: 0,
                source: PriceSource::None,
                stale: true,
            },
        })
    }

    /// The price of `base` in `quote` at `now` if it passes the consumer's
    /// `guard` ([`PriceGuard::check`]). The outer error is a fault (the
    /// node stops); the inner one is the refusal to report to the user.
    fn guarded_price(
        &self,
        base: &Denom,
        quote: &Denom,
        now: BlockTime,
        guard: &PriceGuard,
    ) -> Result<Result<u128, PriceRefusal>, OracleError> {
        let params = self.oracle_params()?;
        let view = self.price_view_under(&params, base, quote, now)?;
        Ok(guard.check(&view, params.twap_window_ms))
    }

    /// The fallback pool's TWAP of `base` in `quote` over
    /// `fallback_window_ms`, if governance named a pool for the pair, it
    /// holds both denoms, its observations cover the whole window and its
    /// quote reserve is at least `fallback_min_quote_reserve` (the
    /// manipulation bound of the crate docs).
    fn amm_fallback_price(
        &self,
        params: &OracleParams,
        base: &Denom,
        quote: &Denom,
        now: BlockTime,
    ) -> Result<Option<u128>, OracleError> {
        let Some(pool_id) = params.fallback_of(base, quote) else {
            return Ok(None);
        };
        let Some(pool) = self.pool(pool_id)? else {
            return Ok(None);
        };
        let (Some((_, quote_reserve, other)), true) = (pool.side(base), pool.side(quote).is_some())
        else {
            return Ok(None);
        };
        if other != quote || quote_reserve < params.fallback_min_quote_reserve {
            return Ok(None);
        }
        let start = now.0.saturating_sub(params.fallback_window_ms);
        let Some(obs) = self.observation_at_or_before(&pool, start)? else {
            return Ok(None);
        };
        if obs.time_ms > start || obs.time_ms >= now.0 {
            return Ok(None);
        }
        let (cum_a, cum_b) = pool.cumulative_at(now.0);
        let dt = now.0.saturating_sub(obs.time_ms);
        // `cumulative_a` is the price of denom_a in denom_b.
        let q64 = if *base == pool.denom_a {
            cum_a.since(obs.cumulative_a).average(dt)
        } else {
            cum_b.since(obs.cumulative_b).average(dt)
        };
        Ok(q64.and_then(price::from_q64).filter(|p| *p > 0))
    }

    /// Block time of the last block (for queries), from bank's clock.
    fn oracle_now(&self) -> Result<BlockTime, OracleError> {
        Ok(self.block_clock()?.1)
    }
}

impl<T: StateRead + ?Sized> OracleStateReadExt for T {}

/// Oracle writes.
pub trait OracleStateWriteExt: StateWrite {
    /// Stores an active feeder.
    fn put_feeder(&mut self, record: &FeederRecord) -> Result<(), OracleError> {
        Ok(self.put(state_key::feeder(&record.feeder), record)?)
    }

    /// Queues a feeder-set change.
    fn queue_change(&mut self, change: &PendingChange) -> Result<(), OracleError> {
        self.put(state_key::pending(&change.feeder), change)?;
        Ok(self.put(
            state_key::pending_by_time(change.effective_ms, &change.feeder),
            &(),
        )?)
    }

    /// Applies the changes due at `now`, earliest first, at most
    /// [`MAX_FEEDERS`] (the queue never holds more). Reads only the
    /// module's own records; fails only on a storage fault or state that
    /// contradicts itself.
    fn apply_due_changes(&mut self, now: BlockTime) -> Result<Vec<PendingChange>, OracleError> {
        let due = self.prefix_raw(&state_key::pending_queue(), None, MAX_FEEDERS)?;
        let mut applied = Vec::new();
        for (key, _) in due {
            let time = key
                .get(state_key::pending_queue().len()..)
                .and_then(|rest| rest.get(..8))
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(u64::from_be_bytes)
                .ok_or_else(|| OracleError::Corrupt {
                    reason: "malformed pending-change queue key".into(),
                })?;
            if time > now.0 {
                break;
            }
            let feeder = key
                .get(state_key::pending_queue().len().saturating_add(8)..)
                .and_then(|b| Address::from_slice(b).ok())
                .ok_or_else(|| OracleError::Corrupt {
                    reason: "malformed pending-change queue key".into(),
                })?;
            self.delete(key);
            let Some(change) = self.pending_change(&feeder)? else {
                continue;
            };
            self.delete(state_key::pending(&feeder));
            match change.change {
                crate::FeederChange::Accredit => self.put_feeder(&FeederRecord {
                    feeder,
                    accredited_by: Some(change.by),
                    active_since_ms: now.0,
                })?,
                crate::FeederChange::Revoke => self.delete(state_key::feeder(&feeder)),
            }
            applied.push(change);
        }
        Ok(applied)
    }

    /// Stores a feeder's post.
    fn put_submission(&mut self, pair: &Pair, s: &Submission) -> Result<(), OracleError> {
        Ok(self.put(state_key::submission(&pair.base, &pair.quote, &s.feeder), s)?)
    }

    /// Deletes a post.
    fn delete_submission(&mut self, pair: &Pair, feeder: &Address) {
        self.delete(state_key::submission(&pair.base, &pair.quote, feeder));
    }

    /// Stores a pair's aggregate, counting a new pair (refused past
    /// [`MAX_PAIRS`]).
    fn put_pair(&mut self, state: &PairState, new: bool) -> Result<(), OracleError> {
        if new {
            let n = self.pair_count()?;
            if n >= MAX_PAIRS {
                return Err(OracleError::TooManyPairs { max: MAX_PAIRS });
            }
            self.put(state_key::pair_count(), &n.saturating_add(1))?;
        }
        Ok(self.put(state_key::pair(&state.pair.base, &state.pair.quote), state)?)
    }
}

impl<T: StateWrite + ?Sized> OracleStateWriteExt for T {}
