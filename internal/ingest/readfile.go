package ingest

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ReadFile reads a document a person named (a command-line argument),
// following a symbolic link to it, and refuses what is no regular file or
// is over MaxFileSize.
func ReadFile(path string) ([]byte, error) { return readDocument(path, 0) }

// ReadFound reads a document found in a folder (a folder import, the
// inbox): it never goes through a symbolic link, which could point at any
// file the process may read (one swapped in after the folder was listed
// too), and refuses what is no regular file without blocking on it (a
// named pipe with no writer).
func ReadFound(path string) ([]byte, error) { return readDocument(path, openNoFollow) }

// readDocument opens path once and reads from that descriptor only: its
// kind and size are those of what was opened, not of what the name meant
// a moment before.
func readDocument(path string, flags int) ([]byte, error) {
	f, err := openRegular(path, flags)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: file too large (limit %d bytes)", path, MaxFileSize)
	}
	return data, nil
}

// openRegular opens path for reading with flags added (openNoFollow),
// refusing anything but a regular file at or under MaxFileSize.
func openRegular(path string, flags int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|flags, 0)
	if err != nil {
		if flags&openNoFollow != 0 {
			if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
				return nil, fmt.Errorf("%s: %s", path, SymlinkReason)
			}
		}
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = fmt.Errorf("%s: %s", path, KindReason(info.Mode()))
	}
	if err == nil && info.Size() > MaxFileSize {
		err = fmt.Errorf("%s: file too large (%d bytes, limit %d)", path, info.Size(), MaxFileSize)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
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
