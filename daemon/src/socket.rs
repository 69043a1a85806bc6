//! The listening socket: created in a 0700 directory owned by the user, reclaimed when stale (only
//! the lock holder may unlink it), and every peer's uid checked on accept.

use mcpd_shim::paths::Paths;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::Path;
use tokio::net::UnixListener;

/// Creates the mcpd directories with private permissions and checks their owner.
pub fn prepare_dirs(paths: &Paths) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&paths.home)?;
    for dir in [
        paths.run_dir(),
        paths.children_dir(),
        paths.log_dir(),
        paths.server_log_dir(),
    ] {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)?;
    }
    private_dir(&paths.run_dir())
}

/// Makes `dir` mode 0700 and fails if another user owns it.
fn private_dir(dir: &Path) -> io::Result<()> {
    let meta = std::fs::metadata(dir)?;
    let me = current_uid();
    if meta.uid() != me {
        return Err(io::Error::other(format!(
            "{} is owned by uid {}, not by this user (uid {me}); refusing to put the socket there",
            dir.display(),
            meta.uid()
        )));
    }
    if meta.permissions().mode() & 0o777 != 0o700 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Binds the socket. The caller must hold the instance lock: any file left at the path is then a
/// stale socket of a daemon that died, and is removed.
pub fn bind(paths: &Paths) -> io::Result<UnixListener> {
    paths.check_socket_len()?;
    let path = paths.socket();
    match std::fs::remove_file(&path) {
        Ok(()) => tracing::info!("removed a stale socket at {}", path.display()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let listener = UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

pub fn current_uid() -> u32 {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() }
}

/// Only connections from the daemon's own user are served.
pub fn authorize(peer_uid: u32, own_uid: u32) -> Result<(), String> {
    if peer_uid == own_uid {
        Ok(())
    } else {
        Err(format!(
            "connection refused: peer uid {peer_uid} is not the daemon's user (uid {own_uid})"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_uids_are_refused() {
        assert!(authorize(1000, 1000).is_ok());
        let e = authorize(1001, 1000).unwrap_err();
        assert!(e.contains("1001") && e.contains("refused"), "{e}");
    }

    #[test]
    fn dirs_are_private() {
        let t = tempfile::tempdir().unwrap();
        let paths = Paths::at(t.path().join("h"));
        prepare_dirs(&paths).unwrap();
        std::fs::set_permissions(paths.run_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
        prepare_dirs(&paths).unwrap();
        let mode = std::fs::metadata(paths.run_dir())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o700);
    }
}
