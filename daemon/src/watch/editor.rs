//! Editors' temp, swap, backup and lock files: written while a person edits or saves, never a
//! reason to reload.

/// Whether a file named `name` is an editor's temp/swap/backup/lock file.
pub(super) fn is_temp_file(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "~",            // vim / emacs backups
        ".swp",         // vim swap files ...
        ".swo",         //
        ".swx",         //
        ".swpx",        //
        ".kate-swp",    // Kate
        "___jb_tmp___", // JetBrains safe write
        "___jb_old___", //
        ".crswap",      // browsers' File System Access
        ".tmp",         // generic "write, then rename"
    ];
    const PREFIXES: &[&str] = &[
        ".#",              // emacs lock files
        ".goutputstream-", // GNOME (gedit)
        ".~lock.",         // LibreOffice
        ".syncthing.",     // sync tools' partial files
        ".sb-",            // BBEdit safe save
        ".nfs",            // NFS silly renames
        "~$",              // MS Office lock files
    ];
    SUFFIXES.iter().any(|s| name.ends_with(s))
        || PREFIXES.iter().any(|p| name.starts_with(p))
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#')) // emacs auto-save
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit())) // vim's "4913" probe
}

#[cfg(test)]
mod tests {
    use super::is_temp_file;

    #[test]
    fn editor_files_are_recognised() {
        for name in [
            ".server.py.swp",
            ".server.py.swx",
            "server.py~",
            "4913",
            "5036",
            ".#server.py",
            "#server.py#",
            "server.py___jb_tmp___",
            ".goutputstream-ABC123",
            "index.ts.tmp",
        ] {
            assert!(is_temp_file(name), "{name}");
        }
    }

    #[test]
    fn source_files_are_not() {
        for name in [
            "server.py",
            "index.js",
            "Cargo.toml",
            "#notes.md",
            "v2",
            "swp.py",
            ".gitignore",
        ] {
            assert!(!is_temp_file(name), "{name}");
        }
    }
}
