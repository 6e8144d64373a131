//! The overlays: the dialog on top of the table (at most one, and it takes keys first), the secrets and
//! notices queued behind it, the dialog waiting for the resource tree, and whether the dialog on top has
//! been seen (a key from the terminal answers only a dialog that was on a drawn frame).

use std::collections::VecDeque;

use crate::api::TokenId;

use super::super::dialogs::bulk_permission::BulkPermissionDialog;
use super::super::dialogs::bulk_preview::BulkPreview;
use super::super::dialogs::bulk_run::BulkRunDialog;
use super::super::dialogs::{
    AccountsDialog, ActionMenu, ConfirmDialog, CopyAlternatives, DriftDialog,
    EditPermissionsDialog, HelpDialog, Hints, NoticeDialog, PlacesDialog, QuitDialog, SecretDialog,
    TokenForm,
};
use crate::keys::keymap::Keymap;

/// What sits on top of the table and takes keys first; at most one at a time.
#[derive(Debug)]
pub enum Overlay {
    Help(HelpDialog),
    /// The row's action menu (Enter or `.`).
    Menu {
        token: TokenId,
        menu: ActionMenu,
    },
    /// Reset or delete, waiting for "confirmed"; closed as soon as it is confirmed.
    Confirm(Box<ConfirmDialog>),
    /// New token or clone; stays open while its create request runs, so a 422 can go back into it.
    Form(Box<TokenForm>),
    /// Edit permissions; stays open while the save runs.
    EditPermissions {
        token: TokenId,
        dialog: Box<EditPermissionsDialog>,
    },
    /// A new secret, shown once.
    Secret(Box<SecretDialog>),
    /// Copy on a token whose secret this console does not hold.
    CopyAlternatives(CopyAlternatives),
    /// `q` or Ctrl-C while a new secret would be lost.
    QuitConfirm(QuitDialog),
    /// Something the operator must read (a change whose answer was lost): stays until acknowledged.
    Notice(NoticeDialog),
    /// Where a token is used (its places and their ticks).
    Places(PlacesDialog),
    /// The permission a bulk edit adds or removes.
    BulkPermission(Box<BulkPermissionDialog>),
    /// What a bulk action will do to each marked token, waiting for "confirmed".
    BulkPreview(Box<BulkPreview>),
    /// A bulk action running, then its results and new secrets.
    BulkRun(BulkRunDialog),
    /// What changed elsewhere since the last look (`w`); closing it dismisses the banner.
    Drift(DriftDialog),
    /// The accounts the token sees (`A`): narrow the table to one, or show them all.
    Accounts(AccountsDialog),
}

impl Overlay {
    /// The keys of the dialog, for the hint bar.
    pub fn hints(&self, keymap: &Keymap) -> Hints {
        match self {
            Overlay::Help(help) => help.hints(keymap),
            Overlay::Menu { menu, .. } => menu.hints(),
            Overlay::Confirm(dialog) => dialog.hints(),
            Overlay::Form(form) => form.hints(),
            Overlay::EditPermissions { dialog, .. } => dialog.hints(),
            Overlay::Secret(dialog) => dialog.hints(),
            Overlay::CopyAlternatives(dialog) => dialog.hints(),
            Overlay::QuitConfirm(question) => question.hints(),
            Overlay::Notice(notice) => notice.hints(),
            Overlay::Places(dialog) => dialog.hints(),
            Overlay::BulkPermission(dialog) => dialog.hints(),
            Overlay::BulkPreview(dialog) => dialog.hints(),
            Overlay::BulkRun(dialog) => dialog.hints(),
            Overlay::Drift(dialog) => dialog.hints(keymap),
            Overlay::Accounts(dialog) => dialog.hints(),
        }
    }
}

/// A dialog waiting for the resource tree before it can open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitingForTree {
    NewToken,
    Clone(TokenId),
    EditPermissions(TokenId),
    /// The permission picker of a bulk edit.
    BulkPermission,
}

/// Which question an overlay is asking: when it changes, the overlay must be drawn again before a key
/// from the terminal may answer it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverlayFace {
    kind: u8,
    step: u8,
    token: Option<TokenId>,
}

#[derive(Debug)]
pub struct Overlays {
    /// The dialog on top; `None` shows the table alone.
    pub open: Option<Overlay>,
    /// New secrets that arrived while another dialog was open; shown when it closes.
    pub queued_secrets: VecDeque<Box<SecretDialog>>,
    /// Notices that wait for the dialog in front to close.
    pub queued_notices: VecDeque<NoticeDialog>,
    pub waiting_for_tree: Option<WaitingForTree>,
    /// The open overlay, as it now asks, has been on screen: only then may a terminal key answer it.
    pub drawn: bool,
    /// The secret dialog whose copy or save is under way: only it takes the answer.
    pub copy_for: Option<TokenId>,
    pub save_for: Option<TokenId>,
    /// The account the open form's create goes to, fixed when the form opened.
    pub create_in: Option<crate::api::AccountId>,
}

impl Default for Overlays {
    fn default() -> Self {
        Self {
            open: None,
            queued_secrets: VecDeque::new(),
            queued_notices: VecDeque::new(),
            waiting_for_tree: None,
            drawn: true,
            copy_for: None,
            save_for: None,
            create_in: None,
        }
    }
}

