//! What the command line says when it is used the wrong way, and the value checks that
//! need no clap: words that belong inside quotes, `~` the shell did not expand, dates
//! and URLs. Each answer says what to type instead.

use chrono::{Datelike, NaiveDate};
use clap::builder::PossibleValue;
use sigblock::campaign::BannerMode;
use sigblock::output::Format;
use sigblock::staff::{Choice, Slot};

/// What follows the refusals: the example a newcomer can copy.
pub(super) const EXAMPLE: &str =
    "sigblock --name \"Ana Ruiz\" --title \"Program Analyst\" --unit CTRT";

/// `value` as it should be typed in this platform's shell: double quotes, which bash,
/// zsh and PowerShell read alike; single quotes where a double-quoted value would be
/// changed by the shell (`$`, a backquote, `"`).
pub(super) fn quoted(value: &str) -> String {
    let single_safe = if cfg!(windows) {
        // PowerShell: '' stands for ' inside single quotes.
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    };
    let special: &[char] = if cfg!(windows) {
        &['$', '`', '"']
    } else {
        &['$', '`', '"', '\\', '!']
    };
    if value.contains(special) {
        single_safe
    } else {
        format!("\"{value}\"")
    }
}

/// A flag followed by more than its one value (`--name Ana Ruiz` without quotes), or a
/// command's file name in pieces (`batch Staff List.csv`). Gives the flag (empty for a
/// command's own value) and all the words, when some word after a value is no flag.
/// `args` are a command's words after its name; it takes `positionals` values of its own.
pub(super) fn stray_words(
    args: &[String],
    takes_value: impl Fn(&str) -> bool,
    positionals: usize,
) -> Option<(String, Vec<String>)> {
    // The command's own values first: more bare words than it takes, before any flag.
    let bare = args.iter().take_while(|a| !a.starts_with('-')).count();
    if positionals > 0 && bare > positionals {
        return Some((String::new(), args[positionals - 1..bare].to_vec()));
    }
    let mut current: Option<(String, Vec<String>)> = None;
    let mut found = None;
    let mut expect_value = false;
    for arg in args.iter().skip(bare.min(positionals)) {
        if arg.starts_with('-') && arg.len() > 1 {
            if let Some((flag, words)) = current.take() {
                if words.len() > 1 && found.is_none() {
                    found = Some((flag, words));
                }
            }
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag, Some(value)),
                None => (arg.as_str(), None),
            };
            if takes_value(flag) {
                match inline {
                    Some(value) => current = Some((flag.to_owned(), vec![value.to_owned()])),
                    None => {
                        current = Some((flag.to_owned(), Vec::new()));
                        expect_value = true;
                    }
                }
            }
            continue;
        }
        match &mut current {
            Some((_, words)) if expect_value || !words.is_empty() => {
                words.push(arg.clone());
                expect_value = false;
            }
            _ => return found, // a subcommand or a stray word of its own
        }
    }
    if let Some((flag, words)) = current {
        if words.len() > 1 && found.is_none() {
            found = Some((flag, words));
        }
    }
    found
}

/// The refusal for [`stray_words`]' answer, for the root command or `command`.
pub(super) fn stray_message(command: Option<&str>, flag: &str, words: &[String]) -> String {
    let whole = words.join(" ");
    let extra = words[1..]
        .iter()
        .map(|w| format!("{w:?}"))
        .collect::<Vec<_>>()
        .join(" ");
    let example = match command {
        None => format!("\n  e.g. {EXAMPLE}"),
        Some(_) => String::new(),
    };
    match (command, flag) {
        (Some(command), "") => format!(
            "sigblock {command} takes one file name, but {extra} came after it; put a name \
             with spaces in quotes: sigblock {command} {}",
            quoted(&whole)
        ),
        (command, flag) => format!(
            "{flag} takes one value, but {extra} came after it; put a value with spaces in \
             quotes: {}{flag} {}{example}",
            command
                .map(|c| format!("sigblock {c} … "))
                .unwrap_or_default(),
            quoted(&whole)
        ),
    }
}

