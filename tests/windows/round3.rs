//! Hostile, round three, on Windows itself (the real `sigblock.exe` under Wine): a
//! person's files all or none when one is open in another program, a registry key that
//! would break the `.reg` file IT imports, and device names Windows keeps for itself.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use super::{required, windows_path, Held, Wine, PROFILE_ACCOUNTS, SHARE_READ};
use crate::common::{names, read, IN_CAMPAIGN};
use tempfile::TempDir;

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn a_persons_text_file_open_elsewhere_leaves_every_file_of_theirs_as_it_was() {
    let wine = Wine::from_env();
    let dir = TempDir::new().unwrap();
    let person = |title: &str| {
        [
            "--name",
            "Ana Ruiz",
            "--title",
            title,
            "--unit",
            "CTRT",
            "--out",
            "sigs",
            "--date",
            IN_CAMPAIGN,
            "--no-clipboard",
        ]
        .map(str::to_owned)
    };
    let first = person("Analyst");
    let args: Vec<&str> = first.iter().map(String::as_str).collect();
    wine.run(dir.path(), &args).expect_code(0);
    let html = dir.path().join("sigs/ana-ruiz.html");
    let before = read(&html);

    // The .txt is open in an editor (others may read): the .html, swapped in first, is
    // put back, and the refusal names the .txt.
    let again = person("Senior Analyst");
    let args: Vec<&str> = again.iter().map(String::as_str).collect();
    let held = Held::open(&wine, dir.path(), "sigs\\ana-ruiz.txt", SHARE_READ);
    let run = wine.run(dir.path(), &args);
    drop(held);
    run.expect_code(2);
    assert!(
        run.stderr
            .starts_with("error: cannot replace sigs\\ana-ruiz.txt: ")
            && run
                .stderr
                .contains("; none of this signature's files were changed"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&html), before, "the .html was put back");
    assert!(names(dir.path().join("sigs/.sigblock/tmp")).is_empty());
    // Closed again: made, without --force (both files are still sigblock's).
    wine.run(dir.path(), &args).expect_code(0);
    assert!(read(&html).contains(">Senior Analyst</td>"));
}

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn a_profile_key_whose_name_would_break_the_reg_file_stops_print_reg_before_anything_is_written() {
    let wine = Wine::from_env();
    let _office = wine.outlook_with_two_accounts();
    // A third account under a key whose name ends its `[key]` line and starts lines of
    // its own (a key name may hold anything but a backslash).
    let regkey = PathBuf::from(required("SIGBLOCK_WINE_REGKEY"));
    let planted = format!(
        r#"{}\x]\r\n\r\n[evil]\r\n"injected"="yes"\r\n\r\n[y"#,
        PROFILE_ACCOUNTS.strip_prefix(r"HKCU\").unwrap()
    );
    let output = wine
        .wine(&regkey, Path::new("/"))
        .args([planted.as_str(), "Account Name", "planted@dss.ca.gov"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "made");
    let folder = wine.signatures_folder();
    let dir = TempDir::new().unwrap();
    let reg = dir.path().join("defaults.reg");
    let reg_windows = windows_path(&wine.prefix, &reg);
    let run = wine.run(
        dir.path(),
        &[
            "install",
            "--name",
            "Ana Ruiz",
            "--title",
            "Analyst",
            "--unit",
            "CTRT",
            "--date",
            IN_CAMPAIGN,
            "--print-reg",
            &reg_windows,
        ],
    );
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("holds a line break or a control character, which a .reg file cannot carry"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains('\r'),
        "the key is said with its line breaks written out"
    );
    assert!(!reg.exists(), "no .reg file");
    assert!(
        !folder.exists() || names(&folder).is_empty(),
        "no signature file either"
    );
}

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn device_names_with_superscript_digits_are_refused_as_signature_names() {
    let wine = Wine::from_env();
    let dir = TempDir::new().unwrap();
    for name in ["COM¹", "LPT³", "com²"] {
        let run = wine.run(
            dir.path(),
            &[
                "install",
                "--name",
                "Ana Ruiz",
                "--title",
                "Analyst",
                "--unit",
                "CTRT",
                "--signature-name",
                name,
                "--dry-run",
            ],
        );
        run.expect_code(2);
        assert!(
            run.stderr.contains("is the name of a Windows device"),
            "{name}: {}",
            run.stderr
        );
    }
    // A person so named gets a file name Windows takes.
    let run = wine.run(
        dir.path(),
        &[
            "--name",
            "COM¹",
            "--title",
            "Analyst",
            "--unit",
            "CTRT",
            "--out",
            "sigs",
            "--no-clipboard",
            "--date",
            IN_CAMPAIGN,
        ],
    );
    run.expect_code(0);
    assert_eq!(
        names(dir.path().join("sigs")),
        ["com1-signature.html", "com1-signature.txt"]
    );
}
