//! The only way anything reads or writes income state.

use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Amount, Coin, Denom};

use crate::{IncomeError, SCALE, accrue, is_income_bearing, split_payment, state_key};

/// Most income denoms one income-bearing denom may receive (keeps every
/// settlement bounded).
pub const MAX_INCOME_DENOMS: usize = 16;

/// The income of one share denom in one income denom.
#[derive(Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct IncomePool {
    /// The income denom.
    pub income_denom: Denom,
    /// Cumulative income per share, scaled by [`SCALE`].
    pub acc: u128,
    /// Undistributed remainder in scaled units (`< total shares` at the
    /// last payment), carried into the next payment.
    pub carry: u128,
    /// Lifetime income credited (whole units).
    pub total_credited: Amount,
    /// Lifetime income claimed by holders (whole units).
    pub total_claimed: Amount,
}

/// One holder's standing in one income denom.
#[derive(Debug, Clone, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct HolderEntry {
    /// The income denom.
    pub income_denom: Denom,
    /// The accumulator value at the holder's last settlement.
    pub checkpoint: u128,
    /// Settled, unclaimed income: whole units.
    pub whole: Amount,
    /// Settled, unclaimed income: the fraction, in scaled units (`< SCALE`).
    pub frac: u128,
}

/// A holder's standing in every income denom of one share denom, sorted by
/// income denom.
#[derive(Debug, Clone, Default, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct HolderPosition {
    /// One entry per income denom settled so far.
    pub entries: Vec<HolderEntry>,
}

impl HolderPosition {
    fn entry(&self, denom: &Denom) -> Option<&HolderEntry> {
        self.entries.iter().find(|e| &e.income_denom == denom)
    }

    fn is_empty(&self) -> bool {
        self.entries
            .iter()
            .all(|e| e.whole.is_zero() && e.frac == 0)
    }
}

/// What a settlement computes for one entry: the holder's updated entry.
fn settle_entry(
    share: &Denom,
    pool: &IncomePool,
    old: Option<&HolderEntry>,
    balance: Amount,
) -> Result<HolderEntry, IncomeError> {
    let overflow = |what| IncomeError::Overflow {
        share_denom: share.to_string(),
        income_denom: pool.income_denom.to_string(),
        what,
    };
    // A missing entry means the holder's balance has not changed since the
    // pool was created (at accumulator 0), so its checkpoint is 0.
    let (checkpoint, whole, frac) =
        old.map_or((0, Amount::ZERO, 0), |e| (e.checkpoint, e.whole, e.frac));
    let delta = pool
        .acc
        .checked_sub(checkpoint)
        .ok_or_else(|| IncomeError::Corrupt {
            share_denom: share.to_string(),
            income_denom: pool.income_denom.to_string(),
            reason: "holder checkpoint above the accumulator",
        })?;
    let (w, f) = accrue(balance.value(), delta).ok_or_else(|| overflow("holder accrual"))?;
    let frac = frac
        .checked_add(f)
        .ok_or_else(|| overflow("holder fraction"))?;
    let carry_whole = frac.checked_div(SCALE).unwrap_or(0);
    let frac = frac.checked_rem(SCALE).unwrap_or(0);
    let whole = whole
        .checked_add(Amount::new(w))
        .and_then(|x| x.checked_add(Amount::new(carry_whole)))
        .map_err(|_| overflow("holder accrual"))?;
    Ok(HolderEntry {
        income_denom: pool.income_denom.clone(),
        checkpoint: pool.acc,
        whole,
        frac,
    })
}

/// Income reads, available on any state.
pub trait IncomeStateReadExt: StateRead {
    /// Every income pool of `share`, sorted by income denom (at most
    /// [`MAX_INCOME_DENOMS`]).
    fn income_pools(&self, share: &Denom) -> Result<Vec<IncomePool>, IncomeError> {
        Ok(self
            .prefix::<IncomePool>(&state_key::pools_of(share), None, MAX_INCOME_DENOMS)?
            .into_iter()
            .map(|(_, p)| p)
            .collect())
    }

