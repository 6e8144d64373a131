//! How the scriptable commands print: aligned tables for people, JSON with the API's field names and CSV
//! with a header row for scripts. Text from the server is sanitized before it is printed; JSON escapes
//! every invisible or control character so the data stays exact but cannot drive a terminal.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::api::{AccessLevel, Account, AccountId, ApiToken, OpaqueResource, Resource};
use crate::text::sanitize;

/// Names longer than this are cut in the table (json and csv keep them whole).
const NAME_COLUMNS: usize = 48;

/// Left-aligned columns separated by two spaces, padded by display width (CJK and emoji count double).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.width());
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i].saturating_sub(cell.width()) + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Cuts text to at most `max` display columns on a grapheme boundary, ending in `…` when cut.
pub fn fit(text: &str, max: usize) -> String {
    crate::text::truncate_to_width(text, max)
}

/// A span of time in its two largest units: `23d 4h`, `11h 59m`, `5m`, `<1m`.
pub fn span(d: TimeDelta) -> String {
    let minutes = d.num_minutes().abs();
    let (days, hours, mins) = (minutes / 1440, (minutes / 60) % 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, 0) => "<1m".into(),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, _, _) if d >= 365 => format!("{}y {}d", d / 365, d % 365),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// `never`, `2027-06-01 00:00 UTC (in 23d 4h)` or `2026-05-01 12:00 UTC (expired 2h 5m ago)`.
pub fn expiry(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match expires_at {
        None => "never".into(),
        Some(t) if t > now => format!("{} (in {})", timestamp(t), span(t - now)),
        Some(t) => format!("{} (expired {} ago)", timestamp(t), span(now - t)),
    }
}

fn level_text(level: AccessLevel) -> String {
    level
        .name()
        .map_or_else(|| level.0.to_string(), str::to_string)
}

/// One permission as `--permission` takes it: `account:1719941:admin`.
pub fn permission(r: &Resource) -> String {
    format!(
        "{}:{}:{}",
        sanitize(r.resource_type.as_str()),
        r.resource_id,
        level_text(r.access_level)
    )
}

/// A permission kept as the server sent it, in the same `type:id:level` form.
pub fn opaque_permission(r: &OpaqueResource) -> String {
    format!(
        "{}:{}:{}",
        sanitize(r.resource_type.as_str()),
        sanitize(&r.resource_id.to_string()),
        sanitize(&r.access_level.to_string())
    )
}

/// Every permission of a token as `type:id:level`, the ones kept as sent last.
fn permissions(token: &ApiToken) -> impl Iterator<Item = String> + '_ {
    token
        .resources
        .iter()
        .map(permission)
        .chain(token.opaque_resources.iter().map(opaque_permission))
}

/// The table's access column, the opaque permissions counted after the readable ones.
fn token_access(token: &ApiToken) -> String {
    match (token.resources.is_empty(), &*token.opaque_resources) {
        (_, []) => access_summary(&token.resources),
        (true, [one]) => opaque_permission(one),
        (true, many) => format!("{} permissions as sent", many.len()),
        (false, odd) => format!(
            "{} +{} as sent",
            access_summary(&token.resources),
            odd.len()
        ),
    }
}

/// The table's access column: `Account 1719941 admin`, or the highest of several with a count.
pub fn access_summary(resources: &[Resource]) -> String {
    let describe = |r: &Resource| {
        let kind = match r.resource_type.kind() {
            crate::api::ResourceKind::Other => sanitize(r.resource_type.as_str()),
            kind => kind.label().to_string(),
        };
        format!("{kind} {} {}", r.resource_id, r.access_level)
    };
    let mut sorted: Vec<&Resource> = resources.iter().collect();
    // The widest grant first: highest level, then the broadest kind (account before domain).
    sorted.sort_by_key(|r| (std::cmp::Reverse(r.access_level), r.resource_type.kind()));
    match sorted.as_slice() {
        [] => "none".into(),
        [one] => describe(one),
        [first, rest @ ..] => format!("{} +{} more", describe(first), rest.len()),
    }
}

pub fn last4(token: &ApiToken) -> String {
    if token.last_4_digits.is_empty() {
        String::new()
    } else {
        format!("…{}", sanitize(&token.last_4_digits))
    }
}

pub const TOKENS_TABLE_HEADER: [&str; 6] =
    ["ID", "NAME", "CREATED BY", "ACCESS", "EXPIRES", "LAST 4"];

/// One row of [`tokens_table`].
pub fn tokens_table_row(t: &ApiToken, now: DateTime<Utc>) -> Vec<String> {
    vec![
        t.id.to_string(),
        fit(&sanitize(&t.name), NAME_COLUMNS),
        fit(&sanitize(&t.created_by), NAME_COLUMNS / 2),
        token_access(t),
        expiry(t.expires_at, now),
        last4(t),
    ]
}

pub fn tokens_table(tokens: &[ApiToken], now: DateTime<Utc>) -> String {
    let rows: Vec<Vec<String>> = tokens.iter().map(|t| tokens_table_row(t, now)).collect();
    table(&TOKENS_TABLE_HEADER, &rows)
}

/// The Account cell of a table over several accounts: the name, then the id.
pub fn account_cell(id: AccountId, name: &str) -> String {
    format!("{} #{id}", fit(&sanitize(name), NAME_COLUMNS / 2))
}

/// `get`: one token, every field on its own line and every permission listed.
pub fn token_detail(token: &ApiToken, now: DateTime<Utc>) -> String {
    let mut rows = vec![
        vec!["id".into(), token.id.to_string()],
        vec!["name".into(), sanitize(&token.name)],
        vec!["created by".into(), sanitize(&token.created_by)],
        vec!["expires".into(), expiry(token.expires_at, now)],
        vec!["last 4".into(), last4(token)],
    ];
    if token.resources.is_empty() && token.opaque_resources.is_empty() {
        rows.push(vec!["access".into(), "none".into()]);
    }
    for (i, p) in permissions(token).enumerate() {
        let label = if i == 0 { "access" } else { "" };
        rows.push(vec![label.into(), p]);
    }
    // The detail view has no header row: drop the table's first (empty) line.
    let text = table(&["", ""], &rows);
    text.lines().skip(1).map(|l| format!("{l}\n")).collect()
}

/// One line of `accounts`: what `GET /api/accounts` says of an account (or nothing, for a sub-account
/// the token does not see), its access in words, and its organization when that is known.
#[derive(Clone, Debug, Serialize)]
pub struct AccountRow {
    pub id: AccountId,
    pub name: String,
    pub access_levels: Vec<AccessLevel>,
    /// owner, admin, viewer+, viewer, partial (1), or none (no level: seen through the organization only,
    /// or not seen at all).
    pub access: String,
    pub organization_id: Option<i64>,
}

impl AccountRow {
    pub fn new(account: &Account, organization_id: Option<i64>) -> Self {
        let access = account
            .access_levels
            .iter()
            .max()
            .map_or_else(|| "none".to_string(), |l| l.to_string());
        Self {
            id: account.id,
            name: account.name.clone(),
            access_levels: account.access_levels.clone(),
            access,
            organization_id,
        }
    }
}

pub fn accounts_table(accounts: &[AccountRow]) -> String {
    let rows: Vec<Vec<String>> = accounts
        .iter()
        .map(|a| {
            vec![
                a.id.to_string(),
                sanitize(&a.name),
                a.access.clone(),
                a.organization_id
                    .map_or_else(String::new, |o| o.to_string()),
            ]
        })
        .collect();
    table(&["ID", "NAME", "ACCESS", "ORGANIZATION"], &rows)
}

/// A spreadsheet reads a cell that starts with one of these as a formula (OWASP, "CSV Injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell a spreadsheet will show as text: one starting like a formula gets a leading `'`, as OWASP's
/// CSV-injection guidance says, so `=HYPERLINK(…)` in a token name is never run by whoever opens the export.
pub fn csv_cell(cell: String) -> String {
    // A plain number (a negative id) is no formula: it stays a number for the spreadsheet.
    if cell.starts_with(FORMULA_STARTS) && cell.parse::<i64>().is_err() {
        format!("'{cell}")
    } else {
        cell
    }
}

fn csv_text(header: &[&str], rows: Vec<Vec<String>>) -> Result<String, csv::Error> {
    csv_rows(Some(header), rows)
}