/// What a copy from Word, Outlook or an email does to a command: `--` made into a long
/// dash (`–-name`, `—name`), straight quotes made curly (`“Ana Ruiz”`). Said before clap
/// reads the words (it would take them as a stray command or as part of the value), with
/// what to type instead. `known` says whether a `--flag` is one of sigblock's.
pub(super) fn pasted(args: &[String], known: &dyn Fn(&str) -> bool) -> Option<String> {
    const DASHES: [char; 5] = ['\u{2010}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2212}'];
    for arg in args {
        let Some(rest) = arg.strip_prefix(DASHES) else {
            continue;
        };
        let flag = format!(
            "--{}",
            rest.trim_start_matches(['-']).trim_start_matches(DASHES)
        );
        let name = flag.split('=').next().unwrap_or(&flag);
        if known(name) {
            return Some(format!(
                "{arg:?} starts with a long dash ({}) where two hyphens belong (Word and \
                 Outlook turn -- into a dash); type it with two plain hyphens: {flag}",
                arg.chars().next().unwrap_or('-')
            ));
        }
    }
    const OPEN: [char; 5] = ['“', '”', '‘', '„', '«'];
    const CLOSE: [char; 4] = ['”', '“', '’', '»'];
    let start = args.iter().position(|a| a.starts_with(OPEN))?;
    let end = args[start..]
        .iter()
        .position(|a| a.ends_with(CLOSE))
        .map_or(start, |n| start + n);
    let words = args[start..=end].join(" ");
    let value = words.trim_start_matches(OPEN).trim_end_matches(CLOSE);
    let flag = start
        .checked_sub(1)
        .map(|i| args[i].as_str())
        .filter(|f| f.starts_with("--"))
        .map(|f| format!("{f} "))
        .unwrap_or_default();
    Some(format!(
        "{words:?} is in curly quotes ({}{}), as Word and email write them; a shell knows \
         only straight quotes, and the curly ones would be part of the signature. Type it \
         with straight quotes: {flag}{}",
        words.chars().next().unwrap_or('“'),
        words.chars().last().unwrap_or('”'),
        quoted(value)
    ))
}

/// The refusal when some of `--name`, `--title`, `--unit` are missing.
pub(super) fn missing_message(missing: &[&str]) -> String {
    let what = if missing.len() == 3 {
        "a signature needs --name, --title and --unit".to_owned()
    } else {
        format!(
            "a signature needs --name, --title and --unit; missing: {}",
            missing.join(", ")
        )
    };
    format!(
        "{what}\n  e.g. {EXAMPLE}\n  (sigblock units lists the units; sigblock --help shows \
         every option; sigblock batch STAFF.csv --out DIR makes a whole office's)"
    )
}

/// `--out`: a path; `~` at its start is refused, since a shell expands it only when it
/// is not quoted (and PowerShell never does for a program's arguments).
pub(super) fn out_path(value: &str) -> Result<std::path::PathBuf, String> {
    refuse_tilde(value)?;
    // `NEW/.` is the folder NEW, as `mkdir -p NEW/.` makes it: the `.`s after the first
    // part are left out (a leading `./` stays, and so does a last `/`, which says "a
    // folder").
    let mut path: std::path::PathBuf = std::path::Path::new(value).components().collect();
    if value.ends_with(['/', std::path::MAIN_SEPARATOR]) && path.as_os_str() != "/" {
        path.push("");
    }
    Ok(path)
}

fn refuse_tilde(value: &str) -> Result<(), String> {
    let rest = match value.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => rest,
        _ => return Ok(()),
    };
    let home = if cfg!(windows) {
        format!("\"$HOME{}\"", rest.replace('/', "\\"))
    } else {
        format!("\"$HOME{rest}\"")
    };
    Err(format!(
        "{value:?} starts with ~, which was not expanded to your home folder (a shell \
         expands ~ only outside quotes, and PowerShell not for programs); sigblock would \
         make a folder named ~. Write {home} instead"
    ))
}

/// `--date`: a calendar day of the years 1900 to 9999 (the `.eml` Date header needs one).
pub(super) fn parse_date(value: &str) -> Result<NaiveDate, String> {
    let date: NaiveDate = value
        .trim()
        .parse()
        .map_err(|_| format!("{value:?} is not a day (YYYY-MM-DD, e.g. 2027-01-15)"))?;
    if !(1900..=9999).contains(&date.year()) {
        return Err(format!(
            "{date} is not a day between the years 1900 and 9999"
        ));
    }
    Ok(date)
}

