package sqlite

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/jmoiron/sqlx"
)

// levelWords begin an organisation's name when the report leaves out the
// place: 自治区卫生健康委员会, 市民政局.
var levelWords = []string{"自治区", "自治州", "省", "市", "县", "区", "州", "盟", "旗"}

func isShortForm(name string) bool {
	for _, w := range levelWords {
		if strings.HasPrefix(name, w) && len(name) > len(w) {
			return true
		}
	}
	return false
}

// canonicalOrg is the series name of an organisation: the full name a
// short form stands for when the store knows exactly one (or one chain of
// ever longer ones), else the name itself.
func canonicalOrg(ctx context.Context, q sqlx.QueryerContext, name string) (string, error) {
	if !isShortForm(name) {
		return name, nil
	}
	var longer []string
	if err := sqlx.SelectContext(ctx, q, &longer, `SELECT name FROM organizations
		WHERE length(name) > length(?1) AND substr(name, -length(?1)) = ?1`, name); err != nil {
		return "", err
	}
	if len(longer) == 0 {
		return name, nil
	}
	sort.Slice(longer, func(i, j int) bool { return len(longer[i]) > len(longer[j]) })
	for _, l := range longer[1:] {
		if !strings.HasSuffix(longer[0], l) {
			return name, nil // two different bodies: leave the short form alone
		}
	}
	return longer[0], nil
}

// resolveOrg records the name and returns its series name. A name seen for
// the first time may be the full form of short names already stored: their
// reports move to its series.
func resolveOrg(ctx context.Context, tx *sqlx.Tx, name string) (string, error) {
	var stored []string
	if err := tx.SelectContext(ctx, &stored, `SELECT canonical FROM organizations WHERE name = ?`, name); err != nil {
		return "", err
	}
	if len(stored) == 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO organizations (name, canonical) VALUES (?, ?)`, name, name); err != nil {
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
		if _, err := tx.ExecContext(ctx, `UPDATE organizations SET canonical = ? WHERE name = ?`, canon, name); err != nil {
			return "", err
		}
	}
	return canon, nil
}

// shortForms are the endings of name that could be short forms of it
// (自治区卫生健康委员会 of 宁夏回族自治区卫生健康委员会).
func shortForms(name string) []string {
	var out []string
	for i := range name {
		if i > 0 && isShortForm(name[i:]) {
			out = append(out, name[i:])
		}
	}
	return out
}

// knownNames are those of names the store has recorded.
func knownNames(ctx context.Context, q sqlx.QueryerContext, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	query, args, err := sqlx.In(`SELECT name FROM organizations WHERE name IN (?)`, names)
	if err != nil {
		return nil, err
	}
	var known []string
	err = sqlx.SelectContext(ctx, q, &known, query, args...)
	return known, err
}

// reresolveSuffixes re-derives the series of the stored short forms that
// name ends with.
func reresolveSuffixes(ctx context.Context, tx *sqlx.Tx, name string) error {
	known, err := knownNames(ctx, tx, shortForms(name))
	if err != nil {
		return err
	}
	for _, short := range known {
		canon, err := canonicalOrg(ctx, tx, short)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE organizations SET canonical = ? WHERE name = ?`, canon, short); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET series_org = ? WHERE organization = ?`, canon, short); err != nil {
			return err
		}
	}
	return nil
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
	known, err := knownNames(ctx, s.db, append(shortForms(name), name))
	if err != nil {
		return err
	}
	if len(known) == 0 || slices.Contains(known, name) {
		return nil // no short form to move, or a name already recorded
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := resolveOrg(ctx, tx, name)
		return err
	})
}
