package calendar

import (
	"fmt"
	"slices"
	"time"
)

// zone is Asia/Almaty: UTC+5 all year (no DST) since 1 March 2024. A fixed
// zone keeps the result independent of the host's tzdata.
var zone = time.FixedZone("Asia/Almaty", 5*60*60)

// Location returns the fixed UTC+5 zone the calendar works in.
func Location() *time.Location { return zone }

// Calendar is an immutable working-day calendar, safe for concurrent use.
type Calendar struct {
	rules []rule
	years map[int]yearDays
}

// yearDays is one year resolved to day keys (yyyymmdd).
type yearDays struct {
	provisional bool
	off         map[int]bool // non-working days other than ordinary weekends
	working     map[int]bool // weekend days made working
}

func build(f file) (*Calendar, error) {
	c := &Calendar{rules: f.Holidays, years: map[int]yearDays{}}
	if len(c.rules) == 0 {
		return nil, fmt.Errorf("calendar: no holidays")
	}
	for y, yd := range f.Years {
		if err := yd.validate(y); err != nil {
			return nil, err
		}
		c.years[y] = c.resolve(y, &yd)
	}
	return c, nil
}

// resolve applies the holiday rules, their weekend transfers and the
// decree swaps for year y; yd may be nil for a year without data.
func (c *Calendar) resolve(y int, yd *yearData) yearDays {
	r := yearDays{provisional: true, off: map[int]bool{}, working: map[int]bool{}}
	type hol struct {
		d        date
		transfer bool
	}
	var hs []hol
	for _, h := range c.rules {
		hs = append(hs, hol{date{y, h.Date.m, h.Date.d}, h.transfers()})
	}
	if yd != nil {
		r.provisional = yd.Provisional != nil && *yd.Provisional
		hs = append(hs, hol{*yd.KurbanAit, false})
	}
	slices.SortFunc(hs, func(a, b hol) int { return a.d.key() - b.d.key() })
	for _, h := range hs {
		r.off[h.d.key()] = true
	}
	// In date order, so Nauryz on Sat-Sun-Mon moves to Tue and Wed.
	for _, h := range hs {
		t := h.d.time()
		if !h.transfer || !weekend(t) {
			continue
		}
		for weekend(t) || r.off[key(t)] {
			t = t.AddDate(0, 0, 1)
		}
		r.off[key(t)] = true
	}
	if yd != nil {
		for _, d := range yd.DaysOff {
			r.off[d.key()] = true
		}
		for _, d := range yd.WorkingDays {
			r.working[d.key()] = true
		}
	}
	return r
}

func (c *Calendar) year(y int) yearDays {
	if r, ok := c.years[y]; ok {
		return r
	}
	return c.resolve(y, nil)
}

// IsWorkingDay reports whether the civil day of t in Asia/Almaty is a
// working day (five-day week).
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	t = t.In(zone)
	r := c.year(t.Year())
	k := key(t)
	switch {
	case r.working[k]:
		return true
	case r.off[k]:
		return false
	}
	return !weekend(t)
}

// AddWorkingDays returns the deadline n working days after from: the day of
// from (in Asia/Almaty) does not count, and the result is 23:59:59 local on
// the nth working day after it. n <= 0 gives the end of from's own day.
func (c *Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	from = from.In(zone)
	d := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, zone)
	for i := 0; i < n; {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkingDay(d) {
			i++
		}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, zone)
}

// Provisional reports whether year's data is not confirmed: marked
// provisional in the table, or missing from it (rules only).
func (c *Calendar) Provisional(year int) bool { return c.year(year).provisional }

// Years returns the years the table holds data for, ascending.
func (c *Calendar) Years() []int {
	ys := make([]int, 0, len(c.years))
	for y := range c.years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

func weekend(t time.Time) bool {
	wd := t.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func key(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }
