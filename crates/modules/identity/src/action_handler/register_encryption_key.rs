use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::require_regulator;
use crate::{
    IdentityError, IdentityStateWriteExt, event, msg::RegisterEncryptionKey,
    records::is_usable_public_key,
};

impl ActionHandler for RegisterEncryptionKey {
    type Error = IdentityError;
    const KIND: &'static str = "identity/register_encryption_key";
    const BASE_GAS: u64 = 5_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), IdentityError> {
        if !is_usable_public_key(&self.x25519_pubkey) {
            return Err(IdentityError::field(
                "x25519_pubkey",
                "a low-order point, not a usable X25519 public key",
            ));
        }
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), IdentityError> {
        require_regulator(state, &ctx.signer, "register a records encryption key")
    }

    fn execute<S: StateWrite>(
        &self,
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), IdentityError> {
        state.put_encryption_key(&ctx.signer, &self.x25519_pubkey)?;
        ctx.emit(event::register_encryption_key(
            &ctx.signer,
            &self.x25519_pubkey,
        ));
        Ok(())
    }
}
