//! Which path and method mean which operation. Both path styles of spec §1.2: account-scoped
//! (`/api/accounts/{id}/…`, primary) and account-less (`/api/api_tokens…`, resolved to the caller's account).

/// `account` is `None` on the account-less paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Accounts,
    Tokens {
        account: Option<i64>,
    },
    Token {
        account: Option<i64>,
        id: i64,
    },
    TokenReset {
        account: Option<i64>,
        id: i64,
    },
    Accesses {
        account: Option<i64>,
    },
    Access {
        account: Option<i64>,
        access_id: i64,
    },
    AccessBulk {
        account: Option<i64>,
        access_id: i64,
    },
    Resources {
        account: Option<i64>,
    },
    /// OAS account-management: `/api/organizations/{organization_id}/sub_accounts`.
    SubAccounts {
        organization: i64,
    },
}

impl Route {
    /// The route of a path (no query string), or `None` for 404. Ids that are not i64 are 404 too.
    pub fn parse(path: &str) -> Option<Route> {
        let trimmed = path.strip_suffix('/').unwrap_or(path);
        let segments: Vec<&str> = trimmed.split('/').collect();
        let rest = match segments.as_slice() {
            ["", "api", rest @ ..] => rest,
            _ => return None,
        };
        let (account, rest) = match rest {
            ["accounts"] => return Some(Route::Accounts),
            ["organizations", id, "sub_accounts"] => {
                return Some(Route::SubAccounts {
                    organization: parse_id(id)?,
                });
            }
            ["accounts", id, rest @ ..] if !rest.is_empty() => (Some(parse_id(id)?), rest),
            rest => (None, rest),
        };
        Some(match rest {
            ["api_tokens"] => Route::Tokens { account },
            ["api_tokens", id] => Route::Token {
                account,
                id: parse_id(id)?,
            },
            ["api_tokens", id, "reset"] => Route::TokenReset {
                account,
                id: parse_id(id)?,
            },
            ["account_accesses"] => Route::Accesses { account },
            ["account_accesses", id] => Route::Access {
                account,
                access_id: parse_id(id)?,
            },
            ["account_accesses", id, "permissions", "bulk"] => Route::AccessBulk {
                account,
                access_id: parse_id(id)?,
            },
            ["permissions", "resources"] => Route::Resources { account },
            _ => return None,
        })
    }

    /// Whether the route works inside one account (the path's, or the caller's home).
    pub fn is_account_scoped(self) -> bool {
        !matches!(self, Route::Accounts | Route::SubAccounts { .. })
    }

    pub fn allowed_methods(self) -> &'static [&'static str] {
        match self {
            Route::Accounts | Route::Accesses { .. } | Route::Resources { .. } => &["GET"],
            Route::Tokens { .. } | Route::SubAccounts { .. } => &["GET", "POST"],
            Route::Token { .. } => &["GET", "DELETE"],
            Route::TokenReset { .. } => &["POST"],
            Route::Access { .. } => &["DELETE"],
            Route::AccessBulk { .. } => &["PUT"],
        }
    }

    /// The account a path names; `None` on the account-less paths and the two that are about no account.
    pub fn account(self) -> Option<i64> {
        match self {
            Route::Accounts | Route::SubAccounts { .. } => None,
            Route::Tokens { account }
            | Route::Token { account, .. }
            | Route::TokenReset { account, .. }
            | Route::Accesses { account }
            | Route::Access { account, .. }
            | Route::AccessBulk { account, .. }
            | Route::Resources { account } => account,
        }
    }
}

fn parse_id(segment: &str) -> Option<i64> {
    // Production ids are plain decimal; "+5", " 5" or "0x5" are not routes.
    if segment.is_empty() || !segment.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    segment.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_path_styles() {
        assert_eq!(
            Route::parse("/api/accounts/7/api_tokens/9/reset"),
            Some(Route::TokenReset {
                account: Some(7),
                id: 9
            })
        );
        assert_eq!(
            Route::parse("/api/api_tokens/9"),
            Some(Route::Token {
                account: None,
                id: 9
            })
        );
        assert_eq!(
            Route::parse("/api/permissions/resources"),
            Some(Route::Resources { account: None })
        );
        assert_eq!(Route::parse("/api/accounts"), Some(Route::Accounts));
        assert_eq!(Route::parse("/api/accounts/"), Some(Route::Accounts));
        assert_eq!(
            Route::parse("/api/organizations/88100/sub_accounts"),
            Some(Route::SubAccounts {
                organization: 88100
            })
        );
        assert_eq!(Route::parse("/api/organizations/x/sub_accounts"), None);
        assert_eq!(Route::parse("/api/organizations/88100"), None);
    }

    #[test]
    fn hostile_ids_are_not_found() {
        assert_eq!(Route::parse("/api/api_tokens/99999999999999999999"), None);
        assert_eq!(Route::parse("/api/api_tokens/abc"), None);
        assert_eq!(Route::parse("/api/api_tokens/+5"), None);
        assert_eq!(
            Route::parse(&format!("/api/api_tokens/{}", i64::MAX)),
            Some(Route::Token {
                account: None,
                id: i64::MAX
            })
        );
        assert_eq!(Route::parse("/api/accounts/x/api_tokens"), None);
        assert_eq!(Route::parse("/elsewhere"), None);
    }
}
