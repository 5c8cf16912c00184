package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jixiao/jixiao/internal/storelogic"
	"github.com/jixiao/jixiao/pipeline"
)

// documentRow is the documents table; ingested_at is RFC 3339 text.
type documentRow struct {
	pipeline.Document
	IngestedAt string `db:"ingested_at"`
}

func (r documentRow) document() pipeline.Document {
	d := r.Document
	d.IngestedAt, _ = time.Parse(time.RFC3339Nano, r.IngestedAt)
	return d
}

const documentColumns = `id, sha256, name, format, pages, size, extractor, extractor_version, status, error, ingested_at`

// Document returns the stored document with this sha256, or nil.
func (s *Store) Document(ctx context.Context, sum string) (*pipeline.Document, error) {
	var r documentRow
	err := get(ctx, s.db, &r, `SELECT `+documentColumns+` FROM documents WHERE sha256 = ?`, sum)
	if noRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d := r.document()
	return &d, nil
}

// Documents returns every stored document, oldest first; --reprocess walks it.
func (s *Store) Documents(ctx context.Context) ([]pipeline.Document, error) {
	var rows []documentRow
	if err := sel(ctx, s.db, &rows, `SELECT `+documentColumns+` FROM documents ORDER BY id`); err != nil {
		return nil, err
	}
	out := make([]pipeline.Document, len(rows))
	for i, r := range rows {
		out[i] = r.document()
	}
	return out, nil
}

// reportRow is one line of the reports list as selected.
type reportRow struct {
	ID           int64          `db:"id"`
	DocumentID   int64          `db:"document_id"`
	Name         string         `db:"name"`
	Organization string         `db:"organization"`
	Project      string         `db:"project"`
	Kind         string         `db:"kind"`
	Year         int            `db:"year"`
	Score        sql.NullString `db:"score"`
	Grade        string         `db:"grade"`
	Errors       int            `db:"errors"`
	Warnings     int            `db:"warnings"`
	Infos        int            `db:"infos"`
	Status       string         `db:"status"`
	Versions     int            `db:"versions"`
}

func (r reportRow) summary() pipeline.ReportSummary {
	return pipeline.ReportSummary{
		ID: r.ID, DocumentID: r.DocumentID, Name: r.Name, Organization: r.Organization,
		Project: r.Project, Kind: r.Kind, Year: r.Year, Score: parseDecimal(r.Score), Grade: r.Grade,
		Errors: r.Errors, Warnings: r.Warnings, Infos: r.Infos, Status: r.Status, Versions: r.Versions,
	}
}

var sortColumns = map[string]string{
	"year":         "r.year",
	"score":        "r.score_units",
	"organization": "r.organization",
	"project":      "r.project",
	"kind":         "r.kind",
	"grade":        "r.grade",
	"name":         "d.name",
	"errors":       "r.errors",
	"warnings":     "r.warnings",
	"infos":        "r.infos",
	"status":       statusExpr,
	"versions":     versionsExpr,
	"ingested":     "d.ingested_at",
}

// statusExpr and versionsExpr are a listed report's review status and its
// number of versions.
const (
	statusExpr   = "coalesce((SELECT st.status FROM review_states st WHERE st.report_id = r.lineage), 'pending')"
	versionsExpr = "(SELECT count(*) FROM reports v WHERE v.lineage = r.lineage)"
)

// Reports lists reports matching f and the number of matches before Limit.
func (s *Store) Reports(ctx context.Context, f pipeline.ReportFilter) ([]pipeline.ReportSummary, int, error) {
	where := []string{"r.latest = 1"}
	var args []any
	if f.Organization != "" {
		series, err := s.SeriesOrganization(ctx, f.Organization)
		if err != nil {
			return nil, 0, err
		}
		where, args = append(where, "(r.organization = ? OR r.series_org = ?)"), append(args, f.Organization, series)
	}
	if f.Project != "" {
		where, args = append(where, "r.project = ?"), append(args, f.Project)
	}
	if f.Year != 0 {
		where, args = append(where, "r.year = ?"), append(args, f.Year)
	}
	if f.YearFrom != 0 {
		where, args = append(where, "r.year >= ?"), append(args, f.YearFrom)
	}
	if f.YearTo != 0 {
		where, args = append(where, "r.year <= ?"), append(args, f.YearTo)
	}
	if f.Region != "" {
		where, args = append(where, "substr(r.series_org, 1, length(?)) = ?"), append(args, f.Region, f.Region)
	}
	if f.Grade != "" {
		where, args = append(where, "r.grade = ?"), append(args, f.Grade)
	}
	if f.HasErrors {
		where = append(where, "r.errors > 0")
	}
	if f.Status != "" {
		where, args = append(where, statusExpr+" = ?"), append(args, f.Status)
	}
	if f.Rule != "" {
		where, args = append(where, "EXISTS (SELECT 1 FROM findings fr WHERE fr.report_id = r.id AND fr.rule = ?)"), append(args, f.Rule)
	}
	if f.Query != "" {
		words := storelogic.QueryWords(f.Query)
		if len(words) == 0 {
			return []pipeline.ReportSummary{}, 0, nil
		}
		cond, condArgs, err := s.d.MatchReports(ctx, words)
		if err != nil {
			return nil, 0, err
		}
		where, args = append(where, cond), append(args, condArgs...)
	}
	from := ` FROM reports r JOIN documents d ON d.id = r.document_id WHERE ` + strings.Join(where, " AND ")
	var total int
	if err := get(ctx, s.db, &total, `SELECT count(*)`+from, args...); err != nil {
		return nil, 0, err
	}
	q := `SELECT r.lineage AS id, r.document_id, d.name, r.organization, r.project, r.kind, r.year, r.score, r.grade,
		r.errors, r.warnings, r.infos, ` + statusExpr + ` AS status, ` + versionsExpr + ` AS versions` +
		from + ` ORDER BY ` + orderBy(f.Sort)
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	var rows []reportRow
	if err := sel(ctx, s.db, &rows, q, args...); err != nil {
		return nil, 0, err
	}
	out := make([]pipeline.ReportSummary, len(rows))
	for i, r := range rows {
		out[i] = r.summary()
	}
	return out, total, nil
}

