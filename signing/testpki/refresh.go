package testpki

import (
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// WriteCRLs issues a fresh full CRL (listing the revoked leaf, valid a day)
// and delta CRL (valid an hour) as of now into Dir/crl. number must grow
// with every call so relying parties see the newer lists; the delta takes
// number+1. A long-running demo calls it before the delta goes stale.
func (p *PKI) WriteCRLs(now time.Time, number int64) error {
	var revoked []*big.Int
	if c, ok := p.Leaves[Revoked]; ok {
		revoked = append(revoked, c.Cert.SerialNumber)
	}
	full, err := p.CRL(CRLSpec{Number: number, ThisUpdate: now, NextUpdate: now.Add(24 * time.Hour),
		Revoked: revoked, RevokedAt: now.Add(-time.Hour)})
	if err != nil {
		return err
	}
	delta, err := p.CRL(CRLSpec{Number: number + 1, Base: number, ThisUpdate: now, NextUpdate: now.Add(time.Hour)})
	if err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(p.Dir, "crl", "full.crl"), full); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(p.Dir, "crl", "delta.crl"), delta)
}

// writeAtomic replaces path so a concurrent reader never sees half a file.
func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
