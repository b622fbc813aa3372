//! Money: charging units, collecting payments and splitting them, periods
//! (SLA penalties and efficiency rebates), closing.
//!
//! Rounding, always in the protocol's favour and never creating value:
//! - a reading of `Δ` units is charged `floor((Δ·price + carried) /
//!   per_units)`; the rest of the numerator is carried in the contract to
//!   the next reading (3 units at 1 per 2 charge 1 and carry 1; 3 more
//!   charge 2), so over a contract's life exactly
//!   `floor(units·price / per_units)` is charged;
//! - splits are cumulative: after each collection the maintainer has been
//!   paid `floor(collected·maintainer_bps / 10⁴)` and the platform
//!   `floor(collected·platform_bps / 10⁴)` in total, and the shareholders
//!   the rest, so every collected unit goes somewhere and per-payment dust
//!   never accumulates against anyone.
//!
//! SLA penalties are funded by the asset's income from the contract: a
//! shortfall at period end becomes `penalty_due`, which is paid to the
//! customer out of the shareholders' part of the following collections
//! before anything is credited to the shareholders. Efficiency rebates are
//! funded by the contract's incentive pool (`MsgFundIncentive`), up to what
//! it holds.

use fructus_asset::{AssetStateWriteExt, IncomeCredited, income_escrow};
use fructus_bank::{BankStateReadExt, BankStateWriteExt};
use fructus_component::{ErrorCode, Event};
use fructus_storage::StateWrite;
use fructus_types::{Address, Amount, Coin};

use crate::{
    Contract, ContractStatus, MeteringError, MeteringStateReadExt, MeteringStateWriteExt, event,
    msg::{BPS, Billing},
    state::{contract_escrow, incentive_pool, platform_account},
    state_key,
};

/// Most contract periods processed per block; later ones wait for the next
/// block (the queue is ordered by period end).
pub const MAX_PERIODS_PER_BLOCK: usize = 64;

/// Where one collection went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    /// To the maintainer.
    pub maintainer: Amount,
    /// To the platform.
    pub platform: Amount,
    /// To the customer as SLA penalty.
    pub penalty: Amount,
    /// Credited to the shareholders.
    pub shareholders: Amount,
    /// The income credit, when shareholders got something.
    pub credited: Option<IncomeCredited>,
}

/// What billing a reading did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    /// Units billed.
    pub units: u64,
    /// Amount charged for them.
    pub charge: Amount,
    /// Paid at once (prepaid escrow).
    pub collected: Amount,
    /// How it was split.
    pub split: Split,
}

fn coin(c: &Contract, amount: Amount) -> Coin {
    Coin {
        denom: c.terms.price.denom.clone(),
        amount,
    }
}

fn add(a: Amount, b: Amount, what: &'static str) -> Result<Amount, MeteringError> {
    a.checked_add(b).map_err(MeteringError::overflow(what))
}

fn sub(a: Amount, b: Amount, what: &'static str) -> Result<Amount, MeteringError> {
    a.checked_sub(b).map_err(MeteringError::overflow(what))
}

fn set_status(c: &mut Contract, status: ContractStatus, reason: &str, events: &mut Vec<Event>) {
    if c.status != status {
        c.status = status;
        events.push(event::contract_status(c, reason));
    }
}

/// Postpaid: suspends a contract whose owed amount passed the credit limit
/// or stayed unsettled past the window.
fn check_credit(c: &mut Contract, now_ms: u64, events: &mut Vec<Event>) {
    if let Billing::Postpaid {
        credit_limit,
        settle_within_ms,
    } = c.terms.billing
        && c.status == ContractStatus::Active
    {
        if c.owed > credit_limit {
            set_status(
                c,
                ContractStatus::Suspended,
                "credit limit exceeded",
                events,
            );
        } else if let Some(since) = c.owed_since_ms
            && now_ms > since.saturating_add(settle_within_ms)
        {
            set_status(c, ContractStatus::Suspended, "settlement overdue", events);
        }
    }
}