/// `--image-url` must be a plain https URL: it is what Gmail fetches for every reader.
pub(super) fn parse_https_url(url: &str) -> Result<String, String> {
    let rest = url.strip_prefix("https://");
    let host = rest
        .and_then(|r| r.split(['/', '?', '#']).next())
        .unwrap_or("");
    if rest.is_none()
        || host.is_empty()
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        || url.len() > 2000
    {
        return Err(format!(
            "{url:?} is not an https URL (e.g. https://example.org/banner.png)"
        ));
    }
    Ok(url.to_owned())
}

/// `--page-url`: where the office put the signature page, as staff will open it: an
/// https, http or file URL (a shared drive), whole, for links to be made from.
pub(super) fn parse_page_url(url: &str) -> Result<String, String> {
    let lower = url.to_ascii_lowercase();
    let rest = ["https://", "http://", "file://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    let place = rest.and_then(|r| r.split(['?', '#']).next()).unwrap_or("");
    if place.trim_matches('/').is_empty()
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
        || url.len() > 2000
    {
        return Err(format!(
            "{url:?} is not the address of a page (e.g. https://intranet.example.org/signature.html, \
             or file://server/share/signature.html; spaces written %20)"
        ));
    }
    Ok(url.to_owned())
}

/// What one `--format` gave: formats separated by commas or spaces.
#[derive(Debug, Clone)]
pub(super) struct Formats(pub(super) Vec<Format>);

/// `--format`: formats' names, in any case, separated by commas or spaces
/// (`html,text`, `"HTML, Text"`, `"html text"`).
pub(super) fn parse_formats(value: &str) -> Result<Formats, String> {
    let formats = value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|name| !name.is_empty())
        .map(str::parse)
        .collect::<Result<Vec<Format>, String>>()?;
    if formats.is_empty() {
        return Err(format!("names no format; choose from {}", Format::names()));
    }
    Ok(Formats(formats))
}

/// `--format` for clap: [`parse_formats`], each format offered to tab completion.
#[derive(Clone)]
pub(super) struct FormatList;

impl clap::builder::TypedValueParser for FormatList {
    type Value = Formats;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Formats, clap::Error> {
        checked(command, arg, value, parse_formats)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Format::ALL
                .map(|f| PossibleValue::new(f.name()).help(f.what()))
                .into_iter(),
        ))
    }
}

/// `--banner` for clap: [`parse_banner_mode`], each mode offered to tab completion.
#[derive(Clone)]
pub(super) struct BannerModes;

impl clap::builder::TypedValueParser for BannerModes {
    type Value = BannerMode;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<BannerMode, clap::Error> {
        checked(command, arg, value, parse_banner_mode)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            [
                ("always", "always (the default)"),
                ("auto", "only inside the campaign's dates"),
                ("never", "never"),
            ]
            .map(|(name, help)| PossibleValue::new(name).help(help))
            .into_iter(),
        ))
    }
}

/// A value through `parse`, refused as clap refuses a `value_parser = fn`: its reason
/// kept as the error's source, said as `error: --flag: why`.
fn checked<T: Send + Sync + Clone + 'static>(
    command: &clap::Command,
    arg: Option<&clap::Arg>,
    value: &std::ffi::OsStr,
    parse: fn(&str) -> Result<T, String>,
) -> Result<T, clap::Error> {
    clap::builder::TypedValueParser::parse_ref(&parse, command, arg, value)
}

/// What one `--columns` gave: fields and the columns chosen for them.
#[derive(Debug, Clone)]
pub(super) struct Columns(pub(super) Vec<Choice>);

/// `--columns`: `field=Header`, several separated by commas (a comma not followed by
/// `field=` belongs to the header: `--columns "name=Ruiz, Ana"` is one column).
pub(super) fn parse_columns(value: &str) -> Result<Columns, String> {
    let mut choices: Vec<Choice> = Vec::new();
    for piece in value.split(',') {
        let pair = piece
            .split_once('=')
            .and_then(|(field, header)| Some((field.trim().parse::<Slot>().ok()?, header)));
        match (pair, choices.last_mut()) {
            (Some((slot, header)), _) => choices.push(Choice {
                slot,
                header: header.trim().to_owned(),
            }),
            (None, Some(last)) => {
                last.header.push(',');
                last.header.push_str(piece);
            }
            (None, None) => {
                let field = piece.split_once('=').map_or(piece, |(field, _)| field);
                return Err(match field.trim().parse::<Slot>() {
                    Err(why) if piece.contains('=') => why,
                    _ => format!(
                        "{value:?} is not FIELD=Header (e.g. --columns phone=\"Mobile Number\"); \
                         fields: {}",
                        Slot::names()
                    ),
                });
            }
        }
    }
    if let Some(empty) = choices.iter().find(|c| c.header.trim().is_empty()) {
        return Err(format!(
            "{}= names no column (e.g. --columns {}=\"Mobile Number\")",
            empty.slot.name(),
            empty.slot.name()
        ));
    }
    for choice in &mut choices {
        choice.header = choice.header.trim().to_owned();
    }
    Ok(Columns(choices))
}

