//! Building and signing transactions (offline: no node needed).
//!
//! [`TxBuilder`] fills a `TxBody`; [`msgs`] builds each message kind from
//! domain values. Signing uses the envelope rules of
//! `fructus_types::tx` (exact body bytes, chain id domain-separated).

use fructus_crypto::{Address, PublicKey, SigningKey};
use fructus_proto::tx::v1 as pb;
use fructus_types::{
    Coin, Denom,
    tx::{encode_signed, public_key_to_proto},
};

/// Default gas limit for a simple transaction.
pub const DEFAULT_GAS_LIMIT: u64 = 200_000;
/// Default minimum price: 10 ufrx per 1,000 gas (the genesis default).
pub const DEFAULT_PRICE_PER_KGAS: u128 = 10;

/// Collects the fields of a transaction body.
#[derive(Debug, Clone)]
pub struct TxBuilder {
    chain_id: String,
    nonce: u64,
    fee: Option<Coin>,
    gas_limit: u64,
    payer: Option<Address>,
    timeout_height: u64,
    memo: String,
    messages: Vec<pb::Message>,
}

impl TxBuilder {
    /// A builder for `chain_id` with nonce 0, default gas and fee.
    pub fn new(chain_id: impl Into<String>) -> Self {
        TxBuilder {
            chain_id: chain_id.into(),
            nonce: 0,
            fee: None,
            gas_limit: DEFAULT_GAS_LIMIT,
            payer: None,
            timeout_height: 0,
            memo: String::new(),
            messages: Vec::new(),
        }
    }

    /// Sets the nonce (the signer account's next nonce).
    pub fn nonce(mut self, nonce: u64) -> Self {
        self.nonce = nonce;
        self
    }

    /// Sets the fee; default: gas limit × the default minimum price in ufrx.
    pub fn fee(mut self, fee: Coin) -> Self {
        self.fee = Some(fee);
        self
    }

    /// Sets the gas limit.
    pub fn gas_limit(mut self, gas: u64) -> Self {
        self.gas_limit = gas;
        self
    }

    /// Has `payer` pay the fee through a fee grant.
    pub fn payer(mut self, payer: Address) -> Self {
        self.payer = Some(payer);
        self
    }

    /// Refuses the transaction in blocks above `height` (0 = never).
    pub fn timeout_height(mut self, height: u64) -> Self {
        self.timeout_height = height;
        self
    }

    /// Sets the memo.
    pub fn memo(mut self, memo: impl Into<String>) -> Self {
        self.memo = memo.into();
        self
    }

    /// Appends a message.
    pub fn message(mut self, msg: pb::Message) -> Self {
        self.messages.push(msg);
        self
    }

    /// The fee that will be used.
    pub fn effective_fee(&self) -> Coin {
        self.fee
            .clone()
            .unwrap_or_else(|| default_fee(self.gas_limit))
    }

    /// The body for `signer`.
    pub fn body(&self, signer: &PublicKey) -> pb::TxBody {
        pb::TxBody {
            chain_id: self.chain_id.clone(),
            signer: Some(public_key_to_proto(signer)),
            nonce: self.nonce,
            fee: Some(pb::Fee {
                amount: Some(self.effective_fee().to_proto()),
                gas_limit: self.gas_limit,
                payer: self
                    .payer
                    .map(|a| a.as_bytes().to_vec().into())
                    .unwrap_or_default(),
            }),
            timeout_height: self.timeout_height,
            memo: self.memo.clone(),
            messages: self.messages.clone(),
        }
    }

    /// Encodes the body and signs it: the bytes to broadcast.
    pub fn sign(&self, key: &SigningKey) -> Vec<u8> {
        encode_signed(&self.body(&key.public_key()), key)
    }
}

/// Gas limit × the default minimum gas price, in ufrx, rounded up.
pub fn default_fee(gas_limit: u64) -> Coin {
    let amount = u128::from(gas_limit)
        .saturating_mul(DEFAULT_PRICE_PER_KGAS)
        .div_ceil(1_000);
    Coin::new(Denom::native(), amount)
}

/// Constructors for every message kind.
pub mod msgs {
    use fructus_crypto::{Address, SigningKey};
    use fructus_proto::{
        auth::v1 as auth, bank::v1 as bank, tx::v1::Message, tx::v1::message::Sum,
    };
    use fructus_types::{Coin, Coins, Denom, tx::public_key_to_proto};

    fn addr(a: &Address) -> prost::bytes::Bytes {
        a.as_bytes().to_vec().into()
    }

    fn wrap(sum: Sum) -> Message {
        Message { sum: Some(sum) }
    }

    /// `bank/send`.
    pub fn send(to: &Address, amount: &Coins) -> Message {
        wrap(Sum::BankSend(bank::MsgSend {
            to: addr(to),
            amount: amount.to_proto(),
        }))
    }

    /// `bank/multi_send`.
    pub fn multi_send(outputs: &[(Address, Coins)]) -> Message {
        wrap(Sum::BankMultiSend(bank::MsgMultiSend {
            outputs: outputs
                .iter()
                .map(|(to, amount)| bank::Output {
                    to: addr(to),
                    amount: amount.to_proto(),
                })
                .collect(),
        }))
    }

    /// `bank/create_denom`.
    pub fn create_denom(denom: &Denom, symbol: &str, decimals: u32, kyc_only: bool) -> Message {
        wrap(Sum::BankCreateDenom(bank::MsgCreateDenom {
            denom: denom.to_string(),
            symbol: symbol.to_owned(),
            decimals,
            kyc_only,
        }))
    }

    /// `bank/mint`.
    pub fn mint(amount: &Coin, to: &Address) -> Message {
        wrap(Sum::BankMint(bank::MsgMint {
            amount: Some(amount.to_proto()),
            to: addr(to),
        }))
    }

    /// `bank/burn`.
    pub fn burn(amount: &Coin) -> Message {
        wrap(Sum::BankBurn(bank::MsgBurn {
            amount: Some(amount.to_proto()),
        }))
    }

    /// `auth/grant_fee`; `expiry_height` 0 = never.
    pub fn grant_fee(
        grantee: &Address,
        spend_limit: &Coins,
        expiry_height: u64,
        allowed: &[String],
    ) -> Message {
        wrap(Sum::AuthGrantFee(auth::MsgGrantFee {
            grantee: addr(grantee),
            spend_limit: spend_limit.to_proto(),
            expiry_height,
            allowed_messages: allowed.to_vec(),
        }))
    }

    /// `auth/revoke_fee`.
    pub fn revoke_fee(grantee: &Address) -> Message {
        wrap(Sum::AuthRevokeFee(auth::MsgRevokeFee {
            grantee: addr(grantee),
        }))
    }

    /// `auth/rotate_key`: `new_key` signs its consent to control `account`
    /// from the transaction with `nonce` on `chain_id`.
    pub fn rotate_key(
        new_key: &SigningKey,
        chain_id: &str,
        account: &Address,
        nonce: u64,
    ) -> Message {
        let proof = new_key.sign(&fructus_auth::msg::rotate_key_sign_bytes(
            chain_id, account, nonce,
        ));
        wrap(Sum::AuthRotateKey(auth::MsgRotateKey {
            new_key: Some(public_key_to_proto(&new_key.public_key())),
            new_key_signature: proof.into(),
        }))
    }
}