/// Billing writes.
pub trait BillingStateWriteExt: StateWrite {
    /// Pays `amount` of the contract's denom from `from` and splits it
    /// (see the module docs). Updates the contract's totals; the caller
    /// stores it.
    fn collect(
        &mut self,
        c: &mut Contract,
        from: &Address,
        amount: Amount,
    ) -> Result<Split, MeteringError> {
        let mut split = Split::default();
        if amount.is_zero() {
            return Ok(split);
        }
        let collected = add(c.collected, amount, "collected")?;
        let target = |bps: u32| {
            collected
                .mul_div_floor(u128::from(bps), u128::from(BPS))
                .map_err(MeteringError::overflow("split"))
        };
        let maintainer_due = sub(target(c.terms.maintainer_bps)?, c.paid_maintainer, "split")?;
        split.maintainer = maintainer_due.min(amount);
        let left = sub(amount, split.maintainer, "split")?;
        let platform_due = sub(target(c.terms.platform_bps)?, c.paid_platform, "split")?;
        split.platform = platform_due.min(left);
        let holders = sub(left, split.platform, "split")?;
        split.penalty = c.penalty_due.min(holders);
        split.shareholders = sub(holders, split.penalty, "split")?;

        self.transfer(from, &c.terms.maintainer, &coin(c, split.maintainer))?;
        self.transfer(from, &platform_account(), &coin(c, split.platform))?;
        self.transfer(from, &c.customer, &coin(c, split.penalty))?;
        if !split.shareholders.is_zero() {
            let income = coin(c, split.shareholders);
            self.transfer(from, &income_escrow(c.asset_id), &income)?;
            split.credited = Some(self.credit_income(c.asset_id, &income)?);
        }
        c.collected = collected;
        c.paid_maintainer = add(c.paid_maintainer, split.maintainer, "paid")?;
        c.paid_platform = add(c.paid_platform, split.platform, "paid")?;
        c.penalty_due = sub(c.penalty_due, split.penalty, "penalty")?;
        c.penalties_paid = add(c.penalties_paid, split.penalty, "penalty")?;
        c.paid_shareholders = add(c.paid_shareholders, split.shareholders, "paid")?;
        Ok(split)
    }

    /// Bills `units` on a running contract at block time `now_ms`:
    /// charges with the carried remainder, draws the prepaid escrow as far
    /// as it goes (the rest becomes owed and suspends the contract) or adds
    /// to the postpaid owed amount. The caller stores the contract.
    fn bill_units(
        &mut self,
        c: &mut Contract,
        units: u64,
        now_ms: u64,
        events: &mut Vec<Event>,
    ) -> Result<Bill, MeteringError> {
        let numerator = u128::from(units)
            .checked_mul(c.terms.price.amount.value())
            .and_then(|n| n.checked_add(c.remainder))
            .ok_or(MeteringError::Overflow { what: "charge" })?;
        let per = u128::from(c.terms.per_units);
        let charge = Amount::new(numerator.checked_div(per).unwrap_or(0));
        c.remainder = numerator.checked_rem(per).unwrap_or(0);
        c.units = c
            .units
            .checked_add(u128::from(units))
            .ok_or(MeteringError::Overflow { what: "units" })?;
        c.period_units = c.period_units.saturating_add(units);
        c.charged = add(c.charged, charge, "charged")?;
        let mut collected = Amount::ZERO;
        let mut split = Split::default();
        match c.terms.billing {
            Billing::Prepaid => {
                let escrow = contract_escrow(c.id);
                let available = self.balance(&escrow, &c.terms.price.denom)?;
                collected = charge.min(available);
                split = self.collect(c, &escrow, collected)?;
                let short = sub(charge, collected, "owed")?;
                if !short.is_zero() {
                    c.owed = add(c.owed, short, "owed")?;
                    set_status(c, ContractStatus::Suspended, "escrow exhausted", events);
                }
            }
            Billing::Postpaid { .. } => {
                if !charge.is_zero() {
                    c.owed = add(c.owed, charge, "owed")?;
                    if c.owed_since_ms.is_none() {
                        c.owed_since_ms = Some(now_ms);
                    }
                }
            }
        }
        check_credit(c, now_ms, events);
        Ok(Bill {
            units,
            charge,
            collected,
            split,
        })
    }

