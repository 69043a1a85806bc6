//! Ranking tools against a free-text query, BM25F-style: the query and each tool's name, title,
//! description and input parameters are split into stemmed words; every field has its own weight
//! (the name the most), every query word an IDF weight over all the tools searched (rare words count
//! more), and a tool whose name is the query itself ranks first.

use serde_json::Value;
use serde_json::value::RawValue;
use std::cmp::Ordering;

const NAME: usize = 0;
const TITLE: usize = 1;
const DESCRIPTION: usize = 2;
const PARAM_NAMES: usize = 3;
const PARAM_TEXT: usize = 4;
const FIELDS: usize = 5;
/// Weight of a match in each field (indexed by the constants above).
const WEIGHTS: [f64; FIELDS] = [4.0, 2.0, 1.0, 1.5, 0.5];
/// BM25 term-frequency saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Credit for a word that merely starts with a query word (`sync` in `synchronise`), and the
/// shortest query word that earns it.
const PREFIX_CREDIT: f64 = 0.5;
const MIN_PREFIX: usize = 4;
/// How deep nested parameter objects are read.
const MAX_SCHEMA_DEPTH: usize = 4;

/// Short function words that say nothing about a tool.
const STOP_WORDS: &[&str] = &[
    "an", "and", "any", "are", "as", "at", "be", "by", "can", "do", "for", "from", "how", "in",
    "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the", "this",
    "to", "us", "we", "what", "with", "you",
];

/// One tool to rank: the server it belongs to and its raw Tool object.
pub struct Candidate<'a> {
    pub server: &'a str,
    pub tool: &'a RawValue,
}

/// A match: the candidate's index and its score (higher is better, rounded to 3 decimals).
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub index: usize,
    pub score: f64,
}

/// The best `limit` candidates for `query` with a score above zero, best first; ties go by server,
/// then tool name.
pub fn rank(query: &str, candidates: &[Candidate], limit: usize) -> Vec<Ranked> {
    let docs: Vec<Doc> = candidates.iter().map(|c| Doc::of(c.tool)).collect();
    let mut terms = tokens(query);
    terms.sort();
    terms.dedup();
    let mut scores = vec![0.0f64; docs.len()];
    if !docs.is_empty() {
        let n = docs.len() as f64;
        let mut avg = [0.0f64; FIELDS];
        for d in &docs {
            for (f, words) in d.fields.iter().enumerate() {
                avg[f] += words.len() as f64 / n;
            }
        }
        for term in &terms {
            let tf: Vec<[f64; FIELDS]> = docs.iter().map(|d| d.frequencies(term)).collect();
            let df = tf.iter().filter(|t| t.iter().any(|x| *x > 0.0)).count() as f64;
            if df == 0.0 {
                continue;
            }
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for (i, d) in docs.iter().enumerate() {
                let mut s = 0.0;
                for f in 0..FIELDS {
                    let x = tf[i][f];
                    if x > 0.0 {
                        let norm = if avg[f] > 0.0 {
                            1.0 - B + B * d.fields[f].len() as f64 / avg[f]
                        } else {
                            1.0
                        };
                        s += WEIGHTS[f] * x * (K1 + 1.0) / (x + K1 * norm);
                    }
                }
                scores[i] += idf * s;
            }
        }
    }
    // An exact name match outranks everything else.
    let best = scores.iter().cloned().fold(0.0, f64::max);
    let wanted = split_words(query);
    for (i, d) in docs.iter().enumerate() {
        if !wanted.is_empty() && d.words_of_name == wanted {
            scores[i] += best + 1.0;
        }
    }
    let mut ranked: Vec<Ranked> = scores
        .iter()
        .enumerate()
        .filter(|(_, s)| **s > 0.0)
        .map(|(index, score)| Ranked {
            index,
            score: *score,
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(Ordering::Equal)
            .then_with(|| candidates[a.index].server.cmp(candidates[b.index].server))
            .then_with(|| docs[a.index].name.cmp(&docs[b.index].name))
            .then_with(|| a.index.cmp(&b.index))
    });
    ranked.truncate(limit);
    for r in &mut ranked {
        r.score = (r.score * 1000.0).round() / 1000.0;
    }
    ranked
}

/// A tool's searchable words, by field.
struct Doc {
    name: String,
    /// The name split into lowercase words, unfiltered (for the exact-match test).
    words_of_name: Vec<String>,
    fields: [Vec<String>; FIELDS],
}

impl Doc {
    fn of(tool: &RawValue) -> Doc {
        let v: Value = serde_json::from_str(tool.get()).unwrap_or(Value::Null);
        let name = v["name"].as_str().unwrap_or("").to_string();
        let mut fields: [Vec<String>; FIELDS] = Default::default();
        fields[NAME] = tokens(&name);
        for title in [&v["title"], &v["annotations"]["title"]] {
            fields[TITLE].extend(tokens(title.as_str().unwrap_or("")));
        }
        fields[DESCRIPTION] = tokens(v["description"].as_str().unwrap_or(""));
        collect_params(&v["inputSchema"], 0, &mut fields);
        Doc {
            words_of_name: split_words(&name),
            name,
            fields,
        }
    }

