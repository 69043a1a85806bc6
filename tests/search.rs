//! `mcpd/search` with the real binary: ranking across servers, `limit`, one server or an unknown
//! one, the on-disk tool cache (a later daemon searches without starting anything), and servers
//! that cannot start reported in `errors` while the others are still searched.

mod common;

use common::{Env, example, wait_until};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// `mcpd/search` on a fresh connection; the whole response.
fn search(env: &Env, params: Value) -> Value {
    env.connect().request(1, "mcpd/search", params)
}

/// The result of a successful search.
fn result(response: &Value) -> &Value {
    response
        .get("result")
        .unwrap_or_else(|| panic!("expected a result, got {response}"))
}

/// `server/tool` of every match, best first.
fn hits(response: &Value) -> Vec<String> {
    result(response)["matches"]
        .as_array()
        .unwrap_or_else(|| panic!("no matches in {response}"))
        .iter()
        .map(|m| {
            format!(
                "{}/{}",
                m["server"].as_str().unwrap(),
                m["tool"]["name"].as_str().unwrap()
            )
        })
        .collect()
}

fn searched(response: &Value) -> Vec<String> {
    serde_json::from_value(result(response)["searched"].clone()).unwrap()
}

fn cache_files(env: &Env) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(env.home.join("cache/tools")) {
        Ok(dir) => dir
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn ranks_the_right_tool_first_across_servers_with_full_schemas() {
    let env = Env::new();
    env.servers(json!({
        "alpha": example(&[]),
        "beta": example(&["--tools", "20"]),
    }));
    env.start_daemon();

    let r = search(&env, json!({ "query": "add two numbers" }));
    let got = hits(&r);
    assert_eq!(got[..2], ["alpha/add", "beta/add"], "{r}");
    assert_eq!(searched(&r), ["alpha", "beta"]);
    assert_eq!(result(&r)["errors"], json!([]));
    let first = &result(&r)["matches"][0];
    assert!(first["score"].as_f64().unwrap() > 0.0);
    assert_eq!(
        first["tool"]["outputSchema"]["required"],
        json!(["sum"]),
        "the whole Tool object: {first}"
    );

    // A synthetic tool's domain: only beta's calendar tools talk about it; the one that also
    // searches ranks first.
    let r = search(
        &env,
        json!({ "query": "search the team calendar for events" }),
    );
    let got = hits(&r);
    assert_eq!(
        got[..2],
        ["beta/synthetic_0014", "beta/synthetic_0004"],
        "{r}"
    );
    let tool = &result(&r)["matches"][0]["tool"];
    let listed: Value = serde_json::from_str(&env.ok(&["tools", "--json", "beta"])).unwrap();
    let same = listed["beta"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "synthetic_0014")
        .unwrap();
    assert_eq!(tool, same, "the match is the child's Tool object");

    // An exact name wins over descriptions that mention it.
    assert_eq!(
        hits(&search(&env, json!({ "query": "echo" })))[0],
        "alpha/echo"
    );
    // Scores are descending.
    let scores: Vec<f64> = result(&r)["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn limit_server_filter_and_bad_params() {
    let env = Env::new();
    env.servers(json!({
        "alpha": example(&[]),
        "beta": example(&["--tools", "60"]),
    }));
    env.start_daemon();

    // Every synthetic tool has a `limit` parameter: far more than any limit.
    let count = |params: Value| hits(&search(&env, params)).len();
    assert_eq!(count(json!({ "query": "limit" })), 5, "default limit");
    assert_eq!(count(json!({ "query": "limit", "limit": 3 })), 3);
    assert_eq!(
        count(json!({ "query": "limit", "limit": 500 })),
        50,
        "at most 50"
    );
    assert_eq!(
        count(json!({ "query": "limit", "limit": 0 })),
        1,
        "at least 1"
    );
    assert_eq!(
        count(json!({ "query": "zyxwvut qqq" })),
        0,
        "nothing matches"
    );

    let r = search(
        &env,
        json!({ "query": "add", "server": "beta", "limit": 50 }),
    );
    assert_eq!(searched(&r), ["beta"]);
    let got = hits(&r);
    assert_eq!(got[0], "beta/add");
    assert!(got.iter().all(|h| h.starts_with("beta/")), "{got:?}");

    let r = search(&env, json!({ "query": "add", "server": "alpah" }));
    let e = &r["error"];
    assert_eq!(e["code"], -32003, "{r}");
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("unknown server 'alpah'") && msg.contains("did you mean 'alpha'"),
        "{msg}"
    );

    let r = search(&env, json!({ "query": "  " }));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = search(&env, json!({ "limit": 3 }));
    assert_eq!(r["error"]["code"], -32602, "query is required: {r}");
}

#[test]
fn cached_tools_are_searched_by_a_later_daemon_without_starting_anything() {
    let env = Env::new();
    env.servers(json!({
        "alpha": example(&[]),
        "beta": example(&["--tools", "20"]),
    }));
    env.start_daemon();

    // Never seen: the search starts both, and their tools are cached.
    let r = search(&env, json!({ "query": "add two numbers" }));
    assert_eq!(hits(&r)[0], "alpha/add", "{r}");
    assert_eq!(env.server_status("alpha")["state"], "ready");
    assert_eq!(env.server_status("beta")["state"], "ready");
    assert_eq!(cache_files(&env).len(), 2, "{:?}", cache_files(&env));

    // A tool added at run time (list_changed) reaches the cache too.
    let added = env.call_text("alpha", "add_tool", json!({ "name": "frobnicate_widgets" }));
    assert!(!added.is_empty());
    assert!(
        wait_until(Duration::from_secs(10), || cache_files(&env).iter().any(
            |p| {
                std::fs::read_to_string(p)
                    .unwrap_or_default()
                    .contains("frobnicate_widgets")
            }
        )),
        "the refreshed list is cached"
    );

    env.ok(&["stop"]);
    env.start_daemon();
    let started = Instant::now();
    let r = search(&env, json!({ "query": "frobnicate widgets" }));
    assert_eq!(hits(&r)[0], "alpha/frobnicate_widgets", "{r}");
    let r = search(
        &env,
        json!({ "query": "search the team calendar for events" }),
    );
    assert_eq!(hits(&r)[0], "beta/synthetic_0014", "{r}");
    assert_eq!(searched(&r), ["alpha", "beta"]);
    assert!(started.elapsed() < Duration::from_secs(5));
    for name in ["alpha", "beta"] {
        let st = env.server_status(name);
        assert_eq!(st["state"], "stopped", "no process for {name}: {st}");
        assert!(st["pid"].is_null(), "{st}");
        assert_eq!(st["restarts"], 0, "{st}");
    }
}

#[test]
fn servers_that_cannot_start_are_reported_and_the_rest_still_match() {
    let env = Env::new();
    env.servers(json!({
        "ok": example(&[]),
        "boom": example(&["--crash-on-start"]),
        "missing": { "command": "mcpd-test-no-such-command" },
        "remote": { "type": "http", "url": "http://127.0.0.1:9/mcp" },
    }));
    env.start_daemon();

    let started = Instant::now();
    let r = search(&env, json!({ "query": "add two numbers" }));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(hits(&r)[0], "ok/add", "{r}");
    assert_eq!(searched(&r), ["ok"]);
    let errors = result(&r)["errors"].as_array().unwrap();
    let error_of = |name: &str| -> String {
        errors
            .iter()
            .find(|e| e["server"] == name)
            .unwrap_or_else(|| panic!("no error for {name} in {r}"))["error"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(error_of("boom").contains("crash on start requested"), "{r}");
    assert!(
        error_of("missing").contains("mcpd-test-no-such-command"),
        "{r}"
    );
    assert!(error_of("remote").contains("http"), "{r}");
    assert_eq!(errors.len(), 3, "{r}");

    // Failures are not cached: a search names them again (and still answers).
    let r = search(&env, json!({ "query": "echo", "server": "boom" }));
    assert_eq!(hits(&r), Vec::<String>::new());
    assert!(
        result(&r)["errors"][0]["error"]
            .as_str()
            .unwrap()
            .contains("crash on start")
    );
}