    /// Pays what is owed from `from` (at most `max`), resuming the contract
    /// once nothing is owed. Returns the amount paid and its split.
    fn pay_owed(
        &mut self,
        c: &mut Contract,
        from: &Address,
        max: Amount,
        now_ms: u64,
        events: &mut Vec<Event>,
    ) -> Result<(Amount, Split), MeteringError> {
        let paid = c.owed.min(max);
        let split = self.collect(c, from, paid)?;
        c.owed = sub(c.owed, paid, "owed")?;
        if c.owed.is_zero() {
            c.owed_since_ms = None;
            if c.status == ContractStatus::Suspended {
                set_status(c, ContractStatus::Active, "paid up", events);
            }
        }
        check_credit(c, now_ms, events);
        Ok((paid, split))
    }

    /// Ends the contract's current period, due at `end_ms`, at block time
    /// `now_ms`: an SLA shortfall adds to `penalty_due`; units below
    /// baseline earn a rebate paid from the incentive pool as far as it
    /// holds; the next period is queued unless the contract ends or is
    /// under notice. The caller stores the contract.
    ///
    /// Catch-up is O(1): when whole periods passed unprocessed (a halted
    /// chain, a full queue), they are merged into this one and the next
    /// period end is the first boundary after `now_ms`, so one contract
    /// takes at most one queue slot per block, whatever its period.
    ///
    /// Everything that can fail is computed before the one write that can
    /// be refused (the rebate transfer, through the compliance gate): on an
    /// error the state is untouched and the caller isolates the contract.
    fn end_period(
        &mut self,
        c: &mut Contract,
        end_ms: u64,
        now_ms: u64,
        events: &mut Vec<Event>,
    ) -> Result<(), MeteringError> {
        let t = &c.terms;
        let mut penalty_due = c.penalty_due;
        let mut shortfall = None;
        if t.sla_min_units > c.period_units {
            let missing = t.sla_min_units.saturating_sub(c.period_units);
            let penalty = t
                .sla_penalty_per_unit
                .mul_div_floor(u128::from(missing), 1)
                .map_err(MeteringError::overflow("penalty"))?;
            penalty_due = add(penalty_due, penalty, "penalty")?;
            shortfall = Some((missing, penalty));
        }
        let mut rebate = None;
        if t.baseline_units > c.period_units {
            let saved = t.baseline_units.saturating_sub(c.period_units);
            let earned = t
                .rebate_per_unit
                .mul_div_floor(u128::from(saved), 1)
                .map_err(MeteringError::overflow("rebate"))?;
            let pool = incentive_pool(c.id);
            let paid = earned.min(self.balance(&pool, &t.price.denom)?);
            let rebates_paid = add(c.rebates_paid, paid, "rebate")?;
            rebate = Some((saved, earned, paid, rebates_paid));
        }
        if let Some((_, _, paid, _)) = rebate {
            self.transfer(&incentive_pool(c.id), &c.customer, &coin(c, paid))?;
        }
        let period = c.terms.period_ms.max(1);
        let merged = now_ms
            .saturating_sub(end_ms)
            .checked_div(period)
            .unwrap_or(0);
        events.push(event::period_end(c, end_ms, merged));
        c.penalty_due = penalty_due;
        if let Some((missing, penalty)) = shortfall {
            events.push(event::sla_penalty(c, missing, penalty));
        }
        if let Some((saved, earned, paid, rebates_paid)) = rebate {
            c.rebates_paid = rebates_paid;
            events.push(event::rebate(c, saved, earned, paid));
        }
        check_credit(c, end_ms, events);
        let start = end_ms.saturating_add(merged.saturating_mul(period));
        c.period_units = 0;
        c.period_start_ms = start;
        c.next_period_end_ms = None;
        let open = c.terms.end_ms.is_none_or(|e| start < e) && c.closes_at_ms.is_none();
        if open && c.status != ContractStatus::Closed {
            self.queue_period(c, start.saturating_add(period))?;
        }
        Ok(())
    }

