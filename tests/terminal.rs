//! The terminal, second pass: what still trips a newcomer after the first five minutes,
//! each as the exact command and the exact answer. Text pasted from Word or an email
//! (long dashes, curly quotes), the "put it in quotes" answer for every command, tab
//! completion that knows the values, full folders, an Excel workbook given as the CSV, a
//! bad value in the environment, `--help`'s examples, capitals in an address.

use std::path::Path;

use tempfile::TempDir;

use crate::common::{read, sigblock, Run, IN_CAMPAIGN};

/// sigblock with `args` in a fresh folder (no clipboard), and that folder.
fn fresh(args: &[&str]) -> (TempDir, Run) {
    let dir = TempDir::new().unwrap();
    let run = in_dir(dir.path(), args);
    (dir, run)
}

fn in_dir(dir: &Path, args: &[&str]) -> Run {
    Run::from(sigblock().current_dir(dir).args(args).output().unwrap())
}

/// Refused: exit 2, nothing on stdout, nothing written, and this one error exactly.
#[track_caller]
fn refused(args: &[&str], error: &str) {
    let (dir, run) = fresh(args);
    run.expect_code(2);
    assert_eq!(run.stderr, format!("error: {error}\n"));
    assert_eq!(run.stdout, "");
    assert!(crate::common::names(dir.path()).is_empty());
}

#[test]
fn a_name_pasted_in_curly_quotes_is_answered_with_straight_ones() {
    refused(
        &[
            "--name", "“Ana", "Ruiz”", "--title", "Analyst", "--unit", "CTRT",
        ],
        "\"“Ana Ruiz”\" is in curly quotes (“”), as Word and email write them; a shell \
         knows only straight quotes, and the curly ones would be part of the signature. \
         Type it with straight quotes: --name \"Ana Ruiz\"",
    );
    // One word in curly quotes would have gone into the signature as it is.
    refused(
        &[
            "--name",
            "Ana Ruiz",
            "--title",
            "“Analyst”",
            "--unit",
            "CTRT",
        ],
        "\"“Analyst”\" is in curly quotes (“”), as Word and email write them; a shell \
         knows only straight quotes, and the curly ones would be part of the signature. \
         Type it with straight quotes: --title \"Analyst\"",
    );
    // An apostrophe inside a name is a name.
    let (dir, run) = fresh(&[
        "--name",
        "Renée O’Brien",
        "--title",
        "Analyst",
        "--unit",
        "CTRT",
        "--no-clipboard",
        "--date",
        IN_CAMPAIGN,
    ]);
    run.expect_code(0);
    assert!(read(dir.path().join("renee-o-brien.txt")).contains("\nRenée O’Brien\n"));
}

#[test]
fn a_flag_whose_dashes_word_made_long_is_answered_with_two_hyphens() {
    for (typed, dash) in [("–-name", '–'), ("—name", '—'), ("–name", '–')] {
        refused(
            &[typed, "Ana", "--title", "Analyst", "--unit", "CTRT"],
            &format!(
                "{typed:?} starts with a long dash ({dash}) where two hyphens belong (Word and \
                 Outlook turn -- into a dash); type it with two plain hyphens: --name"
            ),
        );
    }
    refused(
        &["--name", "Ana", "--title", "Analyst", "–-unit=CTRT"],
        "\"–-unit=CTRT\" starts with a long dash (–) where two hyphens belong (Word and \
         Outlook turn -- into a dash); type it with two plain hyphens: --unit=CTRT",
    );
}

#[test]
fn every_command_answers_words_that_belong_in_quotes() {
    refused(
        &[
            "install", "--name", "Ana", "Ruiz", "--title", "Analyst", "--unit", "CTRT",
        ],
        "--name takes one value, but \"Ruiz\" came after it; put a value with spaces in \
         quotes: sigblock install … --name \"Ana Ruiz\"",
    );
    refused(
        &["batch", "Staff", "List", "January.csv", "--out", "sigs"],
        "sigblock batch takes one file name, but \"List\" \"January.csv\" came after it; put \
         a name with spaces in quotes: sigblock batch \"Staff List January.csv\"",
    );
    refused(
        &["banner", "--out", "My", "Banner.png"],
        "--out takes one value, but \"Banner.png\" came after it; put a value with spaces in \
         quotes: sigblock banner … --out \"My Banner.png\"",
    );
}