/// CSV lines, with a header line first when `header` is given (a list over several accounts writes it once).
pub fn csv_rows(header: Option<&[&str]>, rows: Vec<Vec<String>>) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if let Some(header) = header {
        writer.write_record(header)?;
    }
    for row in rows {
        writer.write_record(row.into_iter().map(csv_cell))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub const TOKENS_CSV_HEADER: [&str; 6] = [
    "id",
    "name",
    "created_by",
    "expires_at",
    "last_4_digits",
    "resources",
];

/// One row of [`tokens_csv`].
pub fn tokens_csv_row(t: &ApiToken) -> Vec<String> {
    vec![
        t.id.to_string(),
        sanitize(&t.name),
        sanitize(&t.created_by),
        t.expires_at
            .map(|e| e.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
            .unwrap_or_default(),
        sanitize(&t.last_4_digits),
        permissions(t).collect::<Vec<_>>().join(";"),
    ]
}

/// CSV of tokens; `resources` holds every permission as `type:id:level`, separated by `;`.
pub fn tokens_csv(tokens: &[ApiToken]) -> Result<String, csv::Error> {
    csv_text(
        &TOKENS_CSV_HEADER,
        tokens.iter().map(tokens_csv_row).collect(),
    )
}

/// The header of a token CSV over several accounts: `account_id`, `account_name`, then [`tokens_csv`]'s.
pub fn tokens_csv_header_in_accounts() -> Vec<&'static str> {
    let mut header = vec!["account_id", "account_name"];
    header.extend(TOKENS_CSV_HEADER);
    header
}

/// Rows of [`tokens_csv`] for one account of several, its id and name first.
pub fn tokens_csv_rows_in(
    account: AccountId,
    name: &str,
    tokens: &[ApiToken],
    header: bool,
) -> Result<String, csv::Error> {
    let rows = tokens
        .iter()
        .map(|t| {
            let mut row = vec![account.to_string(), sanitize(name)];
            row.extend(tokens_csv_row(t));
            row
        })
        .collect();
    let head = tokens_csv_header_in_accounts();
    csv_rows(header.then_some(&head[..]), rows)
}

pub fn accounts_csv(accounts: &[AccountRow]) -> Result<String, csv::Error> {
    let rows = accounts
        .iter()
        .map(|a| {
            vec![
                a.id.to_string(),
                sanitize(&a.name),
                a.access_levels
                    .iter()
                    .map(|l| l.0.to_string())
                    .collect::<Vec<_>>()
                    .join(";"),
                a.access.clone(),
                a.organization_id
                    .map_or_else(String::new, |o| o.to_string()),
            ]
        })
        .collect();
    csv_text(
        &["id", "name", "access_levels", "access", "organization_id"],
        rows,
    )
}

/// Pretty JSON whose strings escape controls and invisible formatting characters as `\uXXXX`: a JSON
/// reader gets exactly the server's text, a terminal gets nothing it could act on.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    // Room for one token up front, and the bytes become the String without a copy: the JSON of a new
    // token holds its secret, and every copy left behind would be one more to wipe.
    let mut bytes = Vec::with_capacity(4096);
    write_json(value, &mut bytes)?;
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// [`json`] written straight to `out`: a list of 100,000 tokens never sits in memory a second time as text.
pub fn write_json<T: Serialize + ?Sized, W: std::io::Write>(
    value: &T,
    out: W,
) -> Result<(), serde_json::Error> {
    let mut serializer =
        serde_json::Serializer::with_formatter(out, TerminalSafe(Default::default()));
    value.serialize(&mut serializer)?;
    serializer
        .into_inner()
        .write_all(b"\n")
        .map_err(serde_json::Error::io)
}

/// A JSON array written an element at a time, in the same text as [`write_json`] of the whole list.
/// `fill` writes the elements; the array is closed only if it succeeds (a list that broke off does not
/// end as if it were whole). Whatever `fill` wrote reaches `out` before this returns, whether it
/// succeeded or not. The commands read their lists as they arrive and open the array themselves
/// ([`JsonElements::open`]); the tests write whole lists through this.
#[cfg(test)]
pub fn write_json_seq<W: std::io::Write, R, X>(
    mut out: W,
    fill: impl FnOnce(&mut JsonElements<'_, W>) -> Result<R, X>,
) -> Result<Result<R, X>, serde_json::Error> {
    let mut elements = JsonElements::open(&mut out).map_err(serde_json::Error::io)?;
    let filled = fill(&mut elements);
    if filled.is_ok() {
        elements.close().map_err(serde_json::Error::io)?;
    } else {
        // What was written before the failure goes out; the failure itself is the one to report (a
        // writer that failed as well made it fail, or will say so on its next write).
        let _ = elements.flush();
    }
    Ok(filled)
}

/// How many bytes of elements an open array gathers before it hands them to its writer: a few large
/// writes instead of one for every bracket, indent and run of text.
const BLOCK: usize = 1 << 16;

/// An open JSON array written an element at a time, in the same text as [`write_json`] of the whole
/// list. Its elements are made in a buffer of its own and
/// go to the writer a block at a time, and the rest when it is closed or dropped.
pub struct JsonElements<'a, W: std::io::Write> {
    out: &'a mut W,
    written: usize,
    /// Elements made and not yet written to `out`.
    buf: Vec<u8>,
}

impl<'a, W: std::io::Write> JsonElements<'a, W> {
    /// An array opened on `out`, for elements that come from several places in turn (a list over
    /// several accounts, each read after the one before); [`Self::close`] ends it.
    pub fn open(out: &'a mut W) -> std::io::Result<Self> {
        // Straight to the writer: one that has already failed says so before any element is read.
        out.write_all(b"[")?;
        Ok(Self {
            out,
            written: 0,
            buf: Vec::with_capacity(BLOCK + BLOCK / 4),
        })
    }

    /// Ends the array as the pretty formatter ends one (an empty array stays `[]`).
    pub fn close(mut self) -> std::io::Result<()> {
        let end: &[u8] = if self.written == 0 { b"]\n" } else { b"\n]\n" };
        self.buf.extend_from_slice(end);
        self.flush()
    }

    /// Hands the elements made so far to the writer (they are gone from the buffer even if it fails:
    /// never written twice).
    fn flush(&mut self) -> std::io::Result<()> {
        let written = self.out.write_all(&self.buf);
        self.buf.clear();
        written
    }

    /// One element from a typed value, as [`write_json`] would write it inside the list.
    pub fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), serde_json::Error> {
        let compact = serde_json::to_string(value)?;
        self.write(|out| sent_json_into(out, &compact, 1))
    }

    /// One token from its JSON text as the server sent it: every field and value kept, in its order,
    /// laid out and escaped as [`write_json`] would, without a secret (see [`write_sent_token`]).
    pub fn sent_token(&mut self, text: &str) -> Result<(), serde_json::Error> {
        self.write(|out| sent_token_into(out, text, 1))
    }

    /// [`Self::sent_token`] for a list over several accounts: `account_id` and `account_name` first.
    pub fn sent_token_in(
        &mut self,
        account: AccountId,
        name: &str,
        text: &str,
    ) -> Result<(), serde_json::Error> {
        self.write(|out| sent_token_in_into(out, account, name, text, 1))
    }

    /// One element made into the buffer after its separator. One that fails stays as far as it got, as
    /// it would have reached an unbuffered writer, and is not counted.
    fn write(
        &mut self,
        element: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
    ) -> Result<(), serde_json::Error> {
        if self.written == 0 {
            self.buf.extend_from_slice(b"\n  ");
        } else {
            self.buf.extend_from_slice(b",\n  ");
        }
        let made = element(&mut self.buf);
        let flushed = if self.buf.len() >= BLOCK {
            self.flush()
        } else {
            Ok(())
        };
        made.and(flushed).map_err(serde_json::Error::io)?;
        self.written += 1;
        Ok(())
    }
}

impl<W: std::io::Write> JsonElements<'_, W> {
    /// Elements [`SentTokens`] laid out on a decoder thread, written in their turn.
    pub fn laid_out(&mut self, made: &LaidOut) -> std::io::Result<()> {
        let mut bytes = made.bytes.as_slice();
        // Each was laid out after a comma; the array's first element has none.
        if self.written == 0 {
            bytes = bytes.strip_prefix(b",").unwrap_or(bytes);
        }
        if self.buf.len() + bytes.len() < BLOCK {
            self.buf.extend_from_slice(bytes);
        } else {
            self.flush()?;
            self.out.write_all(bytes)?;
        }
        self.written += made.count;
        Ok(())
    }
}

/// The list's tokens laid out as [`JsonElements::sent_token`] lays them out (or, for a list over several
/// accounts, [`JsonElements::sent_token_in`]), a batch at a time on the threads that decode them (see
/// [`crate::api::ParallelReader`]).
pub struct SentTokens {
    account: Option<(AccountId, String)>,
}

impl SentTokens {
    /// One account's list.
    pub fn plain() -> Self {
        Self { account: None }
    }

    /// A list over several accounts: each token starts with this account's id and name.
    pub fn in_account(account: AccountId, name: &str) -> Self {
        Self {
            account: Some((account, name.to_string())),
        }
    }
}

/// A batch of tokens laid out, each after its separator.
pub struct LaidOut {
    bytes: Vec<u8>,
    /// The tokens laid out whole (one that failed stays as far as it got, not counted).
    pub count: usize,
}

impl crate::api::Digest for SentTokens {
    type Made = LaidOut;
    type Error = std::io::Error;

    fn start(&self, elements: usize, bytes: usize) -> LaidOut {
        // The layout adds about half again to the text (a token's text is some 200 bytes).
        LaidOut {
            bytes: Vec::with_capacity((bytes + bytes / 2).max(elements * 320)),
            count: 0,
        }
    }

    fn clear(&self, made: &mut LaidOut) {
        made.bytes.clear();
        made.count = 0;
    }

    fn add(&self, made: &mut LaidOut, _: ApiToken, sent: &str) -> std::io::Result<()> {
        made.bytes.extend_from_slice(b",\n  ");
        match &self.account {
            Some((account, name)) => sent_token_in_into(&mut made.bytes, *account, name, sent, 1)?,
            None => sent_token_into(&mut made.bytes, sent, 1)?,
        }
        made.count += 1;
        Ok(())
    }
}

impl<W: std::io::Write> Drop for JsonElements<'_, W> {
    /// An array left open (its list failed) still has what was made of it written, as a `BufWriter`
    /// would; errors are for the writer's next use to report.
    fn drop(&mut self) {
        if !self.buf.is_empty() && !std::thread::panicking() {
            let _ = self.flush();
        }
    }
}

/// `get --output json`: one token's JSON text as the server sent it, written as [`json`] writes a
/// value, without a secret (see [`write_sent_token`]).
pub fn sent_token_json(text: &str) -> std::io::Result<String> {
    let mut bytes = Vec::with_capacity(text.len() * 2);
    sent_token_into(&mut bytes, text, 0)?;
    bytes.push(b'\n');
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// A token's JSON text as [`write_sent_json`] writes it, less a top-level `token` field: that is the
/// secret, which only create and reset answers carry and which list and get never print.
pub fn write_sent_token<W: std::io::Write + ?Sized>(
    out: &mut W,
    text: &str,
    indent: usize,
) -> std::io::Result<()> {
    through_buffer(out, text, |bytes| sent_token_into(bytes, text, indent))
}

/// [`write_sent_token`] into a buffer.
fn sent_token_into(out: &mut Vec<u8>, text: &str, indent: usize) -> std::io::Result<()> {
    // A `token` key is spelled out or written with `\u` escapes. The text is laid out as it came until
    // a string that is either, before the value that would follow it; most tokens have none, and are
    // done. A secret is never laid out to be taken back.
    let start = out.len();
    if !layout_into(out, text, indent, true)? {
        return Ok(());
    }
    out.truncate(start);
    let fields = serde_json::from_str::<Fields>(text)
        .ok()
        .filter(|Fields(fields)| fields.iter().any(|(key, _)| key == "token"));
    let Some(Fields(fields)) = fields else {
        // Not an object (there is no field to leave out), or none of its fields is the secret.
        return sent_json_into(out, text, indent);
    };
    let kept: Vec<_> = fields.iter().filter(|(key, _)| key != "token").collect();
    if kept.is_empty() {
        out.extend_from_slice(b"{}");
        return Ok(());
    }
    out.push(b'{');
    for (i, (key, value)) in kept.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        newline_indent(out, indent + 1);
        let key = serde_json::to_string(key).map_err(std::io::Error::other)?;
        sent_json_into(out, &key, 0)?;
        out.extend_from_slice(b": ");
        sent_json_into(out, value.get(), indent + 1)?;
    }
    newline_indent(out, indent);
    out.push(b'}');
    Ok(())
}

