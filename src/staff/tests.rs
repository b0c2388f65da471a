//! The staff file read end to end from bytes on disk: encodings, delimiters, line
//! numbers, and the hostile files (stray bytes, unclosed quotes, overlong lines).

use super::*;

fn rows(bytes: &[u8]) -> (Vec<Row>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("staff.csv");
    std::fs::write(&path, bytes).unwrap();
    let file = StaffFile::open(&path, &[]).unwrap();
    let notes = file.notes.clone();
    (file.collect(), notes)
}

fn person(row: &Row) -> &PersonInput {
    row.person.as_ref().unwrap()
}

#[test]
fn bom_crlf_reordered_aliased_columns() {
    let (rows, notes) = rows(
        b"\xEF\xBB\xBFJob Title,Full Name,E-mail,Department,Badge\r\nAnalyst,Ana Ruiz,ana@dss.ca.gov,CTRT,7\r\n\r\nChief, Bo Li ,,RPB,8\r\n",
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].line, 2);
    assert_eq!(person(&rows[0]).name, "Ana Ruiz");
    assert_eq!(person(&rows[0]).title, "Analyst");
    assert_eq!(person(&rows[0]).email.as_deref(), Some("ana@dss.ca.gov"));
    assert_eq!(rows[1].line, 4);
    assert_eq!(person(&rows[1]).name, "Bo Li");
    assert_eq!(person(&rows[1]).email, None);
    assert_eq!(notes.len(), 1);
    assert!(notes[0].ends_with("ignoring column \"Badge\""), "{notes:?}");
}

#[test]
fn semicolons_tabs_and_quoted_line_breaks() {
    let (semicolons, _) =
        rows(b"name;title;unit\n\"Ruiz; Ana\";\"Analyst\nSenior\";CTRT\nBo;T;RPB\n");
    assert_eq!(person(&semicolons[0]).name, "Ruiz; Ana");
    assert_eq!(person(&semicolons[0]).title, "Analyst\nSenior");
    assert_eq!(
        semicolons[1].line, 4,
        "the quoted line break moves the next record down"
    );
    let (rows, _) = rows(b"name\ttitle\tunit\nAna, Jr.\tAnalyst\tCTRT\n");
    assert_eq!(person(&rows[0]).name, "Ana, Jr.");
}

#[test]
fn windows_1252_is_decoded_not_mangled() {
    let (rows, notes) = rows(b"name,title,unit\nJos\xe9 N\xfa\xf1ez,Analyst \x96 II,CTRT\n");
    assert_eq!(person(&rows[0]).name, "José Núñez");
    assert_eq!(person(&rows[0]).title, "Analyst – II");
    assert!(notes[0].contains("Windows-1252"), "{notes:?}");
}

#[test]
fn utf16_with_bom() {
    let text = "name,title,unit\nZoë,Analyst,CTRT\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let (rows, _) = rows(&bytes);
    assert_eq!(person(&rows[0]).name, "Zoë");
}

#[test]
fn utf16_without_a_bom_and_old_mac_line_ends() {
    let text = "name,title,unit\nZoë,Analyst,CTRT\n";
    let (le, _) = rows(
        &text
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<_>>(),
    );
    assert_eq!(person(&le[0]).name, "Zoë");
    let (be, _) = rows(
        &text
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect::<Vec<_>>(),
    );
    assert_eq!(person(&be[0]).name, "Zoë");
    // CR-only line ends (Excel for Mac's "CSV (Macintosh)"): the header is line one.
    let (mac, _) = rows(b"name,title,unit\rAna,A;B;C;D;E;F;G,CTRT\rBo,T,RPB\r");
    assert_eq!(person(&mac[0]).title, "A;B;C;D;E;F;G");
    assert_eq!((mac[0].line, mac[1].line), (2, 3));
}

