//! Hostile input: whatever the bytes, reading ends in a calendar or an error, never a panic.

use proptest::prelude::*;

use pendulum_calendar::parse_calendar;

const OUTLOOK: &[u8] = include_bytes!("fixtures/outlook.ics");

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_calendar(&bytes);
    }

    #[test]
    fn corrupted_exports_never_panic(
        edits in proptest::collection::vec((0..OUTLOOK.len(), any::<u8>()), 1..16),
        cut in 0..OUTLOOK.len(),
    ) {
        let mut bytes = OUTLOOK.to_vec();
        for (at, byte) in edits {
            bytes[at] = byte;
        }
        let _ = parse_calendar(&bytes);
        let _ = parse_calendar(&bytes[..cut]);
    }

    #[test]
    fn errors_name_a_line_of_the_input(cut in 0..OUTLOOK.len()) {
        if let Err(error) = parse_calendar(&OUTLOOK[..cut]) {
            let lines = OUTLOOK[..cut].split(|&b| b == b'\n').count();
            prop_assert!(error.line >= 1 && error.line <= lines.max(1), "{error}");
        }
    }
}
