//! Read-only queries under `GET /v1/gov/…`: [`GovernanceQuery`] is parsed
//! and validated from the URL before any state is read and answered with
//! typed responses; each route is answered by one function below whose
//! `#[utoipa::path]` is its entry in `/openapi.json`. The CLI's
//! `query gov …` asks the same paths.

use fructus_bank::BankStateReadExt;
use fructus_component::{
    ErrorCode,
    query::{
        Page, Query, QueryAt, QueryError, QueryParams, id, limit, respond, start_after_address,
        start_after_id,
    },
    schema::CoinSchema,
};
use fructus_staking::community_pool;
use fructus_storage::StateRead;
use fructus_types::Address;

use crate::{
    GovernanceError, GovernanceParams, GovernanceStateReadExt, Proposal, Tally, UpgradePlan,
    VoteOption, tally::count,
};

const MODULE: &str = "governance";

/// A request to governance, parsed from `/v1/gov/…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GovernanceQuery {
    /// `gov/params`.
    Params,
    /// `gov/proposals?start_after=&limit=`: proposals in id order.
    Proposals {
        /// Start after this id.
        start_after: Option<u64>,
        /// Page size.
        limit: usize,
    },
    /// `gov/proposals/{id}`: one proposal with its dry run, tally and
    /// execution.
    Proposal {
        /// The proposal.
        id: u64,
    },
    /// `gov/proposals/{id}/votes?start_after=&limit=`.
    Votes {
        /// The proposal.
        id: u64,
        /// Start after this voter.
        start_after: Option<Address>,
        /// Page size.
        limit: usize,
    },
    /// `gov/proposals/{id}/tally`: the votes counted on the current state.
    Tally {
        /// The proposal.
        id: u64,
    },
    /// `gov/community-pool`: its account and balances.
    CommunityPool,
    /// `gov/upgrade-plan`: the planned halt, if any.
    UpgradePlan,
}

/// A page of proposals.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ProposalsPage {
    /// The proposals (see `GET /v1/gov/proposals/{id}`).
    pub proposals: Vec<Proposal>,
    /// Pass as `start_after` for the next page; `None` on the last.
    pub next: Option<u64>,
}

/// One vote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct VoteView {
    /// The voter.
    #[schema(value_type = String)]
    pub voter: Address,
    /// yes, no, abstain or no_with_veto.
    pub option: VoteOption,
}

/// A page of votes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct VotesPage {
    /// The votes, in voter order.
    pub votes: Vec<VoteView>,
    /// Pass as `start_after` for the next page.
    #[schema(value_type = Option<String>)]
    pub next: Option<Address>,
}

/// The community pool.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CommunityPoolView {
    /// Its module account.
    #[schema(value_type = String)]
    pub address: Address,
    /// What it holds.
    #[schema(value_type = Vec<CoinSchema>)]
    pub balances: Vec<fructus_types::Coin>,
}

/// The planned upgrade.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct UpgradePlanView {
    /// The plan, or `None`.
    pub plan: Option<UpgradePlan>,
}

/// The answer to a [`GovernanceQuery`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum GovernanceResponse {
    /// To [`GovernanceQuery::Params`].
    Params(GovernanceParams),
    /// To [`GovernanceQuery::Proposals`].
    Proposals(ProposalsPage),
    /// To [`GovernanceQuery::Proposal`].
    Proposal(Box<Proposal>),
    /// To [`GovernanceQuery::Votes`].
    Votes(VotesPage),
    /// To [`GovernanceQuery::Tally`].
    Tally(Tally),
    /// To [`GovernanceQuery::CommunityPool`].
    CommunityPool(CommunityPoolView),
    /// To [`GovernanceQuery::UpgradePlan`].
    UpgradePlan(UpgradePlanView),
}

impl Query for GovernanceQuery {
    const MODULE: &'static str = MODULE;
    const PREFIXES: &'static [&'static str] = &["gov"];

    fn parse(path: &[&str], params: &QueryParams) -> Result<Self, QueryError> {
        Ok(match path {
            ["gov", "params"] => GovernanceQuery::Params,
            ["gov", "proposals"] => GovernanceQuery::Proposals {
                start_after: start_after_id(params)?,
                limit: limit(params)?,
            },
            ["gov", "proposals", p] => GovernanceQuery::Proposal {
                id: id(p, "proposal id")?,
            },
            ["gov", "proposals", p, "votes"] => GovernanceQuery::Votes {
                id: id(p, "proposal id")?,
                start_after: start_after_address(params)?,
                limit: limit(params)?,
            },
            ["gov", "proposals", p, "tally"] => GovernanceQuery::Tally {
                id: id(p, "proposal id")?,
            },
            ["gov", "community-pool"] => GovernanceQuery::CommunityPool,
            ["gov", "upgrade-plan"] => GovernanceQuery::UpgradePlan,
            _ => {
                return Err(QueryError::NoRoute {
                    module: MODULE,
                    path: path.join("/"),
                });
            }
        })
    }

    fn answer<S: StateRead + ?Sized>(
        self,
        state: &S,
        _at: QueryAt,
    ) -> Result<serde_json::Value, QueryError> {
        let response = self.answer_typed(state).map_err(query_error)?;
        respond(MODULE, &response)
    }

    fn openapi() -> utoipa::openapi::OpenApi {
        use utoipa::OpenApi as _;
        GovernanceApi::openapi()
    }
}