    /// The pool of `share` in `income`, if it ever received any.
    fn income_pool(
        &self,
        share: &Denom,
        income: &Denom,
    ) -> Result<Option<IncomePool>, IncomeError> {
        Ok(self.get(&state_key::pool(share, income))?)
    }

    /// `holder`'s settled standing (empty if none).
    fn holder_position(
        &self,
        share: &Denom,
        holder: &Address,
    ) -> Result<HolderPosition, IncomeError> {
        Ok(self
            .get(&state_key::position(share, holder))?
            .unwrap_or_default())
    }

    /// Whole units `holder` could claim now, per income denom (non-zero
    /// only, sorted by denom), given its current `share_balance`: settled
    /// accrual plus what accrued since its last checkpoint, rounded down.
    fn pending_income(
        &self,
        share: &Denom,
        holder: &Address,
        share_balance: Amount,
    ) -> Result<Vec<Coin>, IncomeError> {
        let position = self.holder_position(share, holder)?;
        let mut out = Vec::new();
        for pool in self.income_pools(share)? {
            let entry = settle_entry(
                share,
                &pool,
                position.entry(&pool.income_denom),
                share_balance,
            )?;
            if !entry.whole.is_zero() {
                out.push(Coin {
                    denom: pool.income_denom,
                    amount: entry.whole,
                });
            }
        }
        Ok(out)
    }

    /// Addresses holding a positive balance of `share`, in address order,
    /// strictly after `start_after`, at most `limit`.
    fn income_holders(
        &self,
        share: &Denom,
        start_after: Option<&Address>,
        limit: usize,
    ) -> Result<Vec<Address>, IncomeError> {
        let prefix = state_key::holders_of(share);
        let start = start_after.map(|a| state_key::holder(share, a));
        Ok(self
            .prefix_raw(&prefix, start.as_deref(), limit)?
            .into_iter()
            .filter_map(|(key, _)| state_key::parse_holder(&prefix, &key))
            .collect())
    }
}

impl<T: StateRead + ?Sized> IncomeStateReadExt for T {}

/// What one payment did to the accumulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomeCredit {
    /// Increase of income per share, scaled by [`SCALE`].
    pub per_share: u128,
    /// Undistributed remainder after the payment, in scaled units.
    pub carry: u128,
}

/// Income writes.
pub trait IncomeStateWriteExt: StateWrite {
    /// Settles `holder` before its balance of `share` changes from
    /// `old_balance` to `new_balance`: accrues `old_balance·(acc −
    /// checkpoint)` in every income denom of `share`, moves the checkpoints
    /// to the accumulators, and keeps the holder index (present iff
    /// `new_balance > 0`). O(income denoms of `share`), never O(holders).
    ///
    /// Bank calls this from its balance writer for every income-bearing
    /// denom; nothing else needs to.
    fn settle_income(
        &mut self,
        share: &Denom,
        holder: &Address,
        old_balance: Amount,
        new_balance: Amount,
    ) -> Result<(), IncomeError> {
        let pools = self.income_pools(share)?;
        let old = self.holder_position(share, holder)?;
        let entries = pools
            .iter()
            .map(|pool| settle_entry(share, pool, old.entry(&pool.income_denom), old_balance))
            .collect::<Result<Vec<_>, _>>()?;
        write_position(self, share, holder, HolderPosition { entries }, new_balance)?;
        let index = state_key::holder(share, holder);
        if new_balance.is_zero() {
            self.delete(index);
        } else {
            self.put(index, &true)?;
        }
        Ok(())
    }

