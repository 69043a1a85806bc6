//! The last good version of a file standing in while an edit leaves it broken.

use super::{tempdir, write};
use crate::LastGood;

const GOOD: &str = r#"{"mcpServers": {"a": {"command": "a1"}, "b": {"command": "b1"}}}"#;

#[test]
fn bad_json_keeps_the_last_good_definitions_and_reports_the_error() {
    let (_tmp, root) = tempdir();
    let file = write(&root, "proj/.mcpd.json", GOOD);
    let user = root.join("no-user.json");
    let last = LastGood::default();
    assert!(last.discover(&root.join("proj"), &user).errors.is_empty());

    write(&root, "proj/.mcpd.json", r#"{"mcpServers": {"a": "#);
    let set = last.discover(&root.join("proj"), &user);
    assert_eq!(set.names(), vec!["a", "b"]);
    assert_eq!(set.get("a").unwrap().command.as_deref(), Some("a1"));
    assert_eq!(set.files, vec![file.clone()]);
    assert_eq!(set.errors.len(), 1, "{:?}", set.errors);
    let error = set.errors[0].to_string();
    assert!(error.starts_with(&file.display().to_string()), "{error}");
    assert!(error.contains("invalid JSON at line 1"), "{error}");
    assert!(
        error.contains("keeps using the last valid version"),
        "{error}"
    );

    write(
        &root,
        "proj/.mcpd.json",
        r#"{"mcpServers": {"a": {"command": "a2"}}}"#,
    );
    let set = last.discover(&root.join("proj"), &user);
    assert!(set.errors.is_empty(), "{:?}", set.errors);
    assert_eq!(set.names(), vec!["a"]);
    assert_eq!(set.get("a").unwrap().command.as_deref(), Some("a2"));
}

#[test]
fn an_entry_made_invalid_keeps_its_last_valid_definition() {
    let (_tmp, root) = tempdir();
    write(&root, "u/config.json", GOOD);
    let user = root.join("u/config.json");
    let last = LastGood::default();
    last.discover(&root, &user);

    let edited =
        r#"{"mcpServers": {"a": {"command": "a1", "args": "x"}, "b": {"command": "b2"}, "c": 3}}"#;
    write(&root, "u/config.json", edited);
    let set = last.discover(&root, &user);
    assert_eq!(set.get("a").unwrap().command.as_deref(), Some("a1"));
    assert!(set.get("a").unwrap().args.is_empty());
    assert_eq!(set.get("b").unwrap().command.as_deref(), Some("b2"));
    // A new entry has no last valid definition: it is invalid.
    assert!(set.get("c").is_err());
    assert_eq!(set.errors.len(), 1, "{:?}", set.errors);
    let error = set.errors[0].to_string();
    assert!(error.contains("mcpServers.a.args"), "{error}");
    assert!(
        error.contains("keeps using its last valid definition"),
        "{error}"
    );
}

#[test]
fn without_a_good_version_a_broken_file_is_reported_as_usual() {
    let (_tmp, root) = tempdir();
    let file = write(&root, "proj/.mcpd.json", "{oops");
    let last = LastGood::default();
    let set = last.discover(&root.join("proj"), &root.join("none.json"));
    assert!(set.servers.is_empty());
    assert_eq!(set.files, vec![file]);
    assert_eq!(set.errors.len(), 1);
    assert!(
        !set.errors[0].problem.contains("keeps using"),
        "{:?}",
        set.errors
    );
}

#[test]
fn a_deleted_file_removes_its_servers_and_a_missing_user_config_is_forgotten() {
    let (_tmp, root) = tempdir();
    let project = write(&root, "proj/.mcpd.json", GOOD);
    let user = write(
        &root,
        "u/config.json",
        r#"{"mcpServers": {"u": {"command": "u"}}}"#,
    );
    let cwd = root.join("proj");
    let last = LastGood::default();
    assert_eq!(last.discover(&cwd, &user).names(), vec!["a", "b", "u"]);

    std::fs::remove_file(&project).unwrap();
    std::fs::remove_file(&user).unwrap();
    assert!(last.discover(&cwd, &user).servers.is_empty());
    write(&root, "u/config.json", "{oops");
    let set = last.discover(&cwd, &user);
    assert!(set.servers.is_empty());
    assert_eq!(set.errors.len(), 1);
}