#[test]
fn invalid_utf8_after_the_sniffed_part_is_refused_on_its_row() {
    // UTF-8 (Zoë), then after 64 KB one row with a Windows-1252 byte.
    let mut bytes = "name,title,unit\nZoë,Analyst,CTRT\n".as_bytes().to_vec();
    for i in 0..3000 {
        bytes.extend(format!("Person {i},Analyst,CTRT\n").as_bytes());
    }
    bytes.extend(b"Jos\xe9,Analyst,CTRT\nLast,Analyst,CTRT\n");
    let (rows, notes) = rows(&bytes);
    assert_eq!(rows.len(), 3003);
    assert_eq!(person(&rows[0]).name, "Zoë");
    let bad = &rows[3001];
    assert_eq!(bad.line, 3003);
    assert_eq!(bad.person, Err(Unreadable::NotUtf8));
    assert_eq!(person(&rows[3002]).name, "Last");
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn one_stray_byte_does_not_turn_a_utf8_file_into_windows_1252() {
    let bytes = [
        "name,title,unit\nJosé Núñez,Analyst,CTRT\n".as_bytes(),
        b"Bad\xe9 Byte,Analyst,CTRT\n",
        "Zoë,Chief,RPB\n".as_bytes(),
    ]
    .concat();
    let (rows, notes) = rows(&bytes);
    assert_eq!(person(&rows[0]).name, "José Núñez");
    assert_eq!(
        (rows[1].line, &rows[1].person),
        (3, &Err(Unreadable::NotUtf8))
    );
    assert_eq!(person(&rows[2]).name, "Zoë");
    assert!(notes.is_empty(), "{notes:?}");
    assert!(Unreadable::NotUtf8.to_string().contains("not UTF-8"));
}

#[test]
fn windows_1252_after_an_ascii_start_is_decided_over_the_whole_file() {
    let mut bytes = b"name,title,unit\n".to_vec();
    for i in 0..3000 {
        bytes.extend(format!("Person {i},Analyst,CTRT\n").as_bytes());
    }
    assert!(bytes.len() > 64 * 1024);
    bytes.extend(b"Jos\xe9 N\xfa\xf1ez,Analyst,CTRT\n");
    let (rows, notes) = rows(&bytes);
    assert_eq!(person(&rows[3000]).name, "José Núñez");
    assert!(notes[0].contains("Windows-1252"), "{notes:?}");
}

#[test]
fn a_lost_character_refuses_its_row() {
    let mut bytes = vec![0xFF, 0xFE];
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<_>>()
    };
    bytes.extend(utf16("name,title,unit\nAna"));
    bytes.extend([0x00, 0xD8]); // a high surrogate, alone
    bytes.extend(utf16(" Ruiz,Analyst,CTRT\nBo Li,Chief,RPB\n"));
    let (utf16_rows, _) = rows(&bytes);
    assert_eq!(
        (utf16_rows[0].line, &utf16_rows[0].person),
        (2, &Err(Unreadable::HalfPair))
    );
    assert_eq!(person(&utf16_rows[1]).name, "Bo Li");
    assert!(Unreadable::HalfPair
        .to_string()
        .contains("half of a character pair"));
    // In UTF-8 the character was lost before: U+FFFD as typed.
    let (rows, _) = rows("name,title,unit\nAna \u{FFFD},Analyst,CTRT\n".as_bytes());
    assert_eq!(rows[0].person, Err(Unreadable::Lost));
}

#[test]
fn a_lost_character_in_an_ignored_column_harms_nobody() {
    let (rows, notes) =
        rows("name,title,unit,notes\nAna Ruiz,Analyst,CTRT,caf\u{FFFD}\n".as_bytes());
    assert_eq!(person(&rows[0]).name, "Ana Ruiz");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("ignoring column \"notes\"")),
        "{notes:?}"
    );
}

/// The reason a row was refused.
fn refusal(row: &Row) -> String {
    row.person.as_ref().unwrap_err().to_string()
}

#[test]
fn an_unclosed_quote_refuses_its_row_and_the_rest_are_read() {
    let mut text = String::from("name,title,unit\nAna,Analyst,CTRT\nCy Ng,\"Analyst,RPB\n");
    for i in 0..100 {
        text.push_str(&format!("P{i},Analyst,CTRT\n"));
    }
    let (rows, _) = rows(text.as_bytes());
    assert_eq!(rows.len(), 102);
    assert_eq!(rows[1].line, 3);
    assert!(refusal(&rows[1]).starts_with(
        "a quote (\") opens here and is not closed within 50 lines; this row is not read"
    ));
    // Every row after it, on its own line and spreadsheet row.
    for (i, row) in rows[2..].iter().enumerate() {
        assert_eq!(person(row).name, format!("P{i}"));
        assert_eq!((row.line, row.row), (i as u64 + 4, i as u64 + 4));
    }
}

#[test]
fn quoted_cells_of_up_to_50_lines_are_cells() {
    let cell = |breaks: usize| vec!["x"; breaks + 1].join("\n");
    let text = format!(
        "name,title,unit\nAna,\"{}\",CTRT\nBo,\"{}\",CTRT\nCy,T,RPB\n",
        cell(50),
        cell(51)
    );
    let (rows, _) = rows(text.as_bytes());
    assert_eq!(person(&rows[0]).title, cell(50));
    assert_eq!((rows[1].line, rows[1].row), (53, 3));
    assert!(refusal(&rows[1]).contains("not closed within 50 lines"));
    // Bo's cell is closed on its first line; the 51 lines under it are rows again.
    let cy = rows.last().unwrap();
    assert_eq!(person(cy).name, "Cy");
    assert_eq!(
        (cy.line, cy.row),
        (105, 55),
        "after a 50-line cell and a repair"
    );
}

#[test]
fn a_quote_left_open_after_a_multi_line_cell_is_named_where_it_opens() {
    let (rows, _) =
        rows(b"name,title,unit\nAna,\"Program\nAnalyst\",\"CTRT\nBo,Chief,RPB\nCy,Analyst,CTRT\n");
    assert_eq!((rows[0].line, rows[0].row), (2, 2));
    assert!(
        refusal(&rows[0]).starts_with(
            "a quote (\") opens on line 3 and is not closed before the end of the file"
        ),
        "{}",
        refusal(&rows[0])
    );
    assert_eq!(person(&rows[1]).name, "Bo");
    assert_eq!((rows[1].line, rows[1].row), (4, 3));
    assert_eq!((rows[2].line, rows[2].row), (5, 4));
}