    /// Processes up to [`MAX_PERIODS_PER_BLOCK`] contract periods that
    /// ended at or before `now_ms`, oldest first (a period left for the
    /// next block keeps its place at the head of the queue). Returns their
    /// events.
    ///
    /// One contract's failure never fails the block: a contract whose
    /// period end fails for its own data is marked
    /// [`ContractStatus::Failed`] with a `metering.period_failed` event and
    /// the others go on. Only an internal (storage) error is returned.
    fn process_due_periods(&mut self, now_ms: u64) -> Result<Vec<Event>, MeteringError> {
        let prefix = state_key::period_queue_prefix();
        let mut events = Vec::new();
        for (key, _) in self.prefix_raw(&prefix, None, MAX_PERIODS_PER_BLOCK)? {
            let Some((end_ms, id)) = state_key::parse_period_queue(&key) else {
                continue;
            };
            if end_ms > now_ms {
                break;
            }
            self.delete(key);
            let Some(mut c) = self.contract(id)? else {
                continue;
            };
            if c.next_period_end_ms != Some(end_ms) {
                continue;
            }
            let mut own = Vec::new();
            match self.end_period(&mut c, end_ms, now_ms, &mut own) {
                Ok(()) => {
                    events.append(&mut own);
                    self.put_contract(&c)?;
                }
                Err(e) if e.is_internal() => return Err(e),
                Err(e) => {
                    let mut c = self.require_contract(id)?;
                    c.next_period_end_ms = None;
                    set_status(
                        &mut c,
                        ContractStatus::Failed,
                        "period end failed",
                        &mut events,
                    );
                    events.push(event::period_failed(&c, end_ms, &e));
                    self.put_contract(&c)?;
                }
            }
        }
        Ok(events)
    }

    /// Returns everything the contract's module accounts hold, in every
    /// denom: the escrow to the customer (who funded it), the incentive
    /// pool to the provider. Every close path calls it, so no escrow
    /// outlives its contract.
    fn release_escrows(&mut self, c: &Contract) -> Result<(), MeteringError> {
        for (account, to) in [
            (contract_escrow(c.id), c.customer),
            (incentive_pool(c.id), c.provider),
        ] {
            for held in self.balances(&account)? {
                self.transfer(&account, &to, &held)?;
            }
        }
        Ok(())
    }

    /// Finalizes a contract: what is owed is paid from the escrow, then —
    /// only when the customer itself signed the close (`by_customer`) —
    /// from its balance; the rest is written off. The escrow remainder
    /// returns to the customer and the incentive pool to the provider. The
    /// caller stores it.
    fn finalize_contract(
        &mut self,
        c: &mut Contract,
        by_customer: bool,
        now_ms: u64,
        events: &mut Vec<Event>,
    ) -> Result<(), MeteringError> {
        let denom = c.terms.price.denom.clone();
        let escrow = contract_escrow(c.id);
        let in_escrow = self.balance(&escrow, &denom)?;
        self.pay_owed(c, &escrow.clone(), in_escrow, now_ms, events)?;
        let customer = c.customer;
        if by_customer {
            let available = self.balance(&customer, &denom)?;
            self.pay_owed(c, &customer, available, now_ms, events)?;
        }
        c.written_off = add(c.written_off, c.owed, "written off")?;
        c.owed = Amount::ZERO;
        self.release_escrows(c)?;
        self.unqueue_period(c);
        set_status(c, ContractStatus::Closed, "closed", events);
        Ok(())
    }
}

