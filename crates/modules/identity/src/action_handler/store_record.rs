use std::collections::{BTreeMap, BTreeSet};

use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    IdentityError, IdentityStateReadExt, IdentityStateWriteExt, event,
    msg::StoreRecord,
    records::{MAX_CIPHERTEXT_BYTES, MIN_CIPHERTEXT_BYTES, validate_kind},
};

/// Gas per wrapped key on top of the base cost (per-byte gas is charged by
/// the app on the whole transaction).
const GAS_PER_WRAPPED_KEY: u64 = 1_000;

impl ActionHandler for StoreRecord {
    type Error = IdentityError;
    type Checked = ();
    const KIND: &'static str = "identity/store_record";
    const BASE_GAS: u64 = 10_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), IdentityError> {
        let r = &self.record;
        validate_kind(&r.kind).map_err(|e| IdentityError::field("kind", e))?;
        let len = r.ciphertext.len();
        if !(MIN_CIPHERTEXT_BYTES..=MAX_CIPHERTEXT_BYTES).contains(&len) {
            return Err(IdentityError::field(
                "ciphertext",
                format!(
                    "{len} bytes; expected {MIN_CIPHERTEXT_BYTES} to {MAX_CIPHERTEXT_BYTES} (the 32-byte salt, a non-empty plaintext and the 16-byte tag)"
                ),
            ));
        }
        if r.wrapped_keys.is_empty() {
            return Err(IdentityError::field(
                "wrapped_keys",
                "at least one (one per regulator encryption key)",
            ));
        }
        let mut seen = BTreeSet::new();
        for w in &r.wrapped_keys {
            if !seen.insert(w.regulator) {
                return Err(IdentityError::field(
                    "wrapped_keys",
                    format!("regulator {} appears twice", w.regulator),
                ));
            }
        }
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        _ctx: &TxContext<'_>,
    ) -> Result<(), IdentityError> {
        let expected: BTreeMap<_, _> = state.record_recipients()?.into_iter().collect();
        if expected.is_empty() {
            return Err(IdentityError::NoRecordRecipients);
        }
        let given: BTreeMap<_, _> = self
            .record
            .wrapped_keys
            .iter()
            .map(|w| (w.regulator, w))
            .collect();
        for (regulator, key) in &expected {
            let w = given
                .get(regulator)
                .ok_or(IdentityError::MissingWrappedKey {
                    regulator: *regulator,
                })?;
            if &w.recipient_pubkey != key {
                return Err(IdentityError::StaleRecipientKey {
                    regulator: *regulator,
                });
            }
        }
        if let Some(extra) = given.keys().find(|r| !expected.contains_key(*r)) {
            return Err(IdentityError::UnexpectedWrappedKey { recipient: *extra });
        }
        Ok(())
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), IdentityError> {
        let n = u64::try_from(self.record.wrapped_keys.len()).unwrap_or(u64::MAX);
        ctx.consume_gas(GAS_PER_WRAPPED_KEY.saturating_mul(n))?;
        let r = &self.record;
        let id = state.put_record(&ctx.signer, ctx.block.height, ctx.block.time, r)?;
        ctx.emit(event::store_record(
            id,
            &r.kind,
            &r.subject,
            &ctx.signer,
            &r.commitment,
            r.wrapped_keys.len(),
        ));
        Ok(())
    }
}
