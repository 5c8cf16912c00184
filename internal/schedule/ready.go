package schedule

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// snapshot is what a file looked like at one moment.
type snapshot struct {
	size int64
	mod  time.Time
}

// readyFiles lists the inbox's files that stayed the same over Settle; the
// others are still being written and wait for a later run, unless they have
// kept changing for longer than MaxWait, in which case they are moved to
// failed/.
func (in *Intake) readyFiles() ([]string, error) {
	first, err := in.scan()
	if err != nil || len(first) == 0 {
		return nil, err
	}
	select {
	case <-time.After(in.Settle):
	case <-in.stopCtx.Done():
		return nil, nil
	}
	second, err := in.scan()
	if err != nil {
		return nil, err
	}
	var ready []string
	now := time.Now()
	for path, b := range second {
		a, seen := first[path]
		if seen && a == b && now.Sub(b.mod) >= in.Settle {
			delete(in.changing, path)
			ready = append(ready, path)
			continue
		}
		since, ok := in.changing[path]
		if !ok {
			in.changing[path] = now
			in.log.Info("文件仍在写入，下次再取", "file", filepath.Base(path), "size", b.size)
			continue
		}
		if now.Sub(since) > in.MaxWait {
			delete(in.changing, path)
			reason := fmt.Sprintf("%s：等待 %s 后仍在写入（%d 字节，仍在变化）",
				filepath.Base(path), in.MaxWait, b.size)
			in.log.Warn("未能读取", "file", filepath.Base(path), "reason", reason)
			if err := in.moveFailed(path, reason); err != nil {
				in.log.Error("无法移入 failed/", "file", path, "err", err)
			}
		}
	}
	for path := range in.changing {
		if _, ok := second[path]; !ok {
			delete(in.changing, path) // gone (moved away by someone)
		}
	}
	sort.Strings(ready)
	return ready, nil
}

// partialSuffixes mark a file still being copied in, under the name it
// gets once complete (a transfer's convention, and browsers' and rsync's).
var partialSuffixes = []string{".part", ".partial", ".crdownload", ".tmp", ".filepart"}

// scan lists the regular files directly in the inbox, skipping hidden ones
// (editors' and uploaders' temporary files, rsync's), those named as still
// being copied, and the done/ and failed/ folders.
func (in *Intake) scan() (map[string]snapshot, error) {
	entries, err := os.ReadDir(in.inbox)
	if err != nil {
		return nil, err
	}
	out := map[string]snapshot{}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || !e.Type().IsRegular() || partial(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed between the listing and now
		}
		out[filepath.Join(in.inbox, e.Name())] = snapshot{size: info.Size(), mod: info.ModTime()}
	}
	return out, nil
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