/// What bash's completion offers after `words` (the last one being typed), from the
/// script `sigblock completions bash` prints, run by a real bash.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let (dir, run) = fresh(&["completions", "bash"]);
    run.expect_code(0);
    let script = dir.path().join("sigblock.bash");
    std::fs::write(&script, &run.stdout).unwrap();
    let words: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source {}; COMP_WORDS=(sigblock {}); COMP_CWORD={}; \
         _sigblock sigblock \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        words.join(" "),
        words.len()
    );
    let output = std::process::Command::new("bash")
        .args(["-c", &program])
        .output()
        .expect("bash runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn tab_completion_offers_units_banner_modes_and_formats_and_hides_the_clipboard_server() {
    let units = bash_completes(&["--unit", ""]);
    for unit in ["CTRT", "RPB", "ATU", "CTPSU", "CSEC"] {
        assert!(units.contains(&unit.to_owned()), "{units:?}");
    }
    assert!(units.iter().all(|u| !u.contains(' ')), "{units:?}");
    assert_eq!(
        bash_completes(&["--banner", ""]),
        ["always", "auto", "never"]
    );
    let formats = bash_completes(&["--format", ""]);
    assert_eq!(formats, ["html", "text", "eml", "outlook", "reply"]);
    let commands = bash_completes(&[""]);
    assert!(commands.contains(&"batch".to_owned()), "{commands:?}");
    assert!(
        !commands.iter().any(|c| c.contains("serve")),
        "{commands:?}"
    );
    let (_, run) = fresh(&["completions", "bash"]);
    assert!(!run.stdout.contains("__serve-clipboard"));
    // Shells by name in any case, as units and formats are.
    for shell in ["PowerShell", "BASH", "Zsh", "fish"] {
        let (_, run) = fresh(&["completions", shell]);
        run.expect_code(0);
        assert!(!run.stdout.is_empty(), "{shell}");
    }
    refused(
        &["completions", "tcsh"],
        "\"tcsh\" is not a shell sigblock writes completions for; choose from bash, zsh, \
         fish, powershell, elvish",
    );
}

#[test]
fn the_files_are_said_by_name_with_their_folder_once_in_full() {
    let (dir, run) = fresh(&[
        "--name",
        "Ana Ruiz",
        "--title",
        "Analyst",
        "--unit",
        "CTRT",
        "--no-clipboard",
        "--date",
        IN_CAMPAIGN,
    ]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        format!(
            "wrote ana-ruiz.html and ana-ruiz.txt in {}\n",
            dir.path().display()
        )
    );
    let (dir, run) = fresh(&[
        "--name",
        "Ana Ruiz",
        "--title",
        "Analyst",
        "--unit",
        "CTRT",
        "--no-clipboard",
        "--date",
        IN_CAMPAIGN,
        "--out",
        "NEW/.",
        "--format",
        "html,outlook",
    ]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        format!(
            "wrote ana-ruiz.html, ana-ruiz_files/banner.png, ana-ruiz.htm and ana-ruiz.txt in \
             {}\n",
            dir.path().join("NEW").display()
        )
    );
}

#[test]
fn an_excel_workbook_given_as_the_csv_is_named_with_how_to_save_it() {
    let dir = TempDir::new().unwrap();
    // The start of every .xlsx: a zip file's local header.
    std::fs::write(
        dir.path().join("staff.xlsx"),
        b"PK\x03\x04\x14\x00\x06\x00rest",
    )
    .unwrap();
    let run = in_dir(dir.path(), &["batch", "staff.xlsx", "--out", "sigs"]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "error: staff.xlsx is an Excel workbook, not a CSV file; in Excel, choose File > Save \
         As > \"CSV UTF-8 (Comma delimited) (*.csv)\", then give sigblock that file\n"
    );
    assert!(!dir.path().join("sigs").exists());
}

#[test]
fn a_bad_lock_wait_in_the_environment_is_refused_in_words_not_a_panic() {
    for value in ["-1", "nan", "inf", "ten", "1e9"] {
        let dir = TempDir::new().unwrap();
        let run = Run::from(
            sigblock()
                .current_dir(dir.path())
                .env("SIGBLOCK_LOCK_WAIT", value)
                .args([
                    "--name",
                    "Ana",
                    "--title",
                    "A",
                    "--unit",
                    "CTRT",
                    "--no-clipboard",
                ])
                .output()
                .unwrap(),
        );
        run.expect_code(2);
        assert_eq!(
            run.stderr,
            format!(
                "error: SIGBLOCK_LOCK_WAIT=\"{value}\": is not a number of seconds from 0 to \
                 86400 (how long to wait for another sigblock run writing into the same \
                 folder); unset it for the default of 10\n"
            )
        );
        assert!(crate::common::names(dir.path()).is_empty());
    }
}

