//! `fructus tx auth …`: fee grants and account key rotation (the auth
//! module).

use clap::Subcommand;
use fructus_client::tx::msgs;
use fructus_crypto::Address;
use fructus_proto::tx::v1 as pb;
use fructus_types::Coins;

use crate::cmd::tx::{Ctx, ModuleTx, TxOpts};

/// `fructus tx auth …`.
#[derive(Debug, Subcommand)]
pub(crate) enum AuthTxCmd {
    /// Pay GRANTEE's fees (e.g. a device's) up to a spend limit.
    GrantFee {
        /// Signing key name (the granter, who pays).
        from: String,
        /// Whose fees to pay: address or key name.
        grantee: String,
        /// Total the grant may spend, e.g. 1000000ufrx.
        #[arg(long)]
        spend_limit: Coins,
        /// Last height the grant may be used (0 = no expiry).
        #[arg(long, default_value_t = 0)]
        expiry_height: u64,
        /// Message kind the grant covers, e.g. bank/send (repeatable; none = all).
        #[arg(long = "allow", value_name = "KIND")]
        allowed: Vec<String>,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Withdraw a fee grant.
    RevokeFee {
        /// Signing key name (the granter).
        from: String,
        /// The grantee: address or key name.
        grantee: String,
        #[command(flatten)]
        opts: TxOpts,
    },
    /// Replace FROM's account key with NEW_KEY (another keyring key); the
    /// address and funds stay. Both keys sign.
    RotateKey {
        /// Current signing key name.
        from: String,
        /// Key name of the new key.
        new_key: String,
        /// Address of the account, if it is no longer FROM's derived address
        /// (it was rotated before).
        #[arg(long)]
        account: Option<Address>,
        #[command(flatten)]
        opts: TxOpts,
    },
}

impl ModuleTx for AuthTxCmd {
    fn signer(&self) -> (&str, &TxOpts) {
        match self {
            Self::GrantFee { from, opts, .. }
            | Self::RevokeFee { from, opts, .. }
            | Self::RotateKey { from, opts, .. } => (from, opts),
        }
    }

    fn messages(self, c: &Ctx<'_>) -> anyhow::Result<Vec<pb::Message>> {
        Ok(vec![match self {
            Self::GrantFee {
                grantee,
                spend_limit,
                expiry_height,
                allowed,
                ..
            } => msgs::grant_fee(&c.resolve(&grantee)?, &spend_limit, expiry_height, &allowed),
            Self::RevokeFee { grantee, .. } => msgs::revoke_fee(&c.resolve(&grantee)?),
            Self::RotateKey {
                new_key, account, ..
            } => {
                let new = c.load_key(&new_key)?;
                let account = account.unwrap_or(c.account);
                msgs::rotate_key(&new, c.chain_id(), &account, c.nonce())
            }
        }])
    }
}