    /// How often `term` occurs in each field (a prefix match counts `PREFIX_CREDIT`).
    fn frequencies(&self, term: &str) -> [f64; FIELDS] {
        let mut tf = [0.0; FIELDS];
        for (f, words) in self.fields.iter().enumerate() {
            for w in words {
                if w == term {
                    tf[f] += 1.0;
                } else if term.len() >= MIN_PREFIX && w.starts_with(term) {
                    tf[f] += PREFIX_CREDIT;
                }
            }
        }
        tf
    }
}

/// Parameter names, titles, descriptions and enum values of a JSON Schema, nested ones included.
fn collect_params(schema: &Value, depth: usize, fields: &mut [Vec<String>; FIELDS]) {
    if depth > MAX_SCHEMA_DEPTH {
        return;
    }
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (key, property) in properties {
        fields[PARAM_NAMES].extend(tokens(key));
        for text in [&property["title"], &property["description"]] {
            fields[PARAM_TEXT].extend(tokens(text.as_str().unwrap_or("")));
        }
        if let Some(values) = property.get("enum").and_then(Value::as_array) {
            for value in values.iter().filter_map(Value::as_str) {
                fields[PARAM_TEXT].extend(tokens(value));
            }
        }
        collect_params(property, depth + 1, fields);
        if let Some(items) = property.get("items") {
            collect_params(items, depth + 1, fields);
        }
    }
}

/// The searchable words of `text`: split (see [`split_words`]), stop words and one-letter words
/// dropped, numbers without leading zeros, plurals folded.
pub fn tokens(text: &str) -> Vec<String> {
    split_words(text)
        .into_iter()
        .filter(|w| w.chars().count() >= 2 && !STOP_WORDS.contains(&w.as_str()))
        .map(|w| {
            if w.bytes().all(|b| b.is_ascii_digit()) {
                let trimmed = w.trim_start_matches('0');
                if trimmed.is_empty() { "0" } else { trimmed }.to_string()
            } else {
                stem(&w)
            }
        })
        .collect()
}

/// Lowercase words of `text`, split at anything not a letter or digit and inside camelCase
/// (`getHTTPResponse` → get, http, response).
pub fn split_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for run in text.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = run.chars().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (prev, cur) = (chars[i - 1], chars[i]);
            let next_lower = chars.get(i + 1).is_some_and(|c| c.is_lowercase());
            let boundary = (prev.is_lowercase() && cur.is_uppercase())
                || (prev.is_uppercase() && cur.is_uppercase() && next_lower);
            if boundary {
                out.push(chars[start..i].iter().collect::<String>().to_lowercase());
                start = i;
            }
        }
        if start < chars.len() {
            out.push(chars[start..].iter().collect::<String>().to_lowercase());
        }
    }
    out
}

