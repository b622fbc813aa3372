use fructus_component::{ActionHandler, StatelessContext, TxContext};
use fructus_storage::{StateRead, StateWrite};

use crate::{
    AuthError, AuthStateReadExt, AuthStateWriteExt, event,
    msg::{RotateKey, rotate_key_sign_bytes},
};

impl ActionHandler for RotateKey {
    type Error = AuthError;
    type Checked = ();
    const KIND: &'static str = "auth/rotate_key";
    const BASE_GAS: u64 = 5_000;

    fn check_stateless(&self, ctx: &StatelessContext<'_>) -> Result<(), AuthError> {
        if &self.new_key == ctx.signer_key {
            return Err(AuthError::field(
                "new_key",
                "it is already the account's key",
            ));
        }
        Ok(())
    }

    fn check_stateful<S: StateRead>(
        &self,
        state: &S,
        ctx: &TxContext<'_>,
    ) -> Result<(), AuthError> {
        if let Some(owner) = state.account_of_key(&self.new_key)? {
            return Err(AuthError::KeyInUse { owner });
        }
        // The new key's derived address must not be an account controlled by
        // another key, or that account would become unreachable by it.
        let derived = self.new_key.address();
        if derived != ctx.signer
            && let Some(acct) = state.account(&derived)?
            && acct.public_key.is_some()
        {
            return Err(AuthError::KeyInUse { owner: derived });
        }
        let msg = rotate_key_sign_bytes(&ctx.block.chain_id, &ctx.signer, ctx.nonce);
        self.new_key
            .verify(&msg, &self.new_key_signature)
            .map_err(|_| AuthError::BadNewKeySignature)
    }

    fn execute<S: StateWrite>(
        &self,
        (): (),
        state: &mut S,
        ctx: &mut TxContext<'_>,
    ) -> Result<(), AuthError> {
        let mut account = state.account(&ctx.signer)?.ok_or(AuthError::KeyMismatch {
            address: ctx.signer,
        })?;
        let old = account.public_key.replace(self.new_key.clone());
        if let Some(old) = &old {
            state.unbind_key(old);
        }
        state.bind_key(&self.new_key, &ctx.signer)?;
        state.put_account(&account)?;
        ctx.emit(event::rotate_key(&ctx.signer, old.as_ref(), &self.new_key));
        Ok(())
    }
}
