package sqlstore

import (
	"context"
	"slices"

	"github.com/jmoiron/sqlx"

	"github.com/jixiao/jixiao/internal/storelogic"
)

// canonicalOrg is the series name of an organisation (storelogic.Canonical
// over the stored names ending with it).
func canonicalOrg(ctx context.Context, q sqlx.ExtContext, name string) (string, error) {
	if !storelogic.IsShortForm(name) {
		return name, nil
	}
	var longer []string
	if err := sel(ctx, q, &longer, `SELECT name FROM organizations
		WHERE length(name) > length(?) AND substr(name, length(name) - length(?) + 1) = ?`, name, name, name); err != nil {
		return "", err
	}
	return storelogic.Canonical(name, longer), nil
}

// resolveOrg records the name and returns its series name. A name seen for
// the first time may be the full form of short names already stored: their
// reports move to its series.
func resolveOrg(ctx context.Context, tx *sqlx.Tx, name string) (string, error) {
	var stored []string
	if err := sel(ctx, tx, &stored, `SELECT canonical FROM organizations WHERE name = ?`, name); err != nil {
		return "", err
	}
	if len(stored) == 0 {
		if err := exec(ctx, tx, `INSERT INTO organizations (name, canonical) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, name); err != nil {
			return "", err
		}
		if err := reresolveSuffixes(ctx, tx, name); err != nil {
			return "", err
		}
		stored = []string{name}
	}
	canon, err := canonicalOrg(ctx, tx, name)
	if err != nil {
		return "", err
	}
	if canon != stored[0] { // most reports name a known body: no write
		if err := exec(ctx, tx, `UPDATE organizations SET canonical = ? WHERE name = ?`, canon, name); err != nil {
			return "", err
		}
	}
	return canon, nil
}

// knownNames are those of names the store has recorded.
func knownNames(ctx context.Context, q sqlx.ExtContext, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	query, args, err := sqlx.In(`SELECT name FROM organizations WHERE name IN (?)`, names)
	if err != nil {
		return nil, err
	}
	var known []string
	err = sel(ctx, q, &known, query, args...)
	return known, err
}

// reresolveSuffixes re-derives the series of the stored short forms that
// name ends with.
func reresolveSuffixes(ctx context.Context, tx *sqlx.Tx, name string) error {
	known, err := knownNames(ctx, tx, storelogic.ShortForms(name))
	if err != nil {
		return err
	}
	for _, short := range known {
		if err := moveSeries(ctx, tx, short); err != nil {
			return err
		}
	}
	return nil
}

// moveSeries files the reports of a stored short name under its series
// name as it is now. When that changes, the reports of both series were
// judged against other earlier years than they now have: all are marked
// stale, to be judged again.
func moveSeries(ctx context.Context, tx *sqlx.Tx, short string) error {
	var old string
	if err := get(ctx, tx, &old, `SELECT canonical FROM organizations WHERE name = ?`, short); err != nil {
		return err
	}
	canon, err := canonicalOrg(ctx, tx, short)
	if err != nil || canon == old {
		return err
	}
	if err := exec(ctx, tx, `UPDATE organizations SET canonical = ? WHERE name = ?`, canon, short); err != nil {
		return err
	}
	if err := exec(ctx, tx, `UPDATE reports SET series_org = ? WHERE organization = ?`, canon, short); err != nil {
		return err
	}
	return exec(ctx, tx, `INSERT INTO history_stale (report_id) SELECT id FROM reports WHERE series_org IN (?, ?) AND year > 0`, old, canon)
}

// SeriesOrganization is the series name the store files an organisation
// under (see canonicalOrg); queries by organisation go through it.
func (s *Store) SeriesOrganization(ctx context.Context, name string) (string, error) {
	return canonicalOrg(ctx, s.db, name)
}

// NoteOrganization records an organisation's name before its report is
// judged against the store: when the name is new and the full form of
// short names already stored, their reports join its series now, so the
// cross-year rules see them whatever order the reports came in. Any other
// name costs one read: a new name with no short form stored is recorded by
// the save of its report, and a write transaction of its own here cost as
// much as a save's.
func (s *Store) NoteOrganization(ctx context.Context, name string) error {
	if name == "" {
		return nil
	}
	known, err := knownNames(ctx, s.db, append(storelogic.ShortForms(name), name))
	if err != nil {
		return err
	}
	if len(known) == 0 || slices.Contains(known, name) {
		return nil // no short form to move, or a name already recorded
	}
	return s.d.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.d.LockNames(ctx, tx, storelogic.LockNames(name)); err != nil {
			return err
		}
		_, err := resolveOrg(ctx, tx, name)
		return err
	})
}
