//! Where a saved secret goes, and whether that place is inside a git work tree (where a secret file is
//! one `git add .` away from a commit). The check walks up the directories looking for `.git` (a
//! directory, or the file a linked work tree or a submodule has); no git program is needed.

use std::path::{Path, PathBuf};

/// The directory secrets are saved in, and the git work tree it lies in, if any (found once, when the
/// target is made, so the console's update stays free of I/O).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaveTarget {
    pub dir: PathBuf,
    pub work_tree: Option<PathBuf>,
}

impl SaveTarget {
    /// `dir`, with the git work tree it is in looked up now.
    pub fn at(dir: PathBuf) -> Self {
        let work_tree = git_work_tree(&dir);
        Self { dir, work_tree }
    }

    /// `dir`, taken to be outside any git work tree (nothing is looked up).
    pub fn unchecked(dir: PathBuf) -> Self {
        Self {
            dir,
            work_tree: None,
        }
    }
}

impl From<&Path> for SaveTarget {
    fn from(dir: &Path) -> Self {
        Self::unchecked(dir.to_path_buf())
    }
}

impl From<&SaveTarget> for SaveTarget {
    fn from(target: &SaveTarget) -> Self {
        target.clone()
    }
}

/// The top of the git work tree `dir` is in, if any. `dir` need not exist yet: the walk starts at its
/// nearest existing ancestor, with symbolic links resolved, so a link into a work tree is caught.
pub fn git_work_tree(dir: &Path) -> Option<PathBuf> {
    let absolute = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(dir)
    };
    let existing = absolute
        .ancestors()
        .find(|a| std::fs::symlink_metadata(a).is_ok())?;
    let start = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    start
        .ancestors()
        .find(|a| std::fs::symlink_metadata(a.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_git_directory_or_file_above_marks_a_work_tree() {
        let root = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(root.path()).unwrap();
        let plain = root.join("plain/deeper");
        std::fs::create_dir_all(&plain).unwrap();
        // A temporary directory is outside any work tree on a test machine; say so if it is not.
        let outside = git_work_tree(&root);
        assert_eq!(git_work_tree(&plain), outside);

        let repo = root.join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("src/keys")).unwrap();
        assert_eq!(git_work_tree(&repo.join("src/keys")), Some(repo.clone()));
        // Not made yet: its nearest existing ancestor decides.
        assert_eq!(git_work_tree(&repo.join("not/yet")), Some(repo.clone()));

        // A linked work tree (or a submodule) has a `.git` file.
        let linked = root.join("linked");
        std::fs::create_dir_all(linked.join("a")).unwrap();
        std::fs::write(linked.join(".git"), "gitdir: /elsewhere\n").unwrap();
        assert_eq!(git_work_tree(&linked.join("a")), Some(linked.clone()));

        #[cfg(unix)]
        {
            // A link from outside into a work tree is followed to where the files would land.
            let link = root.join("plain/into-repo");
            std::os::unix::fs::symlink(repo.join("src"), &link).unwrap();
            assert_eq!(git_work_tree(&link), Some(repo.clone()));
        }
        assert_eq!(SaveTarget::at(repo.join("src")).work_tree, Some(repo));
        assert_eq!(SaveTarget::at(plain).work_tree, outside);
    }
}