impl GovernanceQuery {
    /// Answers from `state`.
    pub fn answer_typed<S: StateRead + ?Sized>(
        &self,
        state: &S,
    ) -> Result<GovernanceResponse, GovernanceError> {
        Ok(match self {
            GovernanceQuery::Params => GovernanceResponse::Params(params(state)?),
            GovernanceQuery::Proposals { start_after, limit } => {
                GovernanceResponse::Proposals(proposals(state, *start_after, *limit)?)
            }
            GovernanceQuery::Proposal { id } => {
                GovernanceResponse::Proposal(Box::new(proposal(state, *id)?))
            }
            GovernanceQuery::Votes {
                id,
                start_after,
                limit,
            } => GovernanceResponse::Votes(votes(state, *id, start_after.as_ref(), *limit)?),
            GovernanceQuery::Tally { id } => GovernanceResponse::Tally(tally(state, *id)?),
            GovernanceQuery::CommunityPool => {
                GovernanceResponse::CommunityPool(community_pool_view(state)?)
            }
            GovernanceQuery::UpgradePlan => GovernanceResponse::UpgradePlan(upgrade_plan(state)?),
        })
    }
}

/// Governance's routes in `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        params,
        proposals,
        proposal,
        votes,
        tally,
        community_pool_view,
        upgrade_plan
    ),
    components(schemas(
        ProposalsPage,
        VotesPage,
        VoteView,
        CommunityPoolView,
        UpgradePlanView,
        UpgradePlan,
        GovernanceParams,
        Proposal,
        Tally,
        crate::Content,
        crate::Execution,
        crate::ExecutionError,
        crate::ProposalStatus,
        VoteOption,
        fructus_component::Event,
        fructus_component::EventAttribute,
        fructus_component::schema::CoinSchema
    ))
)]
struct GovernanceApi;

fn query_error(e: GovernanceError) -> QueryError {
    if e.is_internal() {
        return QueryError::state(MODULE, e);
    }
    match e {
        GovernanceError::ProposalNotFound { id } => QueryError::NotFound {
            what: format!("proposal {id}: list proposals with GET /v1/gov/proposals"),
        },
        other => QueryError::Refused {
            module: MODULE,
            code: other.code(),
            message: other.to_string(),
        },
    }
}

/// Governance's params.
#[utoipa::path(get, path = "/v1/gov/params", tag = "governance",
    responses((status = 200, description = "The params", body = GovernanceParams)))]
pub fn params<S: StateRead + ?Sized>(state: &S) -> Result<GovernanceParams, GovernanceError> {
    state.governance_params()
}

/// Proposals in id order.
#[utoipa::path(get, path = "/v1/gov/proposals", tag = "governance",
    params(Page),
    responses((status = 200, description = "A page of proposals", body = ProposalsPage)))]
pub fn proposals<S: StateRead + ?Sized>(
    state: &S,
    start_after: Option<u64>,
    limit: usize,
) -> Result<ProposalsPage, GovernanceError> {
    let proposals = state.proposals(start_after, limit)?;
    let next = (proposals.len() == limit)
        .then(|| proposals.last().map(|p| p.id))
        .flatten();
    Ok(ProposalsPage { proposals, next })
}

/// One proposal: content, status, deposits, the dry run at submission,
/// the final tally and the execution's result and events.
#[utoipa::path(get, path = "/v1/gov/proposals/{id}", tag = "governance",
    params(("id" = u64, Path, description = "Proposal id")),
    responses((status = 200, description = "The proposal", body = Proposal)))]
pub fn proposal<S: StateRead + ?Sized>(state: &S, id: u64) -> Result<Proposal, GovernanceError> {
    state.require_proposal(id)
}

/// A proposal's votes in voter order.
#[utoipa::path(get, path = "/v1/gov/proposals/{id}/votes", tag = "governance",
    params(("id" = u64, Path, description = "Proposal id"), Page),
    responses((status = 200, description = "A page of votes", body = VotesPage)))]
pub fn votes<S: StateRead + ?Sized>(
    state: &S,
    id: u64,
    start_after: Option<&Address>,
    limit: usize,
) -> Result<VotesPage, GovernanceError> {
    state.require_proposal(id)?;
    let votes: Vec<VoteView> = state
        .votes(id, start_after, limit)?
        .into_iter()
        .map(|(voter, option)| VoteView { voter, option })
        .collect();
    let next = (votes.len() == limit)
        .then(|| votes.last().map(|v| v.voter))
        .flatten();
    Ok(VotesPage { votes, next })
}

/// The votes of a proposal counted on the current state (the final tally
/// is on the proposal once voting ends).
#[utoipa::path(get, path = "/v1/gov/proposals/{id}/tally", tag = "governance",
    params(("id" = u64, Path, description = "Proposal id")),
    responses((status = 200, description = "The tally", body = Tally)))]
pub fn tally<S: StateRead + ?Sized>(state: &S, id: u64) -> Result<Tally, GovernanceError> {
    state.require_proposal(id)?;
    count(state, id)
}

/// The community pool's account and balances.
#[utoipa::path(get, path = "/v1/gov/community-pool", tag = "governance",
    responses((status = 200, description = "The pool", body = CommunityPoolView)))]
pub fn community_pool_view<S: StateRead + ?Sized>(
    state: &S,
) -> Result<CommunityPoolView, GovernanceError> {
    let address = community_pool();
    Ok(CommunityPoolView {
        address,
        balances: state.balances(&address)?,
    })
}

/// The planned upgrade halt, if any.
#[utoipa::path(get, path = "/v1/gov/upgrade-plan", tag = "governance",
    responses((status = 200, description = "The plan", body = UpgradePlanView)))]
pub fn upgrade_plan<S: StateRead + ?Sized>(state: &S) -> Result<UpgradePlanView, GovernanceError> {
    Ok(UpgradePlanView {
        plan: state.upgrade_plan()?,
    })
}
