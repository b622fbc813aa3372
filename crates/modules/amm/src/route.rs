//! Swap routes: loading and checking the pools of a route, the plan of a
//! swap (what every hop takes and pays), and its execution. A quote is the
//! plan computed on the same state, so a quote equals the execution to the
//! unit.

use fructus_bank::BankStateWriteExt;
use fructus_component::Event;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, Amount, BlockHeight, BlockTime, Coin, Denom};

use crate::{
    AmmError, AmmParams, AmmStateReadExt, AmmStateWriteExt, DenomExpiry, Pool, event,
    expiry::require_live,
    math::{self, MathError},
    protocol_account,
};

/// One hop of a planned swap.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Hop {
    /// The pool as loaded (before the swap).
    #[serde(skip)]
    #[schema(ignore)]
    pub pool: Pool,
    /// The pool's id.
    pub pool_id: u64,
    /// What the pool receives.
    #[schema(value_type = String)]
    pub denom_in: Denom,
    /// What it pays.
    #[schema(value_type = String)]
    pub denom_out: Denom,
    /// Received (the protocol fee included).
    #[schema(value_type = String)]
    pub amount_in: Amount,
    /// Paid.
    #[schema(value_type = String)]
    pub amount_out: Amount,
    /// Part of `amount_in` paid on to the protocol account.
    #[schema(value_type = String)]
    pub protocol_fee: Amount,
}

/// What a swap takes, pays, and does at every hop.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Plan {
    /// What the signer pays.
    #[schema(value_type = Object)]
    pub amount_in: Coin,
    /// What the signer receives.
    #[schema(value_type = Object)]
    pub amount_out: Coin,
    /// The hops in order.
    pub hops: Vec<Hop>,
}

pub(crate) fn math_error(pool_id: u64, e: MathError) -> AmmError {
    match e {
        MathError::Overflow(what) => AmmError::Overflow { what },
        MathError::Insufficient(reason) => AmmError::InsufficientLiquidity {
            pool_id,
            reason: reason.into(),
        },
    }
}

/// The route's pools with the denom each receives and pays, walking from
/// `denom_in`; refuses an unknown pool, a pool without the denom the
/// previous hop pays, a route ending elsewhere than `denom_out`, and a pool
/// holding an expired denom.
fn load<X: DenomExpiry, S: StateRead + ?Sized>(
    state: &S,
    route: &[u64],
    denom_in: &Denom,
    denom_out: &Denom,
    now: BlockTime,
) -> Result<Vec<(Pool, Denom, Denom)>, AmmError> {
    let mut current = denom_in.clone();
    let mut hops = Vec::with_capacity(route.len());
    for (hop, &id) in route.iter().enumerate() {
        let pool = state.require_pool(id)?;
        let next = match pool.side(&current) {
            Some((_, _, other)) => other.clone(),
            None => {
                return Err(AmmError::RouteDisconnected {
                    hop,
                    pool_id: id,
                    reason: format!(
                        "the pool holds {} and {}, not {current}",
                        pool.denom_a, pool.denom_b
                    ),
                });
            }
        };
        require_live::<X, S>(state, id, &pool.denom_a, now)?;
        require_live::<X, S>(state, id, &pool.denom_b, now)?;
        hops.push((pool, current, next.clone()));
        current = next;
    }
    if current != *denom_out {
        return Err(AmmError::RouteDisconnected {
            hop: route.len().saturating_sub(1),
            pool_id: route.last().copied().unwrap_or_default(),
            reason: format!("the route ends in {current}, not {denom_out}"),
        });
    }
    Ok(hops)
}

/// The plan of an exact-in swap of `amount_in` ending in `denom_out`.
pub fn plan_exact_in<X: DenomExpiry, S: StateRead + ?Sized>(
    state: &S,
    params: &AmmParams,
    route: &[u64],
    amount_in: &Coin,
    denom_out: &Denom,
    now: BlockTime,
) -> Result<Plan, AmmError> {
    let pools = load::<X, S>(state, route, &amount_in.denom, denom_out, now)?;
    let mut amount = amount_in.amount.value();
    let mut hops = Vec::with_capacity(pools.len());
    for (pool, denom_in, denom_out) in pools {
        let (reserve_in, reserve_out, _) = pool
            .side(&denom_in)
            .ok_or_else(|| disconnected(&pool, &denom_in))?;
        let fee = params.fee_of(pool.id, pool.fee_bps);
        let out = math::amount_out(amount, reserve_in, reserve_out, fee)
            .map_err(|e| math_error(pool.id, e))?;
        let cut = math::protocol_cut(amount, fee, params.protocol_fee_share_bps)
            .map_err(|e| math_error(pool.id, e))?;
        hops.push(Hop {
            pool_id: pool.id,
            pool,
            denom_in,
            denom_out,
            amount_in: Amount::new(amount),
            amount_out: Amount::new(out),
            protocol_fee: Amount::new(cut),
        });
        amount = out;
    }
    Ok(Plan {
        amount_in: amount_in.clone(),
        amount_out: Coin {
            denom: denom_out.clone(),
            amount: Amount::new(amount),
        },
        hops,
    })
}

