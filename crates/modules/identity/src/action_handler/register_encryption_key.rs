use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use super::require_regulator;
use fructus_crypto::{KeyAlgo, PublicKey};

use crate::{
    IdentityError, IdentityStateWriteExt, event,
    msg::RegisterEncryptionKey,
    records::{is_usable_public_key, possession_bytes, records_public_from_ed25519},
};

impl ActionHandler for RegisterEncryptionKey {
    type Error = IdentityError;
    type Checked = ();
    const KIND: &'static str = "identity/register_encryption_key";
    const BASE_GAS: u64 = 5_000;

    fn check_stateless(&self, _ctx: &StatelessContext<'_>) -> Result<(), IdentityError> {
        if !is_usable_public_key(&self.x25519_pubkey) {
            return Err(IdentityError::field(
                "x25519_pubkey",
                "a low-order point, not a usable X25519 public key",
            ));
        }
        if records_public_from_ed25519(&self.records_key) != Some(self.x25519_pubkey) {
            return Err(IdentityError::field(
                "records_key",
                "x25519_pubkey must be the Montgomery form of this ed25519 key",
            ));
        }
        Ok(())
    }

    /// Invariant: a records key is registered only with a signature by it
    /// over the chain id, the regulator's account and the X25519 key, so a
    /// regulator cannot register a key it does not hold (nor replay another
    /// chain's or another regulator's registration). The signer's account is
    /// known only here, hence the check is stateful.
    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), IdentityError> {
        require_regulator(state, &ctx.signer, "register a records encryption key")?;
        let bytes = possession_bytes(&ctx.block.chain_id, &ctx.signer, &self.x25519_pubkey);
        PublicKey::from_bytes(KeyAlgo::Ed25519, &self.records_key)
            .and_then(|key| key.verify(&bytes, &self.possession_proof))
            .map_err(|_| IdentityError::NoKeyPossession {
                regulator: ctx.signer,
            })
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
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
