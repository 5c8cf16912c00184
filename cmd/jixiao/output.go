package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// Every command that writes output writes it to stdout, or with -o FILE to
// that file: written whole to a temporary file beside it and renamed into
// place, so a failed run leaves no half file, and created 0644 like any
// file a person saves (os.CreateTemp makes 0600, which a colleague on a
// shared folder cannot open).

// addOutputFlag registers -o/--output on a command.
func addOutputFlag(c *cobra.Command, p *string) {
	c.Flags().StringVarP(p, "output", "o", "", "写入此文件而不是标准输出")
}

// writeOutput writes what fill produces to path, or to stdout when path
// is "".
func writeOutput(stdout io.Writer, path string, fill func(io.Writer) error) error {
	if path == "" {
		return fill(stdout)
	}
	var buf bytes.Buffer
	err := fill(&buf)
	// A run that did its work but must exit 1 (a file of several could
	// not be read) still writes what it read, as it would to stdout.
	var ee *exitError
	if err != nil && !(errors.As(err, &ee) && ee.code == 1 && buf.Len() > 0) {
		return err
	}
	if werr := writeFile(path, buf.Bytes()); werr != nil {
		return werr
	}
	return err
}

// writeFile writes data to path through a temporary file renamed into
// place, with the permissions of a saved file.
func writeFile(path string, data []byte) error {
	return writeFileWith(path, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// writeFileWith is writeFile of what fill writes, for output too large to
// hold twice.
func writeFileWith(path string, fill func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".jixiao-*"+filepath.Ext(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := fill(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
