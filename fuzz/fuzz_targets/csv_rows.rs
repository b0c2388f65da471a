//! CSV bytes ─► `StaffFile` ─► every row, each validated against the built-in units.
//!
//! Never panics, whatever the bytes; every row carries the line its record starts on:
//! at least 2 (the header is line 1) and strictly increasing through the file.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sigblock::staff::StaffFile;
use sigblock::units::Directory;

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    directory: Directory,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("staff.csv");
        Fixture {
            _dir: dir,
            path,
            directory: Directory::embedded(),
        }
    })
}

fuzz_target!(|bytes: &[u8]| {
    let f = fixture();
    std::fs::write(&f.path, bytes).expect("write the input");
    let staff = match StaffFile::open(&f.path, &[]) {
        Ok(staff) => staff,
        // A fatal problem (empty file, bad header) is a message, which must name the file.
        Err(error) => {
            let message = error.to_string();
            assert!(message.contains("staff.csv"), "{message}");
            return;
        }
    };
    let mut previous_line = 1;
    let mut previous_byte = 0;
    for row in staff {
        assert!(
            row.line > previous_line,
            "line {} after line {previous_line}",
            row.line
        );
        assert!(
            row.byte >= previous_byte,
            "byte {} after {previous_byte}",
            row.byte
        );
        previous_line = row.line;
        previous_byte = row.byte;
        match row.person {
            Ok(input) => {
                if let Err(invalid) = input.validate(&f.directory) {
                    assert!(!invalid.0.is_empty());
                    // Messages stay one line whatever the cell held.
                    let message = invalid.to_string();
                    assert!(!message.contains(['\n', '\r']), "{message:?}");
                }
            }
            Err(reason) => assert!(!reason.to_string().is_empty()),
        }
    }
});