#[test]
fn the_help_examples_are_one_line_each_on_an_80_column_terminal_and_run() {
    let help = Run::from(
        sigblock()
            .env("COLUMNS", "80")
            .arg("--help")
            .output()
            .unwrap(),
    );
    help.expect_code(0);
    let examples: Vec<&str> = help
        .stdout
        .split("Examples")
        .nth(1)
        .expect("an Examples part")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(examples.len() >= 6, "{examples:?}");
    for line in &examples {
        assert!(
            line.starts_with("  sigblock "),
            "not a whole command: {line:?}"
        );
        assert!(!line.ends_with('\\') && !line.ends_with('`'), "{line:?}");
    }
    // `sigblock help --help` is the help, not an error.
    let (_, run) = fresh(&["help", "--help"]);
    run.expect_code(0);
    assert!(run.stdout.contains("Usage: sigblock"), "{}", run.stdout);
}

#[test]
fn every_flag_readme_shows_is_one_the_program_takes() {
    let readme = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let usage = readme
        .split("## Reference: usage")
        .nth(1)
        .and_then(|s| s.split("```").nth(1))
        .expect("README has a Usage block");
    for line in usage.lines().filter(|l| !l.trim().is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        // The command a line is about: `sigblock batch …`, or a continuation of the
        // line above.
        let command = match words.first() {
            Some(&"sigblock") => words.get(1).filter(|w| !w.starts_with(['-', '#'])).copied(),
            _ => None,
        };
        let mut args: Vec<&str> = command.into_iter().collect();
        args.push("--help");
        let (_, help) = fresh(&args);
        help.expect_code(0);
        for flag in line
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| w.starts_with("--") && w.len() > 2)
        {
            if command.is_none() && words.first() != Some(&"sigblock") {
                continue; // a continuation line: checked with its command below
            }
            assert!(
                help.stdout.contains(flag),
                "README's `{}` shows {flag}, which `sigblock {} --help` does not know",
                line.trim(),
                command.unwrap_or("")
            );
        }
    }
}

#[test]
fn an_address_in_capitals_is_kept_with_a_note() {
    let (dir, run) = fresh(&[
        "--name",
        "Ana Ruiz",
        "--title",
        "Analyst",
        "--unit",
        "CTRT",
        "--email",
        "ANA.RUIZ@DSS.CA.GOV",
        "--no-clipboard",
        "--banner",
        "never",
    ]);
    run.expect_code(0);
    assert!(
        run.says(
            "note: the email address ANA.RUIZ@DSS.CA.GOV is in capitals; it works as typed, \
             and reads more easily as ana.ruiz@dss.ca.gov (mail systems take addresses in any \
             case)"
        ),
        "{}",
        run.stderr
    );
    assert!(read(dir.path().join("ana-ruiz.txt")).contains("ANA.RUIZ@DSS.CA.GOV"));
    let (_, run) = fresh(&[
        "--name",
        "Ana Ruiz",
        "--title",
        "Analyst",
        "--unit",
        "CTRT",
        "--email",
        "Ana.Ruiz@dss.ca.gov",
        "--no-clipboard",
        "--banner",
        "never",
    ]);
    assert!(!run.stderr.contains("capitals"), "{}", run.stderr);
}

#[test]
fn no_message_shows_a_temporary_path_an_os_error_number_or_a_panic() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a-file"), "x").unwrap();
    std::fs::create_dir(root.join("locked")).unwrap();
    let scenarios: Vec<Vec<&str>> = vec![
        vec![
            "--name",
            "Ana",
            "--title",
            "A",
            "--unit",
            "CTRT",
            "--out",
            "a-file/sub",
        ],
        vec![
            "--name",
            "Ana",
            "--title",
            "A",
            "--unit",
            "CTRT",
            "--out",
            "/proc/sigblock",
        ],
        vec!["batch", "missing.csv", "--out", "x"],
        vec!["batch", "locked", "--out", "x"],
        vec![
            "--name",
            "Ana",
            "--title",
            "A",
            "--unit",
            "CTRT",
            "--config",
            "missing.toml",
        ],
        vec![
            "--name",
            "Ana",
            "--title",
            "A",
            "--unit",
            "CTRT",
            "--campaign",
            "locked",
        ],
        vec![
            "--name", "Ana", "--title", "A", "--unit", "CTRT", "--logo", "a-file",
        ],
        vec!["banner", "--out", "locked"],
        vec!["units", "--write", "a-file/units.toml"],
    ];
    for args in scenarios {
        let run = in_dir(root, &args);
        assert_ne!(run.code, Some(0), "{args:?}");
        let said = format!("{}{}", run.stdout, run.stderr);
        for bad in [
            "os error",
            ".sigblock/tmp",
            ".tmp",
            "panicked",
            "RUST_BACKTRACE",
        ] {
            assert!(!said.contains(bad), "{args:?} said {bad:?}:\n{said}");
        }
        assert_eq!(
            said.lines().filter(|l| l.starts_with("error:")).count(),
            1,
            "{said}"
        );
    }
}
