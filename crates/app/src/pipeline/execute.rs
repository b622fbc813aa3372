//! Phase 3: the messages, all or nothing.
//!
//! A block is delivered in two passes (see `App::deliver_txs`): [`charge`]
//! runs the ante — window, account, nonce, fee — of every transaction in
//! block order, then [`run_messages`] runs the messages of those charged.
//! So a transaction that is included and charged pays its fee whatever its
//! messages do, and a later transaction's fee never depends on an earlier
//! one's messages (which validation could not foresee without executing).

use fructus_component::{BlockContext, GasMeter, TxContext, TxError};
use fructus_storage::{Checkpoints, StateWrite};

use crate::{
    ParsedTx, TxResult,
    pipeline::{Failure, ante},
};

/// A transaction whose ante passed: its fee is paid.
#[derive(Debug, Clone)]
pub(crate) struct Charged {
    ante: ante::Ante,
    meter: GasMeter,
}

impl Charged {
    /// The signer's account address.
    pub(crate) fn signer(&self) -> fructus_types::Address {
        self.ante.signer
    }
}

/// Runs the ante of one stateless-checked, signature-verified transaction
/// on the block's state: `Ok(Ok(charged))` if its fee is paid,
/// `Ok(Err(result))` if it is refused (nothing changed). `Err` only for
/// internal failures (the node must stop).
pub(crate) fn charge<S: Checkpoints>(
    state: &mut S,
    parsed: &ParsedTx,
    block: &BlockContext,
    seen: &super::window::Seen<'_>,
) -> Result<Result<Charged, TxResult>, TxError> {
    let hash = parsed.tx.hash;
    let gas_wanted = parsed.tx.gas_limit;
    let meter = match parsed.gas_meter() {
        Ok(m) => m,
        Err(e) => {
            return Ok(Err(TxResult::failed(
                hash,
                &TxError::from_code(&e),
                gas_wanted,
                0,
                Vec::new(),
            )));
        }
    };
    state.checkpoint();
    match ante::run(state, parsed, block, seen) {
        Ok(ante) => {
            state.apply_checkpoint();
            Ok(Ok(Charged { ante, meter }))
        }
        Err(failure) => {
            state.discard_checkpoint();
            match failure {
                Failure::Tx(e) => Ok(Err(TxResult::failed(hash, &e, gas_wanted, 0, Vec::new()))),
                Failure::Internal(e) => Err(e),
            }
        }
    }
}

/// Runs the messages of a charged transaction on an overlay kept only if
/// all succeed. `Err` only for internal failures.
pub(crate) fn run_messages<S: Checkpoints>(
    state: &mut S,
    parsed: &ParsedTx,
    block: &BlockContext,
    charged: Charged,
) -> Result<TxResult, TxError> {
    let hash = parsed.tx.hash;
    let gas_wanted = parsed.tx.gas_limit;
    let Charged { ante, meter } = charged;
    let fee_event = ante.fee_event(&parsed.tx.fee);
    let mut ctx = TxContext::new(
        block,
        ante.signer,
        &parsed.tx.signer,
        ante.nonce,
        hash,
        meter,
    );
    ctx.emit(fee_event);
    let after_fee = ctx.event_count();
    state.checkpoint();
    let mut outcome = Ok(());
    for msg in &parsed.msgs {
        outcome = msg.run(state, &mut ctx);
        if outcome.is_err() {
            break;
        }
    }
    match outcome {
        Ok(()) => {
            state.apply_checkpoint();
            let (events, gas) = ctx.into_events();
            Ok(TxResult {
                hash,
                code: 0,
                codespace: String::new(),
                log: String::new(),
                gas_wanted,
                gas_used: gas.used(),
                events,
            })
        }
        Err(failure) => {
            state.discard_checkpoint();
            ctx.truncate_events(after_fee);
            let (events, gas) = ctx.into_events();
            match failure {
                Failure::Tx(e) => {
                    consume_reading_sequences(state, parsed)?;
                    Ok(TxResult::failed(hash, &e, gas_wanted, gas.used(), events))
                }
                Failure::Internal(e) => Err(e),
            }
        }
    }
}

/// A charged nonceless transaction whose readings failed still uses up
/// their device sequences (as a nonced transaction uses up its nonce), so
/// its exact bytes can never be charged again — not even after the
/// included-transaction window forgets them. Only the sequence moves; the
/// counter and everything billed stay as they were.
fn consume_reading_sequences<S: StateWrite>(
    state: &mut S,
    parsed: &ParsedTx,
) -> Result<(), TxError> {
    use fructus_metering::{MeteringStateReadExt, MeteringStateWriteExt};
    let Some(readings) = parsed.nonceless_readings() else {
        return Ok(());
    };
    for (address, sequence) in readings {
        let Some(mut device) = state.device(&address).map_err(|e| TxError::from_code(&e))? else {
            continue;
        };
        if sequence > device.last_sequence {
            device.last_sequence = sequence;
            state
                .put_device(&device)
                .map_err(|e| TxError::from_code(&e))?;
        }
    }
    Ok(())
}

/// Turns a stateless failure into the recorded result of an included
/// transaction (nothing changes, nothing is charged).
pub(crate) fn rejected(bytes: &[u8], err: &TxError) -> TxResult {
    TxResult::failed(fructus_types::tx::TxHash::of(bytes), err, 0, 0, Vec::new())
}
