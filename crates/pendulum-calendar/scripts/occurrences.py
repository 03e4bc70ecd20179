#!/usr/bin/env python3
"""Every occurrence over 2025 of every .ics file in a folder, as recurring-ical-events sees it.

Usage: occurrences.py CORPUS_DIR > python.txt

One line per occurrence, sorted: file, UID, start and end (UTC `YYYYMMDDTHHMMSSZ`, or
`YYYYMMDD` for all-day), and `cancelled` when STATUS is CANCELLED. The example
`calendar_occurrences` prints the same format, so that `diff` compares the two expansions
occurrence by occurrence rather than by counts. Needs `pip install icalendar
recurring-ical-events`.
"""
import sys
from datetime import datetime, timezone
from pathlib import Path

import icalendar
import recurring_ical_events


def stamp(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def main():
    lines = []
    for path in sorted(Path(sys.argv[1]).glob("*.ics")):
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        for event in recurring_ical_events.of(calendar).between((2025, 1, 1), (2026, 1, 1)):
            start = event["DTSTART"].dt
            end = event.end if event.end is not None else start
            status = " cancelled" if str(event.get("STATUS", "")).upper() == "CANCELLED" else ""
            lines.append(f"{path.name} {event['UID']} {stamp(start)} {stamp(end)}{status}")
    lines.sort()
    sys.stdout.write("".join(line + "\n" for line in lines))


if __name__ == "__main__":
    main()