/// A light stemmer: folds plurals and a final `e`, the same way for query and tools (`searches`,
/// `search` → search; `entries`, `entry` → entry; `files`, `file` → fil).
fn stem(word: &str) -> String {
    let mut w = word.to_string();
    if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with("ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with('s')
        && w.len() > 3
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w.pop();
    }
    if w.ends_with('e') && w.len() > 3 {
        w.pop();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tool(name: &str, description: &str, properties: Value) -> Box<RawValue> {
        let v = json!({
            "name": name,
            "description": description,
            "inputSchema": {"type": "object", "properties": properties},
        });
        RawValue::from_string(v.to_string()).unwrap()
    }

    /// Ranks `(server, tool)` pairs; answers `server/name` of the matches, best first.
    fn names(query: &str, tools: &[(&str, Box<RawValue>)], limit: usize) -> Vec<String> {
        let candidates: Vec<Candidate> = tools
            .iter()
            .map(|(server, tool)| Candidate { server, tool })
            .collect();
        rank(query, &candidates, limit)
            .into_iter()
            .map(|r| {
                let v: Value = serde_json::from_str(tools[r.index].1.get()).unwrap();
                format!("{}/{}", tools[r.index].0, v["name"].as_str().unwrap())
            })
            .collect()
    }

    fn example_tools(server: &'static str) -> Vec<(&'static str, Box<RawValue>)> {
        vec![
            (
                server,
                tool(
                    "add",
                    "Add two numbers.\n\nReturns the sum as text and as structured content.",
                    json!({"a": {"type": "number", "description": "The first addend."},
                           "b": {"type": "number", "description": "The second addend."}}),
                ),
            ),
            (
                server,
                tool(
                    "add_tool",
                    "Register a new echo-like tool.\n\nThen sends notifications/tools/list_changed.",
                    json!({"name": {"type": "string", "description": "Name of the new tool."}}),
                ),
            ),
            (
                server,
                tool(
                    "echo",
                    "Echo the given text back.",
                    json!({"text": {"type": "string", "description": "The text to send back."}}),
                ),
            ),
            (
                server,
                tool(
                    "sleep",
                    "Sleep for a while, then answer.",
                    json!({"ms": {"type": "integer", "description": "How long to sleep, in milliseconds."}}),
                ),
            ),
        ]
    }

    #[test]
    fn words_are_split_lowercased_filtered_and_stemmed() {
        assert_eq!(
            split_words("getHTTPResponse search_issues list-files X"),
            [
                "get", "http", "response", "search", "issues", "list", "files", "x"
            ]
        );
        assert_eq!(
            tokens("Searches the Issues of a repo, e.g. PR #0042"),
            ["search", "issu", "repo", "pr", "42"]
        );
        assert_eq!(tokens("entries entry"), ["entry", "entry"]);
        assert_eq!(
            tokens("addresses address status"),
            ["address", "address", "status"]
        );
        assert_eq!(tokens("to a of the"), Vec::<String>::new());
    }

    #[test]
    fn the_tool_that_does_it_ranks_first() {
        let tools = example_tools("ex");
        let got = names("add two numbers", &tools, 5);
        assert_eq!(got[0], "ex/add", "{got:?}");
        assert_eq!(names("wait some milliseconds", &tools, 5)[0], "ex/sleep");
        assert_eq!(names("register a new tool", &tools, 5)[0], "ex/add_tool");
    }

    #[test]
    fn an_exact_name_ranks_first_whatever_the_descriptions_say() {
        let mut tools = example_tools("ex");
        tools.push((
            "ex",
            tool(
                "shout",
                "Echo echo echo: repeats the echo of an echo.",
                json!({"echo": {"type": "string", "description": "echo"}}),
            ),
        ));
        assert_eq!(names("echo", &tools, 5)[0], "ex/echo");
        assert_eq!(names("Add Tool", &tools, 5)[0], "ex/add_tool");
        assert_eq!(names("addTool", &tools, 5)[0], "ex/add_tool");
    }

    #[test]
    fn rare_words_count_more_than_common_ones() {
        let mut tools: Vec<(&str, Box<RawValue>)> = (0..10)
            .map(|i| {
                (
                    "s",
                    tool(
                        &format!("list_things_{i}"),
                        "List things in the store.",
                        json!({}),
                    ),
                )
            })
            .collect();
        tools.push((
            "s",
            tool(
                "events",
                "Show the calendar.",
                json!({"day": {"type": "string"}}),
            ),
        ));
        // "list" matches ten tools in name and description, "calendar" one tool's description.
        assert_eq!(names("list calendar", &tools, 1), ["s/events"]);
    }

    #[test]
    fn parameters_are_searched() {
        let tools = vec![
            (
                "s",
                tool(
                    "now",
                    "Current time.",
                    json!({"timezone": {"type": "string", "description": "IANA zone"}}),
                ),
            ),
            (
                "s",
                tool(
                    "later",
                    "Some time later.",
                    json!({"delay": {"type": "string", "description": "How long."}}),
                ),
            ),
            (
                "s",
                tool(
                    "mode",
                    "Pick a mode.",
                    json!({"m": {"type": "string", "enum": ["verbose", "quiet"]}}),
                ),
            ),
        ];
        assert_eq!(names("time in another timezone", &tools, 5)[0], "s/now");
        assert_eq!(names("quiet", &tools, 5), ["s/mode"]);
    }

    #[test]
    fn ties_go_by_server_then_name_and_limit_and_zero_scores_are_respected() {
        let mut tools = example_tools("zeta");
        tools.extend(example_tools("alpha"));
        assert_eq!(names("add", &tools, 2), ["alpha/add", "zeta/add"]);
        assert_eq!(names("add two numbers", &tools, 1), ["alpha/add"]);
        let echo = names("echo text back", &tools, 50);
        assert_eq!(echo[..2], ["alpha/echo", "zeta/echo"]);
        assert!(
            echo.len() < tools.len(),
            "only tools with a matching word: {echo:?}"
        );
        assert!(names("kubernetes", &tools, 5).is_empty());
        assert!(names("", &tools, 5).is_empty());
        assert!(names("add", &[], 5).is_empty());
    }

    #[test]
    fn prefixes_earn_partial_credit() {
        let tools = vec![
            (
                "s",
                tool("mirror", "Synchronises the upstream mirror.", json!({})),
            ),
            ("s", tool("other", "Something else.", json!({}))),
        ];
        assert_eq!(names("sync", &tools, 5), ["s/mirror"]);
    }

    #[test]
    fn broken_tools_do_not_break_the_ranking() {
        let odd = RawValue::from_string(
            r#"{"name":7,"description":["x"],"inputSchema":{"properties":[1]}}"#.into(),
        )
        .unwrap();
        let tools = vec![("s", odd), ("s", tool("echo", "Echo.", json!({})))];
        assert_eq!(names("echo", &tools, 5), ["s/echo"]);
    }
}