/// The plan of an exact-out swap paying `amount_out`, starting from
/// `denom_in`: computed from the last hop back, each hop paying exactly
/// what the next one needs.
pub fn plan_exact_out<X: DenomExpiry, S: StateRead + ?Sized>(
    state: &S,
    params: &AmmParams,
    route: &[u64],
    amount_out: &Coin,
    denom_in: &Denom,
    now: BlockTime,
) -> Result<Plan, AmmError> {
    let pools = load::<X, S>(state, route, denom_in, &amount_out.denom, now)?;
    let mut amount = amount_out.amount.value();
    let mut hops = Vec::with_capacity(pools.len());
    for (pool, denom_in, denom_out) in pools.into_iter().rev() {
        let (reserve_in, reserve_out, _) = pool
            .side(&denom_in)
            .ok_or_else(|| disconnected(&pool, &denom_in))?;
        let fee = params.fee_of(pool.id, pool.fee_bps);
        let need = math::amount_in(amount, reserve_in, reserve_out, fee)
            .map_err(|e| math_error(pool.id, e))?;
        let cut = math::protocol_cut(need, fee, params.protocol_fee_share_bps)
            .map_err(|e| math_error(pool.id, e))?;
        hops.push(Hop {
            pool_id: pool.id,
            pool,
            denom_in,
            denom_out,
            amount_in: Amount::new(need),
            amount_out: Amount::new(amount),
            protocol_fee: Amount::new(cut),
        });
        amount = need;
    }
    hops.reverse();
    Ok(Plan {
        amount_in: Coin {
            denom: denom_in.clone(),
            amount: Amount::new(amount),
        },
        amount_out: amount_out.clone(),
        hops,
    })
}

fn disconnected(pool: &Pool, denom: &Denom) -> AmmError {
    AmmError::Corrupt {
        reason: format!("pool {} lost denom {denom} between load and plan", pool.id),
    }
}

/// Refuses if the block time is after the deadline.
pub(crate) fn check_deadline(deadline_ms: Option<u64>, now: BlockTime) -> Result<(), AmmError> {
    match deadline_ms {
        Some(deadline_ms) if now.0 > deadline_ms => Err(AmmError::DeadlinePassed {
            deadline_ms,
            block_ms: now.0,
        }),
        _ => Ok(()),
    }
}

/// Carries out a plan: the signer pays the first pool, each pool pays the
/// next (pool accounts are module accounts), the last pays the signer
/// through bank's compliance gate, and each pool's protocol fee goes to
/// the protocol account. Every pool's accumulators are brought up to the
/// block before its reserves change.
pub(crate) fn execute<S: StateWrite>(
    state: &mut S,
    plan: Plan,
    signer: &Address,
    params: &AmmParams,
    height: BlockHeight,
    now: BlockTime,
    events: &mut Vec<Event>,
) -> Result<(), AmmError> {
    let first = plan
        .hops
        .first()
        .map(|h| h.pool.account())
        .ok_or_else(|| AmmError::field("route", "at least one pool"))?;
    state.transfer(signer, &first, &plan.amount_in)?;
    let last = plan.hops.len().saturating_sub(1);
    let next_accounts: Vec<Address> = plan
        .hops
        .iter()
        .skip(1)
        .map(|h| h.pool.account())
        .chain(std::iter::once(*signer))
        .collect();
    for (i, (hop, to)) in plan.hops.into_iter().zip(next_accounts).enumerate() {
        let mut pool = hop.pool;
        state.touch_pool(&mut pool, params, height, now)?;
        let (reserve_in, reserve_out, _) =
            pool.side(&hop.denom_in).ok_or_else(|| AmmError::Corrupt {
                reason: format!("pool {} lost denom {}", pool.id, hop.denom_in),
            })?;
        let kept = hop
            .amount_in
            .checked_sub(hop.protocol_fee)
            .map_err(|_| AmmError::Overflow {
                what: "the protocol fee",
            })?;
        let new_in = reserve_in
            .checked_add(kept.value())
            .filter(|v| *v <= math::MAX_AMOUNT)
            .ok_or(AmmError::Overflow {
                what: "the input reserve",
            })?;
        let new_out = reserve_out
            .checked_sub(hop.amount_out.value())
            .ok_or_else(|| AmmError::InsufficientLiquidity {
                pool_id: pool.id,
                reason: "the output is more than the reserve".into(),
            })?;
        pool.set_reserve(&hop.denom_in, new_in);
        pool.set_reserve(&hop.denom_out, new_out);
        state.put_pool(&pool)?;
        let account = pool.account();
        if !hop.protocol_fee.is_zero() {
            state.transfer(
                &account,
                &protocol_account(),
                &Coin {
                    denom: hop.denom_in.clone(),
                    amount: hop.protocol_fee,
                },
            )?;
        }
        let paid = Coin {
            denom: hop.denom_out.clone(),
            amount: hop.amount_out,
        };
        state.transfer(&account, &to, &paid)?;
        events.push(event::swap(
            &pool,
            signer,
            &Coin {
                denom: hop.denom_in,
                amount: hop.amount_in,
            },
            &paid,
            hop.protocol_fee,
            i == last,
        ));
    }
    Ok(())
}
