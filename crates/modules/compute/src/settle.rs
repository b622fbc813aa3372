//! Money: paying out, refunding and slashing an order, and the end-of-block
//! sweeps (liveness and settlement queues).
//!
//! Conservation: an order's escrow account holds exactly `order.escrow`;
//! settling empties it — to the maintainer, the platform and the asset's
//! income escrow (a completion) or back to the buyer (a failure or a
//! cancellation). A slash moves `floor(bond × slash_bps / 10⁴)` from the
//! provider's bond account to the buyer. Rounding of the split favours
//! the shareholders' remainder, so every unit paid goes somewhere:
//! `maintainer = floor(total·m/10⁴)`, `platform = floor(total·p/10⁴)`,
//! `shareholders = total − maintainer − platform`.
//!
//! Every transfer goes through bank's `transfer` (its compliance gate).
//! Before writing anything a settlement checks every recipient the gate
//! could refuse (the buyer, the maintainer, a non-fractionalized asset's
//! owner), so a refusal leaves the state untouched: a transaction fails
//! whole, and a block hook marks that one order with
//! `compute.settle_failed` and goes on (docs/security.md rule 1).

use fructus_asset::{AssetStateReadExt, AssetStateWriteExt, IncomeCredited, income_escrow};
use fructus_bank::{BankStateReadExt, BankStateWriteExt, fee_collector};
use fructus_certificate::{CertificateStateWriteExt, Retirement, RetirementDetails};
use fructus_component::{BlockContext, ErrorCode, Event};
use fructus_storage::StateWrite;
use fructus_types::{Address, Amount, Coin};

use crate::{
    ComputeError, ComputeStateReadExt, ComputeStateWriteExt, Fault, Order, OrderStatus, Provider,
    Receipt, Verification, bond_account, event, order_escrow, params::BPS, state::is_online,
    state_key,
};

fn coin(o: &Order, amount: Amount) -> Coin {
    Coin {
        denom: o.denom.clone(),
        amount,
    }
}

fn bps_of(total: Amount, bps: u16) -> Result<Amount, ComputeError> {
    total
        .mul_div_floor(u128::from(bps), u128::from(BPS))
        .map_err(|_| ComputeError::Overflow { what: "share" })
}

fn sub(a: Amount, b: Amount, what: &'static str) -> Result<Amount, ComputeError> {
    a.checked_sub(b)
        .map_err(|_| ComputeError::Overflow { what })
}

/// How an order ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Paid out to the provider's asset.
    Complete,
    /// Refunded to the buyer; the provider's bond is slashed when `fault`
    /// is the provider's.
    Fail(Fault),
    /// Refunded to the buyer (never accepted).
    Cancel(Fault),
}

impl Fault {
    /// Whether the provider is at fault (its bond is slashed).
    pub fn is_providers(self) -> bool {
        matches!(
            self,
            Fault::ProviderOffline | Fault::ProviderNoResult | Fault::TaskRejected
        )
    }
}