impl Overlays {
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// What the open overlay is asking now (`None` without one).
    pub fn face(&self) -> Option<OverlayFace> {
        let face = |kind, step, token| OverlayFace { kind, step, token };
        Some(match self.open.as_ref()? {
            Overlay::Help { .. } => face(0, 0, None),
            Overlay::Menu { token, .. } => face(1, 0, Some(*token)),
            Overlay::Confirm(d) => face(2, 0, Some(d.action().target().token_id)),
            Overlay::Form(f) => face(3, f.step() as u8, None),
            Overlay::EditPermissions { token, dialog } => {
                face(4, dialog.step() as u8, Some(*token))
            }
            Overlay::Secret(d) => face(5, d.question(), Some(d.token_id())),
            Overlay::CopyAlternatives(_) => face(6, 0, None),
            Overlay::QuitConfirm { .. } => face(7, 0, None),
            Overlay::Notice { .. } => face(8, 0, None),
            Overlay::Places(d) => face(9, u8::from(d.takes_text()), Some(d.token())),
            Overlay::BulkPermission(_) => face(10, 0, None),
            Overlay::BulkPreview(d) => face(11, u8::from(d.showing_requests()), None),
            Overlay::BulkRun(d) => face(12, d.question(), None),
            Overlay::Drift(_) => face(13, 0, None),
            Overlay::Accounts(_) => face(14, 0, None),
        })
    }

    /// The open dialog has a text field with focus, where a plain character is text and answers nothing.
    pub fn takes_text(&self) -> bool {
        match &self.open {
            Some(Overlay::Form(f)) => f.step() == super::super::dialogs::token_form::Step::Name,
            Some(Overlay::Confirm(d)) => d.typing_name(),
            Some(Overlay::EditPermissions { dialog, .. }) => dialog.typing_name(),
            Some(Overlay::Places(dialog)) => dialog.takes_text(),
            Some(Overlay::BulkPreview(dialog)) => dialog.typing(),
            _ => false,
        }
    }

    /// The secret dialogs this console holds: the open one, then the queued ones.
    fn secret_dialogs(&self) -> impl Iterator<Item = &SecretDialog> {
        let open = match &self.open {
            Some(Overlay::Secret(d)) => Some(d.as_ref()),
            _ => None,
        };
        open.into_iter()
            .chain(self.queued_secrets.iter().map(|d| d.as_ref()))
    }

    /// Every new secret this console still holds that nothing else keeps (not saved to a file): what a
    /// signal or a lost terminal must not take with it.
    pub fn secrets_in_custody(&self) -> Vec<crate::custody::Rescue<'_>> {
        self.secret_dialogs()
            .filter_map(SecretDialog::custody)
            .collect()
    }

    /// The secret dialog of this new token, open or queued.
    pub fn secret_dialog_mut(&mut self, token: TokenId) -> Option<&mut SecretDialog> {
        let open = match &mut self.open {
            Some(Overlay::Secret(d)) if d.token_id() == token => return Some(d.as_mut()),
            _ => None,
        };
        open.or_else(|| {
            self.queued_secrets
                .iter_mut()
                .find(|d| d.token_id() == token)
                .map(|d| d.as_mut())
        })
    }

    /// Whether this console holds the secret of the token (a secret dialog for it is open or queued).
    pub fn holds_secret(&self, id: TokenId) -> bool {
        self.secret_dialogs().any(|d| d.token_id() == id)
    }

    /// Secrets shown but neither copied nor saved.
    pub fn unacknowledged_secrets(&self) -> usize {
        self.secret_dialogs()
            .filter(|d| d.has_unacknowledged_secret())
            .count()
    }

    /// Shows a new secret now, or after the dialog in front (a form being typed in is never thrown away).
    pub fn show_secret(&mut self, dialog: SecretDialog) {
        let dialog = Box::new(dialog);
        match &self.open {
            None
            | Some(
                Overlay::Help { .. }
                | Overlay::Menu { .. }
                | Overlay::CopyAlternatives(_)
                | Overlay::QuitConfirm { .. },
            ) => self.open = Some(Overlay::Secret(dialog)),
            Some(_) => self.queued_secrets.push_back(dialog),
        }
    }

    /// Closes the overlay; a queued secret, else a queued notice, takes its place.
    pub fn close(&mut self) {
        self.open = self
            .queued_secrets
            .pop_front()
            .map(Overlay::Secret)
            .or_else(|| self.queued_notices.pop_front().map(Overlay::Notice));
    }

    /// Opens a notice that stays until read; behind a dialog being worked in (a form, a question, a
    /// secret) it waits until that one closes, so nothing being typed is thrown away.
    pub fn open_notice(&mut self, title: &str, paragraphs: Vec<String>) {
        let mut notice = NoticeDialog::new(title, paragraphs);
        match &mut self.open {
            None
            | Some(Overlay::Help { .. } | Overlay::Menu { .. } | Overlay::CopyAlternatives(_)) => {
                self.open = Some(Overlay::Notice(notice));
            }
            Some(Overlay::Notice(open)) => open.lines.append(&mut notice.lines),
            // Never over a dialog being worked in: it waits its turn.
            Some(_) => self.queued_notices.push_back(notice),
        }
    }

    /// Whether a notice is open or waiting.
    pub fn notice_pending(&self) -> bool {
        matches!(self.open, Some(Overlay::Notice { .. })) || !self.queued_notices.is_empty()
    }
}
