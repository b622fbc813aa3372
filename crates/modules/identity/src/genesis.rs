use std::collections::BTreeSet;

use fructus_types::{Address, BlockTime};

use crate::{
    Attestation, IdentityError, MAX_PROVIDERS, MAX_REGULATORS,
    msg::{KYC_LEVEL_BASIC, KYC_LEVEL_ENTERPRISE},
    records::is_usable_public_key,
};

/// A KYC attestation present at genesis.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisAttestation {
    /// The attested account.
    pub subject: Address,
    /// The issuer: a genesis regulator or provider.
    pub provider: Address,
    /// 1 to 3.
    pub level: u8,
    /// Last height it counts (0 = no height limit).
    #[serde(default)]
    pub expiry_height: u64,
    /// It counts while block time < this, ms (0 = no time limit).
    #[serde(default)]
    pub expiry_time_ms: u64,
    /// Salted commitment to the off-chain KYC file
    /// ([`crate::records::kyc_file_commitment`]), 64 hex characters.
    pub kyc_file_sha256: String,
}

/// A regulator's records encryption key present at genesis.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisEncryptionKey {
    /// A genesis regulator.
    pub regulator: Address,
    /// Its X25519 public key, 64 hex characters.
    pub x25519_pubkey: String,
}

/// The identity section of the genesis file:
///
/// ```json
/// "identity": {
///   "regulators": ["fx1..."],
///   "providers": ["fx1..."],
///   "attestations": [{"subject": "fx1...", "provider": "fx1...", "level": 3,
///                     "expiry_height": 0, "expiry_time_ms": 0,
///                     "kyc_file_sha256": "<64 hex>"}],
///   "encryption_keys": [{"regulator": "fx1...", "x25519_pubkey": "<64 hex>"}]
/// }
/// ```
///
/// Every field may be omitted (an empty section means no regulators: no one
/// can accredit, attest or freeze until governance adds one).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityGenesis {
    /// The initial regulator set.
    #[serde(default)]
    pub regulators: Vec<Address>,
    /// Initially accredited KYC providers.
    #[serde(default)]
    pub providers: Vec<Address>,
    /// Initial attestations.
    #[serde(default)]
    pub attestations: Vec<GenesisAttestation>,
    /// Initial regulator encryption keys.
    #[serde(default)]
    pub encryption_keys: Vec<GenesisEncryptionKey>,
}

pub(crate) fn parse_hex32(s: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(s).ok()?;
    bytes.as_slice().try_into().ok()
}

impl GenesisAttestation {
    /// The stored form (issued at height 0, time 0). Call after validation.
    pub(crate) fn to_attestation(&self) -> Result<Attestation, IdentityError> {
        let kyc_file_sha256 =
            parse_hex32(&self.kyc_file_sha256).ok_or_else(|| IdentityError::Genesis {
                reason: format!(
                    "identity.attestations: kyc_file_sha256 of {} is not 64 hex characters",
                    self.subject
                ),
            })?;
        Ok(Attestation {
            subject: self.subject,
            provider: self.provider,
            level: self.level,
            issued_height: 0,
            issued_time: BlockTime(0),
            expiry_height: (self.expiry_height != 0).then_some(self.expiry_height),
            expiry_time: (self.expiry_time_ms != 0).then_some(BlockTime(self.expiry_time_ms)),
            kyc_file_sha256,
            revoked: None,
        })
    }
}