/// Compute's money writes.
pub trait SettleStateWriteExt: StateWrite {
    /// Settles `o` as `outcome` at block `block`: moves the escrow (and a
    /// slash) — a green completion retires its RECs from the operator's
    /// holding first —, records the receipt (returned with the income
    /// credit, if any, and the retirements), takes the order out of its provider's
    /// open list and the settlement queue, and stores everything. Every
    /// gated recipient is checked before the first write, so an error
    /// other than an internal one leaves the state untouched.
    fn settle(
        &mut self,
        mut o: Order,
        outcome: Outcome,
        block: &BlockContext,
    ) -> Result<(Receipt, Option<IncomeCredited>, Vec<Retirement>), ComputeError> {
        let was = o.status;
        let escrow = order_escrow(o.id);
        let mut provider = match o.asset_id {
            Some(a) => self.provider(a)?,
            None => None,
        };
        let mut r = Receipt {
            order_id: o.id,
            status: OrderStatus::Completed,
            fault: Fault::None,
            asset_id: o.asset_id,
            buyer: o.buyer,
            denom: o.denom.clone(),
            maintainer: Amount::ZERO,
            platform: Amount::ZERO,
            shareholders: Amount::ZERO,
            refunded: Amount::ZERO,
            slashed: Amount::ZERO,
            result_hash: o.result_hash.clone(),
            retirements: Vec::new(),
            height: block.height,
            time_ms: block.time.0,
        };
        // Plan, and check every recipient the gate could refuse.
        match outcome {
            Outcome::Complete => {
                let asset_id = o.asset_id.ok_or_else(|| ComputeError::Corrupt {
                    reason: format!("order {} completes without a provider", o.id),
                })?;
                let total = o
                    .price_per_hour
                    .mul_div_floor(u128::from(o.hours), 1)
                    .map_err(|_| ComputeError::Overflow { what: "payout" })?;
                r.maintainer = match o.maintainer {
                    Some(_) => bps_of(total, o.maintainer_bps)?,
                    None => Amount::ZERO,
                };
                r.platform = bps_of(total, o.platform_bps)?;
                r.shareholders = sub(sub(total, r.maintainer, "payout")?, r.platform, "payout")?;
                r.refunded = sub(o.escrow, total, "escrow")?;
                if let Some(m) = o.maintainer
                    && !r.maintainer.is_zero()
                {
                    self.check_can_receive(&m, &o.denom)?;
                }
                if !r.shareholders.is_zero() {
                    let asset = self
                        .require_asset(asset_id)
                        .map_err(ComputeError::from_dependency)?;
                    if asset.fractionalized.is_none() {
                        self.check_can_receive(&asset.owner, &o.denom)?;
                    }
                }
            }
            Outcome::Fail(fault) | Outcome::Cancel(fault) => {
                r.status = if matches!(outcome, Outcome::Fail(_)) {
                    OrderStatus::Failed
                } else {
                    OrderStatus::Cancelled
                };
                r.fault = fault;
                r.refunded = o.escrow;
                if fault.is_providers()
                    && let Some(p) = &provider
                {
                    r.slashed = bps_of(p.bond, o.slash_bps)?.min(p.bond);
                }
            }
        }
        if !r.refunded.is_zero() {
            self.check_can_receive(&o.buyer, &o.denom)?;
        }

        // Write. A green completion retires its RECs first: the retire
        // API writes nothing when it refuses, and nothing else is written
        // yet.
        let mut retirements = Vec::new();
        if matches!(outcome, Outcome::Complete)
            && let (Some(batch), Some(p)) = (o.green_batch, &provider)
            && o.certificates > 0
        {
            let details = RetirementDetails::new(
                &o.buyer.to_string(),
                &format!("green compute: order {} ({} GPU-hours)", o.id, o.hours),
                "fructus",
            )
            .map_err(ComputeError::from_dependency)?;
            let retired = self
                .retire_certificates(&p.operator, batch, o.certificates, &details)
                .map_err(ComputeError::from_dependency)?;
            r.retirements.push(retired.id);
            retirements.push(retired);
        }
        if let Some(m) = o.maintainer {
            self.transfer(&escrow, &m, &coin(&o, r.maintainer))?;
        }
        self.transfer(&escrow, &fee_collector(), &coin(&o, r.platform))?;
        let mut credited = None;
        if !r.shareholders.is_zero()
            && let Some(asset_id) = o.asset_id
        {
            let income = coin(&o, r.shareholders);
            self.transfer(&escrow, &income_escrow(asset_id), &income)?;
            credited = Some(
                self.credit_income(asset_id, &income)
                    .map_err(ComputeError::from_dependency)?,
            );
        }
        self.transfer(&escrow, &o.buyer, &coin(&o, r.refunded))?;
        if let Some(p) = provider.as_mut() {
            if !r.slashed.is_zero() {
                self.transfer(
                    &bond_account(p.asset_id),
                    &o.buyer,
                    &Coin {
                        denom: fructus_types::Denom::native(),
                        amount: r.slashed,
                    },
                )?;
                p.bond = sub(p.bond, r.slashed, "bond")?;
                p.slashed = p
                    .slashed
                    .checked_add(r.slashed)
                    .map_err(|_| ComputeError::Overflow { what: "slashed" })?;
            }
            p.open_orders.retain(|id| *id != o.id);
            p.certificates_committed = p.certificates_committed.saturating_sub(o.certificates);
            self.put_provider(p)?;
        }
        o.escrow = Amount::ZERO;
        o.status = r.status;
        self.set_due(&mut o, None)?;
        self.put_order(&o, was)?;
        self.put_receipt(&r)?;
        Ok((r, credited, retirements))
    }

    /// Settles `o` and returns its events (the receipt's, and the income
    /// credit's).
    fn settle_with_events(
        &mut self,
        o: Order,
        outcome: Outcome,
        block: &BlockContext,
    ) -> Result<Vec<Event>, ComputeError> {
        let order_id = o.id;
        let (r, credited, retirements) = self.settle(o, outcome, block)?;
        let o = self.require_order(order_id)?;
        let mut events: Vec<Event> = retirements.iter().map(Retirement::event).collect();
        events.push(event::settled(&o, &r));
        events.extend(credited.map(|c| c.event()));
        Ok(events)
    }