    /// Records a payment of `income` to the `total_shares` shares of
    /// `share` (the coins are already in the payer module's escrow). O(1).
    /// Refuses, without writing, a payment that would overflow.
    fn add_income(
        &mut self,
        share: &Denom,
        total_shares: Amount,
        income: &Coin,
    ) -> Result<IncomeCredit, IncomeError> {
        if !is_income_bearing(share) {
            return Err(IncomeError::NotIncomeBearing {
                denom: share.to_string(),
            });
        }
        if total_shares.is_zero() {
            return Err(IncomeError::NoShares {
                share_denom: share.to_string(),
            });
        }
        let overflow = |what| IncomeError::Overflow {
            share_denom: share.to_string(),
            income_denom: income.denom.to_string(),
            what,
        };
        let mut pool = match self.income_pool(share, &income.denom)? {
            Some(pool) => pool,
            None => {
                if self.income_pools(share)?.len() >= MAX_INCOME_DENOMS {
                    return Err(IncomeError::TooManyIncomeDenoms {
                        share_denom: share.to_string(),
                        income_denom: income.denom.to_string(),
                        max: MAX_INCOME_DENOMS,
                    });
                }
                IncomePool {
                    income_denom: income.denom.clone(),
                    acc: 0,
                    carry: 0,
                    total_credited: Amount::ZERO,
                    total_claimed: Amount::ZERO,
                }
            }
        };
        let (per_share, carry) =
            split_payment(income.amount.value(), pool.carry, total_shares.value())
                .ok_or_else(|| overflow("income per share of this payment"))?;
        pool.acc = pool
            .acc
            .checked_add(per_share)
            .ok_or_else(|| overflow("cumulative income per share"))?;
        pool.carry = carry;
        pool.total_credited = pool
            .total_credited
            .checked_add(income.amount)
            .map_err(|_| overflow("lifetime income total"))?;
        self.put(state_key::pool(share, &income.denom), &pool)?;
        Ok(IncomeCredit { per_share, carry })
    }

    /// Ends a share issue: once every share of `share` is burned (an asset
    /// redeemed), drops each pool's carried remainder. The carry is `<` the
    /// old share count in scaled units, i.e. less than one base unit in
    /// total, and stays in the escrow as dust; a later issue with fewer
    /// shares must not start with a carry `≥` its own share count, which
    /// [`split_payment`] refuses. The accumulators and holders' settled
    /// income are kept: what was earned stays claimable.
    fn close_share_issue(&mut self, share: &Denom) -> Result<(), IncomeError> {
        for mut pool in self.income_pools(share)? {
            if pool.carry != 0 {
                pool.carry = 0;
                self.put(state_key::pool(share, &pool.income_denom), &pool)?;
            }
        }
        Ok(())
    }

    /// Settles `holder` (whose balance of `share` is `share_balance`, not
    /// changing) and takes every whole unit it may claim, leaving the
    /// fractions, except in the income denoms listed in `withhold` (settled
    /// but left accrued: the caller may not pay them now). Returns what the
    /// caller must now pay it from the escrow (non-zero coins, sorted by
    /// denom).
    fn take_claimable(
        &mut self,
        share: &Denom,
        holder: &Address,
        share_balance: Amount,
        withhold: &[Denom],
    ) -> Result<Vec<Coin>, IncomeError> {
        let pools = self.income_pools(share)?;
        let old = self.holder_position(share, holder)?;
        let mut entries = Vec::with_capacity(pools.len());
        let mut paid = Vec::new();
        for mut pool in pools {
            let mut entry =
                settle_entry(share, &pool, old.entry(&pool.income_denom), share_balance)?;
            if !entry.whole.is_zero() && !withhold.contains(&pool.income_denom) {
                pool.total_claimed = pool.total_claimed.checked_add(entry.whole).map_err(|_| {
                    IncomeError::Overflow {
                        share_denom: share.to_string(),
                        income_denom: pool.income_denom.to_string(),
                        what: "lifetime claimed total",
                    }
                })?;
                paid.push(Coin {
                    denom: pool.income_denom.clone(),
                    amount: entry.whole,
                });
                entry.whole = Amount::ZERO;
                self.put(state_key::pool(share, &pool.income_denom), &pool)?;
            }
            entries.push(entry);
        }
        write_position(
            self,
            share,
            holder,
            HolderPosition { entries },
            share_balance,
        )?;
        Ok(paid)
    }
}