/// [`write_sent_token`] with `account_id` and `account_name` as the object's first fields (a token of a
/// list or a get over several accounts).
pub fn write_sent_token_in<W: std::io::Write + ?Sized>(
    out: &mut W,
    account: AccountId,
    name: &str,
    text: &str,
    indent: usize,
) -> std::io::Result<()> {
    through_buffer(out, text, |bytes| {
        sent_token_in_into(bytes, account, name, text, indent)
    })
}

/// [`write_sent_token_in`] into a buffer; a token that fails leaves nothing of itself there.
fn sent_token_in_into(
    out: &mut Vec<u8>,
    account: AccountId,
    name: &str,
    text: &str,
    indent: usize,
) -> std::io::Result<()> {
    let start = out.len();
    let made = (|| -> std::io::Result<()> {
        use std::io::Write as _;
        let bytes = text.as_bytes();
        if bytes.get(skip_whitespace(bytes, 0)) != Some(&b'{') {
            // Not an object: nothing to put the account in; it goes out as it came.
            return sent_token_into(out, text, indent);
        }
        // The account's fields first, then the token's own after its `{`.
        out.push(b'{');
        newline_indent(out, indent + 1);
        write!(out, "\"account_id\": {account},")?;
        newline_indent(out, indent + 1);
        out.extend_from_slice(b"\"account_name\": ");
        let quoted = serde_json::to_string(name).map_err(std::io::Error::other)?;
        sent_json_into(out, &quoted, indent + 1)?;
        let token = out.len();
        sent_token_into(out, text, indent)?;
        match out.get(token..) {
            Some(b"{}") => {
                out.truncate(token);
                newline_indent(out, indent);
                out.push(b'}');
            }
            Some([b'{', ..]) => out[token] = b',',
            // Not an object after all (text a parser would refuse): it goes out as it came.
            _ => drop(out.drain(start..token)),
        }
        Ok(())
    })();
    if made.is_err() {
        out.truncate(start);
    }
    made
}

/// `get --output json` over several accounts: [`sent_token_json`] with the account first.
pub fn sent_token_json_in(account: AccountId, name: &str, text: &str) -> std::io::Result<String> {
    let mut bytes = Vec::with_capacity(text.len() * 2);
    sent_token_in_into(&mut bytes, account, name, text, 0)?;
    bytes.push(b'\n');
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// What `make` puts in a buffer, written to `out` in one piece, also when `make` fails part way (as far
/// as it got, as if it had written to `out` itself); `make`'s error comes first.
fn through_buffer<W: std::io::Write + ?Sized>(
    out: &mut W,
    text: &str,
    make: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut bytes = Vec::with_capacity(text.len() * 2);
    let made = make(&mut bytes);
    let written = out.write_all(&bytes);
    made.and(written)
}

/// An object's fields in their order, each value as its text.
struct Fields<'a>(Vec<(String, &'a serde_json::value::RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Fields<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visitor<'a> {
            type Value = Fields<'a>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Fields<'a>, A::Error> {
                let mut fields = Vec::new();
                while let Some(field) = map.next_entry()? {
                    fields.push(field);
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(Visitor(std::marker::PhantomData))
    }
}

/// Writes JSON text `indent` levels deep, in the layout of [`write_json`] (two spaces a level, `": "`
/// after a key, `{}` and `[]` when empty) and with its strings escaped as [`write_json`] escapes them,
/// keys included: decoded, then every control, line separator and invisible formatting character
/// written as `\uXXXX`. Fields keep the order they came in and numbers their exact digits (a value
/// decoded first would lose both). The text is expected to be what a JSON parser has already accepted;
/// anything else is an error, and never reaches the output raw.
pub fn write_sent_json<W: std::io::Write + ?Sized>(
    out: &mut W,
    text: &str,
    indent: usize,
) -> std::io::Result<()> {
    through_buffer(out, text, |bytes| sent_json_into(bytes, text, indent))
}

/// [`write_sent_json`] into a buffer: what fails stays as far as it got.
fn sent_json_into(out: &mut Vec<u8>, text: &str, indent: usize) -> std::io::Result<()> {
    layout_into(out, text, indent, false).map(drop)
}

/// [`sent_json_into`]; with `stop`, it stops after a string that is exactly `token` or has a `\u`
/// escape (what a `token` field's key is made of), and says whether it did.
fn layout_into(out: &mut Vec<u8>, text: &str, indent: usize, stop: bool) -> std::io::Result<bool> {
    let bytes = text.as_bytes();
    // The layout adds about half again to a token's compact text.
    out.reserve(bytes.len() * 2);
    let mut depth = indent;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let mut suspect = false;
                i = sent_string_into(out, text, i, &mut suspect)?;
                if suspect && stop {
                    return Ok(true);
                }
                // What most often follows, without going round the loop for it.
                match bytes.get(i) {
                    Some(b':') => {
                        out.extend_from_slice(b": ");
                        i += 1;
                    }
                    Some(b',') => {
                        out.push(b',');
                        newline_indent(out, depth);
                        i += 1;
                    }
                    _ => {}
                }
            }
            b':' => {
                out.extend_from_slice(b": ");
                i += 1;
            }
            b',' => {
                out.push(b',');
                newline_indent(out, depth);
                i += 1;
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                let next = skip_whitespace(bytes, i + 1);
                if bytes.get(next) == Some(&close) {
                    out.extend_from_slice(&[b, close]);
                    i = next + 1;
                } else {
                    depth += 1;
                    out.push(b);
                    newline_indent(out, depth);
                    i += 1;
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline_indent(out, depth);
                out.push(b);
                i += 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            _ => {
                // A number, `true`, `false` or `null`, as sent: only these characters can make one.
                let run = copy_literal(out, bytes.get(i..).unwrap_or_default());
                if run == 0 {
                    return Err(not_json("an unexpected character"));
                }
                i += run;
                if bytes.get(i) == Some(&b',') {
                    out.push(b',');
                    newline_indent(out, depth);
                    i += 1;
                }
            }
        }
    }
    Ok(false)
}

fn not_json(what: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("the server's JSON has {what}"),
    )
}

fn skip_whitespace(bytes: &[u8], from: usize) -> usize {
    from + bytes
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .count()
}

/// A line break and seven levels of indent: written whole and cut to the depth wanted (a copy of a
/// known size costs no call).
const NEWLINE_INDENT: [u8; 16] = *b"\n               ";

/// A line break, then `depth` levels of indent.
#[inline]
fn newline_indent(out: &mut Vec<u8>, depth: usize) {
    let len = 1 + depth * 2;
    if len <= NEWLINE_INDENT.len() {
        let at = out.len();
        out.extend_from_slice(&NEWLINE_INDENT);
        out.truncate(at + len);
    } else {
        out.push(b'\n');
        out.resize(out.len() + depth * 2, b' ');
    }
}

/// Bytes that end a run of string text that goes out as it came: `"`, `\`, the ASCII controls, DEL and
/// every byte of a character beyond ASCII, each of which [`sent_string_into`] looks at.
const STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let mut b = 0;
    while b < 256 {
        stops[b] = b < 0x20 || b >= 0x7f || b == b'"' as usize || b == b'\\' as usize;
        b += 1;
    }
    stops
};

/// The first bytes of the characters beyond ASCII that may need an escape (the C1 controls and the
/// invisible formatting characters, see [`needs_escape`]); any other character goes out as it came
/// without being decoded. So are bytes that cannot start a character, so that they are looked at.
const CHECKED_LEADS: [bool; 256] = {
    let mut checked = [false; 256];
    let mut b = 0x80;
    while b < 256 {
        // U+0080–U+00BF, U+0600–U+063F, U+1000–U+1FFF, U+2000–U+2FFF, U+F000–U+FFFF, U+C0000–U+FFFFF.
        checked[b] = b < 0xc2 || b > 0xf4 || matches!(b, 0xc2 | 0xd8 | 0xe1 | 0xe2 | 0xef | 0xf3);
        b += 1;
    }
    checked
};

/// The bytes a number, `true`, `false` or `null` is made of.
const LITERAL: [bool; 256] = {
    let mut literal = [false; 256];
    let mut b = 0;
    while b < 256 {
        literal[b] = (b as u8).is_ascii_alphanumeric() || matches!(b as u8, b'-' | b'+' | b'.');
        b += 1;
    }
    literal
};

/// Where the first of eight bytes is that [`STOPS`] stops at: the high bit of each such byte is set in
/// the result, and the lowest one set is the first (a borrow only carries past a byte that matched).
#[inline]
fn stops_in(x: u64) -> u64 {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    ((x.wrapping_sub(ONES * 0x20) & !x)
        | zero(x ^ (ONES * u64::from(b'"')))
        | zero(x ^ (ONES * u64::from(b'\\')))
        | zero(x ^ (ONES * 0x7f))
        | x)
        & HIGHS
}

