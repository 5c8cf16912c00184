package office

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrNoLibreOffice is returned when an old binary file needs LibreOffice and
// this machine has none.
var ErrNoLibreOffice = errors.New("读取旧版 .doc/.wps/.xls 文件需要 LibreOffice，本机未安装：" +
	"请在 Word、WPS 或 Excel 中将文件另存为 .docx 或 .xlsx 后再提交，" +
	"或安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui libreoffice-calc-nogui）")

// ErrConvert is a conversion LibreOffice did not finish.
var ErrConvert = errors.New("LibreOffice 未能转换该文件（文件可能已损坏或设有密码）")

// DefaultTimeout bounds one conversion. LibreOffice's first start in a new
// profile takes several seconds; a report converts in one or two after.
const DefaultTimeout = 90 * time.Second

// Converter converts old binary Office files with LibreOffice headless. The
// zero value looks soffice up on PATH and uses DefaultTimeout. Conversions
// run one at a time per process: soffice is heavy, and one profile serves
// one instance.
type Converter struct {
	Soffice string        // path of soffice; "" finds it on PATH
	Timeout time.Duration // 0: DefaultTimeout
}

var (
	mu      sync.Mutex // one conversion at a time in this process
	profile string     // this process's private LibreOffice profile, made on first use
)

// Convert converts data of kind k to its Target format and returns the new
// file's bytes.
func (c *Converter) Convert(ctx context.Context, data []byte, k Kind) ([]byte, error) {
	soffice, err := c.binary()
	if err != nil {
		return nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	prof, err := profileDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "jixiao-office-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "report."+inputExt(k))
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	to := Target(k)
	cmd := exec.CommandContext(ctx, soffice,
		"-env:UserInstallation=file://"+prof,
		"--headless", "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck",
		"--convert-to", to+":"+filters[to], "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+prof) // nothing written to the user's home
	killGroup(cmd)
	out, err := cmd.CombinedOutput()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("%w：超过 %s 未完成", ErrConvert, timeout)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	result, rerr := os.ReadFile(filepath.Join(dir, "report."+to))
	if rerr != nil || len(result) == 0 {
		if err != nil {
			return nil, fmt.Errorf("%w：%v %s", ErrConvert, err, lastLine(out))
		}
		return nil, fmt.Errorf("%w %s", ErrConvert, lastLine(out))
	}
	return result, nil
}

// filters are LibreOffice's export filters for each target.
var filters = map[string]string{
	"docx": "MS Word 2007 XML",
	"xlsx": "Calc MS Excel 2007 XML",
}

func inputExt(k Kind) string {
	switch k {
	case Xls:
		return "xls"
	case Works:
		return "wps"
	}
	return "doc"
}

// Available reports whether LibreOffice can be run.
func (c *Converter) Available() bool {
	_, err := c.binary()
	return err == nil
}

func (c *Converter) binary() (string, error) {
	if c.Soffice != "" {
		if _, err := os.Stat(c.Soffice); err != nil {
			return "", ErrNoLibreOffice
		}
		return c.Soffice, nil
	}
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoLibreOffice
}

// profileDir is the process's own LibreOffice profile, made once and kept
// for its later conversions (the first start in a profile is the slow one).
// A profile of its own keeps two jixiao processes, or a user's open
// LibreOffice, from locking each other out.
func profileDir() (string, error) {
	if profile != "" {
		return profile, nil
	}
	dir, err := os.MkdirTemp("", "jixiao-lo-profile-")
	if err != nil {
		return "", err
	}
	profile = dir
	return profile, nil
}

// Cleanup removes the process's LibreOffice profile; the CLI calls it at exit.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	if profile != "" {
		os.RemoveAll(profile)
		profile = ""
	}
}

func lastLine(out []byte) string {
	s := string(out)
	s = strings.TrimRight(s, "\r\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	if s == "" {
		return ""
	}
	return "（" + s + "）"
}