    /// The end-of-block sweeps, each at most `max_sweep_per_block` entries:
    /// providers whose heartbeat interval ran out go offline (failing
    /// their accepted orders whose window has started, the provider at
    /// fault), then orders due (deadline, challenge lapse, grace end) are
    /// settled. One order's refusal is recorded as `compute.settle_failed`
    /// and the block goes on; only an internal error is returned.
    fn sweep(&mut self, block: &BlockContext) -> Result<Vec<Event>, ComputeError> {
        let params = self.compute_params()?;
        let epoch = self.epoch()?;
        let now = block.time.0;
        let limit = usize::try_from(params.max_sweep_per_block).unwrap_or(usize::MAX);
        let mut events = Vec::new();
        let prefix = state_key::liveness_queue();
        for (key, _) in self.prefix_raw(&prefix, None, limit)? {
            let Some((at, asset_id)) = state_key::parse_queue(&prefix, &key) else {
                return Err(ComputeError::Corrupt {
                    reason: "malformed liveness queue key".into(),
                });
            };
            if at > now {
                break;
            }
            self.delete(key);
            let Some(mut p) = self.provider(asset_id)? else {
                continue;
            };
            if p.offline_at_ms != Some(at) {
                continue;
            }
            p.offline_at_ms = None;
            p.online = false;
            self.put_provider(&p)?;
            events.push(event::provider_offline(&p, at));
            for id in p.open_orders.clone() {
                let o = self.require_order(id)?;
                let started = match o.window {
                    Some(w) => epoch.start(w)? <= now,
                    None => false,
                };
                if o.status == OrderStatus::Accepted && started {
                    self.settle_isolated(
                        o,
                        Outcome::Fail(Fault::ProviderOffline),
                        block,
                        now.saturating_add(params.grace_ms),
                        &mut events,
                    )?;
                }
            }
        }
        let prefix = state_key::due_queue();
        for (key, _) in self.prefix_raw(&prefix, None, limit)? {
            let Some((at, id)) = state_key::parse_queue(&prefix, &key) else {
                return Err(ComputeError::Corrupt {
                    reason: "malformed settlement queue key".into(),
                });
            };
            if at > now {
                break;
            }
            let Some(o) = self.order(id)? else {
                self.delete(key);
                continue;
            };
            if o.due_ms != Some(at) {
                self.delete(key);
                continue;
            }
            let outcome = due_outcome(&o);
            let retry = now.saturating_add(params.grace_ms);
            self.settle_isolated(o, outcome, block, retry, &mut events)?;
        }
        Ok(events)
    }

    /// Settles one order in a block hook: a refusal (not internal) leaves
    /// the order and its escrow as they were, with a
    /// `compute.settle_failed` event, and queues it again at `retry_ms`
    /// (a grace period later): a buyer the gate refuses today may be
    /// refunded once unfrozen, an operator short of RECs may buy them back.
    #[doc(hidden)]
    fn settle_isolated(
        &mut self,
        o: Order,
        outcome: Outcome,
        block: &BlockContext,
        retry_ms: u64,
        events: &mut Vec<Event>,
    ) -> Result<(), ComputeError> {
        let id = o.id;
        match self.settle_with_events(o, outcome, block) {
            Ok(mut own) => {
                events.append(&mut own);
                Ok(())
            }
            Err(e) if e.is_internal() => Err(e),
            Err(e) => {
                let mut o = self.require_order(id)?;
                let was = o.status;
                self.set_due(&mut o, Some(retry_ms))?;
                self.put_order(&o, was)?;
                events.push(event::settle_failed(&o, &e.to_string()));
                Ok(())
            }
        }
    }
}

impl<T: StateWrite + ?Sized> SettleStateWriteExt for T {}

/// What an order due in the settlement queue comes to: a paused order's
/// grace ran out (the buyer's side); an open one found no provider by its
/// deadline; an accepted one has no result by its deadline (the
/// provider's fault); a challenge-window result nobody challenged
/// completes; a result the buyer or verifier left undecided until the
/// deadline is refunded with nobody at fault.
fn due_outcome(o: &Order) -> Outcome {
    match o.status {
        OrderStatus::Paused => Outcome::Cancel(Fault::BuyerUnderfunded),
        OrderStatus::Open => Outcome::Cancel(Fault::None),
        OrderStatus::Accepted => Outcome::Fail(Fault::ProviderNoResult),
        OrderStatus::Submitted if matches!(o.verification, Verification::ChallengeWindow(_)) => {
            Outcome::Complete
        }
        _ => Outcome::Fail(Fault::None),
    }
}

/// Refuses unless the provider is online at `now_ms`.
pub(crate) fn require_online(p: &Provider, now_ms: u64) -> Result<(), ComputeError> {
    if is_online(p, now_ms) {
        Ok(())
    } else {
        Err(ComputeError::ProviderOffline {
            asset_id: p.asset_id,
        })
    }
}

/// Refuses unless `signer` operates the provider.
pub(crate) fn require_operator(p: &Provider, signer: &Address) -> Result<(), ComputeError> {
    if p.operator == *signer {
        Ok(())
    } else {
        Err(ComputeError::NotOperator {
            asset_id: p.asset_id,
            operator: p.operator,
            signer: *signer,
        })
    }
}
