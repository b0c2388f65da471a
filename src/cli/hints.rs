//! What the command line says when it is used the wrong way, and the value checks that
//! need no clap: words that belong inside quotes, `~` the shell did not expand, dates
//! and URLs. Each answer says what to type instead.

use chrono::{Datelike, NaiveDate};
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

/// A flag followed by more than its one value: `--name Ana Ruiz` without quotes. Gives
/// the flag and all the words, when some word after a flag's value is no flag.
pub(super) fn stray_words(
    args: &[String],
    takes_value: impl Fn(&str) -> bool,
) -> Option<(String, Vec<String>)> {
    let mut current: Option<(String, Vec<String>)> = None;
    let mut found = None;
    let mut expect_value = false;
    for arg in args {
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

/// The refusal for [`stray_words`]' answer.
pub(super) fn stray_message(flag: &str, words: &[String]) -> String {
    let whole = words.join(" ");
    format!(
        "{flag} takes one value, but {} came after it; put a value with spaces in quotes: \
         {flag} {}\n  e.g. {EXAMPLE}",
        words[1..]
            .iter()
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(" "),
        quoted(&whole)
    )
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
        return Err("names no format; choose from html, text, eml, outlook, reply".into());
    }
    Ok(Formats(formats))
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
        stray_words(&args, |f| f != "--no-clipboard")
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
