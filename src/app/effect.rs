//! What `update` asks the outside world to do. `executor.rs` runs the requests; the loop in `run.rs` handles
//! the terminal ones (suspend, quit).

use crate::api::AccountId;

use super::msg::RequestId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `GET /api/accounts`, then pick `wanted` (or the only one); answered by `Msg::AccountResolved`.
    ResolveAccount {
        req: RequestId,
        wanted: Option<AccountId>,
    },
    /// Answered by `Msg::TokensLoaded`.
    LoadTokens {
        req: RequestId,
        account: AccountId,
    },
    /// Answered by `Msg::ResourceTreeLoaded`.
    LoadResourceTree {
        req: RequestId,
        account: AccountId,
    },
    /// Ctrl-Z: give the terminal back to the shell until resumed.
    Suspend,
    Quit,
}
