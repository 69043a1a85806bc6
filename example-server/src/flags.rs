//! Command-line flags of `mcpd example-server` and their parsing.

use std::fmt;

/// Usage text, printed to stderr for `--help` and after a flag error.
pub const USAGE: &str = "\
usage: mcpd example-server [FLAGS]

A small MCP server speaking newline-delimited JSON-RPC on stdin/stdout.

flags:
  --name NAME               serverInfo.name (default: mcpd-example)
  --tools N                 also register N synthetic tools (synthetic_0001, ...)
  --page-size N             paginate tools/list with N tools per page (0: no paging)
  --startup-delay-ms N      sleep N ms before reading stdin
  --garbage-on-start N      print N non-JSON lines to stdout at start
  --crash-on-start          print an error to stderr and exit 1 at once
  --hang-on-initialize      never answer initialize (everything else still works)
  --ignore-cancel           keep running cancelled calls and still answer them
  --ignore-stdin-eof        keep living after stdin closes, until killed
  --ignore-sigterm          ignore SIGTERM (only SIGKILL stops the server)
  --spawn-grandchild        spawn `sleep 3600` in our process group at start
  --stderr-on-start TEXT    write TEXT as a line to stderr at start
  --help                    print this help to stderr";

/// The server's configuration, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flags {
    pub name: String,
    pub tools: usize,
    /// Tools per `tools/list` page; 0 means everything in one page.
    pub page_size: usize,
    pub startup_delay_ms: u64,
    pub garbage_on_start: usize,
    pub crash_on_start: bool,
    pub hang_on_initialize: bool,
    pub ignore_cancel: bool,
    pub ignore_stdin_eof: bool,
    pub ignore_sigterm: bool,
    pub spawn_grandchild: bool,
    pub stderr_on_start: Option<String>,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            name: "mcpd-example".to_string(),
            tools: 0,
            page_size: 0,
            startup_delay_ms: 0,
            garbage_on_start: 0,
            crash_on_start: false,
            hang_on_initialize: false,
            ignore_cancel: false,
            ignore_stdin_eof: false,
            ignore_sigterm: false,
            spawn_grandchild: false,
            stderr_on_start: None,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    Serve(Flags),
    Help,
}

/// A command line that cannot be obeyed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagError {
    Unknown(String),
    MissingValue(String),
    BadNumber { flag: String, value: String },
    UnexpectedValue(String),
}

impl fmt::Display for FlagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlagError::Unknown(flag) => write!(f, "unknown flag: {flag}"),
            FlagError::MissingValue(flag) => write!(f, "flag {flag} needs a value"),
            FlagError::BadNumber { flag, value } => {
                write!(f, "flag {flag} needs a non-negative integer, got {value:?}")
            }
            FlagError::UnexpectedValue(flag) => write!(f, "flag {flag} takes no value"),
        }
    }
}

impl std::error::Error for FlagError {}

impl Flags {
    /// Parses the flags that follow the subcommand; accepts `--flag VALUE` and `--flag=VALUE`.
    pub fn parse<S: AsRef<str>>(args: &[S]) -> Result<Invocation, FlagError> {
        let mut flags = Flags::default();
        let mut rest = args.iter().map(AsRef::as_ref);
        while let Some(arg) = rest.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
                _ => (arg, None),
            };
            let mut value = || -> Result<String, FlagError> {
                match inline {
                    Some(v) => Ok(v.to_string()),
                    None => rest
                        .next()
                        .map(str::to_string)
                        .ok_or_else(|| FlagError::MissingValue(flag.to_string())),
                }
            };
            let number = |text: String| -> Result<u64, FlagError> {
                text.parse::<u64>().map_err(|_| FlagError::BadNumber {
                    flag: flag.to_string(),
                    value: text,
                })
            };
            let switch = |target: &mut bool| -> Result<(), FlagError> {
                match inline {
                    Some(_) => Err(FlagError::UnexpectedValue(flag.to_string())),
                    None => {
                        *target = true;
                        Ok(())
                    }
                }
            };
            match flag {
                "--help" | "-h" => return Ok(Invocation::Help),
                "--name" => flags.name = value()?,
                "--tools" => flags.tools = to_usize(number(value()?)?),
                "--page-size" => flags.page_size = to_usize(number(value()?)?),
                "--startup-delay-ms" => flags.startup_delay_ms = number(value()?)?,
                "--garbage-on-start" => flags.garbage_on_start = to_usize(number(value()?)?),
                "--stderr-on-start" => flags.stderr_on_start = Some(value()?),
                "--crash-on-start" => switch(&mut flags.crash_on_start)?,
                "--hang-on-initialize" => switch(&mut flags.hang_on_initialize)?,
                "--ignore-cancel" => switch(&mut flags.ignore_cancel)?,
                "--ignore-stdin-eof" => switch(&mut flags.ignore_stdin_eof)?,
                "--ignore-sigterm" => switch(&mut flags.ignore_sigterm)?,
                "--spawn-grandchild" => switch(&mut flags.spawn_grandchild)?,
                _ => return Err(FlagError::Unknown(arg.to_string())),
            }
        }
        Ok(Invocation::Serve(flags))
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> Flags {
        match Flags::parse(args) {
            Ok(Invocation::Serve(flags)) => flags,
            other => panic!("expected flags, got {other:?}"),
        }
    }

    #[test]
    fn no_flags_gives_defaults() {
        assert_eq!(serve(&[]), Flags::default());
        assert_eq!(Flags::default().name, "mcpd-example");
    }

    #[test]
    fn values_and_switches_are_parsed() {
        let flags = serve(&[
            "--name",
            "demo",
            "--tools",
            "50",
            "--page-size=10",
            "--startup-delay-ms",
            "250",
            "--garbage-on-start",
            "3",
            "--stderr-on-start",
            "hello there",
            "--crash-on-start",
            "--hang-on-initialize",
            "--ignore-cancel",
            "--ignore-stdin-eof",
            "--ignore-sigterm",
            "--spawn-grandchild",
        ]);
        assert_eq!(
            flags,
            Flags {
                name: "demo".into(),
                tools: 50,
                page_size: 10,
                startup_delay_ms: 250,
                garbage_on_start: 3,
                crash_on_start: true,
                hang_on_initialize: true,
                ignore_cancel: true,
                ignore_stdin_eof: true,
                ignore_sigterm: true,
                spawn_grandchild: true,
                stderr_on_start: Some("hello there".into()),
            }
        );
    }

    #[test]
    fn value_may_look_like_a_flag() {
        assert_eq!(serve(&["--name", "--tools"]).name, "--tools");
    }

    #[test]
    fn errors_are_reported() {
        assert_eq!(
            Flags::parse(&["--bogus"]),
            Err(FlagError::Unknown("--bogus".into()))
        );
        assert_eq!(
            Flags::parse(&["--tools"]),
            Err(FlagError::MissingValue("--tools".into()))
        );
        assert_eq!(
            Flags::parse(&["--tools", "-1"]),
            Err(FlagError::BadNumber {
                flag: "--tools".into(),
                value: "-1".into()
            })
        );
        assert_eq!(
            Flags::parse(&["--ignore-cancel=yes"]),
            Err(FlagError::UnexpectedValue("--ignore-cancel".into()))
        );
        assert_eq!(
            Flags::parse(&["positional"]),
            Err(FlagError::Unknown("positional".into()))
        );
    }

    #[test]
    fn help_is_recognised() {
        assert_eq!(
            Flags::parse(&["--tools", "3", "--help"]),
            Ok(Invocation::Help)
        );
    }
}
