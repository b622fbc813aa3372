//! Phase 3: the messages, all or nothing.

use fructus_component::{BlockContext, TxContext, TxError};
use fructus_storage::StateDelta;

use crate::{
    ParsedTx, TxResult,
    pipeline::{Failure, ante},
};

/// Delivers one stateless-checked, signature-verified transaction on the
/// block's state. `Err` only for internal failures (the node must stop).
pub(crate) fn deliver(
    state: &mut StateDelta,
    parsed: &ParsedTx,
    block: &BlockContext,
) -> Result<TxResult, TxError> {
    let hash = parsed.tx.hash;
    let gas_wanted = parsed.tx.gas_limit;
    let meter = match parsed.gas_meter() {
        Ok(m) => m,
        Err(e) => {
            return Ok(TxResult::failed(
                hash,
                &TxError::from_code(&e),
                gas_wanted,
                0,
                Vec::new(),
            ));
        }
    };

    state.checkpoint();
    let ante = match ante::run(state, parsed, block) {
        Ok(a) => {
            state.apply_checkpoint();
            a
        }
        Err(failure) => {
            state.discard_checkpoint();
            return match failure {
                Failure::Tx(e) => Ok(TxResult::failed(hash, &e, gas_wanted, 0, Vec::new())),
                Failure::Internal(e) => Err(e),
            };
        }
    };

    let mut ctx = TxContext::new(
        block,
        ante.signer,
        &parsed.tx.signer,
        ante.nonce,
        hash,
        meter,
    );
    ctx.emit(ante.fee_event);
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
                Failure::Tx(e) => Ok(TxResult::failed(hash, &e, gas_wanted, gas.used(), events)),
                Failure::Internal(e) => Err(e),
            }
        }
    }
}

/// Turns a stateless failure into the recorded result of an included
/// transaction (nothing changes, nothing is charged).
pub(crate) fn rejected(bytes: &[u8], err: &TxError) -> TxResult {
    TxResult::failed(fructus_types::tx::TxHash::of(bytes), err, 0, 0, Vec::new())
}
