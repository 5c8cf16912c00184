package ingest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadFile reads a document a person named (a command-line argument),
// following a symbolic link to it, and from a pipe too (a shell's
// <(command)): what they name is what they mean. It refuses a directory
// and what is over MaxFileSize.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	return readLimited(f, path, info.Size())
}

// ReadFound reads path, a document found under the folder root (a folder
// import, the inbox). It never leaves root, whatever the folders on the
// way were swapped for since they were listed, and never reads through a
// symbolic link to outside it (a link to any file the process may read);
// what is no regular file it refuses without blocking on it (a named pipe
// with no writer).
func ReadFound(root, path string) ([]byte, error) {
	f, err := openFound(root, path)
	if err != nil {
		return nil, err
	}
	return readRegular(f, path)
}

func openFound(root, path string) (*os.File, error) {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return nil, err
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	f, err := r.OpenFile(rel, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s: %s", path, SymlinkReason)
		}
		return nil, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
	}
	return f, nil
}

// readRegular reads f, opened as path, once its descriptor is found a
// regular file at or under MaxFileSize: its kind and size are those of
// what was opened, not of what the name meant a moment before. It closes f.
func readRegular(f *os.File, path string) ([]byte, error) {
	defer f.Close()
	size, err := regular(f, path)
	if err != nil {
		return nil, err
	}
	return readLimited(f, path, size)
}

// regular refuses f, opened as path, unless a regular file; it returns
// its size.
func regular(f *os.File, path string) (int64, error) {
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if reason := KindReason(info.Mode()); reason != "" {
		return 0, fmt.Errorf("%s: %s", path, reason)
	}
	return info.Size(), nil
}

// readLimited reads f, opened as path, up to MaxFileSize; size is what
// its descriptor said (0 for a pipe), refused at once when over.
func readLimited(f *os.File, path string, size int64) ([]byte, error) {
	if size > MaxFileSize {
		return nil, fmt.Errorf("%s: file too large (%d bytes, limit %d)", path, size, MaxFileSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: file too large (limit %d bytes)", path, MaxFileSize)
	}
	return data, nil
}

// SymlinkReason is why a symbolic link found in a folder is not read.
const SymlinkReason = "是符号链接，为安全起见不跟随读取（请把文件本身放进来）"

// KindReason says why a file of this mode is not read: "" for a regular
// file.
func KindReason(mode fs.FileMode) string {
	switch {
	case mode.IsRegular():
		return ""
	case mode&fs.ModeSymlink != 0:
		return SymlinkReason
	case mode.IsDir():
		return "is a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "是命名管道（FIFO），不是普通文件，不读取"
	case mode&fs.ModeSocket != 0:
		return "是套接字，不是普通文件，不读取"
	case mode&fs.ModeDevice != 0:
		return "是设备文件，不是普通文件，不读取"
	}
	return "不是普通文件，不读取"
}
