package calendar

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, Location())
	if err != nil {
		panic(err)
	}
	return t.Add(12 * time.Hour)
}

func TestIsWorkingDay(t *testing.T) {
	c := Default()
	tests := []struct {
		date    string
		working bool
		why     string
	}{
		{"2024-01-07", false, "Christmas on Sunday"},
		{"2024-01-08", true, "7 Jan is never transferred"},
		{"2024-03-25", false, "Nauryz Sat 23 Mar moved to Monday"},
		{"2024-05-04", true, "order: Saturday made working"},
		{"2024-05-08", false, "order: Wednesday made a day off"},
		{"2024-06-16", false, "Kurban Ait on Sunday"},
		{"2024-06-17", true, "Kurban Ait is never transferred"},
		{"2024-07-05", true, "no decree made 5 Jul 2024 a day off"},
		{"2024-07-08", false, "Capital Day Sat 6 Jul moved to Monday"},
		{"2025-01-03", false, "order: Friday made a day off"},
		{"2025-01-05", true, "order: Sunday made working"},
		{"2025-03-24", false, "Nauryz Sat 22 Mar moved past Sun 23 Mar to Monday"},
		{"2025-03-25", false, "Nauryz Sun 23 Mar moved to Tuesday"},
		{"2025-03-26", true, "after Nauryz"},
		{"2025-06-06", false, "Kurban Ait Friday"},
		{"2026-01-05", true, "ordinary Monday"},
		{"2026-03-09", false, "8 Mar on Sunday moved to Monday"},
		{"2026-03-23", false, "Nauryz Monday"},
		{"2026-03-24", false, "Nauryz Sat 21 Mar moved past Mon 23 to Tuesday"},
		{"2026-03-25", false, "Nauryz Sun 22 Mar moved to Wednesday"},
		{"2026-03-26", true, "after Nauryz"},
		{"2026-05-08", true, "no swap known"},
		{"2026-05-11", false, "Victory Day Sat moved to Monday"},
		{"2026-05-27", false, "Kurban Ait"},
		{"2026-08-31", false, "Constitution Day Sun moved to Monday"},
		{"2026-10-26", false, "Republic Day Sun moved to Monday"},
		{"2026-12-16", false, "Independence Day"},
		{"2026-12-17", true, "ordinary Thursday"},
		{"2027-01-04", false, "New Year Sat 2 Jan moved to Monday"},
		{"2027-03-24", false, "Nauryz Sun 21 Mar moved past Mon-Tue holidays"},
		{"2027-05-17", true, "Kurban Ait Sunday not transferred"},
		{"2028-01-03", false, "year without data: rules still apply"},
		{"2028-01-04", false, "year without data: second transfer"},
		{"2028-01-05", true, "year without data"},
		{"2026-03-28", false, "ordinary Saturday"},
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(day(tt.date)); got != tt.working {
			t.Errorf("IsWorkingDay(%s) = %v, want %v (%s)", tt.date, got, tt.working, tt.why)
		}
	}
}