// orderBy turns "year", "-score", … into an ORDER BY clause; unknown keys
// sort by organization, project, year.
func orderBy(key string) string {
	dir := "ASC"
	if strings.HasPrefix(key, "-") {
		dir, key = "DESC", key[1:]
	}
	col, ok := sortColumns[key]
	if !ok {
		return "r.organization, r.project, r.year, r.lineage"
	}
	return col + " " + dir + " NULLS LAST, r.lineage"
}

// Report returns the latest version of a stored report with its
// document, extraction and text, or nil when there is none with this id
// (the report's, or any of its versions').
func (s *Store) Report(ctx context.Context, id int64) (*pipeline.StoredReport, error) {
	list, err := s.storedReports(ctx, `r.lineage = `+reportOf+` AND r.latest = 1`, id, id)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// ReportVersion returns one version of a report, or nil.
func (s *Store) ReportVersion(ctx context.Context, versionID int64) (*pipeline.StoredReport, error) {
	list, err := s.storedReports(ctx, `r.id = ?`, versionID)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// EarlierReports returns the organisation's reports of years before year
// (all projects), newest first.
func (s *Store) EarlierReports(ctx context.Context, organization string, year int) ([]*pipeline.StoredReport, error) {
	organization, err := s.SeriesOrganization(ctx, organization)
	if err != nil {
		return nil, err
	}
	return s.storedReports(ctx, `r.series_org = ? AND r.year < ? AND r.year > 0 AND r.latest = 1 ORDER BY r.year DESC, r.id DESC`, organization, year)
}

// HistoryReports is EarlierReports cut to what the cross-year rules read
// (name, organisation, project, year, problems, text), without decoding
// each stored extraction; ingest uses it on every document.
func (s *Store) HistoryReports(ctx context.Context, organization string, year int) ([]*pipeline.StoredReport, error) {
	organization, err := s.SeriesOrganization(ctx, organization)
	if err != nil {
		return nil, err
	}
	var rows []ReportText
	if err := sel(ctx, s.db, &rows, `SELECT r.id AS version, r.lineage AS id, d.name, r.organization, r.project, r.year, r.text
		FROM reports r JOIN documents d ON d.id = r.document_id
		WHERE r.series_org = ? AND r.year < ? AND r.year > 0 AND r.latest = 1 ORDER BY r.year DESC, r.id DESC`, organization, year); err != nil {
		return nil, err
	}
	type problem struct {
		ReportID int64  `db:"report_id"`
		Text     string `db:"text"`
	}
	var probs []problem
	if err := sel(ctx, s.db, &probs, `SELECT p.report_id, p.text FROM problems p JOIN reports r ON r.id = p.report_id
		WHERE r.series_org = ? AND r.year < ? AND r.year > 0 AND r.latest = 1 ORDER BY p.report_id, p.seq`, organization, year); err != nil {
		return nil, err
	}
	byReport := map[int64][]string{}
	for _, p := range probs {
		byReport[p.ReportID] = append(byReport[p.ReportID], p.Text)
	}
	out := make([]*pipeline.StoredReport, len(rows))
	for i, r := range rows {
		ext := pipeline.NewExtraction()
		ext.Text = r.Text
		ext.Report.Organization, ext.Report.Project, ext.Report.Year = r.Org, r.Project, r.Year
		if p := byReport[r.Version]; p != nil {
			ext.Report.Problems = p
		}
		out[i] = &pipeline.StoredReport{ID: r.ID, VersionID: r.Version, Document: pipeline.Document{Name: r.Name}, Extraction: ext, Text: r.Text}
	}
	return out, nil
}

// SeriesYears maps the id of every report in the organisation's series to
// its year: after each save, ingest looks in it for an earlier year saved
// while the report was being judged, so it is one read of an index. (The
// later years a save makes stale are marked by SaveReport itself.)
func (s *Store) SeriesYears(ctx context.Context, organization string) (map[int64]int, error) {
	series, err := s.SeriesOrganization(ctx, organization)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		ID   int64 `db:"id"`
		Year int   `db:"year"`
	}
	if err := sel(ctx, s.db, &rows, `SELECT id, year FROM reports WHERE series_org = ?`, series); err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Year
	}
	return out, nil
}

