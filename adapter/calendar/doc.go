// Package calendar answers which days are working days in Kazakhstan and
// computes the statutory deadline of a request (DESIGN §4).
//
// The calendar is data, not code: kz.yaml (embedded) lists the statutory
// holidays as rules (month-day, and whether a holiday on a weekend moves to
// the next working day) and, per year, the first day of Kurban Ait and the
// days the government swaps by decree (a weekend day made working, a weekday
// made a day off). Load and LoadFile merge a deployment's own file over the
// shipped one, so a new decree or a new year needs no release.
//
// Rules, from the Labour Code art. 84–85 and the Law on holidays:
//   - non-working: 1–2 Jan, 7 Jan, 8 Mar, 21–23 Mar, 1 May, 7 May, 9 May,
//     6 Jul, 30 Aug, 25 Oct, 16 Dec and the first day of Kurban Ait;
//   - a holiday on a Saturday or Sunday moves to the next working day after
//     the holiday (so Nauryz on Sat–Mon gives Tue and Wed off), except 7 Jan
//     and Kurban Ait, which never move;
//   - decree swaps are applied last.
//
// A year missing from the table is computed from the rules alone (no Kurban
// Ait, no swaps) and reported by Provisional, as is any year whose data is
// marked provisional: true (a forecast date, or a year whose decrees are
// not all known).
//
// All dates are civil dates in Asia/Almaty, which is UTC+5 all year since
// 1 March 2024; the package uses a fixed zone so it needs no tzdata.
//
// Deadline convention (AddWorkingDays): the day of receipt never counts,
// whatever the hour or whether it is itself a working day; the deadline is
// the end (23:59:59 local) of the Nth working day after it.
package calendar
