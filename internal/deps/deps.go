// Package deps pins the project's third-party modules in go.mod while the
// packages that use them are being written, so parallel work does not fight
// over go.mod. Remove an import here once a real package imports it.
package deps

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/go-ego/gse"
	_ "github.com/jmoiron/sqlx"
	_ "github.com/klippa-app/go-pdfium/webassembly"
	_ "github.com/ledongthuc/pdf"
	_ "github.com/mattn/go-sqlite3"
	_ "github.com/robfig/cron/v3"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/xuri/excelize/v2"
)