impl<T: StateWrite + ?Sized> BillingStateWriteExt for T {}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::arithmetic_side_effects
    )]

    use fructus_storage::{StateDelta, Storage};

    use super::*;
    use crate::msg::{Billing, Terms};

    fn state() -> (tempfile::TempDir, StateDelta) {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        let state = StateDelta::new(storage.latest_snapshot().unwrap());
        (dir, state)
    }

    /// An accepted contract with a 10 s period and a 1-unit SLA at
    /// `penalty` per unit, whose `penalty_due` already holds `due`.
    fn contract(id: u64, penalty: u128, due: u128) -> Contract {
        let terms = Terms {
            price: Coin::new("ufrx".parse().unwrap(), 1),
            per_units: 1,
            billing: Billing::Prepaid,
            start_ms: 0,
            end_ms: None,
            maintainer: Address::module("metering/no_maintainer"),
            maintainer_bps: 0,
            platform_bps: 0,
            period_ms: 10_000,
            sla_min_units: 1,
            sla_penalty_per_unit: Amount::new(penalty),
            baseline_units: 0,
            rebate_per_unit: Amount::ZERO,
            notice_ms: 0,
            oracles: None,
        };
        let mut c = Contract::proposed(
            id,
            id,
            Address::from_bytes([1; 20]),
            Address::from_bytes([2; 20]),
            terms,
        );
        c.status = ContractStatus::Active;
        c.accepted_ms = Some(0);
        c.penalty_due = Amount::new(due);
        c.baselined = true;
        c
    }

    fn insert(s: &mut StateDelta, mut c: Contract) {
        s.queue_period(&mut c, 10_000).unwrap();
        s.insert_contract(&c).unwrap();
    }

    #[test]
    fn a_failing_period_end_fails_only_its_contract_and_the_block_goes_on() {
        let (_dir, mut s) = state();
        // Contract 1's SLA debt cannot grow any more; contract 2 is fine.
        insert(&mut s, contract(1, 2, u128::MAX - 1));
        insert(&mut s, contract(2, 3, 0));
        let events = s.process_due_periods(10_000).unwrap();
        let bad = s.require_contract(1).unwrap();
        assert_eq!(bad.status, ContractStatus::Failed);
        assert_eq!(bad.penalty_due, Amount::new(u128::MAX - 1));
        assert_eq!(bad.next_period_end_ms, None);
        assert!(events.iter().any(|e| e.kind == "metering.period_failed"));
        let good = s.require_contract(2).unwrap();
        assert_eq!(good.status, ContractStatus::Active);
        assert_eq!(good.penalty_due, Amount::new(3));
        assert_eq!(good.next_period_end_ms, Some(20_000));
        // The failed contract left the queue for good.
        let events = s.process_due_periods(1_000_000).unwrap();
        assert!(events.iter().all(|e| e.get("contract_id") != Some("1")));
    }

    #[test]
    fn periods_missed_are_caught_up_in_one_step() {
        let (_dir, mut s) = state();
        insert(&mut s, contract(1, 1, 0));
        // 100 periods later: one period end, 99 merged, next end after now.
        let events = s.process_due_periods(1_005_000).unwrap();
        let ends: Vec<_> = events
            .iter()
            .filter(|e| e.kind == "metering.period_end")
            .collect();
        assert_eq!(ends.len(), 1);
        assert_eq!(ends[0].get("merged_periods"), Some("99"));
        let c = s.require_contract(1).unwrap();
        assert_eq!(c.next_period_end_ms, Some(1_010_000));
        assert_eq!(c.period_start_ms, 1_000_000);
        assert!(s.process_due_periods(1_009_999).unwrap().is_empty());
    }
}