#[test]
fn each_quote_left_open_costs_one_row() {
    let mut text = String::from("name,title,unit\nBo,\"Chief,RPB\n");
    for i in 0..60 {
        text.push_str(&format!("P{i},Analyst,CTRT\n"));
    }
    text.push_str("Cy,\"Analyst,CTRT\nDi,T,RPB\n");
    let (rows, _) = rows(text.as_bytes());
    let refused: Vec<_> = rows
        .iter()
        .filter(|r| r.person.is_err())
        .map(|r| (r.line, refusal(r)))
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert_eq!(refused[0].0, 2);
    assert!(refused[0].1.contains("within 50 lines"));
    assert_eq!(refused[1].0, 63);
    assert!(refused[1].1.contains("before the end of the file"));
    assert_eq!(rows.len(), 63);
    assert_eq!((rows[62].line, person(&rows[62]).name.as_str()), (64, "Di"));
}

#[test]
fn the_tracker_closes_an_open_quote_before_its_first_line_break() {
    let starts = RecordStarts::default();
    // Line 2's quote runs on over the lines under it (`""` inside it is a quote; read
    // again after the repair, an empty cell).
    let mut text = b"a,b\n1,\"x\n2,y\n3,\"\"\n".to_vec();
    text.extend(b"4,z\n".repeat(60));
    let mut tracker = LineTracker::new(text.as_slice(), b',', starts.clone(), 1);
    let mut out = Vec::new();
    tracker.read_to_end(&mut out).unwrap();
    let mut expected = b"a,b\n1,\"x\"\n2,y\n3,\"\"\n".to_vec();
    expected.extend(b"4,z\n".repeat(60));
    assert_eq!(out, expected);
    let lines: Vec<_> = std::iter::from_fn(|| Some(starts.next()))
        .take(4)
        .map(|s| (s.line, s.row, s.fault.is_some()))
        .collect();
    assert_eq!(
        lines,
        [(1, 1, false), (2, 2, true), (3, 3, false), (4, 4, false)]
    );
}

#[test]
fn a_line_longer_than_1_mb_is_cut_and_refused() {
    let mut text = b"name,title,unit\nAna,\"".to_vec();
    text.extend(vec![b'x'; 3 * 1024 * 1024]);
    text.extend(b"\nBo,Chief,RPB\n");
    let (rows, _) = rows(&text);
    assert!(refusal(&rows[0]).starts_with("the line is longer than 2 MB"));
    assert_eq!((rows[1].line, person(&rows[1]).name.as_str()), (3, "Bo"));
}

#[test]
fn header_problems_are_fatal_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("staff.csv");
    let fatal = |bytes: &[u8]| {
        std::fs::write(&path, bytes).unwrap();
        StaffFile::open(&path, &[]).err().unwrap().to_string()
    };
    let msg = fatal(b"name,title\nAna,Analyst\n");
    assert!(msg.contains("line 1: no unit column (the header has \"name\", \"title\"); the header needs name, title and unit"), "{msg}");
    assert!(msg.ends_with("--columns unit=Header chooses one)"), "{msg}");
    // Two columns for the name: the one the table lists first gives it, and HR is told.
    std::fs::write(&path, b"name,full name,title,unit\nA B,Ana Ruiz,T,CTRT\n").unwrap();
    let file = StaffFile::open(&path, &[]).unwrap();
    assert!(
        file.notes[0].ends_with(
            "the name is taken from column \"full name\"; \"name\" also could give it and \
             is not used (--columns name=\"name\" chooses another)"
        ),
        "{:?}",
        file.notes
    );
    assert_eq!(
        file.collect::<Vec<_>>()[0].person.as_ref().unwrap().name,
        "Ana Ruiz"
    );
    assert!(fatal(b"").ends_with(
        "the file is empty; it needs a header row (name, title, unit) and one row per person"
    ));
    let missing = StaffFile::open(&dir.path().join("nope.csv"), &[])
        .err()
        .unwrap()
        .to_string();
    assert!(
        missing.starts_with("cannot read ") && missing.contains("nope.csv"),
        "{missing}"
    );
}

#[test]
fn a_windows_1252_pair_that_happens_to_be_utf8_does_not_make_the_file_utf8() {
    // "É" and a no-break space in Windows-1252 are the bytes of U+0260 in UTF-8.
    let (rows, notes) = rows(
        b"name,title,unit\nJos\xe9 N\xfa\xf1ez,Analyst,CTRT\nREN\xc9\xa0GARC\xcdA,Chief,RPB\n",
    );
    assert_eq!(person(&rows[0]).name, "José Núñez");
    assert_eq!(person(&rows[1]).name, "REN\u{C9}\u{A0}GARC\u{CD}A");
    assert!(notes[0].contains("Windows-1252"), "{notes:?}");
}