func TestIsWorkingDayUsesAlmatyTime(t *testing.T) {
	c := Default()
	fri := time.Date(2026, 3, 20, 18, 59, 59, 0, time.UTC) // 23:59:59 Fri in Almaty
	if !c.IsWorkingDay(fri) {
		t.Errorf("%v: Friday in Almaty should be working", fri)
	}
	sat := fri.Add(time.Second) // 00:00 Sat 21 Mar (Nauryz) in Almaty
	if c.IsWorkingDay(sat) {
		t.Errorf("%v: Saturday (Nauryz) in Almaty should not be working", sat)
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := Default()
	tests := []struct {
		from time.Time
		n    int
		want string
	}{
		// Receipt Fri 20 Mar; 21-25 Mar off (Nauryz + transfers); 10th working day is Wed 8 Apr.
		{time.Date(2026, 3, 20, 10, 0, 0, 0, Location()), 10, "2026-04-08T23:59:59+05:00"},
		// Late-evening UTC receipt is already Saturday in Almaty.
		{time.Date(2026, 3, 20, 20, 0, 0, 0, time.UTC), 1, "2026-03-26T23:59:59+05:00"},
		// Receipt on a holiday: the first working day after counts as day 1.
		{time.Date(2026, 3, 21, 9, 0, 0, 0, Location()), 1, "2026-03-26T23:59:59+05:00"},
		// Across the year end: 1-2 Jan and the weekend skipped, 7 Jan off.
		{time.Date(2025, 12, 26, 9, 0, 0, 0, Location()), 5, "2026-01-06T23:59:59+05:00"},
		{time.Date(2025, 12, 26, 9, 0, 0, 0, Location()), 6, "2026-01-08T23:59:59+05:00"},
		// 2024 May swap: Sat 4 May counts, Wed 8 May does not.
		{time.Date(2024, 5, 3, 9, 0, 0, 0, Location()), 1, "2024-05-04T23:59:59+05:00"},
		{time.Date(2024, 5, 6, 9, 0, 0, 0, Location()), 1, "2024-05-10T23:59:59+05:00"},
		{time.Date(2024, 5, 6, 9, 0, 0, 0, Location()), 2, "2024-05-13T23:59:59+05:00"},
		{time.Date(2026, 3, 20, 10, 0, 0, 0, Location()), 0, "2026-03-20T23:59:59+05:00"},
	}
	for _, tt := range tests {
		got := c.AddWorkingDays(tt.from, tt.n).Format(time.RFC3339)
		if got != tt.want {
			t.Errorf("AddWorkingDays(%v, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestDefaultYearsAndProvisional(t *testing.T) {
	c := Default()
	if got, want := c.Years(), []int{2024, 2025, 2026, 2027}; !slices.Equal(got, want) {
		t.Fatalf("Years() = %v, want %v", got, want)
	}
	for y, want := range map[int]bool{2024: false, 2025: false, 2026: true, 2027: true, 2028: true, 2023: true} {
		if got := c.Provisional(y); got != want {
			t.Errorf("Provisional(%d) = %v, want %v", y, got, want)
		}
	}
}

func TestLoadFile(t *testing.T) {
	c, err := LoadFile("testdata/TestLoadFile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]bool{
		"2026-05-08": false, // override: day off
		"2026-05-16": true,  // override: Saturday working
		"2026-05-27": false, // Kurban Ait kept from the default
		"2024-05-08": false, // other years untouched
		"2028-05-05": false, // new year's Kurban Ait
	}
	for d, want := range checks {
		if got := c.IsWorkingDay(day(d)); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", d, got, want)
		}
	}
	if c.Provisional(2026) || !c.Provisional(2028) {
		t.Errorf("Provisional(2026)=%v Provisional(2028)=%v", c.Provisional(2026), c.Provisional(2028))
	}
	if got := c.Years(); !slices.Equal(got, []int{2024, 2025, 2026, 2027, 2028}) {
		t.Errorf("Years() = %v", got)
	}
	if !Default().IsWorkingDay(day("2026-05-08")) {
		t.Error("loading a file changed the default calendar")
	}
}

func TestLoadReplacesHolidays(t *testing.T) {
	c, err := Load(strings.NewReader(`holidays: [{date: "06-01", name: "test"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsWorkingDay(day("2026-03-09")) || c.IsWorkingDay(day("2026-06-01")) {
		t.Error("holidays list was not replaced")
	}
}

func TestLoadRejects(t *testing.T) {
	tests := map[string]string{
		"unknown key":          "years: {2026: {dayOff: [2026-05-08]}}",
		"bad date":             "years: {2026: {daysOff: [2026-13-01]}}",
		"day off on weekend":   "years: {2026: {daysOff: [2026-05-09]}}",
		"working on weekday":   "years: {2026: {workingDays: [2026-05-08]}}",
		"date of another year": "years: {2026: {daysOff: [2025-05-08]}}",
		"kurban of other year": "years: {2026: {kurbanAit: 2027-05-16}}",
		"new year w/o kurban":  "years: {2029: {provisional: true}}",
		"bad holiday":          `holidays: [{date: "13-01"}]`,
		"empty holidays":       "holidays: []",
		"not yaml":             "years: [",
		"transfer not boolean": `holidays: [{date: "01-01", transfer: maybe}]`,
	}
	for name, in := range tests {
		if _, err := Load(strings.NewReader(in)); err == nil {
			t.Errorf("%s: Load(%q) succeeded, want error", name, in)
		}
	}
}

func TestLoadEmptyIsDefault(t *testing.T) {
	c, err := Load(strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Years(), Default().Years()) {
		t.Errorf("Years() = %v", c.Years())
	}
}