impl IdentityGenesis {
    /// Checks the section; errors name the offending entry by JSON path.
    pub fn validate(&self) -> Result<(), IdentityError> {
        let bad = |reason: String| IdentityError::Genesis { reason };
        if self.regulators.len() > MAX_REGULATORS {
            return Err(bad(format!(
                "identity.regulators: at most {MAX_REGULATORS}, got {}",
                self.regulators.len()
            )));
        }
        let mut regulators = BTreeSet::new();
        for (i, r) in self.regulators.iter().enumerate() {
            if !regulators.insert(*r) {
                return Err(bad(format!("identity.regulators[{i}]: {r} listed twice")));
            }
        }
        if self.providers.len() > MAX_PROVIDERS {
            return Err(bad(format!(
                "identity.providers: at most {MAX_PROVIDERS}, got {}",
                self.providers.len()
            )));
        }
        let mut providers = BTreeSet::new();
        for (i, p) in self.providers.iter().enumerate() {
            if regulators.contains(p) {
                return Err(bad(format!(
                    "identity.providers[{i}]: {p} is a regulator; regulators attest without accreditation"
                )));
            }
            if !providers.insert(*p) {
                return Err(bad(format!("identity.providers[{i}]: {p} listed twice")));
            }
        }
        let mut pairs = BTreeSet::new();
        for (i, a) in self.attestations.iter().enumerate() {
            let path = format!("identity.attestations[{i}]");
            if !regulators.contains(&a.provider) && !providers.contains(&a.provider) {
                return Err(bad(format!(
                    "{path}.provider: {} is neither in identity.regulators nor in identity.providers",
                    a.provider
                )));
            }
            if a.subject == a.provider {
                return Err(bad(format!(
                    "{path}.subject: {} cannot attest itself",
                    a.subject
                )));
            }
            if !(KYC_LEVEL_BASIC..=KYC_LEVEL_ENTERPRISE).contains(&a.level) {
                return Err(bad(format!(
                    "{path}.level: must be {KYC_LEVEL_BASIC} to {KYC_LEVEL_ENTERPRISE}, got {}",
                    a.level
                )));
            }
            if parse_hex32(&a.kyc_file_sha256).is_none() {
                return Err(bad(format!(
                    "{path}.kyc_file_sha256: expected 64 hex characters (a SHA-256)"
                )));
            }
            if !pairs.insert((a.subject, a.provider)) {
                return Err(bad(format!(
                    "{path}: {} already attests {}",
                    a.provider, a.subject
                )));
            }
        }
        let mut keyed = BTreeSet::new();
        for (i, k) in self.encryption_keys.iter().enumerate() {
            let path = format!("identity.encryption_keys[{i}]");
            if !regulators.contains(&k.regulator) {
                return Err(bad(format!(
                    "{path}.regulator: {} is not in identity.regulators",
                    k.regulator
                )));
            }
            if !keyed.insert(k.regulator) {
                return Err(bad(format!(
                    "{path}.regulator: {} has two keys",
                    k.regulator
                )));
            }
            match parse_hex32(&k.x25519_pubkey) {
                Some(key) if is_usable_public_key(&key) => {}
                Some(_) => {
                    return Err(bad(format!(
                        "{path}.x25519_pubkey: a low-order point, not a usable X25519 key"
                    )));
                }
                None => {
                    return Err(bad(format!(
                        "{path}.x25519_pubkey: expected 64 hex characters (an X25519 public key)"
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use fructus_types::Address;

    use super::*;

    fn a(n: u8) -> Address {
        Address::from_bytes([n; 20])
    }

    fn hash() -> String {
        hex::encode([1u8; 32])
    }

    fn att(subject: u8, provider: u8) -> GenesisAttestation {
        GenesisAttestation {
            subject: a(subject),
            provider: a(provider),
            level: 1,
            expiry_height: 0,
            expiry_time_ms: 0,
            kyc_file_sha256: hash(),
        }
    }

    fn base() -> IdentityGenesis {
        IdentityGenesis {
            regulators: vec![a(1)],
            providers: vec![a(2)],
            attestations: vec![att(5, 1), att(5, 2)],
            encryption_keys: vec![GenesisEncryptionKey {
                regulator: a(1),
                x25519_pubkey: hex::encode(crate::records::encryption_public_key(&[3; 32])),
            }],
        }
    }

    fn reason(g: &IdentityGenesis) -> String {
        match g.validate() {
            Err(IdentityError::Genesis { reason }) => reason,
            other => panic!("expected a genesis error, got {other:?}"),
        }
    }

    #[test]
    fn valid_genesis_passes() {
        base().validate().unwrap();
        IdentityGenesis::default().validate().unwrap();
    }

    #[test]
    fn errors_name_the_json_path() {
        let mut g = base();
        g.regulators.push(a(1));
        assert!(reason(&g).starts_with("identity.regulators[1]:"));

        let mut g = base();
        g.providers.push(a(1));
        assert!(
            reason(&g).starts_with("identity.providers[1]:"),
            "{}",
            reason(&g)
        );

        let mut g = base();
        g.providers.push(a(2));
        assert!(reason(&g).starts_with("identity.providers[1]:"));

        let mut g = base();
        g.attestations.push(att(6, 9));
        assert!(reason(&g).starts_with("identity.attestations[2].provider:"));

        let mut g = base();
        g.attestations[1].level = 4;
        assert!(reason(&g).starts_with("identity.attestations[1].level:"));

        let mut g = base();
        g.attestations[0].kyc_file_sha256 = "abcd".into();
        assert!(reason(&g).starts_with("identity.attestations[0].kyc_file_sha256:"));

        let mut g = base();
        g.attestations.push(att(5, 1));
        assert!(reason(&g).starts_with("identity.attestations[2]:"));

        let mut g = base();
        g.attestations.push(att(2, 2));
        assert!(reason(&g).starts_with("identity.attestations[2].subject:"));

        let mut g = base();
        g.encryption_keys[0].regulator = a(2);
        assert!(reason(&g).starts_with("identity.encryption_keys[0].regulator:"));

        let mut g = base();
        g.encryption_keys[0].x25519_pubkey = hex::encode([0u8; 32]);
        assert!(reason(&g).starts_with("identity.encryption_keys[0].x25519_pubkey:"));

        let mut g = base();
        g.encryption_keys[0].x25519_pubkey = "zz".into();
        assert!(reason(&g).starts_with("identity.encryption_keys[0].x25519_pubkey:"));

        let mut g = base();
        g.encryption_keys.push(g.encryption_keys[0].clone());
        assert!(reason(&g).starts_with("identity.encryption_keys[1].regulator:"));

        let mut g = base();
        g.regulators = (0..=crate::MAX_REGULATORS)
            .map(|i| Address::from_bytes([u8::try_from(i).unwrap_or(0); 20]))
            .collect();
        assert!(reason(&g).starts_with("identity.regulators:"));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = serde_json::from_str::<IdentityGenesis>(r#"{"regulator": []}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field"));
    }
}