/// `--banner`: always, auto or never, in any case.
pub(super) fn parse_banner_mode(value: &str) -> Result<BannerMode, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "always" => Ok(BannerMode::Always),
        "auto" => Ok(BannerMode::Auto),
        "never" => Ok(BannerMode::Never),
        _ => Err(format!("{value:?} is not always, auto or never")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strays(args: &[&str]) -> Option<(String, Vec<String>)> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        stray_words(&args, |f| f != "--no-clipboard", 0)
    }

    #[test]
    fn words_after_a_flags_value_are_found() {
        let (flag, words) = strays(&["--name", "Ana", "Ruiz", "--title", "A"]).unwrap();
        assert_eq!(
            (flag.as_str(), words.join(" ").as_str()),
            ("--name", "Ana Ruiz")
        );
        let (flag, _) = strays(&["--name=Ana", "--title", "Program", "Analyst"]).unwrap();
        assert_eq!(flag, "--title");
        assert!(strays(&["--name", "Ana Ruiz", "--no-clipboard"]).is_none());
        assert!(strays(&["--no-clipboard", "units"]).is_none());
    }

    #[test]
    fn quoting_follows_the_shell() {
        assert_eq!(quoted("Ana Ruiz"), "\"Ana Ruiz\"");
        assert_eq!(quoted("Zoë O'Brien"), "\"Zoë O'Brien\"");
        assert!(quoted("A $5 title").starts_with('\''));
    }

    #[test]
    fn dots_inside_an_out_path_are_left_out() {
        assert_eq!(out_path("NEW/.").unwrap(), std::path::Path::new("NEW"));
        assert_eq!(out_path("a/./b/").unwrap().as_os_str(), "a/b/");
        assert_eq!(out_path("./sigs").unwrap(), std::path::Path::new("./sigs"));
        assert_eq!(out_path(".").unwrap(), std::path::Path::new("."));
    }

    #[test]
    fn a_quoted_tilde_is_refused() {
        assert!(out_path("~/Desktop")
            .unwrap_err()
            .contains("\"$HOME/Desktop\""));
        assert!(out_path("~").is_err());
        assert!(out_path("~sigs").is_ok() && out_path("a/~").is_ok());
    }

    #[test]
    fn columns_are_fields_and_headers() {
        let Columns(choices) = parse_columns("phone=Mobile Number, name = Ruiz, Ana").unwrap();
        let pairs: Vec<_> = choices
            .iter()
            .map(|c| (c.slot.name(), c.header.as_str()))
            .collect();
        assert_eq!(pairs, [("phone", "Mobile Number"), ("name", "Ruiz, Ana")]);
        assert!(parse_columns("mobile=Cell")
            .unwrap_err()
            .contains("not a field"));
        assert!(parse_columns("Mobile Number")
            .unwrap_err()
            .contains("FIELD=Header"));
        assert!(parse_columns("phone=")
            .unwrap_err()
            .contains("names no column"));
    }

    #[test]
    fn image_urls_must_be_https() {
        assert!(parse_https_url("https://example.org/banner.png").is_ok());
        for bad in [
            "http://example.org/b.png",
            "https://",
            "javascript:alert(1)",
            "https://x/\"onerror=",
            "https://a b",
        ] {
            assert!(parse_https_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_are_days_of_sensible_years() {
        assert!(parse_date("2027-01-15").is_ok());
        assert!(parse_date("-0100-01-05")
            .unwrap_err()
            .starts_with("-0100-01-05 is not a day between"));
        assert!(parse_date("2027-02-30").is_err());
    }
}
