//! `${VAR}` / `${VAR:-default}` expansion against a caller-supplied environment, and `~` expansion.

/// Expands `${VAR}` and `${VAR:-default}` in `input`, looking names up with `env`.
///
/// - `${VAR}` gives VAR's value, or stays exactly as written when VAR is unset.
/// - `${VAR:-default}` gives VAR's value, or `default` (itself expanded) when VAR is unset or empty.
/// - Anything else is left as is: a lone `$`, `$VAR`, `${` without a closing `}`, `${}` or a
///   name that is not `[A-Za-z0-9_]+`.
pub fn expand(input: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let body = &rest[start + 2..];
        match closing_brace(body) {
            Some(end) => {
                let written = &rest[start..start + 2 + end + 1];
                out.push_str(&expand_one(&body[..end], written, env));
                rest = &body[end + 1..];
            }
            None => {
                // Unclosed: keep the `$` and look for later, complete references.
                out.push('$');
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Index in `body` (the text after `${`) of the `}` that closes it, allowing nested braces.
fn closing_brace(body: &str) -> Option<usize> {
    let mut depth = 1usize;
    for (i, b) in body.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Expands one reference; `inner` is between the braces, `written` is the whole `${...}`.
fn expand_one(inner: &str, written: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    if let Some((name, default)) = inner.split_once(":-")
        && is_name(name)
    {
        return match env(name) {
            Some(value) if !value.is_empty() => value,
            _ => expand(default, env),
        };
    }
    if is_name(inner) {
        return env(inner).unwrap_or_else(|| written.to_string());
    }
    written.to_string()
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Replaces a leading `~` (alone or followed by a path separator) with `home`.
/// `~user` and a `~` anywhere else are left as is, as is everything when `home` is unknown.
pub fn expand_tilde(input: &str, home: Option<&str>) -> String {
    let Some(home) = home else {
        return input.to_string();
    };
    match input.strip_prefix('~') {
        Some("") => home.to_string(),
        Some(rest) if rest.starts_with('/') || rest.starts_with(std::path::MAIN_SEPARATOR) => {
            format!(
                "{}{rest}",
                home.trim_end_matches(['/', std::path::MAIN_SEPARATOR])
            )
        }
        _ => input.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(input: &str) -> String {
        let env = |name: &str| match name {
            "HOST" => Some("example.com".to_string()),
            "PORT" => Some("8080".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        expand(input, &env)
    }

    #[test]
    fn set_variable_is_replaced() {
        assert_eq!(with("${HOST}"), "example.com");
    }

    #[test]
    fn unset_variable_is_left_literal() {
        assert_eq!(with("${NOPE}"), "${NOPE}");
        assert_eq!(with("a ${NOPE} b"), "a ${NOPE} b");
    }

    #[test]
    fn default_applies_when_unset_or_empty() {
        assert_eq!(with("${NOPE:-fallback}"), "fallback");
        assert_eq!(with("${EMPTY:-fallback}"), "fallback");
        assert_eq!(with("${HOST:-fallback}"), "example.com");
        assert_eq!(with("${NOPE:-}"), "");
    }

    #[test]
    fn set_but_empty_without_default_is_empty() {
        assert_eq!(with("[${EMPTY}]"), "[]");
    }

    #[test]
    fn references_inside_text() {
        assert_eq!(
            with("https://${HOST}:${PORT}/mcp"),
            "https://example.com:8080/mcp"
        );
        assert_eq!(with("${HOST}${PORT}"), "example.com8080");
    }

    #[test]
    fn default_is_itself_expanded() {
        assert_eq!(with("${NOPE:-${HOST}}"), "example.com");
        assert_eq!(with("${NOPE:-${ALSO_NOPE}}"), "${ALSO_NOPE}");
        assert_eq!(
            with("${NOPE:-http://${HOST}:${PORT}}"),
            "http://example.com:8080"
        );
    }

    #[test]
    fn other_dollar_forms_are_left_as_is() {
        assert_eq!(with("cost $5"), "cost $5");
        assert_eq!(with("$"), "$");
        assert_eq!(with("$HOST"), "$HOST");
        assert_eq!(with("$$"), "$$");
        assert_eq!(with("${"), "${");
        assert_eq!(with("${HOST"), "${HOST");
        assert_eq!(with("${}"), "${}");
        assert_eq!(with("${not a name}"), "${not a name}");
        assert_eq!(with("${HOST:default}"), "${HOST:default}");
    }

    #[test]
    fn unclosed_reference_keeps_later_ones_working() {
        assert_eq!(with("${A ${HOST}"), "${A example.com");
    }

    #[test]
    fn non_ascii_text_survives() {
        assert_eq!(with("é${HOST}ü$"), "éexample.comü$");
    }

    #[test]
    fn tilde_expansion() {
        let home = Some("client-home");
        assert_eq!(expand_tilde("~", home), "client-home");
        assert_eq!(expand_tilde("~/src", home), "client-home/src");
        assert_eq!(
            expand_tilde("~/src", Some("client-home/")),
            "client-home/src"
        );
        assert_eq!(expand_tilde("~bob/src", home), "~bob/src");
        assert_eq!(expand_tilde("a/~/b", home), "a/~/b");
        assert_eq!(expand_tilde("~/src", None), "~/src");
    }
}