impl<T: StateWrite + ?Sized> IncomeStateWriteExt for T {}

/// Stores a position, or deletes it when it carries nothing and the holder
/// holds no shares (a later acquisition starts from the current
/// accumulators, so nothing is lost).
fn write_position<S: StateWrite + ?Sized>(
    state: &mut S,
    share: &Denom,
    holder: &Address,
    position: HolderPosition,
    balance: Amount,
) -> Result<(), IncomeError> {
    let key = state_key::position(share, holder);
    if position.entries.is_empty() || (balance.is_zero() && position.is_empty()) {
        state.delete(key);
    } else {
        state.put(key, &position)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::arithmetic_side_effects
    )]

    use fructus_storage::{StateDelta, Storage};

    use super::*;

    struct Fixture {
        _dir: tempfile::TempDir,
        state: StateDelta,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        let state = StateDelta::new(storage.latest_snapshot().unwrap());
        Fixture { _dir: dir, state }
    }

    fn d(s: &str) -> Denom {
        s.parse().unwrap()
    }

    fn a(n: u8) -> Address {
        Address::from_bytes([n; 20])
    }

    fn c(amount: u128, denom: &str) -> Coin {
        Coin::new(d(denom), amount)
    }

    fn amt(v: u128) -> Amount {
        Amount::new(v)
    }

    #[test]
    fn payment_splits_pro_rata_and_keeps_the_dust() {
        let mut f = fixture();
        let s = &mut f.state;
        let share = d("share/1");
        // Mint 10,000 to holder 1, then move 3,000 to holder 2.
        s.settle_income(&share, &a(1), amt(0), amt(10_000)).unwrap();
        s.settle_income(&share, &a(1), amt(10_000), amt(7_000))
            .unwrap();
        s.settle_income(&share, &a(2), amt(0), amt(3_000)).unwrap();
        s.add_income(&share, amt(10_000), &c(1_000_001, "uusd"))
            .unwrap();
        assert_eq!(
            s.pending_income(&share, &a(1), amt(7_000)).unwrap(),
            vec![c(700_000, "uusd")]
        );
        assert_eq!(
            s.pending_income(&share, &a(2), amt(3_000)).unwrap(),
            vec![c(300_000, "uusd")]
        );
        assert_eq!(
            s.take_claimable(&share, &a(1), amt(7_000), &[]).unwrap(),
            vec![c(700_000, "uusd")]
        );
        // Second payment: the retained fractions (0.7 and 0.3) complete.
        s.add_income(&share, amt(10_000), &c(9_999, "uusd"))
            .unwrap();
        assert_eq!(
            s.take_claimable(&share, &a(1), amt(7_000), &[]).unwrap(),
            vec![c(7_000, "uusd")]
        );
        assert_eq!(
            s.take_claimable(&share, &a(2), amt(3_000), &[]).unwrap(),
            vec![c(303_000, "uusd")]
        );
        let pool = s.income_pool(&share, &d("uusd")).unwrap().unwrap();
        assert_eq!(pool.total_credited, amt(1_010_000));
        assert_eq!(pool.total_claimed, amt(1_010_000));
        assert_eq!(pool.carry, 0);
        // Nothing left to claim, twice.
        assert!(
            s.take_claimable(&share, &a(2), amt(3_000), &[])
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_fraction_is_never_lost_across_settlements() {
        let mut f = fixture();
        let s = &mut f.state;
        let share = d("share/2");
        s.settle_income(&share, &a(1), amt(0), amt(1)).unwrap();
        s.settle_income(&share, &a(2), amt(0), amt(2)).unwrap();
        // 1 unit over 3 shares, three times: each share earns exactly 1.
        for _ in 0..3 {
            s.add_income(&share, amt(3), &c(1, "uusd")).unwrap();
            // Holder 1 settles every time (a transfer of zero net effect).
            s.settle_income(&share, &a(1), amt(1), amt(1)).unwrap();
        }
        assert_eq!(
            s.take_claimable(&share, &a(1), amt(1), &[]).unwrap(),
            vec![c(1, "uusd")]
        );
        assert_eq!(
            s.take_claimable(&share, &a(2), amt(2), &[]).unwrap(),
            vec![c(2, "uusd")]
        );
    }

    #[test]
    fn income_follows_the_shares_held_at_the_time() {
        let mut f = fixture();
        let s = &mut f.state;
        let share = d("share/3");
        s.settle_income(&share, &a(1), amt(0), amt(100)).unwrap();
        s.add_income(&share, amt(100), &c(1_000, "uusd")).unwrap();
        // All shares move to holder 2 after the first payment.
        s.settle_income(&share, &a(1), amt(100), amt(0)).unwrap();
        s.settle_income(&share, &a(2), amt(0), amt(100)).unwrap();
        s.add_income(&share, amt(100), &c(500, "uusd")).unwrap();
        assert_eq!(
            s.pending_income(&share, &a(1), amt(0)).unwrap(),
            vec![c(1_000, "uusd")]
        );
        assert_eq!(
            s.pending_income(&share, &a(2), amt(100)).unwrap(),
            vec![c(500, "uusd")]
        );
        // The holder index follows balances.
        assert_eq!(s.income_holders(&share, None, 10).unwrap(), vec![a(2)]);
    }

    #[test]
    fn overflowing_payment_is_refused_without_change() {
        let mut f = fixture();
        let s = &mut f.state;
        let share = d("share/4");
        s.settle_income(&share, &a(1), amt(0), amt(10_000)).unwrap();
        s.add_income(&share, amt(10_000), &c(5, "uusd")).unwrap();
        let before = s.income_pool(&share, &d("uusd")).unwrap();
        // u128::MAX · 10^18 / 10^4 does not fit in 128 bits.
        let err = s
            .add_income(&share, amt(10_000), &c(u128::MAX, "uusd"))
            .unwrap_err();
        assert!(matches!(err, IncomeError::Overflow { .. }), "{err}");
        assert_eq!(fructus_component::ErrorCode::code(&err), 2);
        assert_eq!(s.income_pool(&share, &d("uusd")).unwrap(), before);
        // The largest payment that fits per share still works, and then the
        // accumulator refuses anything more.
        let room = (u128::MAX - before.as_ref().unwrap().acc) / SCALE;
        s.add_income(&share, amt(1), &c(room, "uusd")).unwrap();
        let err = s.add_income(&share, amt(1), &c(1, "uusd")).unwrap_err();
        assert!(matches!(err, IncomeError::Overflow { .. }), "{err}");
    }

    #[test]
    fn refusals_are_typed() {
        let mut f = fixture();
        let s = &mut f.state;
        assert!(matches!(
            s.add_income(&d("share/5"), amt(0), &c(1, "uusd")),
            Err(IncomeError::NoShares { .. })
        ));
        assert!(matches!(
            s.add_income(&d("uusd"), amt(10), &c(1, "uusd")),
            Err(IncomeError::NotIncomeBearing { .. })
        ));
        let share = d("share/5");
        for i in 0..MAX_INCOME_DENOMS {
            s.add_income(&share, amt(10), &c(1, &format!("den{i:02}")))
                .unwrap();
        }
        assert!(matches!(
            s.add_income(&share, amt(10), &c(1, "zzz")),
            Err(IncomeError::TooManyIncomeDenoms { .. })
        ));
        // An existing denom still works.
        s.add_income(&share, amt(10), &c(1, "den00")).unwrap();
    }

    #[test]
    fn predicate_covers_shares_only() {
        assert!(is_income_bearing(&d("share/1")));
        assert!(!is_income_bearing(&d("ufrx")));
        assert!(!is_income_bearing(&d("shares")));
    }
}
