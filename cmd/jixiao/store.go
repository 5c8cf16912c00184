package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jixiao/jixiao/internal/ingest"
	"github.com/jixiao/jixiao/internal/postgres"
	"github.com/jixiao/jixiao/internal/sqlite"
	"github.com/jixiao/jixiao/internal/sqlstore"
	"github.com/jixiao/jixiao/pipeline"
)

// store is what the commands need of a store, SQLite or PostgreSQL.
type store interface {
	ingest.Store
	Series(ctx context.Context, organization string) ([]sqlstore.Series, error)
	ReportRows(ctx context.Context, fn func(sqlstore.ReportRow) error) error
	FindingRows(ctx context.Context, fn func(sqlstore.FindingRow) error) error
	Failures(ctx context.Context) ([]pipeline.Document, error)
	Organizations(ctx context.Context) ([]pipeline.OrgSummary, error)
}

var (
	_ store = (*sqlite.Store)(nil)
	_ store = (*postgres.Store)(nil)
)

// defaultDB is the store every command uses without --db or JIXIAO_DB.
const defaultDB = "./jixiao.db"

// dbEnv names the environment variable that sets the default of --db, so
// that the workers and the web server of a deployment name their shared
// database once.
const dbEnv = "JIXIAO_DB"

// addDBFlag registers --db on a command that creates the store when absent.
func addDBFlag(c *cobra.Command, p *string) {
	c.Flags().StringVar(p, "db", dbDefault(), "存储：SQLite 文件路径（不存在时创建，原件保存在 PATH.files/），"+
		"或 PostgreSQL 地址 postgres://用户:密码@主机/库（多台机器共用）；默认取环境变量 "+dbEnv)
}

// addReadOnlyDBFlag registers --db on a command that reads an existing
// store (and may record reviews in it), which it never creates.
func addReadOnlyDBFlag(c *cobra.Command, p *string) {
	c.Flags().StringVar(p, "db", dbDefault(), "存储：jixiao ingest 建立的 SQLite 文件，"+
		"或 PostgreSQL 地址 postgres://用户:密码@主机/库；默认取环境变量 "+dbEnv)
}

func dbDefault() string {
	if v := os.Getenv(dbEnv); v != "" {
		return v
	}
	return defaultDB
}

// sha256Hex is the hex sha256 of data, as the store names documents.
func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// dbSchemes are the schemes of database addresses jixiao might be given;
// a --db starting with one of them and a colon is an address, never a
// file name, even when the slashes after it are mistyped (postgres:/db).
var dbSchemes = []string{"postgres", "postgresql", "pg", "mysql", "mariadb", "sqlite", "sqlite3", "file", "jdbc", "mongodb", "redis"}

// urlScheme is a URL's scheme as RFC 3986 spells it, before the colon.
var urlScheme = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*):`)

// checkDB refuses a --db that is an address of no store jixiao opens
// (mysql://…, a typo of postgres://), which would otherwise become a
// SQLite file under a folder named after the scheme. A PostgreSQL URL
// and a file path pass.
func checkDB(db string) error {
	if postgres.IsURL(db) {
		return nil
	}
	m := urlScheme.FindStringSubmatch(db)
	if m == nil || !strings.HasPrefix(db[len(m[0]):], "//") && !slices.Contains(dbSchemes, strings.ToLower(m[1])) {
		return nil
	}
	return fmt.Errorf("--db %s 不是可用的存储：PostgreSQL 地址写作 postgres://用户:密码@主机/库（或 postgresql://），SQLite 直接写文件路径", db)
}

// openStore opens the store --db names: a postgres:// URL is the shared
// PostgreSQL store, any other address is refused, anything else is a
// SQLite file. A failure is exit status 1.
func openStore(db string) (store, error) {
	if err := checkDB(db); err != nil {
		return nil, failed(err)
	}
	var st store
	var err error
	if postgres.IsURL(db) {
		st, err = postgres.Open(db)
	} else {
		st, err = sqlite.Open(db)
	}
	if err != nil {
		return nil, failed(err)
	}
	return st, nil
}

// openExistingStore opens a store for reading and refuses a SQLite path
// where none exists, so a mistyped --db does not answer from a fresh empty
// store. (A PostgreSQL database exists or the connection fails.)
func openExistingStore(db string) (store, error) {
	if err := checkDB(db); err != nil {
		return nil, failed(err)
	}
	if !postgres.IsURL(db) {
		if _, err := os.Stat(db); err != nil {
			return nil, failed(fmt.Errorf("%s 处没有存储（请先运行 jixiao ingest --db %s）", db, db))
		}
	}
	return openStore(db)
}