/// Copies the run at the start of `bytes` that [`STOPS`] lets through, eight bytes at a time (each
/// eight copied whole, the part past a stop cut off again); returns its length.
#[inline]
fn copy_plain(out: &mut Vec<u8>, bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(Ok(word)) = bytes.get(at..at + 8).map(<[u8; 8]>::try_from) {
        let stops = stops_in(u64::from_le_bytes(word));
        out.extend_from_slice(&word);
        if stops != 0 {
            let run = stops.trailing_zeros() as usize / 8;
            out.truncate(out.len() - 8 + run);
            return at + run;
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    let run = rest
        .iter()
        .position(|&b| STOPS[usize::from(b)])
        .unwrap_or(rest.len());
    out.extend_from_slice(&rest[..run]);
    at + run
}

/// Copies the number or literal at the start of `bytes` ([`LITERAL`]'s bytes), as [`copy_plain`] copies;
/// returns its length.
#[inline]
fn copy_literal(out: &mut Vec<u8>, bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(Ok(word)) = bytes.get(at..at + 8).map(<[u8; 8]>::try_from) {
        let run = word
            .iter()
            .take_while(|&&b| LITERAL[usize::from(b)])
            .count();
        out.extend_from_slice(&word);
        if run < 8 {
            out.truncate(out.len() - 8 + run);
            return at + run;
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    let run = rest
        .iter()
        .take_while(|&&b| LITERAL[usize::from(b)])
        .count();
    out.extend_from_slice(&rest[..run]);
    at + run
}

/// The length of the UTF-8 character that starts with `lead`.
fn char_len(lead: u8) -> usize {
    match lead {
        0x00..0x80 => 1,
        0x80..0xe0 => 2,
        0xe0..0xf0 => 3,
        0xf0.. => 4,
    }
}

/// The string that opens at `text[start]` (a `"`), written decoded and escaped again as [`write_json`]
/// would; returns where the text goes on after it. Sets `suspect` if the string is exactly `token` or
/// has a `\u` escape.
fn sent_string_into(
    out: &mut Vec<u8>,
    text: &str,
    start: usize,
    suspect: &mut bool,
) -> std::io::Result<usize> {
    let bytes = text.as_bytes();
    out.push(b'"');
    let mut i = start + 1;
    // Where the text that went out whole began since the last escape: a string that does not end is
    // written up to there (as it was when the runs were written when they ended).
    let mut run = out.len();
    loop {
        // Runs of text that need nothing go out whole.
        i += copy_plain(out, bytes.get(i..).unwrap_or_default());
        let Some(&b) = bytes.get(i) else {
            out.truncate(run);
            return Err(not_json("a string that does not end"));
        };
        match b {
            b'"' => {
                out.push(b'"');
                if bytes.get(start + 1..i) == Some(b"token") {
                    *suspect = true;
                }
                return Ok(i + 1);
            }
            b'\\' => {
                if bytes.get(i + 1) == Some(&b'u') {
                    *suspect = true;
                }
                i += sent_escape_into(out, bytes, i)?;
                run = out.len();
            }
            0..0x80 => {
                // A control character or DEL, which a parser would have refused raw.
                escaped_char_into(out, char::from(b));
                i += 1;
                run = out.len();
            }
            _ if !CHECKED_LEADS[usize::from(b)] => {
                // Characters that need nothing, each known by its first byte (`i` follows whole
                // characters), go out together.
                let from = i;
                while let Some(&b) = bytes.get(i)
                    && b >= 0x80
                    && !CHECKED_LEADS[usize::from(b)]
                {
                    i += char_len(b);
                }
                let Some(chars) = bytes.get(from..i) else {
                    out.truncate(run);
                    return Err(not_json("a string that does not end"));
                };
                out.extend_from_slice(chars);
            }
            _ => {
                let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
                    out.truncate(run);
                    return Err(not_json("a string that does not end"));
                };
                if needs_escape(c) {
                    escaped_char_into(out, c);
                    run = out.len();
                } else {
                    let mut utf8 = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                }
                i += c.len_utf8();
            }
        }
    }
}

/// The escape at `bytes[at]` (a `\`), written as the character it stands for would be; returns its length.
fn sent_escape_into(out: &mut Vec<u8>, bytes: &[u8], at: usize) -> std::io::Result<usize> {
    let hex = |from: usize| {
        bytes
            .get(from..from + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let simple = match bytes.get(at + 1) {
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => {
            let Some(unit) = hex(at + 2) else {
                return Err(not_json("a bad \\u escape"));
            };
            if (0xd800..0xdc00).contains(&unit)
                && bytes.get(at + 6..at + 8) == Some(b"\\u")
                && let Some(low) = hex(at + 8).filter(|low| (0xdc00..0xe000).contains(low))
                && let Some(c) = char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00))
            {
                escaped_char_into(out, c);
                return Ok(12);
            }
            match char::from_u32(unit) {
                Some(c) => escaped_char_into(out, c),
                // A surrogate without its pair is no character; it stays the escape it came as (four
                // hex digits make at most 0xffff).
                None => unit_escape_into(out, unit as u16),
            }
            return Ok(6);
        }
        _ => return Err(not_json("a bad escape")),
    };
    escaped_char_into(out, simple);
    Ok(2)
}

/// One character as serde_json's escaping and then [`TerminalSafe`] write it.
fn escaped_char_into(out: &mut Vec<u8>, c: char) {
    let short = match c {
        '"' => Some(b'"'),
        '\\' => Some(b'\\'),
        '\u{8}' => Some(b'b'),
        '\t' => Some(b't'),
        '\n' => Some(b'n'),
        '\u{c}' => Some(b'f'),
        '\r' => Some(b'r'),
        _ => None,
    };
    if let Some(letter) = short {
        out.extend_from_slice(&[b'\\', letter]);
    } else if needs_escape(c) {
        let mut units = [0u16; 2];
        for &mut unit in c.encode_utf16(&mut units) {
            unit_escape_into(out, unit);
        }
    } else {
        let mut utf8 = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
}

/// `\u` and the unit as four lower-case hex digits.
fn unit_escape_into(out: &mut Vec<u8>, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digit = |shift: u16| HEX[usize::from((unit >> shift) & 0xf)];
    out.extend_from_slice(&[b'\\', b'u', digit(12), digit(8), digit(4), digit(0)]);
}

struct TerminalSafe(serde_json::ser::PrettyFormatter<'static>);

/// What `sanitize` would change: control characters, line separators and invisible formatting characters.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || crate::text::is_invisible_format(c)
}

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // serde_json has already escaped the ASCII controls, quotes and backslashes: text below DEL is
        // safe, and most text is nothing else.
        if fragment.bytes().all(|b| b < 0x7f) {
            return writer.write_all(fragment.as_bytes());
        }
        // Runs of safe text go out whole; only the characters that need it are escaped.
        let mut safe_from = 0;
        for (at, c) in fragment.char_indices() {
            if needs_escape(c) {
                writer.write_all(&fragment.as_bytes()[safe_from..at])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                safe_from = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[safe_from..])
    }

    // The rest delegates to the pretty formatter (indentation state lives there).
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ResourceType;
    use proptest::prelude::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().into()
    }

    fn token(id: i64, name: &str, expires_at: Option<&str>, resources: Vec<Resource>) -> ApiToken {
        ApiToken {
            id,
            name: name.into(),
            last_4_digits: "dcf7".into(),
            created_by: "John Doe".into(),
            expires_at: expires_at.map(at),
            resources: resources.into(),
            opaque_resources: Default::default(),
        }
    }

    fn grant(kind: &str, id: i64, level: AccessLevel) -> Resource {
        Resource {
            resource_type: ResourceType::new(kind),
            resource_id: id,
            access_level: level,
        }
    }

    fn sample() -> Vec<ApiToken> {
        vec![
            token(
                2498561,
                "SDK Dev Account Token",
                None,
                vec![grant("account", 1719941, AccessLevel::ADMIN)],
            ),
            token(
                7,
                "部署トークン 🚀",
                Some("2026-05-24T12:00:00Z"),
                vec![
                    grant("domain", 3, AccessLevel::VIEWER),
                    grant("project", 11, AccessLevel::ADMIN),
                ],
            ),
            token(
                8,
                "evil\x1b[2Jname\u{202E}",
                Some("2026-04-30T10:00:00Z"),
                vec![grant("quantum_widget", 5, AccessLevel(77))],
            ),
        ]
    }

    const NOW: &str = "2026-05-01T12:00:00Z";

    #[test]
    fn spans_use_the_two_largest_units() {
        assert_eq!(span(TimeDelta::seconds(20)), "<1m");
        assert_eq!(span(TimeDelta::minutes(5)), "5m");
        assert_eq!(
            span(TimeDelta::seconds(11 * 3600 + 59 * 60 + 12)),
            "11h 59m"
        );
        assert_eq!(span(TimeDelta::hours(23 * 24 + 4)), "23d 4h");
        assert_eq!(span(TimeDelta::days(400)), "1y 35d");
        assert_eq!(span(TimeDelta::hours(-2)), "2h 0m");
    }

    #[test]
    fn expiry_is_absolute_and_relative() {
        let now = at(NOW);
        assert_eq!(expiry(None, now), "never");
        assert_eq!(
            expiry(Some(at("2026-05-24T16:00:00Z")), now),
            "2026-05-24 16:00 UTC (in 23d 4h)"
        );
        assert_eq!(
            expiry(Some(at("2026-05-01T10:00:00Z")), now),
            "2026-05-01 10:00 UTC (expired 2h 0m ago)"
        );
    }

    #[test]
    fn the_table_aligns_wide_text_and_sanitizes() {
        let text = tokens_table(&sample(), at(NOW));
        assert!(
            !text.contains('\x1b') && !text.contains('\u{202E}'),
            "{text:?}"
        );
        insta::assert_snapshot!(text, @r"
        ID       NAME                   CREATED BY  ACCESS                     EXPIRES                                   LAST 4
        2498561  SDK Dev Account Token  John Doe    Account 1719941 admin      never                                     …dcf7
        7        部署トークン 🚀        John Doe    Project 11 admin +1 more   2026-05-24 12:00 UTC (in 23d 0h)          …dcf7
        8        evil�[2Jname           John Doe    quantum_widget 5 level 77  2026-04-30 10:00 UTC (expired 1d 2h ago)  …dcf7
        ");
    }

    #[test]
    fn long_names_are_cut_by_width() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("部署トークン", 7), "部署ト…");
        assert_eq!(fit("short", 10), "short");
    }

    #[test]
    fn detail_lists_every_permission() {
        insta::assert_snapshot!(token_detail(&sample()[1], at(NOW)), @r"
        id          7
        name        部署トークン 🚀
        created by  John Doe
        expires     2026-05-24 12:00 UTC (in 23d 0h)
        last 4      …dcf7
        access      domain:3:viewer
                    project:11:admin
        ");
    }

    #[test]
    fn csv_has_a_header_and_quotes() {
        let mut tokens = sample();
        tokens[0].name = "a, \"quoted\" name".into();
        insta::assert_snapshot!(tokens_csv(&tokens).unwrap(), @r#"
        id,name,created_by,expires_at,last_4_digits,resources
        2498561,"a, ""quoted"" name",John Doe,,dcf7,account:1719941:admin
        7,部署トークン 🚀,John Doe,2026-05-24T12:00:00Z,dcf7,domain:3:viewer;project:11:admin
        8,evil�[2Jname,John Doe,2026-04-30T10:00:00Z,dcf7,quantum_widget:5:77
        "#);
    }

    #[test]
    fn csv_cells_that_start_like_a_formula_are_neutralised() {
        let mut tokens = sample();
        tokens.truncate(1);
        tokens[0].name = r#"=HYPERLINK("http://evil.example","x")"#.into();
        tokens[0].created_by = "@SUM(A1)".into();
        tokens[0].last_4_digits = "+1f2".into();
        let mut more = tokens[0].clone();
        more.id = -5;
        more.name = "-2+3".into();
        more.created_by = "\tcmd".into();
        more.last_4_digits = "\rab".into();
        tokens.push(more);
        let mut plain = tokens[0].clone();
        plain.name = "a=b, c@d".into();
        plain.created_by = "John 'J' Doe".into();
        plain.last_4_digits = "dcf7".into();
        tokens.push(plain);
        let text = tokens_csv(&tokens).unwrap();
        insta::assert_snapshot!(text, @r#"
        id,name,created_by,expires_at,last_4_digits,resources
        2498561,"'=HYPERLINK(""http://evil.example"",""x"")",'@SUM(A1),,'+1f2,account:1719941:admin
        -5,'-2+3, cmd,, ab,account:1719941:admin
        2498561,"a=b, c@d",John 'J' Doe,,dcf7,account:1719941:admin
        "#);
        // `sanitize` already turns a tab or carriage return into a space; the cell is guarded all the same.
        assert_eq!(csv_cell("\tx".into()), "'\tx");
        assert_eq!(csv_cell("\rx".into()), "'\rx");
        assert_eq!(csv_cell("x=1".into()), "x=1");
        assert_eq!(csv_cell("-12".into()), "-12");
        assert_eq!(csv_cell("-1+2".into()), "'-1+2");
        assert_eq!(csv_cell(String::new()), "");
    }

    #[test]
    fn json_keeps_api_names_and_escapes_terminal_controls() {
        let text = json(&sample()[2..]).unwrap();
        assert!(!text.contains('\x1b') && !text.contains('\u{202E}'));
        let back: Vec<ApiToken> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, sample()[2..].to_vec());
        insta::assert_snapshot!(text, @r#"
        [
          {
            "id": 8,
            "name": "evil\u001b[2Jname\u202e",
            "last_4_digits": "dcf7",
            "created_by": "John Doe",
            "expires_at": "2026-04-30T10:00:00Z",
            "resources": [
              {
                "resource_type": "quantum_widget",
                "resource_id": 5,
                "access_level": 77
              }
            ]
          }
        ]
        "#);
    }

    #[test]
    fn accounts_show_the_highest_level() {
        let account = |id, name: &str, access_levels| Account {
            id,
            name: name.into(),
            access_levels,
        };
        let rows = vec![
            AccountRow::new(
                &account(
                    1719941,
                    "Acme Corp",
                    vec![AccessLevel::ADMIN, AccessLevel::OWNER],
                ),
                Some(88100),
            ),
            AccountRow::new(&account(2, "Labs", vec![AccessLevel::VIEWER]), None),
            AccountRow::new(&account(3, "Narrow", vec![AccessLevel(1)]), None),
            AccountRow::new(&account(4, "Org only", vec![]), Some(88100)),
        ];
        insta::assert_snapshot!(accounts_table(&rows), @r"
        ID       NAME       ACCESS   ORGANIZATION
        1719941  Acme Corp  owner    88100
        2        Labs       viewer
        3        Narrow     partial
        4        Org only   none     88100
        ");
        insta::assert_snapshot!(accounts_csv(&rows).unwrap(), @r"
        id,name,access_levels,access,organization_id
        1719941,Acme Corp,100;1000,owner,88100
        2,Labs,10,viewer,
        3,Narrow,1,partial,
        4,Org only,,none,88100
        ");
    }

    #[test]
    fn a_token_in_an_account_has_the_account_first() {
        let text = r#"{"id":5,"name":"x","token":"secret"}"#;
        let out = sent_token_json_in(7, "Acme \u{1b}Labs", text).unwrap();
        assert_eq!(
            out,
            "{\n  \"account_id\": 7,\n  \"account_name\": \"Acme \\u001bLabs\",\n  \"id\": 5,\n  \"name\": \"x\"\n}\n"
        );
        let empty = sent_token_json_in(7, "A", "{}").unwrap();
        assert_eq!(
            empty,
            "{\n  \"account_id\": 7,\n  \"account_name\": \"A\"\n}\n"
        );
    }

    #[test]
    fn a_list_written_a_token_at_a_time_is_the_same_text_as_the_whole_list() {
        let mut hostile = sample();
        hostile[0].name = "evil\u{1b}]52;c;x\u{7}\u{202e} name".into();
        for tokens in [Vec::new(), sample()[..1].to_vec(), sample(), hostile] {
            let mut whole = Vec::new();
            write_json(&tokens, &mut whole).unwrap();
            let mut streamed = Vec::new();
            let filled = write_json_seq(&mut streamed, |elements| {
                tokens.iter().try_for_each(|t| elements.element(t))
            })
            .unwrap();
            assert!(filled.is_ok());
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }

    fn sent_json(text: &str) -> std::io::Result<String> {
        let mut out = Vec::new();
        write_sent_json(&mut out, text, 0)?;
        out.push(b'\n');
        Ok(String::from_utf8(out).unwrap())
    }

    /// Whether text could drive a terminal: a control character, a line separator or an invisible one,
    /// other than the line breaks of the layout (a string's own are escaped).
    fn has_raw_controls(text: &str) -> bool {
        text.chars().any(|c| c != '\n' && needs_escape(c))
    }

    #[test]
    fn sent_json_is_laid_out_and_escaped_as_json_writes_the_same_value() {
        // Keys in sorted order, so that the decoded value (whose keys are sorted) writes them alike.
        for text in [
            r#"{}"#,
            r#"[]"#,
            r#"{"a":[],"b":{},"c":[{}],"d":[[]]}"#,
            r#"  { "a" : [ 1 , -2 , 3.5 , true , false , null ] ,"b":{"c":{"d":[{"e":"f"}]}} }  "#,
            r#"{"bell":"\u0007","esc":"x\u001b[31mred\u001b[0m","osc":"\u001b]52;c;eA==\u0007"}"#,
            "{\"bidi\":\"a\u{202e}b\",\"c1\":\"\u{9b}31m\",\"del\":\"\u{7f}\",\"ls\":\"\u{2028}\",\"zw\":\"a\u{200b}b\"}",
            r#"{"bidi":"a\u202eb","c1":"\u009b31m","del":"\u007f","ls":"\u2028","zw":"a\u200bb"}"#,
            r#"{"q":"\"quoted\" \\ back \/ slash","short":"\b\f\n\r\t","u":"\u00e9\u0041"}"#,
            r#"{"\u001bkey":1,"emoji":"\ud83d\ude80 🚀","wide":"部署トークン"}"#,
            r#"[{"id":1,"name":"n"},{"id":2,"name":"\u001b"}]"#,
            r#""just a string \u001b""#,
            "-12",
            "null",
        ] {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            let sent = sent_json(text).unwrap();
            assert_eq!(sent, json(&value).unwrap(), "{text}");
            assert!(!has_raw_controls(&sent), "{sent:?}");
            let back: serde_json::Value = serde_json::from_str(&sent).unwrap();
            assert_eq!(back, value, "{text}");
        }
    }

    #[test]
    fn sent_json_keeps_the_order_of_fields_and_the_digits_of_numbers() {
        let text = r#"{"z":1,"a":123456789012345678901234567890,"m":1.50,"e":-1E3,"n":{"y":0,"b":[0.1e-7]}}"#;
        insta::assert_snapshot!(sent_json(text).unwrap(), @r#"
        {
          "z": 1,
          "a": 123456789012345678901234567890,
          "m": 1.50,
          "e": -1E3,
          "n": {
            "y": 0,
            "b": [
              0.1e-7
            ]
          }
        }
        "#);
    }

    #[test]
    fn sent_json_escapes_every_character_as_json_does() {
        let every: String = (0u32..0x3100)
            .chain([0xfeff, 0xfff9, 0xfffb, 0xe0001, 0xe007f, 0x1f680])
            .filter_map(char::from_u32)
            .collect();
        for text in [
            serde_json::to_string(&every).unwrap(),
            // The same characters, each as an escape.
            format!(
                "\"{}\"",
                every
                    .encode_utf16()
                    .map(|u| format!("\\u{u:04X}"))
                    .collect::<String>()
            ),
        ] {
            let sent = sent_json(&text).unwrap();
            assert_eq!(sent, json(&every).unwrap());
            assert!(!has_raw_controls(&sent));
        }
    }

    #[test]
    fn a_surrogate_without_its_pair_stays_the_escape_it_came_as() {
        assert_eq!(
            sent_json(r#"{"a":"x\uD800y","b":"\udc00"}"#).unwrap(),
            "{\n  \"a\": \"x\\ud800y\",\n  \"b\": \"\\udc00\"\n}\n"
        );
    }

    #[test]
    fn text_that_is_not_json_is_an_error_and_never_reaches_the_output_raw() {
        for text in [
            "\u{1b}[2J",
            "\"open",
            "\"bad \\x escape\"",
            "\"\\u12\"",
            "{\"a\":\u{9b}1}",
            "@",
        ] {
            let mut out = Vec::new();
            assert!(write_sent_json(&mut out, text, 0).is_err(), "{text:?}");
            assert!(
                !has_raw_controls(&String::from_utf8_lossy(&out)),
                "{text:?}"
            );
        }
        // A raw control character inside a string (which a parser refuses) is still escaped.
        assert_eq!(sent_json("\"a\u{1b}b\"").unwrap(), "\"a\\u001bb\"\n");
    }

    #[test]
    fn a_list_of_tokens_as_sent_is_the_same_text_as_the_typed_list() {
        let mut hostile = sample();
        hostile[0].name = "evil\u{1b}]52;c;x\u{7}\u{202e} name".into();
        let mut typed = Vec::new();
        write_json(&hostile, &mut typed).unwrap();
        let mut sent = Vec::new();
        let filled = write_json_seq(&mut sent, |elements| {
            hostile.iter().try_for_each(|t| {
                let text = serde_json::to_string(t)?;
                elements.sent_token(&text)
            })
        })
        .unwrap();
        assert!(filled.is_ok());
        assert_eq!(
            String::from_utf8(sent).unwrap(),
            String::from_utf8(typed).unwrap()
        );
    }

    #[test]
    fn a_token_as_sent_never_carries_a_secret() {
        let secret = "0123456789abcdef0123456789abdcf7";
        for (text, kept) in [
            (
                format!(r#"{{"id":1,"token":"{secret}","name":"n"}}"#),
                "{\n  \"id\": 1,\n  \"name\": \"n\"\n}\n",
            ),
            (
                format!(r#"{{"\u0074oken":"{secret}","id":1}}"#),
                "{\n  \"id\": 1\n}\n",
            ),
            (format!(r#"{{"token":"{secret}"}}"#), "{}\n"),
            (
                r#"{"name":"\u0026 \u001b","id":2}"#.to_string(),
                "{\n  \"name\": \"& \\u001b\",\n  \"id\": 2\n}\n",
            ),
            (
                r#"{"a":{"token":"nested, not this token's"},"b":"token"}"#.to_string(),
                "{\n  \"a\": {\n    \"token\": \"nested, not this token's\"\n  },\n  \"b\": \"token\"\n}\n",
            ),
        ] {
            assert_eq!(sent_token_json(&text).unwrap(), kept, "{text}");
        }
        let mut out = Vec::new();
        let filled = write_json_seq(&mut out, |elements| {
            elements.sent_token(&format!(r#"{{"id":1,"token":"{secret}","x":[{{}}]}}"#))
        })
        .unwrap();
        assert!(filled.is_ok());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[\n  {\n    \"id\": 1,\n    \"x\": [\n      {}\n    ]\n  }\n]\n"
        );
    }

    #[test]
    fn a_secret_is_never_laid_out_to_be_taken_back() {
        let secret = "0123456789abcdef0123456789abdcf7";
        for text in [
            format!(r#"{{"id":1,"token":"{secret}","name":"n"}}"#),
            format!(r#"{{"id":1, "token" : "{secret}"}}"#),
            format!(r#"{{"\u0074oken":"{secret}","id":1}}"#),
            format!(r#"{{"tok\u0065n":"{secret}"}}"#),
            format!(r#"{{"a":{{"b":[1,"x\u0041"]}},"token":"{secret}"}}"#),
        ] {
            let mut out = Vec::new();
            assert!(layout_into(&mut out, &text, 1, true).unwrap(), "{text}");
            assert!(!String::from_utf8_lossy(&out).contains(secret), "{text}");
            let kept = sent_token_json(&text).unwrap();
            assert!(!kept.contains(secret), "{kept}");
        }
    }

    #[test]
    fn a_list_that_broke_off_is_not_closed_as_if_whole() {
        let tokens = sample();
        let mut out = Vec::new();
        let filled = write_json_seq(&mut out, |elements| {
            elements.element(&tokens[0])?;
            Err::<(), serde_json::Error>(serde::de::Error::custom("the answer broke off"))
        })
        .unwrap();
        assert!(filled.is_err());
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("[\n  {"), "{text}");
        assert!(!text.trim_end().ends_with(']'), "{text}");
        assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
    }
    /// The writer as it was before it wrote into a buffer of its own: a `write_all` for every bracket,
    /// indent and run, a byte at a time. Kept as the reference the new one must match byte for byte.
    mod reference {
        use crate::api::AccountId;
        use crate::cli::output::{Fields, needs_escape, not_json};
        use serde::Serialize;

        pub fn write_json_seq<W: std::io::Write, R, X>(
            mut out: W,
            fill: impl FnOnce(&mut JsonElements<'_, W>) -> Result<R, X>,
        ) -> Result<Result<R, X>, serde_json::Error> {
            out.write_all(b"[").map_err(serde_json::Error::io)?;
            let mut elements = JsonElements {
                out: &mut out,
                written: 0,
            };
            let filled = fill(&mut elements);
            if filled.is_ok() {
                // The pretty formatter's ending: an empty array stays `[]`.
                let end: &[u8] = if elements.written == 0 {
                    b"]\n"
                } else {
                    b"\n]\n"
                };
                out.write_all(end).map_err(serde_json::Error::io)?;
            }
            Ok(filled)
        }

        /// The open array [`write_json_seq`] hands its `fill`.
        pub struct JsonElements<'a, W: std::io::Write> {
            out: &'a mut W,
            written: usize,
        }

        impl<'a, W: std::io::Write> JsonElements<'a, W> {
            /// An array opened on `out`, for elements that come from several places in turn (a list over
            /// several accounts, each read after the one before); [`Self::close`] ends it.
            pub fn open(out: &'a mut W) -> std::io::Result<Self> {
                out.write_all(b"[")?;
                Ok(Self { out, written: 0 })
            }

            /// Ends an array from [`Self::open`] as [`write_json_seq`] ends one.
            pub fn close(self) -> std::io::Result<()> {
                let end: &[u8] = if self.written == 0 { b"]\n" } else { b"\n]\n" };
                self.out.write_all(end)
            }

            /// One element from a typed value, as [`write_json`] would write it inside the list.
            pub fn element<T: Serialize + ?Sized>(
                &mut self,
                value: &T,
            ) -> Result<(), serde_json::Error> {
                let compact = serde_json::to_string(value)?;
                self.write(|out| write_sent_json(out, &compact, 1))
            }

            /// One token from its JSON text as the server sent it: every field and value kept, in its order,
            /// laid out and escaped as [`write_json`] would, without a secret (see [`write_sent_token`]).
            pub fn sent_token(&mut self, text: &str) -> Result<(), serde_json::Error> {
                self.write(|out| write_sent_token(out, text, 1))
            }

            /// [`Self::sent_token`] for a list over several accounts: `account_id` and `account_name` first.
            pub fn sent_token_in(
                &mut self,
                account: AccountId,
                name: &str,
                text: &str,
            ) -> Result<(), serde_json::Error> {
                self.write(|out| write_sent_token_in(out, account, name, text, 1))
            }

            fn write(
                &mut self,
                element: impl FnOnce(&mut W) -> std::io::Result<()>,
            ) -> Result<(), serde_json::Error> {
                let start: &[u8] = if self.written == 0 { b"\n" } else { b",\n" };
                self.out
                    .write_all(start)
                    .and_then(|()| write_indent(self.out, 1))
                    .and_then(|()| element(self.out))
                    .map_err(serde_json::Error::io)?;
                self.written += 1;
                Ok(())
            }
        }
        pub fn write_sent_token<W: std::io::Write + ?Sized>(
            out: &mut W,
            text: &str,
            indent: usize,
        ) -> std::io::Result<()> {
            // That key is spelled out or written with `\u` escapes; most tokens have neither, and go out at once.
            if !text.contains("\"token\"") && !text.contains("\\u") {
                return write_sent_json(out, text, indent);
            }
            let Ok(Fields(fields)) = serde_json::from_str::<Fields>(text) else {
                // Not an object: there is no field to leave out.
                return write_sent_json(out, text, indent);
            };
            let kept: Vec<_> = fields.iter().filter(|(key, _)| key != "token").collect();
            if kept.is_empty() {
                return out.write_all(b"{}");
            }
            out.write_all(b"{")?;
            for (i, (key, value)) in kept.into_iter().enumerate() {
                out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                write_indent(out, indent + 1)?;
                let key = serde_json::to_string(key).map_err(std::io::Error::other)?;
                write_sent_string(out, &key, 0)?;
                out.write_all(b": ")?;
                write_sent_json(out, value.get(), indent + 1)?;
            }
            out.write_all(b"\n")?;
            write_indent(out, indent)?;
            out.write_all(b"}")
        }

        /// [`write_sent_token`] with `account_id` and `account_name` as the object's first fields (a token of a
        /// list or a get over several accounts).
        pub fn write_sent_token_in<W: std::io::Write + ?Sized>(
            out: &mut W,
            account: AccountId,
            name: &str,
            text: &str,
            indent: usize,
        ) -> std::io::Result<()> {
            let mut token = Vec::with_capacity(text.len() * 2);
            write_sent_token(&mut token, text, indent)?;
            let Some(rest) = token.strip_prefix(b"{") else {
                // Not an object: nothing to put the account in; it goes out as it came.
                return out.write_all(&token);
            };
            out.write_all(b"{\n")?;
            write_indent(out, indent + 1)?;
            writeln!(out, "\"account_id\": {account},")?;
            write_indent(out, indent + 1)?;
            out.write_all(b"\"account_name\": ")?;
            let quoted = serde_json::to_string(name).map_err(std::io::Error::other)?;
            write_sent_json(out, &quoted, indent + 1)?;
            if rest == b"}" {
                out.write_all(b"\n")?;
                write_indent(out, indent)?;
                out.write_all(b"}")
            } else {
                out.write_all(b",")?;
                out.write_all(rest)
            }
        }
        pub fn write_sent_json<W: std::io::Write + ?Sized>(
            out: &mut W,
            text: &str,
            indent: usize,
        ) -> std::io::Result<()> {
            let bytes = text.as_bytes();
            let mut depth = indent;
            let mut i = 0;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b' ' | b'\t' | b'\n' | b'\r' => i += 1,
                    b'{' | b'[' => {
                        let close = if b == b'{' { b'}' } else { b']' };
                        let next = skip_whitespace(bytes, i + 1);
                        if bytes.get(next) == Some(&close) {
                            out.write_all(&[b, close])?;
                            i = next + 1;
                        } else {
                            depth += 1;
                            out.write_all(&[b, b'\n'])?;
                            write_indent(out, depth)?;
                            i += 1;
                        }
                    }
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        out.write_all(b"\n")?;
                        write_indent(out, depth)?;
                        out.write_all(&[b])?;
                        i += 1;
                    }
                    b',' => {
                        out.write_all(b",\n")?;
                        write_indent(out, depth)?;
                        i += 1;
                    }
                    b':' => {
                        out.write_all(b": ")?;
                        i += 1;
                    }
                    b'"' => i = write_sent_string(out, text, i)?,
                    _ => {
                        // A number, `true`, `false` or `null`, as sent: only these characters can make one.
                        let run = bytes[i..]
                            .iter()
                            .take_while(|b| {
                                b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.')
                            })
                            .count();
                        if run == 0 {
                            return Err(not_json("an unexpected character"));
                        }
                        out.write_all(&bytes[i..i + run])?;
                        i += run;
                    }
                }
            }
            Ok(())
        }
        fn skip_whitespace(bytes: &[u8], from: usize) -> usize {
            from + bytes
                .get(from..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .count()
        }

        fn write_indent<W: std::io::Write + ?Sized>(
            out: &mut W,
            depth: usize,
        ) -> std::io::Result<()> {
            const SPACES: &[u8; 64] =
                b"                                                                ";
            let mut left = depth * 2;
            while left > 0 {
                let now = left.min(SPACES.len());
                out.write_all(&SPACES[..now])?;
                left -= now;
            }
            Ok(())
        }
        fn write_sent_string<W: std::io::Write + ?Sized>(
            out: &mut W,
            text: &str,
            start: usize,
        ) -> std::io::Result<usize> {
            let bytes = text.as_bytes();
            out.write_all(b"\"")?;
            let mut i = start + 1;
            // Runs of text that need nothing go out whole.
            let mut run = i;
            loop {
                let Some(&b) = bytes.get(i) else {
                    return Err(not_json("a string that does not end"));
                };
                match b {
                    b'"' => {
                        out.write_all(&bytes[run..i])?;
                        out.write_all(b"\"")?;
                        return Ok(i + 1);
                    }
                    b'\\' => {
                        out.write_all(&bytes[run..i])?;
                        i += write_sent_escape(out, bytes, i)?;
                        run = i;
                    }
                    0x20..0x7f => i += 1,
                    _ => {
                        // `i` follows whole characters, so it is on a character boundary.
                        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
                            return Err(not_json("a string that does not end"));
                        };
                        if c.is_ascii() || needs_escape(c) {
                            out.write_all(&bytes[run..i])?;
                            write_escaped_char(out, c)?;
                            run = i + c.len_utf8();
                        }
                        i += c.len_utf8();
                    }
                }
            }
        }

        /// The escape at `bytes[at]` (a `\`), written as the character it stands for would be; returns its length.
        fn write_sent_escape<W: std::io::Write + ?Sized>(
            out: &mut W,
            bytes: &[u8],
            at: usize,
        ) -> std::io::Result<usize> {
            let hex = |from: usize| {
                bytes
                    .get(from..from + 4)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
            };
            let simple = match bytes.get(at + 1) {
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'/') => '/',
                Some(b'b') => '\u{8}',
                Some(b'f') => '\u{c}',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'u') => {
                    let Some(unit) = hex(at + 2) else {
                        return Err(not_json("a bad \\u escape"));
                    };
                    if (0xd800..0xdc00).contains(&unit)
                        && bytes.get(at + 6..at + 8) == Some(b"\\u")
                        && let Some(low) = hex(at + 8).filter(|low| (0xdc00..0xe000).contains(low))
                        && let Some(c) =
                            char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00))
                    {
                        write_escaped_char(out, c)?;
                        return Ok(12);
                    }
                    match char::from_u32(unit) {
                        Some(c) => write_escaped_char(out, c)?,
                        // A surrogate without its pair is no character; it stays the escape it came as.
                        None => write!(out, "\\u{unit:04x}")?,
                    }
                    return Ok(6);
                }
                _ => return Err(not_json("a bad escape")),
            };
            write_escaped_char(out, simple)?;
            Ok(2)
        }

        /// One character as serde_json's escaping and then [`TerminalSafe`] write it.
        fn write_escaped_char<W: std::io::Write + ?Sized>(
            out: &mut W,
            c: char,
        ) -> std::io::Result<()> {
            let short = match c {
                '"' => Some(b'"'),
                '\\' => Some(b'\\'),
                '\u{8}' => Some(b'b'),
                '\t' => Some(b't'),
                '\n' => Some(b'n'),
                '\u{c}' => Some(b'f'),
                '\r' => Some(b'r'),
                _ => None,
            };
            if let Some(letter) = short {
                return out.write_all(&[b'\\', letter]);
            }
            if needs_escape(c) {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(out, "\\u{unit:04x}")?;
                }
                return Ok(());
            }
            let mut utf8 = [0u8; 4];
            out.write_all(c.encode_utf8(&mut utf8).as_bytes())
        }
    }

    /// A character for a string, from each kind the escaping treats apart: printable ASCII, the ASCII
    /// and C1 controls, DEL, the invisible and bidi formatting characters, and characters beyond ASCII
    /// on either side of the first bytes that are looked at.
    fn any_char() -> impl Strategy<Value = char> {
        prop_oneof![
            6 => prop::char::range(' ', '~'),
            1 => prop::char::range('\0', '\u{1f}'),
            1 => Just('\u{7f}'),
            1 => prop::char::range('\u{80}', '\u{9f}'),
            2 => prop::sample::select(vec![
                '"', '\\', '/', '\u{ad}', '\u{61c}', '\u{180e}', '\u{200b}', '\u{200e}', '\u{200f}',
                '\u{2028}', '\u{2029}', '\u{202a}', '\u{202e}', '\u{2060}', '\u{2066}', '\u{2069}',
                '\u{206f}', '\u{feff}', '\u{fff9}', '\u{fffb}', '\u{e0001}', '\u{e007f}',
            ]),
            2 => prop::sample::select(vec![
                'é', 'ß', '\u{a0}', '\u{bf}', '\u{600}', '\u{63f}', '\u{1000}', '\u{1fff}', '\u{2013}',
                '\u{2026}', '\u{20ac}', '\u{2fff}', '部', '署', '\u{f000}', '\u{fffd}', '\u{ffff}', '🚀',
                '\u{c0000}', '\u{e0080}', '\u{10ffff}',
            ]),
            1 => any::<char>(),
        ]
    }

    /// `c` inside a JSON string: raw (a raw control is what a parser refuses, and is escaped all the
    /// same), with its short escape, or as `\u` escapes in lower or upper case.
    fn spelled(c: char, how: u8) -> String {
        let short = match c {
            '"' => Some('"'),
            '\\' => Some('\\'),
            '/' => Some('/'),
            '\u{8}' => Some('b'),
            '\u{c}' => Some('f'),
            '\n' => Some('n'),
            '\r' => Some('r'),
            '\t' => Some('t'),
            _ => None,
        };
        match (how, short) {
            (0, _) if !matches!(c, '"' | '\\') => c.to_string(),
            (0 | 1, Some(letter)) => format!("\\{letter}"),
            _ => c
                .encode_utf16(&mut [0; 2])
                .iter()
                .map(|u| match how {
                    3 => format!("\\u{u:04X}"),
                    _ => format!("\\u{u:04x}"),
                })
                .collect(),
        }
    }

    fn string_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            8 => (any_char(), 0u8..4).prop_map(|(c, how)| spelled(c, how)),
            // A surrogate without its pair.
            1 => prop::sample::select(vec!["\\ud800", "\\uDBFF", "\\udc00", "\\uDFFF", "\\ud83d\\u0041"])
                .prop_map(str::to_string),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|pieces| format!("\"{}\"", pieces.concat()))
    }

    fn key_text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => string_text(),
            1 => prop::sample::select(vec![
                "\"token\"", "\"\\u0074oken\"", "\"id\"", "\"name\"", "\"tok\\u0065n\"",
                "\"a\\\"token\"", "\"token\\\"\"", "\"\\\"token\\\"\"", "\"\\ttoken\"",
            ])
            .prop_map(str::to_string),
        ]
    }

    fn space() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", "", "", "", " ", "\n  ", "\t", "\r\n"])
    }

    /// JSON text: any value, nested a few levels, with whitespace here and there.
    fn json_text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            prop::sample::select(vec!["null", "true", "false", "0", "-0.0", "1E400"])
                .prop_map(str::to_string),
            "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,4})?([eE][+-]?[0-9]{1,3})?",
            string_text(),
            string_text(),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                (
                    space(),
                    prop::collection::vec((space(), inner.clone(), space()), 0..6)
                )
                    .prop_map(|(empty, items)| {
                        let items: Vec<String> =
                            items.iter().map(|(a, v, b)| format!("{a}{v}{b}")).collect();
                        format!(
                            "[{}]",
                            if items.is_empty() {
                                empty.to_string()
                            } else {
                                items.join(",")
                            }
                        )
                    }),
                object_text(inner),
            ]
        })
    }

    fn object_text(value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
        (
            space(),
            prop::collection::vec(
                (space(), key_text(), space(), space(), value, space()),
                0..7,
            ),
        )
            .prop_map(|(empty, fields)| {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(a, k, b, c, v, d)| format!("{a}{k}{b}:{c}{v}{d}"))
                    .collect();
                let inside = if fields.is_empty() {
                    empty.to_string()
                } else {
                    fields.join(",")
                };
                format!("{{{inside}}}")
            })
    }

    /// A token as a server could send it: an object most of the time, with or without a `token` field.
    fn token_text() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => object_text(json_text()),
            1 => json_text(),
            1 => broken_json_text(),
        ]
    }

    /// JSON text cut short, or with a character put in somewhere: what a parser would refuse.
    fn broken_json_text() -> impl Strategy<Value = String> {
        (
            json_text(),
            any::<prop::sample::Index>(),
            any_char(),
            any::<bool>(),
        )
            .prop_map(|(text, at, c, cut)| {
                let bounds: Vec<usize> = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                let at = *at.get(&bounds);
                if cut {
                    text[..at].to_string()
                } else {
                    format!("{}{c}{}", &text[..at], &text[at..])
                }
            })
    }

    /// What a writer made of the text, and how it ended.
    fn made(
        write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
    ) -> (String, Result<(), String>) {
        let mut out = Vec::new();
        let ended = write(&mut out).map_err(|e| e.to_string());
        (String::from_utf8_lossy(&out).into_owned(), ended)
    }

    /// An open array, the new one or the reference.
    trait Elements {
        fn token(
            &mut self,
            account: Option<(AccountId, &str)>,
            text: &str,
        ) -> Result<(), serde_json::Error>;
        fn typed(&mut self, token: &ApiToken) -> Result<(), serde_json::Error>;
    }

    impl<W: std::io::Write> Elements for JsonElements<'_, W> {
        fn token(
            &mut self,
            account: Option<(AccountId, &str)>,
            text: &str,
        ) -> Result<(), serde_json::Error> {
            match account {
                Some((id, name)) => self.sent_token_in(id, name, text),
                None => self.sent_token(text),
            }
        }
        fn typed(&mut self, token: &ApiToken) -> Result<(), serde_json::Error> {
            self.element(token)
        }
    }

    impl<W: std::io::Write> Elements for reference::JsonElements<'_, W> {
        fn token(
            &mut self,
            account: Option<(AccountId, &str)>,
            text: &str,
        ) -> Result<(), serde_json::Error> {
            match account {
                Some((id, name)) => self.sent_token_in(id, name, text),
                None => self.sent_token(text),
            }
        }
        fn typed(&mut self, token: &ApiToken) -> Result<(), serde_json::Error> {
            self.element(token)
        }
    }

    type SentAccount = (AccountId, String, Vec<String>);

    #[derive(Debug)]
    enum Stop {
        /// The answer broke off.
        Broken,
        Element(serde_json::Error),
    }

    /// One account's tokens into `elements`, a typed one after every third; `broken` counts the tokens
    /// over all accounts and breaks the answer off before that one.
    fn fill_account(
        elements: &mut impl Elements,
        account: &SentAccount,
        with_account: bool,
        broken: Option<usize>,
        at: &mut usize,
    ) -> Result<(), Stop> {
        let typed = sample();
        for text in &account.2 {
            if broken == Some(*at) {
                return Err(Stop::Broken);
            }
            let named = with_account.then_some((account.0, account.1.as_str()));
            elements.token(named, text).map_err(Stop::Element)?;
            if *at % 3 == 2 {
                elements
                    .typed(&typed[*at % typed.len()])
                    .map_err(Stop::Element)?;
            }
            *at += 1;
        }
        Ok(())
    }

    /// A list over several accounts in turn, written by `write_json_seq` (`open`: opened and closed
    /// around the accounts as `list --all-accounts` does it, an account that broke off passed over and
    /// an element that fails ending the list unclosed), by the new writer or the reference.
    fn list_made(
        reference: bool,
        open: bool,
        accounts: &[SentAccount],
        with_account: bool,
        broken: Option<usize>,
    ) -> (String, String) {
        let mut out = Vec::new();
        let mut at = 0;
        let ended = match (reference, open) {
            (false, false) => format!(
                "{:?}",
                write_json_seq(&mut out, |elements| {
                    accounts.iter().try_for_each(|account| {
                        fill_account(elements, account, with_account, broken, &mut at)
                    })
                })
            ),
            (true, false) => format!(
                "{:?}",
                reference::write_json_seq(&mut out, |elements| {
                    accounts.iter().try_for_each(|account| {
                        fill_account(elements, account, with_account, broken, &mut at)
                    })
                })
            ),
            (false, true) => {
                let ended = (|| {
                    let mut elements = JsonElements::open(&mut out).map_err(|e| e.to_string())?;
                    for account in accounts {
                        if let Err(Stop::Element(e)) =
                            fill_account(&mut elements, account, with_account, broken, &mut at)
                        {
                            return Err(e.to_string());
                        }
                    }
                    elements.close().map_err(|e| e.to_string())
                })();
                format!("{ended:?}")
            }
            (true, true) => {
                let ended = (|| {
                    let mut elements =
                        reference::JsonElements::open(&mut out).map_err(|e| e.to_string())?;
                    for account in accounts {
                        if let Err(Stop::Element(e)) =
                            fill_account(&mut elements, account, with_account, broken, &mut at)
                        {
                            return Err(e.to_string());
                        }
                    }
                    elements.close().map_err(|e| e.to_string())
                })();
                format!("{ended:?}")
            }
        };
        (String::from_utf8_lossy(&out).into_owned(), ended)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn sent_json_is_the_same_text_as_the_byte_at_a_time_writer(
            text in prop_oneof![3 => json_text(), 1 => broken_json_text()],
            indent in 0usize..3,
        ) {
            let new = made(|out| write_sent_json(out, &text, indent));
            let old = made(|out| reference::write_sent_json(out, &text, indent));
            prop_assert_eq!(&new, &old, "{:?}", text);
            prop_assert!(!has_raw_controls(&new.0), "{:?}", new.0);
            // What a parser accepts comes back as the same value.
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                prop_assert!(new.1.is_ok());
                let back: serde_json::Value = serde_json::from_str(&new.0).unwrap();
                prop_assert_eq!(back, value);
            }
        }

        #[test]
        fn a_token_as_sent_is_the_same_text_as_the_byte_at_a_time_writer(
            text in token_text(),
            account in any::<AccountId>(),
            name in string_text().prop_map(|s| serde_json::from_str::<String>(&s).unwrap_or(s)),
            indent in 0usize..3,
        ) {
            prop_assert_eq!(
                made(|out| write_sent_token(out, &text, indent)),
                made(|out| reference::write_sent_token(out, &text, indent)),
                "{:?}", text
            );
            prop_assert_eq!(
                made(|out| write_sent_token_in(out, account, &name, &text, indent)),
                made(|out| reference::write_sent_token_in(out, account, &name, &text, indent)),
                "{:?}", text
            );
            let lossy = |r: std::io::Result<String>| r.map_err(|e| e.to_string());
            let old_get = made(|out| reference::write_sent_token(out, &text, 0));
            let new_get = lossy(sent_token_json(&text));
            match old_get.1 {
                Ok(()) => prop_assert_eq!(new_get, Ok(old_get.0 + "\n")),
                Err(e) => prop_assert_eq!(new_get, Err(e)),
            }
        }

        #[test]
        fn a_list_as_sent_is_the_same_text_as_the_byte_at_a_time_writer(
            accounts in prop::collection::vec(
                (any::<AccountId>(), "[a-z\u{1b}\u{202e} ]{0,8}", prop::collection::vec(token_text(), 0..6)),
                1..4,
            ),
            with_account in any::<bool>(),
            broken in proptest::option::of(0usize..12),
        ) {
            for open in [false, true] {
                prop_assert_eq!(
                    list_made(false, open, &accounts, with_account, broken),
                    list_made(true, open, &accounts, with_account, broken)
                );
            }
        }

        #[test]
        fn a_plain_run_ends_at_the_first_byte_that_needs_a_look(
            bytes in prop::collection::vec(
                prop_oneof![4 => 0x20u8..0x7f, 1 => any::<u8>(), 1 => Just(b'"'), 1 => Just(b'\\')],
                0..40,
            ),
        ) {
            let expected = bytes
                .iter()
                .position(|&b| !(0x20..0x7f).contains(&b) || b == b'"' || b == b'\\')
                .unwrap_or(bytes.len());
            let mut out = b"before".to_vec();
            prop_assert_eq!(copy_plain(&mut out, &bytes), expected);
            prop_assert_eq!(&out[6..], &bytes[..expected]);
        }
    }

    #[test]
    fn every_character_that_needs_an_escape_starts_with_a_byte_that_is_looked_at() {
        let mut utf8 = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let first = c.encode_utf8(&mut utf8).as_bytes()[0];
            assert!(
                !needs_escape(c) || c.is_ascii() || CHECKED_LEADS[usize::from(first)],
                "{c:?}"
            );
        }
    }

    /// A writer that keeps what it is given and counts the writes.
    #[derive(Default)]
    struct Counted {
        bytes: Vec<u8>,
        writes: usize,
    }

    impl std::io::Write for Counted {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.writes += 1;
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_long_list_goes_out_in_a_few_large_writes_and_the_same_text() {
        let mut hostile = sample();
        hostile[0].name = "evil\u{1b}]52;c;x\u{7}\u{202e} name".into();
        let texts: Vec<String> = (0..3000)
            .map(|i| serde_json::to_string(&hostile[i % hostile.len()]).unwrap())
            .collect();
        let mut new = Counted::default();
        let filled = write_json_seq(&mut new, |elements| {
            texts.iter().try_for_each(|t| elements.sent_token(t))
        })
        .unwrap();
        assert!(filled.is_ok());
        let mut old = Vec::new();
        let filled = reference::write_json_seq(&mut old, |elements| {
            texts.iter().try_for_each(|t| elements.sent_token(t))
        })
        .unwrap();
        assert!(filled.is_ok());
        assert_eq!(
            String::from_utf8(new.bytes.clone()).unwrap(),
            String::from_utf8(old).unwrap()
        );
        assert!(new.bytes.len() > 4 * BLOCK);
        // `[`, then a block whenever one is full, then the rest with the end.
        assert!(
            new.writes <= 2 + new.bytes.len() / BLOCK,
            "{} writes",
            new.writes
        );
    }

    #[test]
    fn an_array_left_open_still_has_its_elements_written() {
        let mut out = Vec::new();
        let mut elements = JsonElements::open(&mut out).unwrap();
        elements.sent_token(r#"{"id":1,"name":"a\u001b"}"#).unwrap();
        assert!(elements.sent_token(r#"{"id":2,"name":@}"#).is_err());
        drop(elements);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[\n  {\n    \"id\": 1,\n    \"name\": \"a\\u001b\"\n  },\n  {\n    \"id\": 2,\n    \"name\": "
        );
    }

    #[test]
    fn a_writer_that_fails_at_once_is_an_error_before_any_element_is_read() {
        struct Closed;
        impl std::io::Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut read = false;
        let written = write_json_seq(Closed, |_| {
            read = true;
            Ok::<(), serde_json::Error>(())
        });
        assert!(written.is_err());
        assert!(!read);
    }
}
