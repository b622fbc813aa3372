//! Phase 2: the included-transaction window, the signer's account, nonce,
//! timeout and fee. Runs on its own overlay: if anything here fails, the
//! transaction changes nothing. A block runs this phase for all of its
//! transactions before any message (see `App::deliver_txs`), so whether a
//! transaction pays its fee never depends on another one's messages, and
//! block validation (`App::plan_block`) can check it exactly.

use fructus_auth::{AuthStateReadExt, AuthStateWriteExt};
use fructus_bank::{BankError, BankStateWriteExt};
use fructus_component::{BlockContext, Event, TxError};
use fructus_identity::IdentityStateReadExt;
use fructus_storage::StateWrite;
use fructus_types::{Address, Coin};

use crate::{
    ParsedTx, TxCheckError, fee_collector,
    pipeline::{Failure, classify, window},
};

/// What the ante phase established.
#[derive(Debug, Clone)]
pub(crate) struct Ante {
    /// The signer's account address.
    pub(crate) signer: Address,
    /// The nonce the transaction used.
    pub(crate) nonce: u64,
    /// Who paid the fee (the signer, or its grant's granter).
    payer: Address,
}

impl Ante {
    /// The fee event of the transaction that charged `fee` (kept even if
    /// the messages fail). Built only by the callers that keep the charge:
    /// an admission check or a re-check discards it, and its addresses'
    /// text is a visible share of their cost.
    pub(crate) fn fee_event(&self, fee: &Coin) -> Event {
        Event::new("tx.fee")
            .attr("payer", self.payer)
            .attr("signer", self.signer)
            .attr("amount", fee)
    }
}

fn refuse(e: TxCheckError) -> Failure {
    Failure::Tx(TxError::from_code(&e))
}

/// A nonceless transaction (only device readings, see
/// [`ParsedTx::nonceless_readings`]) must carry nonce 0, and every reading
/// must be admissible — known active device, signed by it, sequence above
/// the stored one — checked here, before the fee, so a replay is refused
/// without charging anyone.
fn check_nonceless<S: StateWrite>(
    state: &S,
    parsed: &ParsedTx,
    signer: &Address,
) -> Result<(), Failure> {
    use fructus_metering::MeteringStateReadExt;
    if parsed.tx.body.nonce != 0 {
        return Err(refuse(TxCheckError::NonceTooHigh {
            expected: 0,
            got: parsed.tx.body.nonce,
        }));
    }
    for msg in &parsed.msgs {
        if let crate::Msg::MeteringSubmitReading(reading) = msg {
            state
                .check_reading_admissible(reading, signer)
                .map_err(|e| classify(&e))?;
        }
    }
    Ok(())
}

/// Checks and charges; writes only if everything passes (the caller wraps
/// this in a checkpoint and discards it on error). `seen` is the window
/// the hash is checked against; a caller that keeps the charge adds the
/// hash to its block's set (`App::deliver_txs`, `App::plan_block`).
pub(crate) fn run<S: StateWrite>(
    state: &mut S,
    parsed: &ParsedTx,
    block: &BlockContext,
    seen: &window::Seen<'_>,
) -> Result<Ante, Failure> {
    let tx = &parsed.tx;
    window::check(seen, &tx.hash).map_err(refuse)?;
    let account = state.resolve_signer(&tx.signer).map_err(|e| classify(&e))?;
    // A frozen account signs nothing (not even a refused transaction is
    // charged: it is refused here, before the fee).
    state
        .check_not_frozen(&account.address)
        .map_err(|e| classify(&e))?;
    let got = tx.body.nonce;
    let nonceless = parsed.nonceless_readings().is_some();
    if nonceless {
        check_nonceless(state, parsed, &account.address)?;
    } else if got < account.nonce {
        return Err(refuse(TxCheckError::NonceTooLow {
            expected: account.nonce,
            got,
        }));
    } else if got > account.nonce {
        return Err(refuse(TxCheckError::NonceTooHigh {
            expected: account.nonce,
            got,
        }));
    }
    let timeout_height = tx.body.timeout_height;
    if timeout_height != 0 && block.height > timeout_height {
        return Err(refuse(TxCheckError::TimeoutHeightPassed {
            timeout_height,
            height: block.height,
        }));
    }

    let payer = match tx.payer {
        Some(payer) if payer != account.address => {
            state.check_not_frozen(&payer).map_err(|e| classify(&e))?;
            let kinds = parsed.kinds();
            let grant = state
                .check_fee_grant(&payer, &account.address, &tx.fee, &kinds, block.height)
                .map_err(|e| classify(&e))?;
            state.put_fee_grant(&grant).map_err(|e| classify(&e))?;
            payer
        }
        _ => account.address,
    };
    if !tx.fee.amount.is_zero() {
        state
            .transfer(&payer, &fee_collector(), &tx.fee)
            .map_err(|e| match e {
                BankError::InsufficientFunds { .. } => refuse(TxCheckError::InsufficientFee {
                    payer: payer.to_string(),
                    fee: tx.fee.to_string(),
                    reason: e.to_string(),
                }),
                other => classify(&other),
            })?;
    }
    if !nonceless {
        state
            .record_signer_use(&account, &tx.signer)
            .map_err(|e| classify(&e))?;
    }
    Ok(Ante {
        signer: account.address,
        nonce: got,
        payer,
    })
}
