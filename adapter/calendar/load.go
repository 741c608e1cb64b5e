package calendar

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed kz.yaml
var kzYAML []byte

// file is the YAML shape of a calendar (see kz.yaml).
type file struct {
	Holidays []rule           `yaml:"holidays"`
	Years    map[int]yearData `yaml:"years"`
}

// rule is one statutory holiday by month-day.
type rule struct {
	Date     monthDay `yaml:"date"`
	Name     string   `yaml:"name"`
	Transfer *bool    `yaml:"transfer"` // nil means true
}

func (r rule) transfers() bool { return r.Transfer == nil || *r.Transfer }

// yearData is one year's data. Pointer and nil-slice fields tell "absent"
// from "set" so a file can override a single field of a shipped year.
type yearData struct {
	Provisional *bool  `yaml:"provisional"`
	KurbanAit   *date  `yaml:"kurbanAit"`
	WorkingDays []date `yaml:"workingDays"`
	DaysOff     []date `yaml:"daysOff"`
}

// date is a civil date written 2006-01-02.
type date struct{ y, m, d int }

func (d *date) UnmarshalYAML(n *yaml.Node) error {
	t, err := time.Parse(time.DateOnly, n.Value)
	if err != nil {
		return fmt.Errorf("line %d: date %q: want YYYY-MM-DD", n.Line, n.Value)
	}
	*d = date{t.Year(), int(t.Month()), t.Day()}
	return nil
}

func (d date) key() int { return d.y*10000 + d.m*100 + d.d }

func (d date) time() time.Time { return time.Date(d.y, time.Month(d.m), d.d, 0, 0, 0, 0, zone) }

func (d date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d) }

// monthDay is a recurring date written MM-DD.
type monthDay struct{ m, d int }

func (md *monthDay) UnmarshalYAML(n *yaml.Node) error {
	t, err := time.Parse("01-02", n.Value)
	if err != nil || n.Value == "02-29" {
		return fmt.Errorf("line %d: holiday date %q: want MM-DD (not 02-29)", n.Line, n.Value)
	}
	*md = monthDay{int(t.Month()), t.Day()}
	return nil
}

var defaultCalendar = sync.OnceValues(func() (*Calendar, error) {
	f, err := parse(kzYAML)
	if err != nil {
		return nil, err
	}
	return build(f)
})

// Default returns the shipped Kazakhstan calendar (kz.yaml). It panics if
// the embedded table is invalid, which the package tests rule out.
func Default() *Calendar {
	c, err := defaultCalendar()
	if err != nil {
		panic("calendar: embedded kz.yaml: " + err.Error())
	}
	return c
}

// Load reads a calendar file (kz.yaml's shape) and merges it over the
// default: a holidays list replaces the default rules; for each year, every
// field given replaces the default's field and other fields are kept; new
// years are added.
func Load(r io.Reader) (*Calendar, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("calendar: read: %w", err)
	}
	over, err := parse(b)
	if err != nil {
		return nil, err
	}
	base, err := parse(kzYAML)
	if err != nil {
		return nil, err
	}
	return build(merge(base, over))
}

// LoadFile is Load of the file at path.
func LoadFile(path string) (*Calendar, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	defer f.Close()
	return Load(f)
}

func parse(b []byte) (file, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true) // a misspelt key must not silently drop a decree
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return file{}, fmt.Errorf("calendar: parse: %w", err)
	}
	return f, nil
}

func merge(base, over file) file {
	if over.Holidays != nil {
		base.Holidays = over.Holidays
	}
	if base.Years == nil {
		base.Years = map[int]yearData{}
	}
	for y, o := range over.Years {
		b := base.Years[y]
		if o.Provisional != nil {
			b.Provisional = o.Provisional
		}
		if o.KurbanAit != nil {
			b.KurbanAit = o.KurbanAit
		}
		if o.WorkingDays != nil {
			b.WorkingDays = o.WorkingDays
		}
		if o.DaysOff != nil {
			b.DaysOff = o.DaysOff
		}
		base.Years[y] = b
	}
	return base
}

// validate checks one year's data against its year and the weekend rule.
func (yd yearData) validate(y int) error {
	if yd.KurbanAit == nil {
		return fmt.Errorf("calendar: year %d: kurbanAit missing", y)
	}
	if yd.KurbanAit.y != y {
		return fmt.Errorf("calendar: year %d: kurbanAit %v not in that year", y, *yd.KurbanAit)
	}
	for _, d := range yd.DaysOff {
		if d.y != y || weekend(d.time()) {
			return fmt.Errorf("calendar: year %d: daysOff %v must be a weekday of that year", y, d)
		}
	}
	for _, d := range yd.WorkingDays {
		if d.y != y || !weekend(d.time()) {
			return fmt.Errorf("calendar: year %d: workingDays %v must be a Saturday or Sunday of that year", y, d)
		}
	}
	return nil
}