// SeriesReports returns the organisation's reports of every year (all
// projects), oldest first; the cross-year rules re-evaluate a series with it.
func (s *Store) SeriesReports(ctx context.Context, organization string) ([]*pipeline.StoredReport, error) {
	organization, err := s.SeriesOrganization(ctx, organization)
	if err != nil {
		return nil, err
	}
	return s.storedReports(ctx, `r.series_org = ? AND r.latest = 1 ORDER BY r.year, r.id`, organization)
}

func (s *Store) storedReports(ctx context.Context, cond string, args ...any) ([]*pipeline.StoredReport, error) {
	type row struct {
		documentRow
		ReportID   int64  `db:"report_id"`
		Lineage    int64  `db:"lineage"`
		Extraction string `db:"extraction"`
		Text       string `db:"text"`
		Positions  string `db:"positions"`
	}
	var rows []row
	err := sel(ctx, s.db, &rows, `SELECT d.id, d.sha256, d.name, d.format, d.pages, d.size, d.extractor,
		d.extractor_version, d.status, d.error, d.ingested_at, r.id AS report_id, r.lineage, r.extraction, r.text, r.positions
		FROM reports r JOIN documents d ON d.id = r.document_id WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	out := make([]*pipeline.StoredReport, 0, len(rows))
	for _, r := range rows {
		ext := pipeline.NewExtraction()
		if err := json.Unmarshal([]byte(r.Extraction), ext); err != nil {
			return nil, fmt.Errorf("report %d: stored extraction: %w", r.ReportID, err)
		}
		ext.Text = r.Text
		if ext.Positions, err = parsePositions(r.Positions); err != nil {
			return nil, fmt.Errorf("report %d: %w", r.ReportID, err)
		}
		if err := s.restoreSectionOffsets(ctx, r.ReportID, ext); err != nil {
			return nil, err
		}
		out = append(out, &pipeline.StoredReport{ID: r.Lineage, VersionID: r.ReportID, Document: r.document(), Extraction: ext, Text: r.Text})
	}
	return out, nil
}

// restoreSectionOffsets puts back the byte offsets of the sections, which
// the JSON contract does not carry.
func (s *Store) restoreSectionOffsets(ctx context.Context, id int64, ext *pipeline.Extraction) error {
	var pos []int
	if err := sel(ctx, s.db, &pos, `SELECT pos FROM sections WHERE report_id = ? ORDER BY seq`, id); err != nil {
		return err
	}
	if len(pos) != len(ext.Report.Sections) {
		return nil
	}
	for i := range pos {
		ext.Report.Sections[i].Offset = pos[i]
	}
	return nil
}

func parseDecimal(s sql.NullString) *pipeline.Decimal {
	if !s.Valid {
		return nil
	}
	d, err := pipeline.ParseDecimal(s.String)
	if err != nil {
		return nil
	}
	return &d
}

func amountOf(v sql.NullInt64) *pipeline.Amount {
	if !v.Valid {
		return nil
	}
	return &pipeline.Amount{Fen: v.Int64}
}

// ReportIDs returns the ids of the reports of the document with this
// sha256, in the order they were first saved; none when it has none (not
// stored, or stored as a failure).
func (s *Store) ReportIDs(ctx context.Context, sum string) ([]int64, error) {
	ids := []int64{}
	err := sel(ctx, s.db, &ids, `SELECT r.lineage FROM reports r JOIN documents d ON d.id = r.document_id
		WHERE d.sha256 = ? ORDER BY r.id`, sum)
	return ids, err
}

// ReportText is a report's identity and normalised text, as the search and
// the cross-year rules read it.
type ReportText struct {
	ID      int64  `db:"id"`
	Version int64  `db:"version"`
	Name    string `db:"name"`
	Org     string `db:"organization"`
	Project string `db:"project"`
	Year    int    `db:"year"`
	Text    string `db:"text"`
}

// Search finds reports whose text holds every word of query (words are
// separated by spaces; each must appear as written), best matches first.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]pipeline.SearchHit, error) {
	words := storelogic.QueryWords(query)
	if len(words) == 0 {
		return []pipeline.SearchHit{}, nil
	}
	if limit <= 0 {
		limit = 20
	}
	q, args, err := s.d.SearchReports(ctx, words, limit)
	if err != nil {
		return nil, err
	}
	var rows []ReportText
	if err := sel(ctx, s.db, &rows, q, args...); err != nil {
		return nil, err
	}
	out := make([]pipeline.SearchHit, 0, len(rows))
	for _, r := range rows {
		out = append(out, pipeline.SearchHit{
			ReportID: r.ID, Name: r.Name, Organization: r.Org, Project: r.Project, Year: r.Year,
			Snippet: storelogic.Snippet(r.Text, query),
		})
	}
	return out, nil
}
