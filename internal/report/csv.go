package report

import "strings"

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula (OWASP's CSV injection list): =, +, - and @, and tab
// and carriage return, which some spreadsheets skip before reading one.
const formulaStarts = "=+-@\t\r"

// FormulaLike tells a text a spreadsheet would take for a formula: a
// project named =HYPERLINK("http://x","点") or a quote starting -2+3.
// It is the one test of every text cell jixiao writes to CSV or XLSX.
func FormulaLike(s string) bool {
	return s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0
}

// CSVText is a text cell for a CSV file: one that a spreadsheet would
// read as a formula gets a leading single quote, as OWASP advises, so it
// opens as the text it is. Only text columns go through it: a number such
// as -12.5 in a numeric column stays a number.
func CSVText(s string) string {
	if FormulaLike(s) {
		return "'" + s
	}
	return s
}
