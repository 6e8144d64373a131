//! Where an account's snapshot is kept: `<state>/snapshots/<account>.json`, 0600 in a 0700 directory,
//! written whole through a temporary file so that a crash leaves the old snapshot or the new one. A
//! snapshot is only ever a convenience: a file that cannot be read is a warning and counts as none.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeSeed;

use super::against::{Against, Reduced};
use super::snapshot::{SNAPSHOT_VERSION, Snapshot, TokenRecord, api_key};
use crate::api::{AccountId, TokenId};

/// Where an account's snapshot is kept.
pub fn snapshot_path(state_dir: &Path, account: AccountId) -> PathBuf {
    state_dir.join("snapshots").join(format!("{account}.json"))
}

/// What reading a snapshot gave: the snapshot if there is a usable one, and what to warn about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    pub snapshot: Option<Snapshot>,
    pub warning: Option<String>,
    /// Read against a list (`load_against`): the ids of the records left out of `snapshot` because the
    /// list holds them as they were, ascending. Empty when the snapshot was read whole.
    pub unchanged: Vec<TokenId>,
}

/// Reads the snapshot of `account` on the API at `api_url`. None yet, one of another account or API, or
/// one of another version is no snapshot; a damaged file is moved aside (`….json.unreadable`, so that the
/// next save does not destroy what it held) and said so.
pub fn load(path: &Path, account: AccountId, api_url: &str) -> Loaded {
    load_against(path, account, api_url, None)
}

/// `load`, read against `list` when there is one: only the records the list does not hold as they were
/// are kept (see `Against`).
pub fn load_against(
    path: &Path,
    account: AccountId,
    api_url: &str,
    list: Option<&Against>,
) -> Loaded {
    // Read as it is parsed, never whole: at 100,000 tokens the file is 16 MB.
    let file = match std::fs::File::open(path) {
        Ok(file) => io::BufReader::with_capacity(1 << 16, file),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Loaded::default(),
        Err(e) => {
            return Loaded {
                warning: Some(format!(
                    "cannot read the snapshot {}: {e}; comparing with nothing",
                    path.display()
                )),
                ..Loaded::default()
            };
        }
    };
    let read = match list {
        None => serde_json::from_reader::<_, Snapshot>(file).map(|s| (s, Vec::new())),
        Some(list) => {
            let mut json = serde_json::Deserializer::from_reader(file);
            Reduced(list)
                .deserialize(&mut json)
                .and_then(|read| json.end().map(|()| read))
        }
    };
    match read {
        Ok((snapshot, unchanged))
            if snapshot.version == SNAPSHOT_VERSION
                && snapshot.account == account
                && snapshot.api_url == api_key(api_url) =>
        {
            Loaded {
                snapshot: Some(snapshot),
                warning: None,
                unchanged,
            }
        }
        Ok(_) => Loaded::default(),
        Err(e) if e.is_io() => Loaded {
            warning: Some(format!(
                "cannot read the snapshot {}: {e}; comparing with nothing",
                path.display()
            )),
            ..Loaded::default()
        },
        Err(e) => {
            let aside = path.with_extension("json.unreadable");
            let kept = if std::fs::rename(path, &aside).is_ok() {
                format!(" (moved to {})", aside.display())
            } else {
                String::new()
            };
            Loaded {
                warning: Some(format!(
                    "the snapshot {} is damaged ({e}){kept}; comparing with nothing and starting a new one",
                    path.display()
                )),
                ..Loaded::default()
            }
        }
    }
}

/// Writes a snapshot whole: to a temporary 0600 file beside the target, then renamed over it.
pub fn save(path: &Path, snapshot: &Snapshot) -> io::Result<()> {
    let mut writer =
        SnapshotWriter::create(path, snapshot.account, &snapshot.api_url, snapshot.taken_at)?;
    writer.write(&snapshot.tokens)?;
    writer.finish()
}

/// A snapshot written a part at a time, its records in ascending id as they come: the console saves
/// 100,000 tokens without making all their records first. Nothing replaces the old snapshot until
/// `finish`; a writer dropped before it leaves the old one and removes its temporary file.
pub struct SnapshotWriter {
    out: io::BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
    records: usize,
}

impl SnapshotWriter {
    /// Starts the snapshot of `account` taken from the API at `api_url` at `taken_at`: a temporary 0600
    /// file beside `path`, in a 0700 directory.
    pub fn create(
        path: &Path,
        account: AccountId,
        api_url: &str,
        taken_at: chrono::DateTime<chrono::Utc>,
    ) -> io::Result<Self> {
        let dir = path
            .parent()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no directory"))?;
        crate::custody::private_dir(dir)?;
        let file = tempfile::Builder::new()
            .prefix(".snapshot-")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .tempfile_in(dir)?;
        let mut out = io::BufWriter::with_capacity(1 << 16, file);
        // The fields in `Snapshot`'s order, as serde would write the whole.
        out.write_all(b"{\"version\":")?;
        serde_json::to_writer(&mut out, &SNAPSHOT_VERSION)?;
        out.write_all(b",\"account\":")?;
        serde_json::to_writer(&mut out, &account)?;
        out.write_all(b",\"api_url\":")?;
        serde_json::to_writer(&mut out, &api_key(api_url))?;
        out.write_all(b",\"taken_at\":")?;
        serde_json::to_writer(&mut out, &taken_at)?;
        out.write_all(b",\"tokens\":[")?;
        Ok(Self {
            out,
            path: path.to_path_buf(),
            records: 0,
        })
    }

    /// Adds `records`, which follow those written before in ascending id.
    pub fn write(&mut self, records: &[TokenRecord]) -> io::Result<()> {
        for record in records {
            if self.records > 0 {
                self.out.write_all(b",")?;
            }
            serde_json::to_writer(&mut self.out, record)?;
            self.records += 1;
        }
        Ok(())
    }

    /// Ends the snapshot and puts it in place of the old one.
    pub fn finish(mut self) -> io::Result<()> {
        self.out.write_all(b"]}\n")?;
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.as_file().sync_all()?;
        file.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}
