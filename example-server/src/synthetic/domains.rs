//! The imaginary APIs and actions that synthetic tool descriptions and schemas are made of.

/// One imaginary API the synthetic tools pretend to wrap.
pub struct Domain {
    pub system: &'static str,
    pub resource: &'static str,
    pub key: (&'static str, &'static str),
    pub text: (&'static str, &'static str),
    pub choice: (&'static str, &'static str, &'static [&'static str]),
    pub list: (&'static str, &'static str),
    pub note: &'static str,
}

/// The imaginary APIs, cycled through by consecutive synthetic tools.
pub const DOMAINS: [Domain; 10] = [
    Domain {
        system: "the issue tracker",
        resource: "issues",
        key: (
            "project_key",
            "Key of the project that owns the issues, e.g. \"PLAT\".",
        ),
        text: (
            "query",
            "Free-text filter matched against titles and descriptions.",
        ),
        choice: (
            "state",
            "Workflow state to filter on.",
            &["open", "in_progress", "closed"],
        ),
        list: ("labels", "Labels that every returned issue must carry."),
        note: "Respects the caller's project permissions.",
    },
    Domain {
        system: "the shared file store",
        resource: "files",
        key: (
            "path",
            "Absolute path of the folder, starting with a slash.",
        ),
        text: (
            "pattern",
            "Glob pattern applied to file names, e.g. \"*.md\".",
        ),
        choice: (
            "sort",
            "Ordering of the entries.",
            &["name", "size", "modified"],
        ),
        list: ("extensions", "File extensions to keep, without the dot."),
        note: "Symbolic links are reported but never followed.",
    },
    Domain {
        system: "the analytics database",
        resource: "rows",
        key: ("table", "Fully qualified table name, schema.table."),
        text: ("where", "SQL boolean expression applied as a filter."),
        choice: (
            "consistency",
            "Read consistency level.",
            &["eventual", "strong"],
        ),
        list: ("columns", "Columns to return; all columns when empty."),
        note: "Queries run in a read-only transaction with a 30 s timeout.",
    },
    Domain {
        system: "the team calendar",
        resource: "events",
        key: (
            "calendar_id",
            "Identifier of the calendar, e.g. \"team@example.com\".",
        ),
        text: ("title", "Text that the event title must contain."),
        choice: (
            "visibility",
            "Visibility of the events.",
            &["public", "private", "busy"],
        ),
        list: ("attendees", "E-mail addresses of required attendees."),
        note: "Times are returned in UTC using RFC 3339.",
    },
    Domain {
        system: "the mail server",
        resource: "messages",
        key: (
            "mailbox",
            "Name of the mailbox, e.g. \"INBOX\" or \"Archive/2024\".",
        ),
        text: ("subject", "Substring that the subject line must contain."),
        choice: (
            "format",
            "Representation of message bodies.",
            &["plain", "html", "raw"],
        ),
        list: ("senders", "Sender addresses to include."),
        note: "Attachments are listed by name and size only.",
    },
    Domain {
        system: "the CI service",
        resource: "pipeline runs",
        key: ("repository", "Repository in owner/name form."),
        text: ("branch", "Branch or tag the runs were triggered for."),
        choice: (
            "status",
            "Run status to filter on.",
            &["queued", "running", "passed", "failed"],
        ),
        list: ("jobs", "Job names to include in the report."),
        note: "Logs are truncated to the last 500 lines per job.",
    },
    Domain {
        system: "the cloud compute API",
        resource: "instances",
        key: ("region", "Region code, e.g. \"eu-west-1\"."),
        text: ("name_prefix", "Prefix that instance names must start with."),
        choice: (
            "size",
            "Instance size class.",
            &["small", "medium", "large", "xlarge"],
        ),
        list: ("tags", "Tags in key=value form that instances must carry."),
        note: "Terminated instances disappear after one hour.",
    },
    Domain {
        system: "the monitoring system",
        resource: "alerts",
        key: ("service", "Name of the monitored service."),
        text: ("expression", "PromQL expression that defines the alert."),
        choice: (
            "severity",
            "Minimum severity to report.",
            &["info", "warning", "critical"],
        ),
        list: ("receivers", "Notification receivers to route alerts to."),
        note: "Silenced alerts are reported with their silence ID.",
    },
    Domain {
        system: "the CRM",
        resource: "contacts",
        key: ("account_id", "Identifier of the customer account."),
        text: ("email", "E-mail address or domain to match."),
        choice: (
            "lifecycle",
            "Lifecycle stage.",
            &["lead", "prospect", "customer", "churned"],
        ),
        list: ("fields", "Contact fields to return."),
        note: "Personal data is masked unless the caller has the PII scope.",
    },
    Domain {
        system: "the chat workspace",
        resource: "messages",
        key: ("channel", "Channel name without the leading #."),
        text: ("text", "Words that the message text must contain."),
        choice: (
            "thread_mode",
            "How threads are handled.",
            &["flatten", "nest", "skip"],
        ),
        list: ("users", "User handles whose messages to include."),
        note: "Edited messages are returned in their latest version.",
    },
];

/// First-line summaries; `{r}` stands for the resource and `{s}` for the system.
pub const ACTIONS: [&str; 8] = [
    "Lists {r} in {s}, newest first.",
    "Searches {r} in {s} using the same syntax as the web UI.",
    "Creates {r} in {s} from the supplied fields.",
    "Updates existing {r} in {s}, leaving unspecified fields untouched.",
    "Archives {r} in {s}; archived items stay readable.",
    "Exports {r} from {s} as a downloadable JSON bundle.",
    "Synchronises {r} in {s} with the upstream mirror.",
    "Validates {r} in {s} against the configured policies without changing them.",
];
