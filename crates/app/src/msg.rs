//! The union of every module's messages and the dispatch to their handlers.
//! Adding a module's message = one line in the `messages!` table below.

use fructus_component::{ActionHandler, StatelessContext, TxContext, TxError};
use fructus_proto::tx::v1::{Message, message::Sum};
use fructus_storage::StateWrite;

use crate::{
    TxCheckError,
    pipeline::{Failure, classify},
};

/// Runs one handler's stateful check then its execution, which consumes
/// what the check loaded.
fn run<H: ActionHandler, S: StateWrite>(
    handler: &H,
    state: &mut S,
    ctx: &mut TxContext<'_>,
) -> Result<(), Failure> {
    let checked = handler
        .check_stateful(state, ctx)
        .map_err(|e| classify(&e))?;
    handler
        .execute(checked, state, ctx)
        .map_err(|e| classify(&e))
}

macro_rules! messages {
    ($( $kind:literal => $variant:ident($ty:ty) from $wire:ident ),* $(,)?) => {
        /// Every message the chain accepts, parsed and validated.
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
        #[serde(tag = "type")]
        pub enum Msg {
            $(
                #[doc = concat!("`", $kind, "`")]
                #[serde(rename = $kind)]
                $variant($ty),
            )*
        }

        impl Msg {
            /// Parses a wire message; `index` is its position, for errors.
            pub fn from_proto(m: &Message, index: usize) -> Result<Msg, TxError> {
                match &m.sum {
                    $(
                        Some(Sum::$wire(inner)) => <$ty>::try_from(inner)
                            .map(Msg::$variant)
                            .map_err(|e| TxError::from_code(&e)),
                    )*
                    None => Err(TxError::from_code(&TxCheckError::EmptyMessage { index })),
                }
            }

            /// The stable message kind (`"bank/send"`).
            pub fn kind(&self) -> &'static str {
                match self {
                    $( Msg::$variant(_) => <$ty as ActionHandler>::KIND, )*
                }
            }

            /// Gas charged up front for this message.
            pub fn base_gas(&self) -> u64 {
                match self {
                    $( Msg::$variant(_) => <$ty as ActionHandler>::BASE_GAS, )*
                }
            }

            /// The handler's stateless check.
            pub(crate) fn check_stateless(&self, ctx: &StatelessContext<'_>) -> Result<(), TxError> {
                match self {
                    $( Msg::$variant(m) => m.check_stateless(ctx).map_err(|e| TxError::from_code(&e)), )*
                }
            }

            /// The handler's stateful check then execution.
            pub(crate) fn run<S: StateWrite>(&self, state: &mut S, ctx: &mut TxContext<'_>) -> Result<(), Failure> {
                match self {
                    $( Msg::$variant(m) => run(m, state, ctx), )*
                }
            }
        }
    };
}

