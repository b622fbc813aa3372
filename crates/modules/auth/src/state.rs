//! The only way anything reads or writes auth state.

use fructus_component::ParamsRead;
use fructus_storage::{StateRead, StateWrite};
use fructus_types::{Address, BlockHeight, Coin, PublicKey};

use crate::{Account, AuthError, AuthParams, FeeGrant, state_key};

/// Auth reads, available on any state.
pub trait AuthStateReadExt: StateRead {
    /// The parameters (defaults if genesis set none).
    fn auth_params(&self) -> Result<AuthParams, AuthError> {
        self.params::<AuthParams>()
    }

    /// The account at `address`, if it exists.
    fn account(&self, address: &Address) -> Result<Option<Account>, AuthError> {
        Ok(self.get(&state_key::account(address))?)
    }

    /// The account bound to `key`, if any.
    fn account_of_key(&self, key: &PublicKey) -> Result<Option<Address>, AuthError> {
        Ok(self.get(&state_key::key_index(key))?)
    }

    /// The account that `key` signs for: the one bound to it, else the one
    /// at its derived address (created on first use). Refuses a key whose
    /// derived account was rotated to another key.
    ///
    /// Invariant: only an account's current key signs for it. The key index
    /// is not trusted alone — a binding left behind by a rotation (an index
    /// entry whose account now names another key) is refused, so no stale
    /// key ever signs again, whichever module rotated it.
    fn resolve_signer(&self, key: &PublicKey) -> Result<Account, AuthError> {
        if let Some(address) = self.account_of_key(key)? {
            let account = self
                .account(&address)?
                .ok_or(AuthError::KeyMismatch { address })?;
            if account.public_key.as_ref().is_some_and(|k| k != key) {
                return Err(AuthError::KeyMismatch { address });
            }
            return Ok(account);
        }
        let address = key.address();
        match self.account(&address)? {
            None => Ok(Account {
                address,
                public_key: None,
                nonce: 0,
            }),
            Some(acct) if acct.public_key.is_none() => Ok(acct),
            Some(_) => Err(AuthError::KeyMismatch { address }),
        }
    }

    /// The grant from `granter` to `grantee`, if any.
    fn fee_grant(
        &self,
        granter: &Address,
        grantee: &Address,
    ) -> Result<Option<FeeGrant>, AuthError> {
        Ok(self.get(&state_key::fee_grant(granter, grantee))?)
    }

    /// Checks that `granter`'s grant to `grantee` covers `fee` for a
    /// transaction of these message `kinds` at `height`, and returns the
    /// grant as it would be after paying.
    fn check_fee_grant(
        &self,
        granter: &Address,
        grantee: &Address,
        fee: &Coin,
        kinds: &[&str],
        height: BlockHeight,
    ) -> Result<FeeGrant, AuthError> {
        let mut grant = self
            .fee_grant(granter, grantee)?
            .ok_or(AuthError::GrantNotFound {
                granter: *granter,
                grantee: *grantee,
            })?;
        if let Some(expiry_height) = grant.expiry_height
            && height > expiry_height
        {
            return Err(AuthError::GrantExpired {
                granter: *granter,
                expiry_height,
            });
        }
        if !grant.allowed_messages.is_empty()
            && let Some(kind) = kinds
                .iter()
                .find(|k| !grant.allowed_messages.iter().any(|a| a == *k))
        {
            return Err(AuthError::MessageNotAllowed {
                granter: *granter,
                kind: (*kind).to_owned(),
            });
        }
        let exceeded = |remaining| AuthError::GrantLimitExceeded {
            granter: *granter,
            denom: fee.denom.to_string(),
            remaining,
            fee: fee.amount,
        };
        let idx = grant
            .remaining
            .iter()
            .position(|c| c.denom == fee.denom)
            .ok_or_else(|| exceeded(fructus_types::Amount::ZERO))?;
        let entry = grant
            .remaining
            .get_mut(idx)
            .ok_or_else(|| exceeded(fructus_types::Amount::ZERO))?;
        entry.amount = entry
            .amount
            .checked_sub(fee.amount)
            .map_err(|_| exceeded(entry.amount))?;
        grant.remaining.retain(|c| !c.amount.is_zero());
        Ok(grant)
    }
}

impl<T: StateRead + ?Sized> AuthStateReadExt for T {}

/// Auth writes.
pub trait AuthStateWriteExt: StateWrite {
    /// Stores an account.
    fn put_account(&mut self, account: &Account) -> Result<(), AuthError> {
        Ok(self.put(state_key::account(&account.address), account)?)
    }

    /// Records that `key` signs for `address`.
    fn bind_key(&mut self, key: &PublicKey, address: &Address) -> Result<(), AuthError> {
        Ok(self.put(state_key::key_index(key), address)?)
    }

    /// Forgets a key binding.
    fn unbind_key(&mut self, key: &PublicKey) {
        self.delete(state_key::key_index(key));
    }

    /// Binds `key` to a brand-new account on its first transaction, and
    /// advances the nonce: the part of every transaction that survives even
    /// when its messages fail.
    fn record_signer_use(
        &mut self,
        account: &Account,
        key: &PublicKey,
    ) -> Result<Account, AuthError> {
        let mut next = account.clone();
        if next.public_key.is_none() {
            next.public_key = Some(key.clone());
            self.bind_key(key, &next.address)?;
        }
        next.nonce = next.nonce.checked_add(1).ok_or(AuthError::NonceExhausted {
            address: next.address,
        })?;
        self.put_account(&next)?;
        Ok(next)
    }

    /// Stores (or replaces) a grant.
    fn put_fee_grant(&mut self, grant: &FeeGrant) -> Result<(), AuthError> {
        Ok(self.put(state_key::fee_grant(&grant.granter, &grant.grantee), grant)?)
    }

    /// Removes a grant.
    fn delete_fee_grant(&mut self, granter: &Address, grantee: &Address) {
        self.delete(state_key::fee_grant(granter, grantee));
    }
}

impl<T: StateWrite + ?Sized> AuthStateWriteExt for T {}
