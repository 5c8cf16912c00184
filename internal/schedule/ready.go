package schedule

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jixiao/jixiao/internal/ingest"
)

// snapshot is what a file looked like at one moment.
type snapshot struct {
	size int64
	mod  time.Time
}

// readyFiles lists the inbox's files that are written: the same at two
// looks Settle apart, and not modified for Quiet. The others are still
// being written and wait for a later run, unless they have kept changing
// for longer than MaxWait, in which case they are moved to failed/.
// refused are what is no regular file (links, pipes, devices, sockets),
// each with why it is not read.
func (in *Intake) readyFiles() (ready []string, refused map[string]string, err error) {
	first, refused, err := in.scan()
	if err != nil || len(first) == 0 {
		return nil, refused, err
	}
	select {
	case <-time.After(in.Settle):
	case <-in.stopCtx.Done():
		return nil, nil, nil
	}
	second, refused, err := in.scan()
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	for path, b := range second {
		a, seen := first[path]
		stable := seen && a == b
		if stable && now.Sub(b.mod) >= in.Quiet {
			delete(in.changing, path)
			ready = append(ready, path)
			continue
		}
		in.notReady(path, b, stable, now)
	}
	for path := range in.changing {
		if _, ok := second[path]; !ok {
			delete(in.changing, path) // gone (moved away by someone)
		}
	}
	sort.Strings(ready)
	return ready, refused, nil
}

// notReady notes a file still being written, or written less than Quiet
// ago (a writer may only be pausing), and gives it up after MaxWait.
func (in *Intake) notReady(path string, b snapshot, stable bool, now time.Time) {
	since, ok := in.changing[path]
	if !ok {
		in.changing[path] = now
		if stable {
			in.log.Info("文件刚写入不久，静置后再取", "file", in.rel(path), "size", b.size, "静置", in.Quiet)
		} else {
			in.log.Info("文件仍在写入，下次再取", "file", in.rel(path), "size", b.size)
		}
		return
	}
	if now.Sub(since) <= in.MaxWait {
		return
	}
	delete(in.changing, path)
	reason := fmt.Sprintf("%s：等待 %s 后仍在写入（%d 字节，仍在变化）", in.rel(path), in.MaxWait, b.size)
	in.log.Warn("未能读取", "file", in.rel(path), "reason", reason)
	if err := in.moveFailed(path, reason); err != nil {
		in.log.Error("无法移入 failed/", "file", path, "err", err)
	}
}

// partialSuffixes mark a file still being copied in, under the name it
// gets once complete (a transfer's convention, and browsers' and rsync's).
var partialSuffixes = []string{".part", ".partial", ".crdownload", ".tmp", ".filepart"}

// scan lists the regular files under the inbox, its subfolders included,
// and what is no regular file, with why (refused: never followed nor
// opened). It passes over its own done/ and failed/ folders, and the files
// and folders named as still being copied: hidden ones (editors',
// uploaders', rsync's) and those of partialSuffixes, each logged once.
func (in *Intake) scan() (files map[string]snapshot, refused map[string]string, err error) {
	files, refused = map[string]snapshot{}, map[string]string{}
	temporary := map[string]bool{}
	err = filepath.WalkDir(in.inbox, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil && path == in.inbox:
			return err
		case err != nil:
			in.log.Warn("无法读取，跳过", "file", in.rel(path), "err", err)
			return nil
		case path == in.inbox:
			return nil
		case in.own(path) && d.IsDir():
			return filepath.SkipDir
		case in.own(path):
			// done/ or failed/ swapped for something else: moves into it
			// fail, and say so.
		case strings.HasPrefix(d.Name(), ".") || partial(d.Name()):
			temporary[path] = true
			if !in.temporary[path] {
				in.log.Info("临时文件名（以点开头或以 .part 等结尾），改名后再取", "file", in.rel(path))
			}
			if d.IsDir() {
				return filepath.SkipDir
			}
		case d.IsDir():
		case !d.Type().IsRegular():
			refused[path] = ingest.KindReason(d.Type())
		default:
			info, err := d.Info()
			if err == nil { // else removed between the listing and now
				files[path] = snapshot{size: info.Size(), mod: info.ModTime()}
			}
		}
		return nil
	})
	in.temporary = temporary
	return files, refused, err
}

// own tells the inbox's own folders, which are not taken in.
func (in *Intake) own(dir string) bool {
	return dir == filepath.Join(in.inbox, DoneDir) || dir == filepath.Join(in.inbox, FailedDir)
}

// rel is path as a person finds it in the inbox.
func (in *Intake) rel(path string) string {
	if r, err := filepath.Rel(in.inbox, path); err == nil {
		return r
	}
	return path
}

func partial(name string) bool {
	lower := strings.ToLower(name)
	for _, suf := range partialSuffixes {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	return false
}