messages! {
    "auth/rotate_key" => AuthRotateKey(fructus_auth::msg::RotateKey) from AuthRotateKey,
    "auth/grant_fee" => AuthGrantFee(fructus_auth::msg::GrantFee) from AuthGrantFee,
    "auth/revoke_fee" => AuthRevokeFee(fructus_auth::msg::RevokeFee) from AuthRevokeFee,
    "bank/send" => BankSend(fructus_bank::msg::Send) from BankSend,
    "bank/multi_send" => BankMultiSend(fructus_bank::msg::MultiSend) from BankMultiSend,
    "bank/create_denom" => BankCreateDenom(fructus_bank::msg::CreateDenom) from BankCreateDenom,
    "bank/mint" => BankMint(fructus_bank::msg::Mint) from BankMint,
    "bank/burn" => BankBurn(fructus_bank::msg::Burn) from BankBurn,
    "identity/accredit_provider" => IdentityAccreditProvider(fructus_identity::msg::AccreditProvider) from IdentityAccreditProvider,
    "identity/revoke_provider" => IdentityRevokeProvider(fructus_identity::msg::RevokeProvider) from IdentityRevokeProvider,
    "identity/attest_kyc" => IdentityAttestKyc(fructus_identity::msg::AttestKyc) from IdentityAttestKyc,
    "identity/revoke_attestation" => IdentityRevokeAttestation(fructus_identity::msg::RevokeAttestation) from IdentityRevokeAttestation,
    "identity/freeze" => IdentityFreeze(fructus_identity::msg::Freeze) from IdentityFreeze,
    "identity/unfreeze" => IdentityUnfreeze(fructus_identity::msg::Unfreeze) from IdentityUnfreeze,
    "identity/register_encryption_key" => IdentityRegisterEncryptionKey(fructus_identity::msg::RegisterEncryptionKey) from IdentityRegisterEncryptionKey,
    "identity/store_record" => IdentityStoreRecord(fructus_identity::msg::StoreRecord) from IdentityStoreRecord,
    "staking/create_validator" => StakingCreateValidator(fructus_staking::msg::CreateValidator) from StakingCreateValidator,
    "staking/edit_validator" => StakingEditValidator(fructus_staking::msg::EditValidator) from StakingEditValidator,
    "staking/delegate" => StakingDelegate(fructus_staking::msg::Delegate) from StakingDelegate,
    "staking/redelegate" => StakingRedelegate(fructus_staking::msg::Redelegate) from StakingRedelegate,
    "staking/undelegate" => StakingUndelegate(fructus_staking::msg::Undelegate) from StakingUndelegate,
    "staking/withdraw_rewards" => StakingWithdrawRewards(fructus_staking::msg::WithdrawRewards) from StakingWithdrawRewards,
    "staking/unjail" => StakingUnjail(fructus_staking::msg::Unjail) from StakingUnjail,
    "asset/create_class" => AssetCreateClass(fructus_asset::msg::CreateClass) from AssetCreateClass,
    "asset/update_attestation_keys" => AssetUpdateAttestationKeys(fructus_asset::msg::UpdateAttestationKeys) from AssetUpdateAttestationKeys,
    "asset/set_manager" => AssetSetManager(fructus_asset::msg::SetManager) from AssetSetManager,
    "asset/mint" => AssetMint(fructus_asset::msg::MintAsset) from AssetMint,
    "asset/transfer" => AssetTransfer(fructus_asset::msg::TransferAsset) from AssetTransfer,
    "asset/set_status" => AssetSetStatus(fructus_asset::msg::SetAssetStatus) from AssetSetStatus,
    "asset/fractionalize" => AssetFractionalize(fructus_asset::msg::Fractionalize) from AssetFractionalize,
    "asset/redeem" => AssetRedeem(fructus_asset::msg::Redeem) from AssetRedeem,
    "asset/claim_income" => AssetClaimIncome(fructus_asset::msg::ClaimIncome) from AssetClaimIncome,
    "asset/deposit_income" => AssetDepositIncome(fructus_asset::msg::DepositIncome) from AssetDepositIncome,
    "metering/register_device" => MeteringRegisterDevice(fructus_metering::msg::RegisterDevice) from MeteringRegisterDevice,
    "metering/rotate_device_key" => MeteringRotateDeviceKey(fructus_metering::msg::RotateDeviceKey) from MeteringRotateDeviceKey,
    "metering/report_tamper" => MeteringReportTamper(fructus_metering::msg::ReportTamper) from MeteringReportTamper,
    "metering/reattest_device" => MeteringReattestDevice(fructus_metering::msg::ReattestDevice) from MeteringReattestDevice,
    "metering/decommission_device" => MeteringDecommissionDevice(fructus_metering::msg::DecommissionDevice) from MeteringDecommissionDevice,
    "metering/set_plausibility_bound" => MeteringSetPlausibilityBound(fructus_metering::msg::SetPlausibilityBound) from MeteringSetPlausibilityBound,
    "metering/submit_reading" => MeteringSubmitReading(fructus_metering::msg::SubmitReading<crate::MeteringHook>) from MeteringSubmitReading,
    "metering/open_contract" => MeteringOpenContract(fructus_metering::msg::OpenContract) from MeteringOpenContract,
    "metering/accept_contract" => MeteringAcceptContract(fructus_metering::msg::AcceptContract) from MeteringAcceptContract,
    "metering/top_up" => MeteringTopUp(fructus_metering::msg::TopUp) from MeteringTopUp,
    "metering/settle" => MeteringSettle(fructus_metering::msg::Settle) from MeteringSettle,
    "metering/fund_incentive" => MeteringFundIncentive(fructus_metering::msg::FundIncentive) from MeteringFundIncentive,
    "metering/close_contract" => MeteringCloseContract(fructus_metering::msg::CloseContract) from MeteringCloseContract,
    "metering/set_oracles" => MeteringSetOracles(fructus_metering::msg::SetOracles) from MeteringSetOracles,
    "metering/submit_oracle_reading" => MeteringSubmitOracleReading(fructus_metering::msg::SubmitOracleReading<crate::MeteringHook>) from MeteringSubmitOracleReading,
    "amm/create_pool" => AmmCreatePool(fructus_amm::msg::CreatePool<crate::AmmExpiry>) from AmmCreatePool,
    "amm/add_liquidity" => AmmAddLiquidity(fructus_amm::msg::AddLiquidity<crate::AmmExpiry>) from AmmAddLiquidity,
    "amm/remove_liquidity" => AmmRemoveLiquidity(fructus_amm::msg::RemoveLiquidity<crate::AmmExpiry>) from AmmRemoveLiquidity,
    "amm/swap_exact_in" => AmmSwapExactIn(fructus_amm::msg::SwapExactIn<crate::AmmExpiry>) from AmmSwapExactIn,
    "amm/swap_exact_out" => AmmSwapExactOut(fructus_amm::msg::SwapExactOut<crate::AmmExpiry>) from AmmSwapExactOut,
    "certificate/accredit_issuer" => CertAccreditIssuer(fructus_certificate::msg::AccreditIssuer) from CertAccreditIssuer,
    "certificate/revoke_issuer" => CertRevokeIssuer(fructus_certificate::msg::RevokeIssuer) from CertRevokeIssuer,
    "certificate/create_class" => CertCreateClass(fructus_certificate::msg::CreateClass) from CertCreateClass,
    "certificate/issue_batch" => CertIssueBatch(fructus_certificate::msg::IssueBatch) from CertIssueBatch,
    "certificate/retire" => CertRetire(fructus_certificate::msg::Retire) from CertRetire,
    "certificate/cancel" => CertCancel(fructus_certificate::msg::Cancel) from CertCancel,
    "certificate/grant_auto_issuance" => CertGrantAutoIssuance(fructus_certificate::msg::GrantAutoIssuance) from CertGrantAutoIssuance,
    "certificate/revoke_auto_issuance" => CertRevokeAutoIssuance(fructus_certificate::msg::RevokeAutoIssuance) from CertRevokeAutoIssuance,
    "certificate/bridge_in" => CertBridgeIn(fructus_certificate::msg::BridgeIn) from CertBridgeIn,
    "compute/register_provider" => ComputeRegisterProvider(fructus_compute::msg::RegisterProvider) from ComputeRegisterProvider,
    "compute/heartbeat" => ComputeHeartbeat(fructus_compute::msg::Heartbeat) from ComputeHeartbeat,
    "compute/mint_capacity" => ComputeMintCapacity(fructus_compute::msg::MintCapacity) from ComputeMintCapacity,
    "compute/burn_expired" => ComputeBurnExpired(fructus_compute::msg::BurnExpired) from ComputeBurnExpired,
    "compute/post_order" => ComputePostOrder(fructus_compute::msg::PostOrder) from ComputePostOrder,
    "compute/accept_order" => ComputeAcceptOrder(fructus_compute::msg::AcceptOrder) from ComputeAcceptOrder,
    "compute/submit_result" => ComputeSubmitResult(fructus_compute::msg::SubmitResult) from ComputeSubmitResult,
    "compute/confirm_order" => ComputeConfirmOrder(fructus_compute::msg::ConfirmOrder) from ComputeConfirmOrder,
    "compute/attest" => ComputeAttest(fructus_compute::msg::Attest) from ComputeAttest,
    "compute/challenge" => ComputeChallenge(fructus_compute::msg::Challenge) from ComputeChallenge,
    "compute/top_up_order" => ComputeTopUpOrder(fructus_compute::msg::TopUpOrder) from ComputeTopUpOrder,
    "compute/cancel_order" => ComputeCancelOrder(fructus_compute::msg::CancelOrder) from ComputeCancelOrder,
    "compute/redeem_capacity" => ComputeRedeemCapacity(fructus_compute::msg::RedeemCapacity) from ComputeRedeemCapacity,
    "compute/add_bond" => ComputeAddBond(fructus_compute::msg::AddBond) from ComputeAddBond,
    "oracle/accredit_feeder" => OracleAccreditFeeder(fructus_oracle::msg::AccreditFeeder) from OracleAccreditFeeder,
    "oracle/revoke_feeder" => OracleRevokeFeeder(fructus_oracle::msg::RevokeFeeder) from OracleRevokeFeeder,
    "oracle/submit_price" => OracleSubmitPrice(fructus_oracle::msg::SubmitPrice) from OracleSubmitPrice,
    "credit/accredit_agency" => CreditAccreditAgency(fructus_credit::msg::AccreditAgency) from CreditAccreditAgency,
    "credit/revoke_agency" => CreditRevokeAgency(fructus_credit::msg::RevokeAgency) from CreditRevokeAgency,
    "credit/rate" => CreditRate(fructus_credit::msg::Rate) from CreditRate,
    "credit/revoke_rating" => CreditRevokeRating(fructus_credit::msg::RevokeRating) from CreditRevokeRating,
    "credit/open_vault" => CreditOpenVault(fructus_credit::msg::OpenVault) from CreditOpenVault,
    "credit/deposit" => CreditDeposit(fructus_credit::msg::Deposit) from CreditDeposit,
    "credit/withdraw" => CreditWithdraw(fructus_credit::msg::Withdraw) from CreditWithdraw,
    "credit/mint" => CreditMint(fructus_credit::msg::Mint) from CreditMint,
    "credit/repay" => CreditRepay(fructus_credit::msg::Repay) from CreditRepay,
    "credit/liquidate" => CreditLiquidate(fructus_credit::msg::Liquidate) from CreditLiquidate,
    "credit/bid" => CreditBid(fructus_credit::msg::Bid) from CreditBid,
    "credit/claim_income" => CreditClaimIncome(fructus_credit::msg::ClaimIncome) from CreditClaimIncome,
    "credit/cover_bad_debt" => CreditCoverBadDebt(fructus_credit::msg::CoverBadDebt) from CreditCoverBadDebt,
    "governance/submit_proposal" => GovSubmitProposal(fructus_governance::msg::SubmitProposal<crate::params::AppParams>) from GovSubmitProposal,
    "governance/deposit" => GovDeposit(fructus_governance::msg::Deposit) from GovDeposit,
    "governance/vote" => GovVote(fructus_governance::msg::Vote) from GovVote,
    "lending/supply" => LendSupply(fructus_lending::msg::Supply) from LendSupply,
    "lending/redeem" => LendRedeem(fructus_lending::msg::Redeem) from LendRedeem,
    "lending/pledge" => LendPledge(fructus_lending::msg::Pledge) from LendPledge,
    "lending/unpledge" => LendUnpledge(fructus_lending::msg::Unpledge) from LendUnpledge,
    "lending/borrow" => LendBorrow(fructus_lending::msg::Borrow) from LendBorrow,
    "lending/repay" => LendRepay(fructus_lending::msg::Repay) from LendRepay,
    "lending/liquidate" => LendLiquidate(fructus_lending::msg::Liquidate) from LendLiquidate,
    "lending/sweep_reserves" => LendSweepReserves(fructus_lending::msg::SweepReserves) from LendSweepReserves,
    "lending/offer_nft_loan" => LendOfferNftLoan(fructus_lending::msg::OfferNftLoan) from LendOfferNftLoan,
    "lending/cancel_nft_offer" => LendCancelNftOffer(fructus_lending::msg::CancelNftOffer) from LendCancelNftOffer,
    "lending/accept_nft_loan" => LendAcceptNftLoan(fructus_lending::msg::AcceptNftLoan) from LendAcceptNftLoan,
    "lending/repay_nft_loan" => LendRepayNftLoan(fructus_lending::msg::RepayNftLoan) from LendRepayNftLoan,
    "lending/claim_nft" => LendClaimNft(fructus_lending::msg::ClaimNft) from LendClaimNft,
    "lending/claim_nft_loan_income" => LendClaimNftLoanIncome(fructus_lending::msg::ClaimNftLoanIncome) from LendClaimNftLoanIncome,
}
